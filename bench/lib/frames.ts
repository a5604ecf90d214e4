/**
 * Decoded-frame samples from bench/pages/session.js (recovery, ice-restart): each remote's
 * inbound-rtp video figures read every few hundred ms. Turned here into stalls (the longest time
 * without a new decoded frame) and frame counts over a window of time.
 *
 * Two measures of a stall, because on a busy machine the sampler itself runs late:
 * - `longestGapMs` (sampler): the longest time between two samples that each saw new frames. It
 *   brackets the real stall within one sample interval, but a sampler that ran 3 s late reads as a
 *   3 s stall even if frames kept coming (`samplerMaxGapMs` says how late it ran).
 * - `longestStallMs` (decoder): from the browser's own cumulative `totalInterFrameDelay` (D) and
 *   `totalSquaredInterFrameDelay` (S) between two samples with n new frames. The longest single
 *   delay m among them satisfies S ≥ m² + (D − m)² / (n − 1) (the other delays at their most
 *   even), so m is at most the larger root of that quadratic, and at least S / D; with one long
 *   stall among regular frames the two meet. It does not depend on when the sampler ran: a stall is
 *   one inter-frame delay, counted whole in the interval where it ends.
 */
import { round } from './stats.js';

/** One remote's figures in one sampler round (session.js `inboundOf`). */
export interface Inbound {
  /** framesDecoded, packetsReceived, keyFramesDecoded, pliCount */
  n: number;
  p: number;
  k: number | null;
  pli: number | null;
  /** totalInterFrameDelay, totalSquaredInterFrameDelay (seconds) */
  d: number | null;
  s: number | null;
  /** freezeCount, totalFreezesDuration (s): the browser's own freeze detection */
  fz: number | null;
  fzd: number | null;
  /** Epoch ms the figures were taken. */
  t: number;
}

export interface SampleRow {
  t: number;
  f: Record<string, Inbound>;
}

export type Point = Inbound;

/** Per remote id, its samples in time order. */
export function seriesOf(rows: SampleRow[]): Map<string, Point[]> {
  const out = new Map<string, Point[]>();
  for (const row of rows) {
    for (const [id, v] of Object.entries(row.f)) {
      let list = out.get(id);
      if (!list) out.set(id, (list = []));
      list.push(v);
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.t - b.t);
  return out;
}

/** Bounds of the longest inter-frame delay (seconds) among `n` delays summing to `d` with squares summing to `s`. */
export function longestDelayBounds(n: number, d: number, s: number): { upper: number; lower: number } | null {
  if (n < 1 || d <= 0 || s < 0) return null;
  if (n === 1) return { upper: d, lower: d };
  const k = n - 1;
  const a = 1 + 1 / k;
  const b = (-2 * d) / k;
  const c = (d * d) / k - s;
  const disc = Math.max(0, b * b - 4 * a * c);
  const root = (-b + Math.sqrt(disc)) / (2 * a);
  const lower = s / d;
  const upper = Math.min(d, Math.sqrt(s), Math.max(root, lower));
  return { upper, lower: Math.min(lower, upper) };
}

export interface WindowFigures {
  /** Decoder-side: the longest inter-frame delay (upper bound, see above) among frames decoded in the window, or a stall still open at its end. */
  longestStallMs: number | null;
  /** Its lower bound. */
  longestStallLowerMs: number | null;
  /** Sampler-side: the longest time between two samples that saw new frames. */
  longestGapMs: number | null;
  /** framesDecoded at the window's end minus at its start (the last sample at or before each). */
  framesGained: number | null;
  fps: number | null;
  /** The browser's own freeze counter over the window (freezeCount, totalFreezesDuration in ms). */
  freezes: number | null;
  freezesMs: number | null;
  /** The longest time between two consecutive samples (how late the sampler itself ran). */
  samplerMaxGapMs: number | null;
  samples: number;
}

function at(points: Point[], t: number): Point | undefined {
  let v: Point | undefined;
  for (const p of points) {
    if (p.t > t) break;
    v = p;
  }
  return v ?? points[0];
}

const diff = (x: number | null | undefined, y: number | null | undefined) => (typeof x === 'number' && typeof y === 'number' ? x - y : null);

export function inWindow(points: Point[], from: number, to: number): WindowFigures {
  const samples = points.filter((p) => p.t >= from && p.t <= to).length;
  const empty: WindowFigures = {
    longestStallMs: null,
    longestStallLowerMs: null,
    longestGapMs: null,
    framesGained: null,
    fps: null,
    freezes: null,
    freezesMs: null,
    samplerMaxGapMs: null,
    samples,
  };
  if (points.length < 2) return empty;
  // The first sample stands for a rise: a stall at the very start is measured from it.
  const rises = [points[0]!.t];
  let samplerGap = 0;
  let stall: number | null = null;
  let stallLower: number | null = null;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (b.n > a.n) rises.push(b.t);
    if (b.t >= from && a.t <= to) samplerGap = Math.max(samplerGap, b.t - a.t);
    const n = b.n - a.n;
    const d = diff(b.d, a.d);
    const s = diff(b.s, a.s);
    if (n < 1 || d === null || s === null) continue;
    const bounds = longestDelayBounds(n, d, s);
    if (!bounds) continue;
    // The longest delay ended within (a.t, b.t]: it overlaps the window if it ended after `from`
    // and began (at the latest b.t − upper) before `to`.
    if (b.t < from || a.t - bounds.upper * 1000 > to) continue;
    stall = Math.max(stall ?? 0, bounds.upper * 1000);
    stallLower = Math.max(stallLower ?? 0, bounds.lower * 1000);
  }
  let longest = 0;
  for (let i = 1; i < rises.length; i++) {
    const a = rises[i - 1]!;
    const b = rises[i]!;
    if (b >= from && a <= to) longest = Math.max(longest, b - a);
  }
  // Still no new frame at the last sample: an open stall (no inter-frame delay counts it yet).
  const last = points[points.length - 1]!.t;
  const lastRise = rises[rises.length - 1]!;
  if (last > lastRise && last >= from && lastRise <= to) {
    longest = Math.max(longest, last - lastRise);
    if (stall !== null) {
      stall = Math.max(stall, last - lastRise);
      stallLower = Math.max(stallLower ?? 0, last - lastRise);
    }
  }
  const p0 = at(points, from);
  const p1 = at(points, to);
  const gained = diff(p1?.n, p0?.n);
  const fzd = diff(p1?.fzd, p0?.fzd);
  return {
    longestStallMs: stall !== null ? round(stall) : null,
    longestStallLowerMs: stallLower !== null ? round(stallLower) : null,
    longestGapMs: round(longest),
    framesGained: gained,
    fps: gained !== null && to > from ? round((gained * 1000) / (to - from)) : null,
    freezes: diff(p1?.fz, p0?.fz),
    freezesMs: fzd !== null ? round(fzd * 1000) : null,
    samplerMaxGapMs: round(samplerGap),
    samples,
  };
}

type Key = 'n' | 'p' | 'k' | 'pli';

/**
 * The first sample after `after` whose `key` count (default framesDecoded) rose, with the sample
 * before it (the rise happened between the two).
 */
export function firstRiseAfter(points: Point[], after: number, key: Key = 'n'): { t: number; previousT: number } | null {
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const x = a[key];
    const y = b[key];
    if (b.t > after && x !== null && y !== null && y > x) return { t: b.t, previousT: a.t };
  }
  return null;
}

/** `key` at the last sample at or before `t` (or the first sample); null without samples or support. */
export function countAt(points: Point[], t: number, key: Key): number | null {
  return at(points, t)?.[key] ?? null;
}
