import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Strings } from '../../i18n/strings.js';
import { closeIcon } from '../../internal/icons.js';
import { loadElements } from '../../internal/lazy-elements.js';

export type Panel = 'chat' | 'people';

interface PanelHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * rtc-room's side panels (Chat, People): one open at a time, toggled from buttons in the control
 * bar; Escape closes the open one and returns focus to its toggle. Also counts chat messages that
 * arrive while the chat is closed.
 */
export class SidePanels implements ReactiveController {
  /** The open panel, if any. */
  open: Panel | null = null;
  /** Messages that arrived while the chat panel was closed. */
  unread = 0;
  readonly #host: PanelHost;

  constructor(host: PanelHost) {
    this.#host = host;
    host.addController(this);
  }

  /** A chat message arrived. */
  messageArrived(): void {
    if (this.open === 'chat') return;
    this.unread++;
    this.#host.requestUpdate();
  }

  reset(): void {
    this.unread = 0;
  }

  async toggle(panel: Panel): Promise<void> {
    this.open = this.open === panel ? null : panel;
    if (this.open === 'chat') this.unread = 0;
    this.#host.requestUpdate();
    // The panels' chunks come after the call starts: a panel opened sooner waits for its own.
    await Promise.all([this.#host.updateComplete, loadElements([panel === 'chat' ? 'rtc-chat' : 'rtc-participant-list']).catch(() => undefined)]);
    const root = this.#host.renderRoot;
    if (this.open === 'chat') root.querySelector<HTMLElement>('rtc-chat')?.focus();
    // The list has nothing to press: focus the panel itself, so its content is read next and Escape works.
    else if (this.open === 'people') root.querySelector<HTMLElement>('#people-panel')?.focus();
  }

  /** Escape in an open panel (or on its toggle) closes it and returns to its toggle. */
  readonly onKey = (e: KeyboardEvent): void => {
    const panel = this.open;
    if (e.key !== 'Escape' || !panel) return;
    e.stopPropagation();
    this.open = null;
    this.#host.requestUpdate();
    this.#host.renderRoot.querySelector<HTMLElement>(`.${panel}-toggle`)?.focus();
  };

  /** The panel `panel` around `content` (hidden while closed). */
  panel(panel: Panel, label: string, content: TemplateResult, t: Strings, focusable = false) {
    return html`<aside
      part="${panel}-panel"
      class="side"
      id="${panel}-panel"
      aria-label=${label}
      tabindex=${focusable ? '-1' : nothing}
      ?hidden=${this.open !== panel}
      @keydown=${this.onKey}
    >
      <div class="side-header">
        <h2>${label}</h2>
        <button part="button ${panel}-close" class="button side-close" type="button" title=${t.close} @click=${() => this.#close(panel)}>
          ${closeIcon}<span class="visually-hidden">${t.closePanel(label)}</span>
        </button>
      </div>
      ${content}
    </aside>`;
  }

  /** The panel's Close button: closed, back on its toggle (a phone's sheet hid the bar). */
  #close(panel: Panel): void {
    if (this.open !== panel) return;
    this.open = null;
    this.#host.requestUpdate();
    void this.#host.updateComplete.then(() => this.#host.renderRoot.querySelector<HTMLElement>(`.${panel}-toggle`)?.focus());
  }

  /** A toggle for the control bar, with a count badge that is also said in words. */
  toggleButton(
    panel: Panel,
    icon: unknown,
    label: string,
    count: number,
    words: string,
    neutral = false,
    format: (n: number) => string = String,
    comma = ', ',
  ) {
    return html`<button
      part="button ${panel}-toggle"
      class="button panel-toggle ${panel}-toggle"
      type="button"
      aria-pressed=${this.open === panel ? 'true' : 'false'}
      aria-controls="${panel}-panel"
      @click=${() => this.toggle(panel)}
      title=${label}
      @keydown=${this.onKey}
    >
      ${icon}<span class="bar-label">${label}</span>${
        count
          ? html`<span class=${neutral ? 'badge count' : 'badge'} aria-hidden="true">${format(count)}</span
            ><span class="visually-hidden">${comma}${words}</span>`
          : nothing
      }
    </button>`;
  }

  /** The polite status that says the unread count. */
  unreadStatus(t: Strings) {
    const n = this.unread;
    return html`<div class="visually-hidden" role="status" aria-live="polite">${n ? t.unreadMessages(n) : ''}</div>`;
  }

  hostConnected(): void {}
}
