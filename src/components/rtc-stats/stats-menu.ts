import { css, html, nothing, svg, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { MenuButton } from '../../controllers/menu-button.js';
import { loadElements } from '../../internal/lazy-elements.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';

interface MenuHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

const moreIcon = svg`<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false"><circle cx="5" cy="12" r="2"/><circle cx="12" cy="12" r="2"/><circle cx="19" cy="12" r="2"/></svg>`;

/**
 * `<rtc-room>`'s "More" menu in the control bar and the "Call statistics" dialog it opens (a
 * modal `<dialog>` around `<rtc-stats>`): the menu follows the WAI-ARIA menu button pattern
 * (Enter, Space or ↓ open it on its first item; ↑/↓/Home/End move; Escape and Tab close it),
 * Escape closes the dialog, and focus returns to the More button. The menu pops up over the
 * tiles (absolutely placed): the control bar never moves.
 */
export class StatsMenu implements ReactiveController {
  dialogOpen = false;
  readonly #host: MenuHost;
  readonly #menu: MenuButton;
  readonly #i18n: Localize<Strings>;

  constructor(host: MenuHost) {
    this.#host = host;
    this.#i18n = new Localize(host, en);
    this.#menu = new MenuButton(host, { wrap: '.more', toggle: '.more-toggle', items: '#more-menu [role=menuitem]' });
    host.addController(this);
  }

  get menuOpen(): boolean {
    return this.#menu.open;
  }

  hostConnected(): void {}

  /** The call view went away (left, ended): nothing stays open for the next call. */
  hostUpdated(): void {
    if (!this.#q('.more')) this.dialogOpen = false;
  }

  hostDisconnected(): void {
    this.dialogOpen = false;
  }

  #q<T extends HTMLElement>(sel: string): T | null {
    return this.#host.renderRoot.querySelector<T>(sel);
  }

  /** Open the statistics dialog (also from code: `room.openStats()`). */
  async openStats(): Promise<void> {
    this.#menu.close(false);
    this.dialogOpen = true;
    this.#host.requestUpdate();
    await Promise.all([this.#host.updateComplete, loadElements(['rtc-stats']).catch(() => undefined)]);
    const dialog = this.#q<HTMLDialogElement>('dialog.stats-dialog');
    if (dialog && !dialog.open) dialog.showModal();
    this.#q<HTMLElement>('rtc-stats')?.focus();
  }

  closeStats(): void {
    const dialog = this.#q<HTMLDialogElement>('dialog.stats-dialog');
    if (dialog?.open)
      dialog.close(); // → #onDialogClose
    else this.#onDialogClose();
  }

  #onDialogClose = () => {
    if (!this.dialogOpen) return;
    this.dialogOpen = false;
    this.#host.requestUpdate();
    this.#q<HTMLElement>('.more-toggle')?.focus();
  };

  /** Close the menu, focus back on the More button (an item of the host's did its work). */
  closeMenu(): void {
    this.#menu.close(true);
  }

  /** The More button and its menu, for the control bar; `items` (the host's menu items) come after "Call statistics". */
  button(items: unknown = nothing) {
    const t = this.#i18n.t;
    return html`<div class="more" @focusout=${this.#menu.onFocusOut}>
      <button
        part="button more-toggle"
        class="button more-toggle"
        type="button"
        aria-haspopup="menu"
        aria-expanded=${this.menuOpen ? 'true' : 'false'}
        aria-controls="more-menu"
        title=${t.more}
        @click=${this.#menu.onToggleClick}
        @keydown=${this.#menu.onToggleKey}
      >
        ${moreIcon}<span class="more-label bar-label">${t.more}</span>
      </button>
      <div part="more-menu" class="more-menu" id="more-menu" role="menu" aria-label=${t.more} ?hidden=${!this.menuOpen} @keydown=${this.#menu.onMenuKey}>
        <button part="menu-item" class="menu-item" type="button" role="menuitem" tabindex="-1" @click=${() => void this.openStats()}>${t.callStatistics}</button>
        ${items}
      </div>
    </div>`;
  }

  /** The dialog (rendered empty until opened, so nothing samples for it while closed). */
  dialog() {
    const t = this.#i18n.t;
    return html`<dialog part="stats-dialog" class="stats-dialog" aria-label=${t.callStatistics} @close=${this.#onDialogClose}>
      ${
        this.dialogOpen
          ? html`<rtc-stats part="stats">
            <button slot="actions" part="button stats-close" class="button" type="button" @click=${() => this.closeStats()}>${t.close}</button>
          </rtc-stats>`
          : nothing
      }
    </dialog>`;
  }
}

export const statsMenuStyles = css`
  .more {
    position: relative;
    display: inline-flex;
  }
  .more-menu {
    position: absolute;
    bottom: calc(100% + var(--_space-xs));
    inset-inline-end: 0;
    z-index: 5;
    display: grid;
    min-width: max-content;
    padding: var(--_space-xs);
    border: 1px solid var(--_surface-raised);
    border-radius: calc(var(--_radius) * 0.5);
    background: var(--_surface);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.35);
  }
  .more-menu[hidden] {
    display: none;
  }
  .menu-item {
    min-height: 2.75rem;
    padding: var(--_space-s) var(--_space-m);
    border: 0;
    border-radius: calc(var(--_radius) * 0.4);
    background: transparent;
    color: var(--_text);
    font: inherit;
    text-align: start;
    cursor: pointer;
  }
  .menu-item:hover,
  .menu-item:focus-visible {
    background: var(--_surface-raised);
  }
  .stats-dialog {
    width: min(60rem, calc(100vw - 2rem));
    max-height: calc(100vh - 2rem);
    padding: 0;
    border: 0;
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_text);
    overflow: auto;
  }
  .stats-dialog::backdrop {
    background: rgb(0 0 0 / 0.6);
  }
  @media (forced-colors: active) {
    .more-menu,
    .stats-dialog {
      border: 1px solid CanvasText;
    }
  }
`;
