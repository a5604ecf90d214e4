/**
 * One link's getStats() report, summarised: the selected candidate pair, RTT, bitrates, picture
 * size and frame rate each way, loss, jitter, codecs, qualityLimitationReason. Pure (a report is
 * any iterable of stats objects), so Chromium- and Firefox-shaped reports are unit-tested.
 *
 * Browser differences handled here: Chromium names the selected pair on the `transport` stats
 * (`selectedCandidatePairId`); Firefox has no `transport` stats in some versions and marks the
 * pair `selected: true` (or only `nominated` + `state: 'succeeded'`). Firefox may leave out
 * `currentRoundTripTime`: the RTT then comes from `remote-inbound-rtp`. Frame rates fall back to
 * frames decoded/encoded over the window.
 */

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface CandidateInfo {
  type?: CandidateType;
  /** 'udp' or 'tcp'. */
  protocol?: string;
  /** For a relay candidate: how we reach the TURN server ('udp', 'tcp', 'tls'). */
  relayProtocol?: string;
  address?: string;
  port?: number;
}

export interface MediaDirectionStats {
  /** kbit/s over the window. */
  bitrateKbps?: number;
  width?: number;
  height?: number;
  fps?: number;
  codec?: string;
}

export interface InboundStats {
  audio: MediaDirectionStats;
  video: MediaDirectionStats;
  /** Fraction (0–1) of packets lost over the window, audio and video together. */
  loss?: number;
  /** ms; the worse of audio and video. */
  jitterMs?: number;
  /** Total packets received so far (audio + video). */
  packets: number;
}

export interface OutboundStats {
  audio: MediaDirectionStats;
  /** `targetBitrate`: what the encoder aims at now, bits/s (Chromium). */
  video: MediaDirectionStats & { qualityLimitationReason?: string; targetBitrate?: number };
  /** Video + audio, kbit/s. */
  bitrateKbps?: number;
}

export interface LinkSample {
  /** performance.timeOrigin-based epoch ms of the sample. */
  time: number;
  pair?: { local: CandidateInfo; remote: CandidateInfo; state?: string };
  rttMs?: number;
  inbound: InboundStats;
  outbound: OutboundStats;
}

/** Cumulative counters kept between samples, for rates over the window. */
export interface Counters {
  time: number;
  bytes: Record<string, number>;
  frames: Record<string, number>;
  packetsReceived: number;
  packetsLost: number;
}

type Stat = Record<string, unknown> & { id: string; type: string };

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function candidate(s: Stat | undefined): CandidateInfo {
  if (!s) return {};
  const type = str(s.candidateType);
  return {
    type: type === 'host' || type === 'srflx' || type === 'prflx' || type === 'relay' ? type : undefined,
    protocol: str(s.protocol),
    relayProtocol: str(s.relayProtocol),
    address: str(s.address) ?? str(s.ip),
    port: num(s.port),
  };
}

/** The pair the ICE agent uses: Chromium's transport pointer, else Firefox's `selected`, else a nominated succeeded pair. */
function selectedPair(byId: Map<string, Stat>, all: Stat[]): Stat | undefined {
  for (const s of all) {
    if (s.type !== 'transport') continue;
    const pair = byId.get(str(s.selectedCandidatePairId) ?? '');
    if (pair) return pair;
  }
  const pairs = all.filter((s) => s.type === 'candidate-pair');
  return pairs.find((p) => p.selected === true) ?? pairs.find((p) => p.nominated === true && p.state === 'succeeded');
}

