/**
 * The signaling wire protocol, shared by the browser client and the server so that both validate
 * with the same schemas. docs/protocol.md is the human contract; keep the two in step and bump
 * PROTOCOL_VERSION on any incompatible change.
 */
import * as v from 'valibot';

export const PROTOCOL_VERSION = 1;

/** Bounds that both sides enforce. */
export const LIMITS = {
  roomName: 64,
  displayName: 64,
  peerId: 64,
  /** One SDP; a 6-peer mesh with audio, video and data stays far below this. */
  sdp: 32 * 1024,
  candidate: 1024,
  /** Serialized `signal` payload. */
  signalBytes: 40 * 1024,
} as const;

export const ERROR_CODES = [
  'invalid-payload',
  'unsupported-protocol',
  'already-joined',
  'not-in-room',
  'unknown-peer',
  'room-full',
  'too-large',
  'rate-limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ProtocolError {
  code: ErrorCode;
  message: string;
}
export type ErrorReply = { ok: false; error: ProtocolError };

// Letters, digits and a few URL-safe marks: the room name travels in `?room=` invite links.
const roomName = v.pipe(
  v.string(),
  v.regex(/^[\p{L}\p{N}_.~-]{1,64}$/u, 'room must be 1-64 letters, digits or _ . ~ -'),
);
// Display names are free text from strangers: bounded, control characters removed, never HTML.
const displayName = v.pipe(
  v.string(),
  v.maxLength(LIMITS.displayName * 4, 'name is too long'),
  v.transform((s) => cleanDisplayName(s)),
);
const peerId = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.peerId));

export const JoinRequestSchema = v.object({
  room: roomName,
  name: v.optional(displayName, ''),
  protocol: v.optional(v.pipe(v.number(), v.integer()), PROTOCOL_VERSION),
});
export type JoinRequest = v.InferInput<typeof JoinRequestSchema>;

export const DescriptionSchema = v.object({
  type: v.picklist(['offer', 'answer']),
  sdp: v.pipe(v.string(), v.maxLength(LIMITS.sdp)),
});
export const CandidateSchema = v.object({
  candidate: v.pipe(v.string(), v.maxLength(LIMITS.candidate)),
  sdpMid: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(64)))),
  sdpMLineIndex: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255)))),
  usernameFragment: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(256)))),
});
/** What one peer sends another through the server: a description, or a candidate (null = end of candidates). */
export const SignalDataSchema = v.union([
  v.object({ description: DescriptionSchema }),
  v.object({ candidate: v.nullable(CandidateSchema) }),
]);
export type SignalData = v.InferOutput<typeof SignalDataSchema>;

export const SignalRequestSchema = v.object({ to: peerId, data: SignalDataSchema });
export type SignalRequest = v.InferOutput<typeof SignalRequestSchema>;

export interface PeerInfo {
  id: string;
  name: string;
}
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}
export interface JoinReply {
  ok: true;
  protocol: number;
  id: string;
  room: string;
  peers: PeerInfo[];
  iceServers: IceServer[];
  /** Seconds the TURN credentials in iceServers stay valid (0 when there are none). */
  iceServersTtl: number;
}
export interface IceServersReply {
  ok: true;
  iceServers: IceServer[];
  iceServersTtl: number;
}
export type OkReply = { ok: true };

export interface PeerLeftEvent {
  id: string;
  reason: 'left' | 'disconnected';
}
export interface SignalEvent {
  from: string;
  data: SignalData;
}

/** socket.io event maps, for typed sockets on both ends. */
export interface ServerToClientEvents {
  'peer-joined': (peer: PeerInfo) => void;
  'peer-left': (event: PeerLeftEvent) => void;
  signal: (event: SignalEvent) => void;
  'server-error': (error: ProtocolError & { event?: string }) => void;
}
export interface ClientToServerEvents {
  join: (req: JoinRequest, ack: (reply: JoinReply | ErrorReply) => void) => void;
  signal: (req: SignalRequest, ack?: (reply: OkReply | ErrorReply) => void) => void;
  leave: (ack?: (reply: OkReply | ErrorReply) => void) => void;
  'ice-servers': (ack: (reply: IceServersReply | ErrorReply) => void) => void;
}

/** Trim, drop control and bidi-override characters, bound the length; an empty name becomes "Guest". */
export function cleanDisplayName(raw: string): string {
  const cleaned = raw
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim();
  return Array.from(cleaned).slice(0, LIMITS.displayName).join('') || 'Guest';
}

/** Validate `input` against `schema`; on failure a one-line reason naming the first bad field. */
export function check<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): { ok: true; value: v.InferOutput<S> } | { ok: false; reason: string } {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return { ok: false, reason: path ? `${path}: ${issue.message}` : issue.message };
}
