/**
 * Connection quality of one remote link, graded from measured stats: pure, so the thresholds are
 * unit-tested and documented in one place (README "Connection quality").
 */

export type QualityLevel = 'good' | 'fair' | 'poor' | 'lost';

/** Why a link is not good, in words (shown in the tile's tooltip and label). */
export type QualityReason = 'disconnected' | 'no media received' | 'high packet loss' | 'high round-trip time' | 'high jitter' | 'low frame rate';

export interface ConnectionQuality {
  level: QualityLevel;
  /** What pulls the grade down, worst first; empty when good. */
  reasons: QualityReason[];
  /** The path goes through a TURN relay (not a problem in itself; said in the tooltip). */
  relayed: boolean;
}

/** What the grade is computed from (one sampling window). */
export interface QualityInput {
  connectionState: RTCPeerConnectionState;
  /** Round-trip time of the selected candidate pair, ms. */
  rttMs?: number;
  /** Fraction (0–1) of inbound packets lost over the window. */
  loss?: number;
  /** Inbound jitter, ms (the worse of audio and video). */
  jitterMs?: number;
  /** Received (decoded) video frames per second. */
  fps?: number;
  /** The frame rate asked of the sender (15 for a thumbnail); the fps bounds scale down to it. Default 30. */
  expectedFps?: number;
  /** The remote says its camera (or screen) is on: the frame rate counts. */
  videoExpected: boolean;
  /** The remote sends something (microphone or camera on): silence means a dead path. */
  mediaExpected: boolean;
  /** Since the last inbound packet, ms (undefined: none counted yet). */
  silentMs?: number;
  relayed?: boolean;
}

/**
 * The thresholds. good = every "good" bound met; poor = any "poor" bound crossed; fair in between;
 * lost = the connection is down, or media is expected and nothing arrived for `silentMs`. The fps
 * bounds are for a feed asked at 30 fps; one asked at less (a thumbnail, 15) is good from 80 % of
 * that and poor under 50 %.
 */
export const QUALITY_THRESHOLDS = {
  good: { rttMs: 250, loss: 0.02, jitterMs: 30, fps: 15 },
  poor: { rttMs: 500, loss: 0.08, jitterMs: 100, fps: 8 },
  lost: { silentMs: 3000 },
} as const;

const DOWN: RTCPeerConnectionState[] = ['disconnected', 'failed', 'closed'];

/** Grade one sampling window. */
export function gradeQuality(i: QualityInput): ConnectionQuality {
  const relayed = !!i.relayed;
  if (DOWN.includes(i.connectionState)) return { level: 'lost', reasons: ['disconnected'], relayed };
  if (i.mediaExpected && i.silentMs !== undefined && i.silentMs >= QUALITY_THRESHOLDS.lost.silentMs) {
    return { level: 'lost', reasons: ['no media received'], relayed };
  }
  const { good, poor } = QUALITY_THRESHOLDS;
  const fps = i.videoExpected ? i.fps : undefined;
  const poorReasons: QualityReason[] = [];
  const fairReasons: QualityReason[] = [];
  const check = (value: number | undefined, reason: QualityReason, goodBelow: number, poorAbove: number) => {
    if (value === undefined || !Number.isFinite(value)) return;
    if (value > poorAbove) poorReasons.push(reason);
    else if (value >= goodBelow) fairReasons.push(reason);
  };
  check(i.loss, 'high packet loss', good.loss, poor.loss);
  check(i.rttMs, 'high round-trip time', good.rttMs, poor.rttMs);
  check(i.jitterMs, 'high jitter', good.jitterMs, poor.jitterMs);
  if (fps !== undefined && Number.isFinite(fps)) {
    // A thumbnail is sent at 15 fps on purpose: judged against what was asked, not against 30.
    const expected = i.expectedFps ?? 30;
    if (fps < Math.min(poor.fps, expected * 0.5)) poorReasons.push('low frame rate');
    else if (fps < Math.min(good.fps, expected * 0.8)) fairReasons.push('low frame rate');
  }
  if (poorReasons.length) return { level: 'poor', reasons: [...poorReasons, ...fairReasons], relayed };
  if (fairReasons.length) return { level: 'fair', reasons: fairReasons, relayed };
  return { level: 'good', reasons: [], relayed };
}

const RANK: Record<QualityLevel, number> = { good: 0, fair: 1, poor: 2, lost: 3 };

/**
 * Hysteresis: a worse grade shows at once, a better one only after it held for `samples` windows
 * in a row (one good second in a bad patch would make the indicator flicker).
 */
export class QualitySmoother {
  #shown?: ConnectionQuality;
  #better = 0;
  constructor(readonly samples = 2) {}

  get value(): ConnectionQuality | undefined {
    return this.#shown;
  }

  push(next: ConnectionQuality): ConnectionQuality {
    const shown = this.#shown;
    if (!shown || RANK[next.level] >= RANK[shown.level]) {
      this.#better = 0;
      this.#shown = next;
    } else if (++this.#better >= this.samples) {
      this.#better = 0;
      this.#shown = next;
    } else {
      // Still the worse level and the reasons that made it: one better window proves little.
      this.#shown = { ...shown, relayed: next.relayed };
    }
    return this.#shown;
  }
}

/** "Connection: poor (high packet loss)": the tile's accessible label. */
export function qualityLabel(q: ConnectionQuality): string {
  const why = q.reasons.length ? ` (${q.reasons.join(', ')})` : '';
  return `Connection: ${q.level}${why}`;
}

/** The tooltip: the label and, when relayed, that too. */
export function qualityTooltip(q: ConnectionQuality): string {
  const parts: string[] = [...q.reasons];
  if (q.relayed) parts.push('relayed through TURN');
  return `Connection: ${q.level}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
