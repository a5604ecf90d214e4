/**
 * Draws the call onto a canvas for the recording: each participant's video where the room would
 * put it (src/core/recording/tile-grid.ts), a card with their initials while their camera is off,
 * their name, and a ring while they speak. The canvas is never attached to the page; its
 * `captureStream()` is the recording's video.
 */
import { placeImage, tileRects, type Rect } from './tile-grid.js';

/** What the compositor needs of a participant (a core Participant fits). */
export interface CompositorTile {
  id: string;
  name: string;
  stream: MediaStream | null;
  videoMuted: boolean;
  screenSharing: boolean;
  speaking?: boolean;
  audioMuted?: boolean;
}

export interface CompositorOptions {
  width: number;
  height: number;
  fps: number;
}

const BACKGROUND = '#0b1020';
const TILE = '#111827';
const CARD = '#1f2937';
const AVATAR = '#4f46e5';
const SPEAKING = '#22c55e';
const LABEL = 'rgba(0, 0, 0, 0.55)';
const TEXT = '#ffffff';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** A participant's picture: an off-page, muted <video> playing their stream. */
interface Feed {
  video: HTMLVideoElement;
  stream: MediaStream;
}

export class Compositor {
  readonly canvas: HTMLCanvasElement;
  /** The canvas as a video track (and nothing else). */
  readonly stream: MediaStream;
  readonly #ctx: CanvasRenderingContext2D;
  readonly #feeds = new Map<string, Feed>();

