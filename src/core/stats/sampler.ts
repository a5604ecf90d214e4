/**
 * The call's statistics: one getStats() per remote link per second while joined (once the link
 * is connected, or has been setting up for long: SETUP_SKIP_MS), summarised
 * (sample.ts), graded (quality.ts), shared with the others as a `health` message every 2 s, and
 * gathered with theirs into the mesh's health matrix (health.ts). Framework-free: `<rtc-stats>`
 * and the tiles only subscribe.
 *
 * Cheap by design: with nobody watching `links` or `matrix` (no `<rtc-stats>` open), a sample
 * every 2 s is enough for the tiles' grade and the health messages; watched, every second.
 */
import { store, type ReadableStore, type WritableStore } from '../state/store.js';
import type { HealthMessage } from '../peer/control.js';
import { MAX_HEALTH_PEERS } from '../peer/control.js';
import { outsideLimit } from '../peer/quality.js';
import type { PeerLink, StateChange } from '../peer/peer-link.js';
import { summarizeStats, isRelayed, type Counters, type LinkSample } from './sample.js';
import { gradeQuality, QualitySmoother, type ConnectionQuality } from './quality.js';
import { cellFromReport, findBottlenecks, type HealthCell, type HealthMatrix, type HealthPeer } from './health.js';

/** What the sampler needs from its session. */
export interface CallStatsHost {
  localId(): string;
  localName(): string;
  /** The remote links now. */
  remotes(): Iterable<{ id: string; name: string; link: PeerLink }>;
  /** The local media as it is now (track settings), for the report. */
  localMedia(): unknown;
  /** A link's quality grade changed: publish the participants. */
  qualityChanged(): void;
  /**
   * A connected link has brought nothing for SILENT_RESTART_MS although the remote's microphone is
   * on: the path is broken while both ends say "connected" (seen after an ICE restart between
   * Chromium and Firefox, each sending on another candidate pair). The session restarts ICE.
   */
  linkSilent?(id: string): void;
  /** The frame rate we can expect from a peer as we show it (thumbnails are sent slower); default 30. */
  expectedFps?(id: string): number;
  /**
   * The video bitrate cap we set on the link to this peer, if any. Asked of the session rather
   * than read with getParameters(): that call blocks Chromium's main thread, for hundreds of ms
   * on a loaded machine.
   */
  videoCap?(id: string): number | undefined;
}

export interface LinkStats {
  id: string;
  name: string;
  connectionState: RTCPeerConnectionState;
  iceConnectionState: RTCIceConnectionState;
  iceGatheringState: RTCIceGatheringState;
  signalingState: RTCSignalingState;
  /** Every state change, oldest first. */
  timeline: readonly StateChange[];
  /** The last sample; undefined before the first. */
  sample?: LinkSample;
  quality?: ConnectionQuality;
}

/** The JSON that "Copy report" puts on the clipboard. */
export interface CallReport {
  /** ISO time of the report. */
  time: string;
  room: string;
  localId: string;
  localName: string;
  userAgent: string;
  localMedia: unknown;
  links: LinkStats[];
  health: HealthMatrix;
}

export const SAMPLE_INTERVAL_MS = 1000;
export const IDLE_SAMPLE_INTERVAL_MS = 2000;
/** How often we send our `health` message (the protocol's limit: at most every 2 s). */
export const HEALTH_INTERVAL_MS = 2000;
/** Health messages closer together than this from one peer are dropped. */
const HEALTH_MIN_GAP_MS = 1000;
/** An unmuted microphone sends packets all the time (silence included): this long without any is a broken path. */
export const SILENT_RESTART_MS = 6000;
/** At most one such restart per link in this long: the restart itself needs time to find a path. */
const SILENT_RESTART_GAP_MS = 15_000;
/** A peer's health older than this is not shown (it stopped sending, or is gone). */
const HEALTH_MAX_AGE_MS = 10_000;
/**
 * A link still setting up is not sampled for this long: it has nothing to count yet, and its
 * getStats() (a slow call in Chromium on a loaded machine) would land on the
 * page's main thread right when the answer and the call view need it. One that takes longer is
 * sampled again, for the stats panel's diagnosis.
 */