function codecName(byId: Map<string, Stat>, rtp: Stat): string | undefined {
  const mime = str(byId.get(str(rtp.codecId) ?? '')?.mimeType);
  return mime?.replace(/^(audio|video)\//i, '');
}

/**
 * Summarise `report`; `prev` are the counters of the previous sample (rates need two). Returns
 * the sample and the counters to pass next time.
 */
export function summarizeStats(report: Iterable<unknown> | RTCStatsReport, time: number, prev?: Counters): { sample: LinkSample; counters: Counters } {
  const all: Stat[] = [];
  // An RTCStatsReport iterates [id, stats] entries: take its values; an array is the stats already.
  const values: Iterable<unknown> = Array.isArray(report)
    ? report
    : typeof (report as RTCStatsReport).values === 'function'
      ? (report as RTCStatsReport).values()
      : report;
  for (const s of values) if (s && typeof s === 'object' && typeof (s as Stat).type === 'string') all.push(s as Stat);
  const byId = new Map(all.map((s) => [s.id, s]));
  const dt = prev ? (time - prev.time) / 1000 : 0;
  const counters: Counters = { time, bytes: {}, frames: {}, packetsReceived: 0, packetsLost: 0 };

  const rate = (key: string, bytes: number | undefined): void => {
    if (bytes !== undefined) counters.bytes[key] = (counters.bytes[key] ?? 0) + bytes;
  };
  const fpsOver = (key: string, frames: number | undefined) => {
    if (frames !== undefined) counters.frames[key] = (counters.frames[key] ?? 0) + frames;
  };

  const inbound: InboundStats = { audio: {}, video: {}, packets: 0 };
  const outbound: OutboundStats = { audio: {}, video: {} };
  let jitter: number | undefined;
  let remoteRtt: number | undefined;

  for (const s of all) {
    const kind = str(s.kind) ?? str(s.mediaType);
    if (kind !== 'audio' && kind !== 'video') continue;
    if (s.type === 'inbound-rtp') {
      const d = inbound[kind];
      rate(`in-${kind}`, num(s.bytesReceived));
      counters.packetsReceived += num(s.packetsReceived) ?? 0;
      counters.packetsLost += Math.max(0, num(s.packetsLost) ?? 0);
      const j = num(s.jitter);
      if (j !== undefined) jitter = Math.max(jitter ?? 0, j * 1000);
      if (kind === 'video') {
        d.width = num(s.frameWidth) ?? d.width;
        d.height = num(s.frameHeight) ?? d.height;
        d.fps = num(s.framesPerSecond) ?? d.fps;
        fpsOver('in-video', num(s.framesDecoded));
      }
      d.codec ??= codecName(byId, s);
    } else if (s.type === 'outbound-rtp') {
      const d = outbound[kind];
      rate(`out-${kind}`, num(s.bytesSent));
      if (kind === 'video') {
        const v = outbound.video;
        // Simulcast layers: the largest one that is sent.
        const w = num(s.frameWidth);
        if (w !== undefined && w >= (v.width ?? 0)) {
          v.width = w;
          v.height = num(s.frameHeight);
        }
        const f = num(s.framesPerSecond);
        if (f !== undefined) v.fps = Math.max(v.fps ?? 0, f);
        fpsOver('out-video', num(s.framesEncoded));
        const reason = str(s.qualityLimitationReason);
        if (reason && (reason !== 'none' || !v.qualityLimitationReason)) v.qualityLimitationReason = reason;
        const target = num(s.targetBitrate);
        if (target !== undefined) v.targetBitrate = Math.max(v.targetBitrate ?? 0, target);
      }
      d.codec ??= codecName(byId, s);
    } else if (s.type === 'remote-inbound-rtp') {
      const r = num(s.roundTripTime);
      if (r !== undefined) remoteRtt = Math.max(remoteRtt ?? 0, r * 1000);
    }
  }
  inbound.packets = counters.packetsReceived;
  inbound.jitterMs = jitter;

  if (prev && dt > 0) {
    const kbps = (key: string) => {
      const now = counters.bytes[key];
      const before = prev.bytes[key];
      return now === undefined || before === undefined ? undefined : Math.max(0, ((now - before) * 8) / 1000 / dt);
    };
    inbound.audio.bitrateKbps = kbps('in-audio');
    inbound.video.bitrateKbps = kbps('in-video');
    outbound.audio.bitrateKbps = kbps('out-audio');
    outbound.video.bitrateKbps = kbps('out-video');
    const frames = (key: string) => {
      const now = counters.frames[key];
      const before = prev.frames[key];
      return now === undefined || before === undefined ? undefined : Math.max(0, (now - before) / dt);
    };
    // Measured over the window rather than the browser's own figure when we can: Firefox's
    // framesPerSecond lags, and both agree when the picture is steady.
    const fin = frames('in-video');
    if (fin !== undefined) inbound.video.fps = fin;
    const fout = frames('out-video');
    if (fout !== undefined && outbound.video.fps === undefined) outbound.video.fps = fout;
    const received = counters.packetsReceived - prev.packetsReceived;
    const lost = counters.packetsLost - prev.packetsLost;
    if (received >= 0 && lost >= 0 && received + lost > 0) inbound.loss = lost / (received + lost);
    else if (received >= 0 && lost >= 0) inbound.loss = undefined;
  }
  const parts = [outbound.audio.bitrateKbps, outbound.video.bitrateKbps].filter((x): x is number => x !== undefined);
  outbound.bitrateKbps = parts.length ? parts.reduce((a, b) => a + b, 0) : undefined;

  const pair = selectedPair(byId, all);
  const pairRtt = num(pair?.currentRoundTripTime);
  const sample: LinkSample = {
    time,
    pair: pair
      ? { local: candidate(byId.get(str(pair.localCandidateId) ?? '')), remote: candidate(byId.get(str(pair.remoteCandidateId) ?? '')), state: str(pair.state) }
      : undefined,
    rttMs: pairRtt !== undefined ? pairRtt * 1000 : remoteRtt,
    inbound,
    outbound,
  };
  return { sample, counters };
}

/** The link goes through a TURN server (either end's candidate is a relay). */
export function isRelayed(sample: LinkSample | undefined): boolean {
  return sample?.pair?.local.type === 'relay' || sample?.pair?.remote.type === 'relay';
}
