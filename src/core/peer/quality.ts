/**
 * Receiver-driven video quality in the mesh (docs/protocol.md §10, `view`). Each receiver tells
 * each sender how large it shows that sender's video and which share of its download budget the
 * feed gets; each sender fits that link's encoding to it with `RTCRtpSender.setParameters` (no
 * renegotiation), within its own upload budget, and backs off when the browser reports that the
 * CPU or the network limits it. Audio is never constrained and asks for high priority.
 *
 * The rules are pure functions (`splitDownload`, `encodingFor`, `adapt`), tested without a
 * browser; `QualityController` applies them to the links of a session.
 */
import type { ViewMessage } from './control.js';

export interface QualityOptions {
  /** Video download budget of this receiver, split across the feeds it shows (bits/s). */
  downloadBudget?: number;
  /** Video upload budget of this sender, split evenly across its links (bits/s). */
  uploadBudget?: number;
  /** Step down under CPU or bandwidth limitation (`qualityLimitationReason`); default true. */
  adapt?: boolean;
}

export const QUALITY_DEFAULTS = {
  downloadBudget: 2_500_000,
  uploadBudget: 3_000_000,
} as const;

/** Every visible feed gets at least this much of the download budget (if the budget allows). */
export const FEED_FLOOR_BPS = 150_000;
/** No link is ever capped below this (a video that still moves). */
export const MIN_BITRATE_BPS = 50_000;
/**
 * Bits per pixel per frame the size cap allows: 320×180@15 ≈ 130 kbit/s, 640×360@30 ≈ 1 Mbit/s.
 * Less starves small pictures: the encoder then shrinks them below the tile on its own.
 */
export const BITS_PER_PIXEL = 0.15;
/** Chromium says `bandwidth` when any bitrate limit holds the encoder: one within this share of our own cap is ours. */
export const OWN_CAP_SHARE = 0.9;
/** Shown this small (device pixels of height) or smaller, a feed is a thumbnail: 15 fps. */
export const THUMBNAIL_HEIGHT = 240;
export const THUMBNAIL_FPS = 15;
export const FULL_FPS = 30;
/** Never sent smaller than this height (unless captured smaller). */
export const MIN_SENT_HEIGHT = 90;
/** Each step down under CPU or bandwidth limitation divides the resolution by this. */
export const ADAPT_SCALE_STEP = 1.5;
/** Resolution steps before the frame rate is lowered. */
export const MAX_RESOLUTION_STEPS = 2;
/** Frame rate steps (each halves it) after the resolution steps. */
export const MAX_FPS_STEPS = 1;
/** Limited this many stats polls in a row (2 s apart; a starting call is briefly "bandwidth" limited): one step down. */
export const LIMITED_POLLS_TO_DROP = 3;
/** Unlimited this many polls in a row: one step back up (slow: 10 s). */
export const CLEAR_POLLS_TO_RECOVER = 5;
export const STATS_POLL_MS = 2000;
/** A view change is sent after this long without another change. */
export const VIEW_DEBOUNCE_MS = 300;
/** `view` messages taken from one peer per second; more are dropped. */
export const VIEWS_PER_SECOND = 10;

export interface Size {
  width: number;
  height: number;
}

/** Split `budget` across feeds by shown pixel area, each visible one getting at least `floor` (or an equal share if the floors do not fit). */
export function splitDownload(views: ReadonlyMap<string, Size>, budget: number, floor = FEED_FLOOR_BPS): Map<string, number> {
  const out = new Map<string, number>();
  const visible = [...views].filter(([, v]) => v.width > 0 && v.height > 0);
  for (const [id] of views) out.set(id, 0);
  if (!visible.length) return out;
  const n = visible.length;
  const f = Math.min(floor, budget / n);
  const rest = budget - f * n;
  const total = visible.reduce((sum, [, v]) => sum + v.width * v.height, 0);
  for (const [id, v] of visible) out.set(id, Math.floor(f + (rest * v.width * v.height) / total));
  return out;
}

