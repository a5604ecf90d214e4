import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Participant } from '../../core/session.js';
import { computeLayout, prunePins, togglePin, type Layout, type LayoutMode } from '../../core/layout/layout.js';
import { RtcLayoutChangeEvent, RtcPinChangeEvent } from '../../events/rtc-events.js';
import { pinIcon } from '../../internal/icons.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';

interface LayoutHost extends ReactiveControllerHost, HTMLElement {
  /** The layout asked for. */
  layout: LayoutMode;
  /** The participant the user pinned. */
  pinned: string | null;
}

const GRID: Layout = { mode: 'grid', spotlight: null, reason: null, pinned: null };

/** The participant shares a screen beside the camera (an older peer's share replaces its camera: no tile of its own). */
const hasScreen = (p: Participant) => !!p.screenStream?.getVideoTracks().length;

/**
 * rtc-room's side of the layout rules (src/core/layout): keeps the pins the user undid, works out
 * the layout on every update, renders the tiles with their Pin buttons, and turns changes into
 * rtc-layout-change / rtc-pin-change.
 */
export class RoomLayout implements ReactiveController {
  /** The layout of the current render. */
  current: Layout = GRID;
  /** An audio page (`media="audio"`): compact audio tiles for everyone, always a grid, no pins. */
  audioOnly = false;
  readonly #host: LayoutHost;
  #dismissed: ReadonlySet<string> = new Set();
  /** What the last events said, so each change is told once. */
  #told: Layout = GRID;
  readonly #i18n: Localize<Strings>;

  constructor(host: LayoutHost) {
    this.#host = host;
    this.#i18n = new Localize(host, en);
    host.addController(this);
  }

  /** Work out the layout; from willUpdate (it may clear the host's `pinned`, within the same update). */
  compute(participants: readonly Participant[], activeSpeaker: string | null): void {
    const host = this.#host;
    if (this.audioOnly) {
      this.current = GRID;
      return;
    }
    const pins = prunePins({ pinned: host.pinned, dismissed: this.#dismissed }, participants);
    if (pins.pinned !== host.pinned) host.pinned = pins.pinned;
    this.#dismissed = pins.dismissed;
    this.current = computeLayout({
      participants,
      requested: host.layout,
      pinned: pins.pinned,
      activeSpeaker,
      dismissed: pins.dismissed,
      previous: this.current.spotlight,
    });
  }

  /** The Pin button of `id`'s tile was pressed. */
  toggle(id: string, participants: readonly Participant[]): void {
    const next = togglePin({ pinned: this.#host.pinned, dismissed: this.#dismissed }, id, this.current.pinned, participants);
    this.#dismissed = next.dismissed;
    this.#host.pinned = next.pinned;
    this.#host.requestUpdate(); // undoing a share pin changes no property
  }

  /**
   * The tiles, in the participants' order also in the spotlight layout: CSS moves the spotlight
   * first. Moving it in the DOM would drop its Pin button's focus and restart its video, and the
   * Tab and reading order stays that of the People list.
   */
  render(participants: readonly Participant[]) {
    const { mode } = this.current;
    // A shared screen is a tile of its own, right after its sharer's camera (P2P 1.6).
    const tiles = participants.flatMap((p) => (hasScreen(p) ? [{ p, screen: false }, { p, screen: true }] : [{ p, screen: false }]));
    return html`<div part="grid" class="grid" data-view="call" data-layout=${mode} data-count=${tiles.length} data-media=${this.audioOnly ? 'audio' : 'video'}>
      ${repeat(
        tiles,
        (t) => `${t.p.isLocal ? 'local' : t.p.id}${t.screen ? ':screen' : ''}`,
        (t) => this.#tile(t.p, participants, t.screen),
      )}
    </div>`;
  }

  /**
   * One tile: the camera's, or (`screen`) the shared screen's. The spotlight of a sharer is their
   * screen, their camera then sits in the strip; the Pin button goes on the screen's tile.
   */
  #tile(p: Participant, participants: readonly Participant[], screen = false) {
    const { mode, spotlight, pinned } = this.current;
    const spotlit = mode === 'spotlight' && spotlight === p.id && screen === hasScreen(p);
    // A toggle keeps its name ("Pin Bob") and says its state with aria-pressed, like the mic and
    // camera buttons; only the tooltip says what a click will do.
    const t = this.#i18n.t;
    const name = t.pin(p.name);
    const action = pinned === p.id ? t.unpin(p.name) : name;
    // Slotted into the tile: pinning is the room's business, the tile only shows one participant.
    const pin =
      participants.length > 1 && !this.audioOnly && screen === hasScreen(p)
        ? html`<button
            slot="controls"
            part="button pin-button"
            class="button pin"
            type="button"
            aria-pressed=${pinned === p.id ? 'true' : 'false'}
            title=${action}
            @click=${() => this.toggle(p.id, participants)}
          >
            ${pinIcon}<span class="visually-hidden">${name}</span>
          </button>`
        : nothing;
    const part = `${spotlit ? 'tile spotlight' : 'tile'}${screen ? ' screen-tile' : ''}`;
    // Each tile is handed its record (the session keeps an unchanged participant's record the same
    // object): a change to one participant re-renders that tile only. The attributes stay for
    // styling and for finding a participant's tile.
    if (screen)
      return p.isLocal
        ? html`<rtc-video-tile part=${part} class=${spotlit ? 'spotlit' : ''} local source="screen" .participant=${p}>${pin}</rtc-video-tile>`
        : html`<rtc-video-tile part=${part} class=${spotlit ? 'spotlit' : ''} participant-id=${p.id} source="screen" .participant=${p}>${pin}</rtc-video-tile>`;
    return p.isLocal
      ? html`<rtc-video-tile part=${part} class=${spotlit ? 'spotlit' : ''} local ?audio-only=${this.audioOnly} .participant=${p}>${pin}</rtc-video-tile>`
      : html`<rtc-video-tile part=${part} class=${spotlit ? 'spotlit' : ''} participant-id=${p.id} ?audio-only=${this.audioOnly} .participant=${p}>${pin}</rtc-video-tile>`;
  }

  /** Forget everything (a new session). */
  reset(): void {
    this.#dismissed = new Set();
    this.current = GRID;
    this.#told = GRID;
  }

  /** Fire the events for what changed since last told; from updated(), while the call is shown. */
  tell(): void {
    const now = this.current;
    const told = this.#told;
    this.#told = now;
    if (now.mode !== told.mode || now.spotlight !== told.spotlight) this.#host.dispatchEvent(new RtcLayoutChangeEvent(now.mode, now.spotlight));
    if (now.pinned !== told.pinned) this.#host.dispatchEvent(new RtcPinChangeEvent(now.pinned, now.pinned !== null && now.reason === 'screen-share'));
  }

  hostConnected(): void {}
}