  constructor({ width, height, fps }: CompositorOptions) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    // alpha: false: an opaque canvas is cheaper to draw and to encode (no transparency to flatten).
    this.#ctx = this.canvas.getContext('2d', { alpha: false })!;
    this.#clear();
    this.stream = this.canvas.captureStream(fps);
  }

  /** Draw one frame: `tiles` in the room's order, `spotlight` (an id) large if given. */
  draw(tiles: readonly CompositorTile[], spotlight: string | null): void {
    this.#follow(tiles);
    this.#clear();
    const { width, height } = this.canvas;
    const gap = Math.round(Math.min(width, height) / 60);
    const index = spotlight === null ? null : tiles.findIndex((t) => t.id === spotlight);
    const rects = tileRects(tiles.length, width, height, gap, index !== null && index >= 0 ? index : null);
    tiles.forEach((tile, i) => this.#drawTile(tile, rects[i]!));
  }

  /** A frame with only words on it (e.g. the recorded participant left). */
  drawMessage(text: string): void {
    this.#follow([]);
    this.#clear();
    const ctx = this.#ctx;
    const { width, height } = this.canvas;
    ctx.fillStyle = TEXT;
    ctx.font = `${Math.round(height / 24)}px ${FONT}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, width / 2, height / 2, width * 0.9);
  }

  /** Stop the canvas track and release every participant's <video>. */
  close(): void {
    for (const t of this.stream.getTracks()) t.stop();
    for (const id of [...this.#feeds.keys()]) this.#drop(id);
  }

  #clear(): void {
    this.#ctx.fillStyle = BACKGROUND;
    this.#ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** One <video> per participant shown, following their stream; the others' are released. */
  #follow(tiles: readonly CompositorTile[]): void {
    const ids = new Set<string>();
    for (const t of tiles) {
      ids.add(t.id);
      const feed = this.#feeds.get(t.id);
      if (feed?.stream === t.stream) continue;
      if (feed) this.#drop(t.id);
      if (!t.stream) continue;
      const video = document.createElement('video');
      // Muted: the sound is mixed separately (and must not play twice); muted also lets it autoplay.
      video.muted = true;
      video.playsInline = true;
      video.srcObject = t.stream;
      void video.play().catch(() => undefined);
      this.#feeds.set(t.id, { video, stream: t.stream });
    }
    for (const id of [...this.#feeds.keys()]) if (!ids.has(id)) this.#drop(id);
  }

  #drop(id: string): void {
    const feed = this.#feeds.get(id);
    if (!feed) return;
    feed.video.pause();
    feed.video.srcObject = null;
    this.#feeds.delete(id);
  }

  #drawTile(tile: CompositorTile, r: Rect): void {
    const ctx = this.#ctx;
    const radius = Math.min(r.w, r.h) / 20;
    ctx.save();
    roundRect(ctx, r, radius);
    ctx.clip();
    ctx.fillStyle = TILE;
    ctx.fillRect(r.x, r.y, r.w, r.h);
    const video = this.#feeds.get(tile.id)?.video;
    const live = !!tile.stream?.getVideoTracks().some((t) => t.readyState === 'live');
    const showVideo = (!tile.videoMuted || tile.screenSharing) && live && !!video && video.readyState >= 2 && video.videoWidth > 0;
    if (showVideo) {
      // A camera covers its tile as in the room (cropped); a shared screen is shown whole.
      const p = placeImage(video.videoWidth, video.videoHeight, r, tile.screenSharing ? 'contain' : 'cover');
      ctx.drawImage(video, p.sx, p.sy, p.sw, p.sh, p.dx, p.dy, p.dw, p.dh);
    } else {
      this.#drawCard(tile, r);
    }
    this.#drawLabel(tile, r);
    ctx.restore();
    if (tile.speaking && !tile.audioMuted) {
      ctx.save();
      ctx.strokeStyle = SPEAKING;
      ctx.lineWidth = Math.max(2, Math.round(r.h / 60));
      roundRect(ctx, inset(r, ctx.lineWidth / 2), radius);
      ctx.stroke();
      ctx.restore();
    }
  }

  /** Camera off: their initials in a circle. */
  #drawCard(tile: CompositorTile, r: Rect): void {
    const ctx = this.#ctx;
    ctx.fillStyle = CARD;
    ctx.fillRect(r.x, r.y, r.w, r.h);
    const d = Math.min(r.w, r.h) * 0.4;
    ctx.fillStyle = AVATAR;
    ctx.beginPath();
    ctx.arc(r.x + r.w / 2, r.y + r.h / 2, d / 2, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = TEXT;
    ctx.font = `600 ${Math.round(d * 0.4)}px ${FONT}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(initials(tile.name), r.x + r.w / 2, r.y + r.h / 2, d * 0.9);
  }

  /** The name on a dark band at the bottom left, as on a tile; "(muted)" after it while muted. */
  #drawLabel(tile: CompositorTile, r: Rect): void {
    const ctx = this.#ctx;
    const size = Math.max(10, Math.round(Math.min(r.h / 14, 22)));
    const pad = Math.round(size / 2);
    ctx.font = `${size}px ${FONT}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    const text = tile.audioMuted ? `${tile.name} (muted)` : tile.name;
    const maxW = r.w - 4 * pad;
    const w = Math.min(ctx.measureText(text).width, maxW);
    const h = size + pad;
    const x = r.x + pad;
    const y = r.y + r.h - h - pad;
    ctx.fillStyle = LABEL;
    roundRect(ctx, { x, y, w: w + 2 * pad, h }, h / 4);
    ctx.fill();
    ctx.fillStyle = TEXT;
    ctx.fillText(text, x + pad, y + h / 2, maxW);
  }
}

function roundRect(ctx: CanvasRenderingContext2D, r: Rect, radius: number): void {
  ctx.beginPath();
  if (typeof ctx.roundRect === 'function') ctx.roundRect(r.x, r.y, r.w, r.h, radius);
  else ctx.rect(r.x, r.y, r.w, r.h);
}

function inset(r: Rect, by: number): Rect {
  return { x: r.x + by, y: r.y + by, w: r.w - 2 * by, h: r.h - 2 * by };
}

/** Up to two initials (the same rule as the tiles' placeholder). */
function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => Array.from(w)[0]!.toLocaleUpperCase())
      .join('') || '?'
  );
}
