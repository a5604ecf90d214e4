/**
 * The `control` data channel's messages (docs/protocol.md §10): a peer's state (mute, screen
 * share) and, once connected, the peer's own signals (renegotiation without the server).
 * Everything here comes from a stranger: bounded, parsed without throwing, validated.
 */
import * as v from 'valibot';
import { LIMITS, PeerSignalSchema } from '../signaling/protocol.js';
// P2P 1.7: reactions and raised hands.
import { HandMessageSchema, LowerHandMessageSchema, ReactionMessageSchema } from '../reactions/wire.js';
// P2P 1.8: someone is recording the call.
import { RecordingMessageSchema } from '../recording/wire.js';

/** State a peer announces about itself. */
export const StateMessageSchema = v.object({
  type: v.literal('state'),
  audioMuted: v.boolean(),
  videoMuted: v.boolean(),
  /** Added in P2P format 1.1; older peers omit it. */
  screenSharing: v.optional(v.boolean(), false),
  /** Added in P2P format 1.2: the sender takes `signal` messages on this channel. */
  signals: v.optional(v.boolean(), false),
  /**
   * Added in P2P format 1.6: while sharing, the mids of the m-lines that carry the screen's video
   * (and its sound, if any) beside the camera. Absent: not sharing, or not negotiated yet.
   */
  screen: v.optional(
    v.object({
      mid: v.pipe(v.string(), v.minLength(1), v.maxLength(32)),
      audioMid: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(32))),
    }),
  ),
});
export type ControlMessage = v.InferOutput<typeof StateMessageSchema>;

/** A description or candidate sent peer to peer, exactly as it would travel through the server. */
const SignalMessageSchema = v.object({ type: v.literal('signal'), data: PeerSignalSchema });

/**
 * P2P 1.4: how the receiver shows the sender's video, so the sender encodes that link to fit
 * (docs/protocol.md §10, src/core/peer/quality.ts). 0×0 = not shown.
 */
export const ViewMessageSchema = v.object({
  type: v.literal('view'),
  /** Displayed size in device pixels (largest tile showing the sender); 0 = hidden. */
  width: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(16384)),
  height: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(16384)),
  /** Frames per second the receiver wants at most. */
  fps: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(120))),
  /** The receiver's download budget share for this feed, in bits per second. */
  maxBitrate: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000_000))),
});
export type ViewMessage = v.InferOutput<typeof ViewMessageSchema>;

/** Most peers one `health` message reports on (a mesh is far smaller; more entries are refused). */
export const MAX_HEALTH_PEERS = 16;
const bounded = (max: number) => v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(max)));

/**
 * P2P 1.5: a compact summary of the sender's own links, at most every 2 s, so that every member
 * can show the whole mesh (src/core/stats/health.ts): how it receives each peer, and what it sends.
 */
export const HealthMessageSchema = v.object({
  type: v.literal('health'),
  /** What the sender sends: total kbit/s and its video sender's qualityLimitationReason. */
  up: v.optional(
    v.object({
      kbps: bounded(1_000_000),
      limit: v.optional(v.picklist(['none', 'bandwidth', 'cpu', 'other'])),
    }),
  ),
  /** How the sender receives each peer (`from` = that peer's id). */
  rx: v.pipe(
    v.array(
      v.object({
        from: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
        fps: bounded(240),
        /** Fraction 0–1 of packets lost over the last window. */
        loss: bounded(1),
        /** Round-trip time, ms. */
        rtt: bounded(60_000),
        /** The sender's own grade of that link. */
        q: v.optional(v.picklist(['good', 'fair', 'poor', 'lost'])),
      }),
    ),
    v.maxLength(MAX_HEALTH_PEERS),
  ),
});
export type HealthMessage = v.InferOutput<typeof HealthMessageSchema>;

const ControlWireSchema = v.variant('type', [
  StateMessageSchema,
  SignalMessageSchema,
  ViewMessageSchema,
  HealthMessageSchema,
  ReactionMessageSchema,
  HandMessageSchema,
  LowerHandMessageSchema,
  RecordingMessageSchema,
]);
export type ControlWire = v.InferOutput<typeof ControlWireSchema>;

/**
 * Messages of call features (reactions, hands, recording, ...) rather than of the link itself:
 * the link hands them to the session as they are (validated), and sends them with sendControl().
 */
export type FeatureMessage = Exclude<ControlWire, { type: 'state' | 'signal' | 'view' | 'health' }>;

/** A `signal` carries an SDP: the same bound as through the server. */
export const MAX_CONTROL_BYTES = LIMITS.signalBytes;

/** A valid control message, or null for anything else (dropped without a reply). */
export function parseControl(data: unknown): ControlWire | null {
  if (typeof data !== 'string' || data.length > MAX_CONTROL_BYTES) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  const msg = v.safeParse(ControlWireSchema, parsed);
  return msg.success ? msg.output : null;
}

/** The session id of an SDP's `o=` line: the same for every offer of one RTCPeerConnection. */
export function sdpSessionId(sdp: string): string | undefined {
  return /^o=\S+ (\S+) /m.exec(sdp)?.[1];
}

/** The session version of an SDP's `o=` line: it grows with each description a connection makes. */
export function sdpSessionVersion(sdp: string): bigint | undefined {
  const v = /^o=\S+ \S+ (\d+) /m.exec(sdp)?.[1];
  return v === undefined ? undefined : BigInt(v);
}

/**
 * What names a candidate, from foundation to type, alike in an SDP line and in a candidate event
 * (which Chromium extends with its ufrag). Undefined for a line that is no candidate.
 */
export function candidateKey(line: string): string | undefined {
  return /^(?:a=)?candidate:(\S+ \d+ \S+ \d+ \S+ \d+ typ \S+)/i.exec(line)?.[1];
}

export type DtlsSetup = 'active' | 'passive';

/** The DTLS role an SDP's `a=setup:` lines take (undefined for `actpass`, an offer's usual value). */
export function sdpSetup(sdp: string): DtlsSetup | undefined {
  const v = /^a=setup:(\w+)/m.exec(sdp)?.[1];
  return v === 'active' || v === 'passive' ? v : undefined;
}

/**
 * The answer with every `a=setup:` set to `setup`. A DTLS connection keeps its roles for its
 * life, but Firefox answers a later offer with `active` whatever its role is, and Chromium then
 * refuses the answer ("Failed to set SSL role for the transport") when the offers changed sides
 * (an ICE restart or renegotiation started by the original answerer).
 */
/**
 * A later offer as sent, with our role instead of `actpass`: the remote then answers the other
 * role, as the connection already has them. Left to `actpass`, Firefox answers `active` whatever
 * its role; when it was the DTLS server, it then keys SRTP for the swapped roles and drops
 * every RTP packet while the data channels (same DTLS) go on.
 */
export function offerWithSetup(sdp: string, setup: DtlsSetup): string {
  return sdp.replace(/^a=setup:actpass(\r?)$/gm, `a=setup:${setup}$1`);
}

export function withSetup(sdp: string, setup: DtlsSetup): string {
  return sdp.replace(/^a=setup:(active|passive)(\r?)$/gm, `a=setup:${setup}$2`);
}