/** How far the browser's reports made us back off on one link. */
export interface AdaptState {
  /** Resolution steps down (0..MAX_RESOLUTION_STEPS). */
  resolution: number;
  /** Frame rate steps down (0..MAX_FPS_STEPS), only once the resolution steps are used up. */
  fps: number;
  /** Consecutive polls limited / not limited. */
  limited: number;
  clear: number;
}

export const NO_ADAPTATION: AdaptState = { resolution: 0, fps: 0, limited: 0, clear: 0 };

/**
 * One stats poll's `qualityLimitationReason` ('cpu', 'bandwidth', 'other', 'none', or undefined
 * where the browser does not say): step down after LIMITED_POLLS_TO_DROP limited polls, resolution
 * first, then frame rate; step back up after CLEAR_POLLS_TO_RECOVER clear ones, frame rate first.
 */
export function adapt(state: AdaptState, reason: string | undefined): AdaptState {
  if (reason === 'cpu' || reason === 'bandwidth') {
    const limited = state.limited + 1;
    if (limited < LIMITED_POLLS_TO_DROP) return { ...state, limited, clear: 0 };
    if (state.resolution < MAX_RESOLUTION_STEPS) return { ...state, resolution: state.resolution + 1, limited: 0, clear: 0 };
    if (state.fps < MAX_FPS_STEPS) return { ...state, fps: state.fps + 1, limited: 0, clear: 0 };
    return { ...state, limited: 0, clear: 0 };
  }
  if (reason === undefined) return state;
  const clear = state.clear + 1;
  if (clear < CLEAR_POLLS_TO_RECOVER) return { ...state, clear, limited: 0 };
  if (state.fps > 0) return { ...state, fps: state.fps - 1, clear: 0, limited: 0 };
  if (state.resolution > 0) return { ...state, resolution: state.resolution - 1, clear: 0, limited: 0 };
  return { ...state, clear: 0, limited: 0 };
}

/**
 * The limitation that tells about the network or the machine: `bandwidth` while the encoder's
 * target sits at our own `maxBitrate` is the cap we set (the receiver's share, the tile's size),
 * not a congested path, and must not make us step down further.
 */
export function outsideLimit(reason: string | undefined, targetBitrate: number | undefined, ownCap: number | undefined): string | undefined {
  if (reason !== 'bandwidth' || !ownCap || targetBitrate === undefined) return reason;
  return targetBitrate >= ownCap * OWN_CAP_SHARE ? 'none' : reason;
}

/** The frame rate a receiver can expect of a feed it shows at `view` (thumbnails are sent slower). */
export function expectedFps(view: Pick<ViewMessage, 'height' | 'fps'> | undefined): number {
  const fps = view && view.height > 0 && view.height <= THUMBNAIL_HEIGHT ? THUMBNAIL_FPS : FULL_FPS;
  return Math.min(fps, view?.fps ?? fps);
}

export interface EncodingInput {
  /** The captured size (track settings); null when unknown (no track). */
  capture: Size | null;
  /** What the receiver asked for; undefined when it never sent a `view` (older peer, no tile). */
  view?: Pick<ViewMessage, 'width' | 'height' | 'fps' | 'maxBitrate'>;
  /** This link's share of our upload budget (bits/s). */
  uploadShare: number;
  adaptation?: AdaptState;
}

export interface VideoEncoding {
  active: boolean;
  scaleResolutionDownBy: number;
  maxBitrate: number;
  maxFramerate: number;
}

/**
 * The video encoding for one link. Sent size ≈ shown size (never upscaled): the video fills its
 * tile (object-fit: cover), so the scale keeps both sides at least as large as the tile's; then
 * each adaptation step divides by ADAPT_SCALE_STEP, never below MIN_SENT_HEIGHT. Frame rate: 15
 * for a thumbnail (shown ≤ 240 device px high), else 30, at most the receiver's `fps`, halved per
 * frame rate step. Bitrate: the least of the receiver's share, our upload share and what the sent
 * size needs (BITS_PER_PIXEL), never below MIN_BITRATE_BPS. Hidden (0 × 0): inactive.
 */