const SETUP_SKIP_MS = 5000;

interface Tracked {
  link: PeerLink;
  /** Date.now() when first tracked. */
  since: number;
  counters?: Counters;
  packets?: number;
  lastPacketAt?: number;
  smoother: QualitySmoother;
  sample?: LinkSample;
  quality?: ConnectionQuality;
  health?: { msg: HealthMessage; at: number };
  silentRestartAt?: number;
  off: () => void;
}

/** A store that counts who watches it (nobody watching: sample less often). */
function watchedStore<T>(inner: WritableStore<T>, watchers: { n: number }, wake: () => void): ReadableStore<T> {
  const counted = (sub: (cb: (v: T) => void) => () => void) => (cb: (v: T) => void) => {
    watchers.n++;
    if (watchers.n === 1) wake();
    const off = sub(cb);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      watchers.n--;
      off();
    };
  };
  return { get: inner.get, subscribe: counted(inner.subscribe), listen: counted(inner.listen) };
}

export class CallStats {
  readonly #host: CallStatsHost;
  readonly #room: string;
  readonly #links = store<LinkStats[]>([]);
  readonly #matrix = store<HealthMatrix>({ peers: [], cells: {}, findings: [] });
  readonly #tracked = new Map<string, Tracked>();
  readonly #watchers = { n: 0 };
  #timer?: ReturnType<typeof setTimeout>;
  #running = false;
  #lastHealthSent = 0;
  #sampling?: Promise<void>;

  /** Per remote link: states, timeline, the last sample and grade (updated every sample). */
  readonly links: ReadableStore<LinkStats[]>;
  /** Who receives whom how well, from our samples and everyone's `health` messages. */
  readonly matrix: ReadableStore<HealthMatrix>;

