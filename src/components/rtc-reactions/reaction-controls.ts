import { css, html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { RtcSession } from '../../core/session.js';
import type { RaisedHand } from '../../core/reactions/hands.js';
import { REACTIONS, type Reaction } from '../../core/reactions/reactions.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';
import { StoreController } from '../../controllers/store-controller.js';
import { MenuButton } from '../../controllers/menu-button.js';
import { handIcon, reactIcon } from './icons.js';

interface ControlsHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * `<rtc-room>`'s Reactions button (a menu button: the emoji picker, WAI-ARIA menu pattern:
 * Enter, Space or ↓ open it on its first item, ←/→/↑/↓/Home/End move, Escape and Tab close it,
 * a pick closes it and returns focus to the button) and its Raise hand toggle (`aria-pressed`).
 * The picker pops up over the tiles: the control bar never moves.
 */
export class ReactionControls implements ReactiveController {
  readonly #menu: MenuButton;
  readonly #hands: StoreController<RaisedHand[]>;
  readonly #i18n: Localize<Strings>;
  #session?: RtcSession;

  constructor(host: ControlsHost) {
    this.#menu = new MenuButton(host, { wrap: '.reactions', toggle: '.reactions-toggle', items: '#reactions-menu [role=menuitem]' });
    this.#hands = new StoreController<RaisedHand[]>(host);
    this.#i18n = new Localize(host, en);
    host.addController(this);
  }

  get menuOpen(): boolean {
    return this.#menu.open;
  }

  attach(session: RtcSession | undefined): void {
    this.#session = session;
    this.#menu.close(false);
    this.#hands.attach(session?.hands);
  }

  hostConnected(): void {}

  get #raised(): boolean {
    const s = this.#session;
    return !!s && (this.#hands.value ?? []).some((h) => h.id === s.localId);
  }

  #pick(emoji: Reaction): void {
    this.#menu.close(true);
    this.#session?.react(emoji);
  }

  #onHand = () => {
    const s = this.#session;
    if (!s) return;
    if (this.#raised) s.lowerHand();
    else s.raiseHand();
  };

  /** The Reactions button and its picker, for the control bar. */
  reactButton() {
    const t = this.#i18n.t;
    return html`<div class="reactions" @focusout=${this.#menu.onFocusOut}>
      <button
        part="button reactions-toggle"
        class="button reactions-toggle"
        type="button"
        aria-haspopup="menu"
        aria-expanded=${this.menuOpen ? 'true' : 'false'}
        aria-controls="reactions-menu"
        title=${t.reactions}
        @click=${this.#menu.onToggleClick}
        @keydown=${this.#menu.onToggleKey}
      >
        ${reactIcon}<span class="bar-label">${t.react}</span>
      </button>
      <div part="reactions-menu" class="reactions-menu" id="reactions-menu" role="menu" aria-label=${t.reactions} aria-orientation="horizontal" ?hidden=${!this.menuOpen} @keydown=${this.#menu.onMenuKey}>
        ${REACTIONS.map(
          (emoji) => html`<button
            part="reaction"
            class="reaction"
            type="button"
            role="menuitem"
            tabindex="-1"
            data-emoji=${emoji}
            aria-label=${t.reactionNames[emoji]}
            title=${t.reactionNames[emoji]}
            @click=${() => this.#pick(emoji)}
          >
            <span aria-hidden="true">${emoji}</span>
          </button>`,
        )}
      </div>
    </div>`;
  }

  /** The Raise hand toggle, for the control bar (its name stays; `aria-pressed` says whether it is up). */
  handButton() {
    const raised = this.#raised;
    const t = this.#i18n.t;
    return html`<button
      part="button hand-toggle"
      class="button hand-toggle"
      type="button"
      aria-pressed=${raised ? 'true' : 'false'}
      title=${raised ? t.lowerYourHand : t.raiseYourHand}
      @click=${this.#onHand}
    >
      ${handIcon}<span class="bar-label">${t.raiseHand}</span>
    </button>`;
  }
}

export const reactionControlsStyles = css`
  .reactions {
    position: relative;
    display: inline-flex;
  }
  .hand-toggle[aria-pressed='true'] {
    background: var(--rtc-room-hand-color, #f59e0b);
    color: #111827;
  }
  .reactions-menu {
    position: absolute;
    bottom: calc(100% + var(--_space-xs));
    left: 50%;
    transform: translateX(-50%);
    z-index: 5;
    display: flex;
    gap: var(--_space-xs);
    padding: var(--_space-xs);
    border: 1px solid var(--_surface-raised);
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_surface);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.35);
  }
  .reactions-menu[hidden] {
    display: none;
  }
  .reaction {
    display: grid;
    place-items: center;
    width: 2.75rem;
    height: 2.75rem;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    font-size: 1.5rem;
    line-height: 1;
    cursor: pointer;
  }
  .reaction:hover,
  .reaction:focus-visible {
    background: var(--_surface-raised);
  }
  /* On a phone the picker is a 3 × 2 grid, so it fits above the button. (The buttons' names hide
     with the bar's other secondary names: rtc-room.styles.ts.) */
  @media (max-width: 30rem) {
    .reactions-menu {
      display: grid;
      grid-template-columns: repeat(3, 2.75rem);
    }
  }
  @media (forced-colors: active) {
    .reactions-menu {
      border: 1px solid CanvasText;
    }
  }
`;