export function encodingFor({ capture, view, uploadShare, adaptation = NO_ADAPTATION }: EncodingInput): VideoEncoding {
  const hidden = !!view && (view.width <= 0 || view.height <= 0);
  let scale = 1;
  if (capture && capture.width > 0 && capture.height > 0) {
    if (view && !hidden) scale = Math.min(capture.width / view.width, capture.height / view.height);
    scale = Math.max(1, scale) * ADAPT_SCALE_STEP ** adaptation.resolution;
    const floorScale = Math.max(1, capture.height / MIN_SENT_HEIGHT);
    scale = Math.min(scale, floorScale);
    scale = Math.max(1, Math.round(scale * 100) / 100);
  }
  const thumbnail = !!view && !hidden && view.height <= THUMBNAIL_HEIGHT;
  let fps = thumbnail ? THUMBNAIL_FPS : FULL_FPS;
  if (view?.fps) fps = Math.min(fps, view.fps);
  fps = Math.max(1, Math.round(fps / 2 ** adaptation.fps));
  let bitrate = uploadShare;
  if (view?.maxBitrate !== undefined && !hidden) bitrate = Math.min(bitrate, view.maxBitrate);
  if (capture && capture.width > 0 && view && !hidden) {
    const sent = (capture.width / scale) * (capture.height / scale);
    bitrate = Math.min(bitrate, sent * fps * BITS_PER_PIXEL);
  }
  bitrate = Math.round(Math.max(MIN_BITRATE_BPS, bitrate));
  return { active: !hidden, scaleResolutionDownBy: scale, maxBitrate: bitrate, maxFramerate: fps };
}

/** While we share the screen, its share of each link's upload (the camera keeps the rest and follows `view`). */
export const SCREEN_UPLOAD_SHARE = 2 / 3;
/** A shared screen is mostly still: 15 fps at full resolution reads better than 30 blurred. */
export const SCREEN_FPS = 15;

/**
 * The shared screen's encoding on one link: never scaled down (text must stay readable), its
 * share of the link's upload. The screen is not fitted to `view` (that describes the camera).
 */
export function screenEncodingFor(linkShare: number): VideoEncoding {
  return {
    active: true,
    scaleResolutionDownBy: 1,
    maxBitrate: Math.round(Math.max(MIN_BITRATE_BPS, linkShare * SCREEN_UPLOAD_SHARE)),
    maxFramerate: SCREEN_FPS,
  };
}

/** A view's message, or undefined when it equals `last` (nothing to send). */
export function viewChanged(next: ViewMessage, last: ViewMessage | undefined): boolean {
  return !last || last.width !== next.width || last.height !== next.height || last.fps !== next.fps || last.maxBitrate !== next.maxBitrate;
}

/** Largest by area (several tiles show one participant: the spotlight and the strip). */
export function largest(sizes: Iterable<Size>): Size | undefined {
  let best: Size | undefined;
  for (const s of sizes) if (!best || s.width * s.height > best.width * best.height) best = s;
  return best;
}

// ---------------------------------------------------------------------------------------------
// Applying the rules to a session's links.

/** What the controller needs of one link (a PeerLink). */
export interface QualityLink {
  readonly pc: RTCPeerConnection;
  readonly closed: boolean;
  sender(kind: 'audio' | 'video'): RTCRtpSender | undefined;
  /** The shared screen's sender of a kind (P2P 1.6), if one was ever made; it carries a track while we share. */
  screenSender?(kind: 'audio' | 'video'): RTCRtpSender | undefined;
  /** Send a `view` on the control channel; false when it is not open. */
  sendView(view: ViewMessage): boolean;
}

