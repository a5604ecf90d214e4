import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Participant } from '../../core/session.js';
import { computeLayout, prunePins, togglePin, type Layout, type LayoutMode } from '../../core/layout/layout.js';
import { arrangeStage, cornerRect, nearestCorner, type Corner, type Rect, type StageLayout } from '../../core/layout/grid-fit.js';
import { RtcLayoutChangeEvent, RtcPinChangeEvent } from '../../events/rtc-events.js';
import { pinIcon } from '../../internal/icons.js';
import { Localize } from '../../i18n/localize.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';

interface LayoutHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** The layout asked for. */
  layout: LayoutMode;
  /** The participant the user pinned. */
  pinned: string | null;
}

const GRID: Layout = { mode: 'grid', spotlight: null, reason: null, pinned: null };

/** The participant shares a screen beside the camera (an older peer's share replaces its camera: no tile of its own). */
const hasScreen = (p: Participant) => !!p.screenStream?.getVideoTracks().length;

/** A length token as read from a custom property ('180px', '12rem'); `fallback` when it is neither. */
function cssPixels(value: string, fallback: number): number {
  const m = /^\s*(-?[\d.]+)(px|rem|em)?\s*$/.exec(value);
  if (!m) return fallback;
  const n = parseFloat(m[1]!);
  return m[2] === 'rem' || m[2] === 'em' ? n * (parseFloat(getComputedStyle(document.documentElement).fontSize) || 16) : n;
}

/** A ratio token ('16 / 9', '1.5'); `fallback` when unreadable. */
function cssRatio(value: string, fallback: number): number {
  const [a, b = '1'] = value.split('/').map((x) => parseFloat(x));
  const r = a! / parseFloat(String(b));
  return Number.isFinite(r) && r > 0 ? r : fallback;
}

/** Below this width (in rem, as the room's CSS container query says) the room is a phone's. */
const COMPACT_REM = 40;

