import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Participant, RtcSession } from '../../core/session.js';
import type { Reaction } from '../../core/reactions/reactions.js';
import { handIcon } from './icons.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';

/** How long a reaction floats over a tile (ms); the CSS animation lasts as long. */
export const REACTION_SHOW_MS = 3000;
/** Most reactions floating over one tile at once (older ones go first). */
const MAX_FLOATING = 8;

/**
 * What a tile shows of reactions and hands: each reaction of its participant floats up over the
 * tile for 3 s (standing still with `prefers-reduced-motion`), and a raised hand shows as a badge
 * with the place in the queue. Decorative for screen readers: `<rtc-room>`'s announcer says
 * "Bob reacted 👏", and the badge is labelled.
 */
export class ReactionOverlay implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #who: () => string | undefined;
  #floating: { key: number; emoji: Reaction; x: number }[] = [];
  #next = 0;
  #off?: () => void;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #session?: RtcSession;
  #connected = false;
  readonly #i18n: Localize<Strings>;

  /** `who`: the id of the participant the tile shows now. */
  constructor(host: ReactiveControllerHost, who: () => string | undefined) {
    this.#host = host;
    this.#who = who;
    this.#i18n = new Localize(host as ReactiveControllerHost & Element, en);
    host.addController(this);
  }

  attach(session: RtcSession | undefined): void {
    this.#session = session;
    this.#listen();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#listen();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#off?.();
    this.#off = undefined;
    this.#clear();
  }

  #listen(): void {
    this.#off?.();
    this.#off = undefined;
    this.#clear();
    // Only while connected: a removed tile must not stay referenced by the session.
    // (A stand-in session made for a test may have no events.)
    if (!this.#connected || typeof this.#session?.on !== 'function') return;
    this.#off = this.#session.on('reaction', ({ from, emoji }) => {
      if (from !== this.#who()) return;
      const key = this.#next++;
      // A little sideways spread, so two in a row do not hide each other.
      const x = 20 + ((key * 37) % 60);
      this.#floating = [...this.#floating, { key, emoji, x }].slice(-MAX_FLOATING);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#floating = this.#floating.filter((f) => f.key !== key);
        this.#host.requestUpdate();
      }, REACTION_SHOW_MS);
      this.#timers.add(timer);
      this.#host.requestUpdate();
    });
  }

  #clear(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    if (this.#floating.length) {
      this.#floating = [];
      this.#host.requestUpdate();
    }
  }

  /** Emoji shown now over the tile, oldest first (tests, custom renderers). */
  get shown(): readonly Reaction[] {
    return this.#floating.map((f) => f.emoji);
  }

  render(p: Participant) {
    const position = p.handPosition ?? 0;
    const t = this.#i18n.t;
    return html`${
      p.handRaised
        ? html`<span part="hand-indicator" class="hand-badge" role="img" aria-label=${position ? t.handRaisedAt(position) : t.handRaised} title=${t.handRaised}
            >${handIcon}${position ? html`<span aria-hidden="true">${this.#i18n.number(position)}</span>` : nothing}</span
          >`
        : nothing
    }
      <div part="reactions" class="reactions" aria-hidden="true">
        ${repeat(
          this.#floating,
          (f) => f.key,
          (f) => html`<span part="reaction" class="reaction" style="left: ${f.x}%">${f.emoji}</span>`,
        )}
      </div>`;
  }
}

export const reactionOverlayStyles = css`
  :host {
    --_hand-color: var(--rtc-video-tile-hand-color, #f59e0b);
    --_hand-text: var(--rtc-video-tile-hand-text-color, #111827);
  }
  .hand-badge {
    position: absolute;
    top: var(--_space-s);
    inset-inline-start: var(--_space-s);
    z-index: 2;
    display: inline-flex;
    align-items: center;
    gap: 0.2em;
    padding: 0.15em 0.5em;
    border-radius: 999px;
    background: var(--_hand-color);
    color: var(--_hand-text);
    font-weight: 700;
    line-height: 1.4;
  }
  .hand-badge svg {
    width: 1.1em;
    height: 1.1em;
  }
  .reactions {
    position: absolute;
    inset: 0;
    overflow: hidden;
    pointer-events: none;
  }
  .reaction {
    position: absolute;
    bottom: 15%;
    font-size: clamp(1.75rem, 12cqmin, 3.5rem);
    line-height: 1;
    transform: translateX(-50%);
    animation: rtc-reaction-float 3s ease-out forwards;
    text-shadow: 0 1px 4px rgb(0 0 0 / 0.5);
  }
  @keyframes rtc-reaction-float {
    0% {
      opacity: 0;
      transform: translate(-50%, 20%) scale(0.6);
    }
    12% {
      opacity: 1;
      transform: translate(-50%, 0) scale(1.1);
    }
    80% {
      opacity: 1;
    }
    100% {
      opacity: 0;
      transform: translate(-50%, -220%) scale(1);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .reaction {
      bottom: 40%;
      animation: none;
    }
  }
  @media (forced-colors: active) {
    .hand-badge {
      border: 1px solid CanvasText;
    }
  }
`;