  constructor(host: CallStatsHost, room: string) {
    this.#host = host;
    this.#room = room;
    const wake = () => {
      // Someone opened the panel: sample now rather than in up to 2 s.
      if (this.#running) this.#schedule(0);
    };
    this.links = watchedStore(this.#links, this.#watchers, wake);
    this.matrix = watchedStore(this.#matrix, this.#watchers, wake);
  }

  /** The grade of the link to `id`, once sampled. */
  quality(id: string): ConnectionQuality | undefined {
    return this.#tracked.get(id)?.quality;
  }

  /** Sample every second (or two) until stop(). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  /** Stop sampling and forget every link (left the call). */
  stop(): void {
    if (!this.#running && !this.#tracked.size) return;
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const had = [...this.#tracked.values()].some((t) => t.quality);
    for (const t of this.#tracked.values()) t.off();
    this.#tracked.clear();
    this.#links.set([]);
    this.#matrix.set({ peers: [], cells: {}, findings: [] });
    if (had) this.#host.qualityChanged();
  }

  /** Take a sample now (tests, "Refresh"); resolves once it is published. */
  async sampleNow(): Promise<void> {
    await this.#sampling;
    await this.#sample(true);
  }

  /** Everything, for a bug report: every link with its timeline, the health matrix, local media, browser. */
  report(): CallReport {
    return {
      time: new Date().toISOString(),
      room: this.#room,
      localId: this.#host.localId(),
      localName: this.#host.localName(),
      userAgent: globalThis.navigator?.userAgent ?? '',
      localMedia: this.#host.localMedia(),
      links: this.#snapshot(),
      health: this.#matrix.get(),
    };
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), ms);
  }

  async #tick(): Promise<void> {
    if (!this.#running) return;
    this.#sampling = this.#sample(false);
    await this.#sampling;
    if (this.#running) this.#schedule(this.#watchers.n ? SAMPLE_INTERVAL_MS : IDLE_SAMPLE_INTERVAL_MS);
  }

  #track(id: string, link: PeerLink): Tracked {
    let t = this.#tracked.get(id);
    if (t && t.link !== link) {
      // A new connection to the same participant: counters and grade start over.
      t.off();
      t = undefined;
    }
    if (!t) {
      const entry: Tracked = { link, since: Date.now(), smoother: new QualitySmoother(), off: () => undefined };
      entry.off = link.health.listen((msg) => {
        const now = Date.now();
        if (!msg || (entry.health && now - entry.health.at < HEALTH_MIN_GAP_MS)) return;
        entry.health = { msg, at: now };
      });
      this.#tracked.set(id, entry);
      t = entry;
    }
    return t;
  }

  /** `all`: links still setting up too (else they wait, see SETUP_SKIP_MS). */
  async #sample(all: boolean): Promise<void> {
    const remotes = [...this.#host.remotes()];
    const ids = new Set(remotes.map((r) => r.id));
    for (const [id, t] of this.#tracked) {
      if (!ids.has(id)) {
        t.off();
        this.#tracked.delete(id);
      }
    }
    let changed = false;
    await Promise.all(
      remotes.map(async ({ id, link }) => {
        const t = this.#track(id, link);
        if (link.closed) return;
        const settingUp = link.pc.connectionState === 'new' || link.pc.connectionState === 'connecting';
        if (!all && settingUp && !t.counters && Date.now() - t.since < SETUP_SKIP_MS) return;
        let report: RTCStatsReport;
        try {
          report = await link.pc.getStats();
        } catch {
          return; // closed meanwhile
        }
        if (this.#tracked.get(id) !== t) return;
        const now = Date.now();
        const first = !t.counters;
        const { sample, counters } = summarizeStats(report, now, t.counters);
        t.counters = counters;
        // Any change counts: a count that drops (a stream gone after a renegotiation) is no silence.
        if (t.packets === undefined || sample.inbound.packets !== t.packets) t.lastPacketAt = now;
        t.packets = sample.inbound.packets;
        // Our own cap (the receiver's share, the tile's size) holding the encoder is not the network.
        const video = sample.outbound.video;
        video.qualityLimitationReason = outsideLimit(video.qualityLimitationReason, video.targetBitrate, this.#host.videoCap?.(id));
        t.sample = sample;
        // The first sample has no earlier counters to rate against: nothing measured yet, so no
        // grade (bars saying "good" about nothing) unless the connection is down.
        if (first && !['disconnected', 'failed', 'closed'].includes(link.pc.connectionState)) return;
        const remote = link.state.get().remote;
        const silentMs = t.lastPacketAt === undefined ? undefined : now - t.lastPacketAt;
        if (
          link.pc.connectionState === 'connected' &&
          remote?.audioMuted === false &&
          silentMs !== undefined &&
          silentMs >= SILENT_RESTART_MS &&
          (t.silentRestartAt === undefined || now - t.silentRestartAt >= SILENT_RESTART_GAP_MS)
        ) {
          t.silentRestartAt = now;
          this.#host.linkSilent?.(id);
        }
        const videoExpected = !!remote && !remote.videoMuted;
        const graded = gradeQuality({
          connectionState: link.pc.connectionState,
          rttMs: sample.rttMs,
          loss: sample.inbound.loss,
          jitterMs: sample.inbound.jitterMs,
          fps: sample.inbound.video.fps,
          expectedFps: this.#host.expectedFps?.(id),
          // Frames only count once some have come (the first second of a call has none yet).
          videoExpected: videoExpected && t.counters.frames['in-video'] !== undefined && (t.counters.frames['in-video'] ?? 0) > 0,
          mediaExpected: !!remote && (!remote.audioMuted || !remote.videoMuted),
          silentMs,
          relayed: isRelayed(sample),
        });
        const before = t.quality;
        t.quality = t.smoother.push(graded);
        if (before?.level !== t.quality.level || before.reasons.join() !== t.quality.reasons.join() || before.relayed !== t.quality.relayed) changed = true;
      }),
    );
    if (!this.#running) return;
    this.#links.set(this.#snapshot());
    this.#matrix.set(this.#buildMatrix());
    if (Date.now() - this.#lastHealthSent >= HEALTH_INTERVAL_MS - 100) this.#sendHealth();
    if (changed) this.#host.qualityChanged();
  }

  #snapshot(): LinkStats[] {
    return [...this.#host.remotes()].map(({ id, name, link }) => {
      const t = this.#tracked.get(id);
      const pc = link.pc;
      return {
        id,
        name,
        connectionState: pc.connectionState,
        iceConnectionState: pc.iceConnectionState,
        iceGatheringState: pc.iceGatheringState,
        signalingState: pc.signalingState,
        timeline: [...link.timeline],
        sample: t?.link === link ? t.sample : undefined,
        quality: t?.link === link ? t.quality : undefined,
      };
    });
  }

  /** Our own message: how we receive each peer, and what we send. */
  healthMessage(): HealthMessage {
    const rx: HealthMessage['rx'] = [];
    let kbps: number | undefined;
    let limit: string | undefined;
    const round = (x: number | undefined, digits = 0) => (x === undefined ? undefined : Number(x.toFixed(digits)));
    for (const [id, t] of this.#tracked) {
      const s = t.sample;
      if (!s) continue;
      if (rx.length < MAX_HEALTH_PEERS) {
        rx.push({
          from: id,
          fps: round(clamp(s.inbound.video.fps, 240), 1),
          loss: round(clamp(s.inbound.loss, 1), 4),
          rtt: round(clamp(s.rttMs, 60_000)),
          q: t.quality?.level,
        });
      }
      if (s.outbound.bitrateKbps !== undefined) kbps = (kbps ?? 0) + s.outbound.bitrateKbps;
      const reason = s.outbound.video.qualityLimitationReason;
      if (reason && reason !== 'none') limit = reason;
      else limit ??= reason;
    }
    const known = ['none', 'bandwidth', 'cpu', 'other'] as const;
    return {
      type: 'health',
      up: { kbps: kbps === undefined ? undefined : Math.round(clamp(kbps, 1_000_000)!), limit: known.find((k) => k === limit) },
      rx,
    };
  }

  #sendHealth(): void {
    this.#lastHealthSent = Date.now();
    const msg = this.healthMessage();
    for (const { link } of this.#host.remotes()) link.sendHealth(msg);
  }

  #buildMatrix(): HealthMatrix {
    const localId = this.#host.localId();
    const remotes = [...this.#host.remotes()];
    const now = Date.now();
    const mine = this.healthMessage();
    const peers: HealthPeer[] = [{ id: localId, name: this.#host.localName(), isLocal: true, upKbps: mine.up?.kbps, limit: mine.up?.limit }];
    const cells: HealthMatrix['cells'] = { [localId]: {} };
    for (const { id, name } of remotes) {
      const t = this.#tracked.get(id);
      const health = t?.health && now - t.health.at <= HEALTH_MAX_AGE_MS ? t.health : undefined;
      peers.push({ id, name, isLocal: false, upKbps: health?.msg.up?.kbps, limit: health?.msg.up?.limit, ageMs: health ? now - health.at : undefined });
      if (t?.sample) {
        const s = t.sample;
        cells[localId]![id] = { level: t.quality?.level, fps: s.inbound.video.fps, loss: s.inbound.loss, rttMs: s.rttMs } satisfies HealthCell;
      }
      const row: Record<string, HealthCell> = {};
      // Only what it says about members we know: a stranger's ids are not rendered.
      const members = new Set([localId, ...remotes.map((r) => r.id)]);
      for (const e of health?.msg.rx ?? []) if (members.has(e.from) && e.from !== id) row[e.from] = cellFromReport(e);
      cells[id] = row;
    }
    return { peers, cells, findings: findBottlenecks(peers, cells) };
  }
}

function clamp(x: number | undefined, max: number): number | undefined {
  return x === undefined || !Number.isFinite(x) ? undefined : Math.min(max, Math.max(0, x));
}