/**
 * rtc-room's side of the layout rules (src/core/layout): keeps the pins the user undid, works out
 * the layout on every update, renders the tiles with their Pin buttons, and turns changes into
 * rtc-layout-change / rtc-pin-change. It also measures the stage (a ResizeObserver) and places
 * every tile where arrangeStage() says, so that the tiles fill the room whatever its size and the
 * control bar below never moves; on a phone our own camera floats in a corner, dragged elsewhere
 * with a pointer.
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
  /** The stage as last measured (the grid's box), and what the room's CSS says about it. */
  #stage = { width: 0, height: 0, compact: false, gap: 0, aspect: 16 / 9, minTile: 160, stripTile: 180, rtl: false };
  #observer?: ResizeObserver;
  #observed?: Element;
  /** The page of tiles shown, when they do not all fit. */
  #page = 0;
  /** Where our floating camera sits on a phone. */
  #corner: Corner = 'bottom-right';
  /** The arrangement of the last render. */
  #arranged?: StageLayout;
  #drag?: { pointer: number; x: number; y: number; from: Rect; tile: HTMLElement; to: Rect };

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
    const tiles = participants.flatMap((p) =>
      hasScreen(p)
        ? [
            { p, screen: false },
            { p, screen: true },
          ]
        : [{ p, screen: false }],
    );
    const key = (t: { p: Participant; screen: boolean }) => `${t.p.isLocal ? 'local' : t.p.id}${t.screen ? ':screen' : ''}`;
    const s = this.#stage;
    const arranged = s.width > 0 && !this.audioOnly;
    const layout = (this.#arranged = arranged
      ? arrangeStage({
          width: s.width,
          height: s.height,
          gap: s.gap,
          aspect: s.aspect,
          compact: s.compact,
          minTileWidth: s.minTile,
          stripTileWidth: s.stripTile,
          page: this.#page,
          corner: this.#corner,
          tiles: tiles.map((t) => ({ key: key(t), local: t.p.isLocal, screen: t.screen, spotlight: this.#spotlit(t.p, t.screen) })),
        })
      : undefined);
    if (layout) this.#page = layout.page;
    return html`<div
      part="grid"
      class="grid"
      data-view="call"
      data-layout=${mode}
      data-count=${tiles.length}
      data-media=${this.audioOnly ? 'audio' : 'video'}
      data-strip=${layout?.strip ?? nothing}
      ?data-arranged=${arranged}
      ?data-compact=${s.compact}
    >
      ${repeat(tiles, key, (t) => this.#tile(t.p, participants, t.screen, layout, key(t)))} ${layout && layout.pages > 1 ? this.#pager(layout) : nothing}
    </div>`;
  }

  /** Is this tile the one shown large? */
  #spotlit(p: Participant, screen: boolean): boolean {
    const { mode, spotlight } = this.current;
    return mode === 'spotlight' && spotlight === p.id && screen === hasScreen(p);
  }

  /** Where a tile goes: its rectangle as custom properties (mirrored right to left); hidden on another page. */
  #place(layout: StageLayout | undefined, key: string): { style: string | typeof nothing; hidden: boolean } {
    if (!layout) return { style: nothing, hidden: false };
    const r = layout.rects.get(key);
    if (!r) return { style: nothing, hidden: true };
    const x = this.#stage.rtl && layout.floating !== key ? this.#stage.width - r.x - r.width : r.x;
    return { style: `--_x:${x}px;--_y:${r.y}px;--_w:${r.width}px;--_h:${r.height}px`, hidden: false };
  }

  /** Previous / next page of tiles, over the bottom of the stage. */
  #pager(layout: StageLayout) {
    const go = (page: number) => {
      this.#page = page;
      this.#host.requestUpdate();
    };
    const t = this.#i18n.t;
    // The arrows point the way the pages go: mirrored right to left.
    const [back, forward] = this.#stage.rtl ? ['›', '‹'] : ['‹', '›'];
    return html`<div class="pager" role="group" aria-label=${t.participantPages}>
      <button part="button page-button" class="button" type="button" ?disabled=${layout.page === 0} @click=${() => go(layout.page - 1)}>
        <span aria-hidden="true">${back}</span><span class="visually-hidden">${t.previousPage}</span>
      </button>
      <span class="page-number">${layout.page + 1} / ${layout.pages}</span>
      <button part="button page-button" class="button" type="button" ?disabled=${layout.page >= layout.pages - 1} @click=${() => go(layout.page + 1)}>
        <span aria-hidden="true">${forward}</span><span class="visually-hidden">${t.nextPage}</span>
      </button>
    </div>`;
  }

  /**
   * One tile: the camera's, or (`screen`) the shared screen's. The spotlight of a sharer is their
   * screen, their camera then sits in the strip; the Pin button goes on the screen's tile.
   */
  #tile(p: Participant, participants: readonly Participant[], screen: boolean, layout: StageLayout | undefined, key: string) {
    const { pinned } = this.current;
    const spotlit = this.#spotlit(p, screen);
    const { style, hidden } = this.#place(layout, key);
    const floating = layout?.floating === key;
    const cls = `${spotlit ? 'spotlit' : ''}${floating ? ' floating' : ''}`;
    const drag = floating ? this.#onDragStart : nothing;
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
        ? html`<rtc-video-tile part=${part} class=${cls} style=${style} ?hidden=${hidden} local source="screen" .participant=${p}>${pin}</rtc-video-tile>`
        : html`<rtc-video-tile part=${part} class=${cls} style=${style} ?hidden=${hidden} participant-id=${p.id} source="screen" .participant=${p}>${pin}</rtc-video-tile>`;
    return p.isLocal
      ? html`<rtc-video-tile part=${part} class=${cls} style=${style} ?hidden=${hidden} local ?audio-only=${this.audioOnly} .participant=${p} @pointerdown=${drag}
          >${pin}</rtc-video-tile
        >`
      : html`<rtc-video-tile part=${part} class=${cls} style=${style} ?hidden=${hidden} participant-id=${p.id} ?audio-only=${this.audioOnly} .participant=${p}
          >${pin}</rtc-video-tile
        >`;
  }

  /** Our floating camera follows the pointer, kept inside the stage; let go, it settles in the nearest corner. */
  #onDragStart = (e: PointerEvent): void => {
    const tile = e.currentTarget as HTMLElement;
    const layout = this.#arranged;
    const from = layout?.rects.get('local');
    if (!from || layout?.floating !== 'local' || e.button !== 0 || e.composedPath().some((n) => n instanceof HTMLButtonElement)) return;
    e.preventDefault();
    tile.setPointerCapture(e.pointerId);
    this.#drag = { pointer: e.pointerId, x: e.clientX, y: e.clientY, from, tile, to: from };
    tile.classList.add('dragging');
    tile.addEventListener('pointermove', this.#onDragMove);
    tile.addEventListener('pointerup', this.#onDragEnd);
    tile.addEventListener('pointercancel', this.#onDragEnd);
  };

  #onDragMove = (e: PointerEvent): void => {
    const d = this.#drag;
    if (!d || e.pointerId !== d.pointer) return;
    const { width, height } = this.#stage;
    const x = Math.min(Math.max(0, d.from.x + e.clientX - d.x), width - d.from.width);
    const y = Math.min(Math.max(0, d.from.y + e.clientY - d.y), height - d.from.height);
    d.to = { ...d.from, x, y };
    d.tile.style.setProperty('--_x', `${x}px`);
    d.tile.style.setProperty('--_y', `${y}px`);
  };

  #onDragEnd = (e: PointerEvent): void => {
    const d = this.#drag;
    if (!d || e.pointerId !== d.pointer) return;
    this.#drag = undefined;
    d.tile.classList.remove('dragging');
    d.tile.removeEventListener('pointermove', this.#onDragMove);
    d.tile.removeEventListener('pointerup', this.#onDragEnd);
    d.tile.removeEventListener('pointercancel', this.#onDragEnd);
    const stage = this.#stage;
    this.#corner = nearestCorner(stage, d.to);
    // Written here too: when the corner did not change, the render writes the same style as before (so lit skips it).
    const r = cornerRect(stage, d.from, this.#corner, Math.max(stage.gap, 8));
    d.tile.classList.add('snapping');
    setTimeout(() => d.tile.classList.remove('snapping'), 250);
    d.tile.style.setProperty('--_x', `${r.x}px`);
    d.tile.style.setProperty('--_y', `${r.y}px`);
    this.#host.requestUpdate();
  };

  /** After each render: measure the grid's box (again when it was re-rendered anew). */
  hostUpdated(): void {
    const grid = this.#host.renderRoot.querySelector('.grid');
    if (grid === this.#observed) {
      // Video tiles again after audio ones (the grid's size unchanged, so no new observation).
      if (grid && !this.audioOnly && !this.#stage.width) requestAnimationFrame(() => this.#measure());
      return;
    }
    this.#observer?.disconnect();
    this.#observed = grid ?? undefined;
    if (!grid) return;
    this.#observer ??= new ResizeObserver(() => this.#measure());
    this.#observer.observe(grid);
    // The room's box too: whether it is a phone's depends on its width, not the grid's.
    const base = grid.closest('.base');
    if (base) this.#observer.observe(base);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observed = undefined;
  }

  #measure(): void {
    const grid = this.#observed as HTMLElement | undefined;
    // Audio tiles flow in rows (their size makes the grid's): nothing to place.
    if (!grid?.isConnected || this.audioOnly) return;
    const cs = getComputedStyle(grid);
    const base = grid.closest('.base');
    const baseWidth = base
      ? base.getBoundingClientRect().width - parseFloat(getComputedStyle(base).paddingLeft) - parseFloat(getComputedStyle(base).paddingRight)
      : grid.clientWidth;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const next = {
      width: grid.clientWidth,
      height: grid.clientHeight,
      compact: baseWidth < COMPACT_REM * rem,
      gap: parseFloat(cs.columnGap) || 0,
      aspect: cssRatio(cs.getPropertyValue('--rtc-video-tile-aspect-ratio'), 16 / 9),
      minTile: cssPixels(cs.getPropertyValue('--_room-tile-min-width'), 160),
      stripTile: cssPixels(cs.getPropertyValue('--_room-strip-tile-width'), 180),
      rtl: cs.direction === 'rtl',
    };
    const s = this.#stage;
    if (Object.keys(next).every((k) => next[k as keyof typeof next] === s[k as keyof typeof s])) return;
    this.#stage = next;
    this.#host.requestUpdate();
  }

  /** Forget everything (a new session). */
  reset(): void {
    this.#dismissed = new Set();
    this.current = GRID;
    this.#told = GRID;
    this.#page = 0;
  }

  /** Fire the events for what changed since last told; from updated(), while the call is shown. */
  tell(): void {
    const now = this.current;
    const told = this.#told;
    this.#told = now;
    if (now.mode !== told.mode || now.spotlight !== told.spotlight) this.#host.dispatchEvent(new RtcLayoutChangeEvent(now.mode, now.spotlight));
    if (now.pinned !== told.pinned) this.#host.dispatchEvent(new RtcPinChangeEvent(now.pinned, now.pinned !== null && now.reason === 'screen-share'));
  }

  hostConnected(): void {
    this.#host.requestUpdate(); // measure the stage again (hostDisconnected let it go)
  }
}