export interface QualityHost {
  links(): Iterable<[string, QualityLink]>;
  link(id: string): QualityLink | undefined;
  /** The video track we send now (its settings give the capture size). */
  videoTrack(): MediaStreamTrack | null;
  /** A cap of its own on one link's upload (bits/s; a broadcast's per-viewer bitrate, src/core/broadcast); undefined: none. */
  linkCap?(id: string): number | undefined;
}

interface SendSide {
  view?: ViewMessage;
  adaptation: AdaptState;
  /** JSON of the encoding last applied, to skip needless setParameters. */
  applied?: string;
  /** Its maxBitrate: our own cap, known without getParameters() (which blocks Chromium's main thread). */
  maxBitrate?: number;
  /** The same for the screen's sender (with the track it was applied to: a new share is a new track). */
  screenApplied?: string;
  applying?: Promise<void>;
  again?: boolean;
  audioDone?: boolean;
  /** Rate limit of incoming views. */
  second: number;
  count: number;
}

interface ReceiveSide {
  /** Each tile (or other source) showing this peer, with its size. */
  sources: Map<unknown, Size>;
  /** A source ever reported: when the last one goes, the feed is hidden (not "no preference"). */
  shown: boolean;
  sent?: ViewMessage;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Per session: collects the local views of each remote (tiles report their sizes), sends them as
 * `view` messages (debounced, only on change), and applies the remote views it receives to the
 * video sender of each link. Polls outbound-rtp stats for `qualityLimitationReason`.
 */
export class QualityController {
  readonly #host: QualityHost;
  readonly #download: number;
  readonly #upload: number;
  readonly #adapt: boolean;
  readonly #send = new Map<string, SendSide>();
  readonly #receive = new Map<string, ReceiveSide>();
  #poll?: ReturnType<typeof setInterval>;
  #disposed = false;

  constructor(host: QualityHost, options: QualityOptions = {}) {
    this.#host = host;
    this.#download = options.downloadBudget ?? QUALITY_DEFAULTS.downloadBudget;
    this.#upload = options.uploadBudget ?? QUALITY_DEFAULTS.uploadBudget;
    this.#adapt = options.adapt ?? true;
  }

