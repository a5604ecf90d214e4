/**
 * The `control` data channel's messages (docs/protocol.md §10): a peer's state (mute, screen
 * share) and, once connected, the peer's own signals (renegotiation without the server).
 * Everything here comes from a stranger: bounded, parsed without throwing, validated.
 */
import * as v from 'valibot';
import { LIMITS, PeerSignalSchema } from '../signaling/protocol.js';

/** State a peer announces about itself. */
export const StateMessageSchema = v.object({
  type: v.literal('state'),
  audioMuted: v.boolean(),
  videoMuted: v.boolean(),
  /** Added in P2P format 1.1; older peers omit it. */
  screenSharing: v.optional(v.boolean(), false),
  /** Added in P2P format 1.2: the sender takes `signal` messages on this channel. */
  signals: v.optional(v.boolean(), false),
});
export type ControlMessage = v.InferOutput<typeof StateMessageSchema>;

/** A description or candidate sent peer to peer, exactly as it would travel through the server. */
const SignalMessageSchema = v.object({ type: v.literal('signal'), data: PeerSignalSchema });

const ControlWireSchema = v.variant('type', [StateMessageSchema, SignalMessageSchema]);
export type ControlWire = v.InferOutput<typeof ControlWireSchema>;

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