  /** A tile (`source`) shows `peerId` at `size` device pixels (0 × 0: hidden), or no longer shows it (null). */
  setView(peerId: string, size: Size | null, source: unknown = 'default'): void {
    let r = this.#receive.get(peerId);
    if (!r) {
      if (!size) return;
      r = { sources: new Map(), shown: false };
      this.#receive.set(peerId, r);
    }
    if (size) {
      r.sources.set(source, { width: Math.max(0, Math.round(size.width)), height: Math.max(0, Math.round(size.height)) });
      r.shown = true;
    } else r.sources.delete(source);
    // The share of every feed depends on every other's size: all views are looked at again.
    for (const id of this.#receive.keys()) this.#schedule(id);
  }

  /** The views this receiver would send now, per peer (for diagnostics and tests). */
  views(): Map<string, ViewMessage> {
    const sizes = new Map<string, Size>();
    for (const [id, r] of this.#receive) {
      // Only peers we have a link to: a tile of someone who just left may still report a size.
      if (!r.shown || !this.#host.link(id)) continue;
      sizes.set(id, largest(r.sources.values()) ?? { width: 0, height: 0 });
    }
    const shares = splitDownload(sizes, this.#download);
    const out = new Map<string, ViewMessage>();
    for (const [id, s] of sizes) {
      const view: ViewMessage = { type: 'view', width: s.width, height: s.height };
      if (s.width > 0 && s.height > 0) view.maxBitrate = shares.get(id)!;
      out.set(id, view);
    }
    return out;
  }

  /** The video bitrate cap applied on the link to `peerId` (undefined: none yet). */
  videoCap(peerId: string): number | undefined {
    return this.#send.get(peerId)?.maxBitrate;
  }

  /** The view a peer asked of us, and the encoding we applied for it (diagnostics, tests). */
  sendState(peerId: string): { view?: ViewMessage; adaptation: AdaptState; applied?: VideoEncoding } | undefined {
    const s = this.#send.get(peerId);
    return s && { view: s.view, adaptation: s.adaptation, applied: s.applied ? (JSON.parse(s.applied) as VideoEncoding) : undefined };
  }

  /** A `view` from `peerId` (already validated); dropped beyond VIEWS_PER_SECOND. */
  remoteView(peerId: string, view: ViewMessage): void {
    const s = this.#sendSide(peerId);
    const second = Math.floor(performance.now() / 1000);
    if (second !== s.second) {
      s.second = second;
      s.count = 0;
    }
    if (++s.count > VIEWS_PER_SECOND) return;
    s.view = view;
    this.#apply(peerId);
  }

  /** A link's control channel opened (new or rebuilt link): it has none of our views yet. */
  controlOpened(peerId: string): void {
    const r = this.#receive.get(peerId);
    if (r) {
      r.sent = undefined;
      this.#schedule(peerId, 0);
    }
    const s = this.#send.get(peerId);
    if (s) {
      // A new connection has new senders: apply again.
      s.applied = undefined;
      s.maxBitrate = undefined;
      s.screenApplied = undefined;
      s.audioDone = false;
    }
    this.#apply(peerId);
  }

  /** Links came or went (the upload share changes), or a link connected: apply everywhere. */
  refresh(): void {
    if (this.#disposed) return;
    const ids = new Set<string>();
    for (const [id] of this.#host.links()) {
      ids.add(id);
      this.#apply(id);
    }
    for (const id of [...this.#send.keys()]) if (!ids.has(id)) this.#send.delete(id);
    if (ids.size && this.#adapt && !this.#poll) this.#poll = setInterval(() => void this.#pollStats(), STATS_POLL_MS);
    if (!ids.size) this.#stopPolling();
  }

  /** The peer left: forget what it asked of us and how we showed it (a peer that comes back is shown anew). */
  forget(peerId: string): void {
    this.#send.delete(peerId);
    const r = this.#receive.get(peerId);
    if (r) {
      clearTimeout(r.timer);
      this.#receive.delete(peerId);
    }
  }

  dispose(): void {
    this.#disposed = true;
    this.#stopPolling();
    for (const r of this.#receive.values()) clearTimeout(r.timer);
    this.#send.clear();
  }

  #stopPolling(): void {
    clearInterval(this.#poll);
    this.#poll = undefined;
  }

  #sendSide(id: string): SendSide {
    let s = this.#send.get(id);
    if (!s) this.#send.set(id, (s = { adaptation: NO_ADAPTATION, second: 0, count: 0 }));
    return s;
  }

  #schedule(peerId: string, delay = VIEW_DEBOUNCE_MS): void {
    const r = this.#receive.get(peerId);
    if (!r || this.#disposed) return;
    clearTimeout(r.timer);
    r.timer = setTimeout(() => {
      r.timer = undefined;
      const view = this.views().get(peerId);
      const link = this.#host.link(peerId);
      if (!view || !link || link.closed || !viewChanged(view, r.sent)) return;
      if (link.sendView(view)) r.sent = view;
    }, delay);
  }

  #apply(peerId: string): void {
    if (this.#disposed) return;
    const s = this.#sendSide(peerId);
    if (s.applying) {
      s.again = true;
      return;
    }
    s.applying = this.#applyNow(peerId, s)
      .catch(() => undefined) // a closing link, or a browser refusing a value: today's behaviour stays
      .finally(() => {
        s.applying = undefined;
        if (s.again) {
          s.again = false;
          this.#apply(peerId);
        }
      });
  }

  async #applyNow(peerId: string, s: SendSide): Promise<void> {
    const link = this.#host.link(peerId);
    if (!link || link.closed) return;
    const count = [...this.#host.links()].length || 1;
    const track = this.#host.videoTrack();
    const settings = track?.getSettings();
    const capture = settings?.width && settings.height ? { width: settings.width, height: settings.height } : null;
    // The even split of the budget, within the link's own cap (a presenter's per-viewer bitrate).
    const share = Math.min(this.#upload / count, this.#host.linkCap?.(peerId) ?? Infinity);
    const screen = link.screenSender?.('video');
    const sharing = !!screen?.track;
    // While we share the screen, the camera gets what the screen leaves of this link's upload.
    const encoding = encodingFor({ capture, view: s.view, uploadShare: sharing ? share * (1 - SCREEN_UPLOAD_SHARE) : share, adaptation: s.adaptation });
    if (screen && sharing) await this.#applyScreen(screen, share, s);
    const audio = link.sender('audio');
    if (audio && !s.audioDone) {
      const p = audio.getParameters();
      if (p.encodings?.length) {
        for (const e of p.encodings as (RTCRtpEncodingParameters & { priority?: string; networkPriority?: string })[]) {
          e.priority = 'high';
          e.networkPriority = 'high';
        }
        await audio.setParameters(p).catch(() => undefined); // unsupported: audio still goes first in practice
        s.audioDone = true;
      }
    }
    const video = link.sender('video');
    if (!video) return;
    const json = JSON.stringify(encoding);
    if (json === s.applied) return;
    const p = video.getParameters();
    if (!p.encodings?.length) return; // not negotiated yet: applied when the link connects
    const e = p.encodings[0]!;
    e.active = encoding.active;
    e.scaleResolutionDownBy = encoding.scaleResolutionDownBy;
    e.maxBitrate = encoding.maxBitrate;
    e.maxFramerate = encoding.maxFramerate;
    await video.setParameters(p);
    s.applied = json;
    s.maxBitrate = encoding.maxBitrate;
  }

  async #applyScreen(sender: RTCRtpSender, share: number, s: SendSide): Promise<void> {
    const encoding = screenEncodingFor(share);
    const json = JSON.stringify({ ...encoding, track: sender.track?.id });
    if (json === s.screenApplied) return;
    const p = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string };
    if (!p.encodings?.length) return; // not negotiated yet: applied on the next refresh
    const e = p.encodings[0]!;
    e.active = true;
    e.scaleResolutionDownBy = encoding.scaleResolutionDownBy;
    e.maxBitrate = encoding.maxBitrate;
    e.maxFramerate = encoding.maxFramerate;
    // Where the browser takes it (Chromium): under pressure drop frames, keep the text sharp.
    p.degradationPreference = 'maintain-resolution';
    await sender.setParameters(p).catch(async () => {
      delete p.degradationPreference;
      await sender.setParameters(p);
    });
    s.screenApplied = json;
  }

  #polling = false;
  async #pollStats(): Promise<void> {
    // A starved page answers getStats() slowly: skip a beat rather than pile readings up.
    if (this.#polling) return;
    this.#polling = true;
    try {
      await this.#pollLinks();
    } finally {
      this.#polling = false;
    }
  }

  async #pollLinks(): Promise<void> {
    for (const [id, link] of this.#host.links()) {
      const s = this.#send.get(id);
      const sender = link.sender('video');
      if (!s || !sender || link.closed || link.pc.connectionState !== 'connected') continue;
      let reason: string | undefined;
      try {
        let target: number | undefined;
        (await sender.getStats()).forEach((r: { type: string; kind?: string; qualityLimitationReason?: string; targetBitrate?: number }) => {
          if (r.type !== 'outbound-rtp' || !r.qualityLimitationReason) return;
          reason = r.qualityLimitationReason;
          target = r.targetBitrate;
        });
        reason = outsideLimit(reason, target, s.maxBitrate);
      } catch {
        continue;
      }
      if (this.#disposed) return;
      // Hidden: nothing is encoded, nothing to learn.
      if (s.view && (s.view.width === 0 || s.view.height === 0)) continue;
      const next = adapt(s.adaptation, reason);
      const stepped = next.resolution !== s.adaptation.resolution || next.fps !== s.adaptation.fps;
      s.adaptation = next;
      if (stepped) this.#apply(id);
    }
  }
}
