/**
 * The signaling wire protocol, shared by the browser client and the server so that both validate
 * with the same schemas. docs/protocol.md is the human contract; keep the two in step and bump
 * PROTOCOL_VERSION on any incompatible change.
 */
import * as v from 'valibot';

export const PROTOCOL_VERSION = 2;
/** Versions a server accepts in `join` (1: no resumable identity; see docs/protocol.md §12). */
export const SUPPORTED_PROTOCOLS = [1, 2] as const;

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
  /** base64url SPKI of a P-256 public key is 122 characters. */
  publicKey: 256,
  /** base64url of a 64-byte IEEE P1363 ECDSA signature is 86 characters. */
  proof: 128,
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
  'invalid-proof',
  'resume-expired',
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

const base64url = (max: number) => v.pipe(v.string(), v.maxLength(max), v.regex(/^[A-Za-z0-9_-]+$/, 'must be base64url'));

export const JoinRequestSchema = v.object({
  room: roomName,
  name: v.optional(displayName, ''),
  /** Absent means 1: clients written before version 2 did not always send it. */
  protocol: v.optional(v.pipe(v.number(), v.integer()), 1),
  /** Version 2: the member's public key (base64url SPKI, ECDSA P-256); the peer id is derived from it. */
  key: v.optional(base64url(LIMITS.publicKey)),
  /** Version 2: signature of joinProofText(challenge, room) with that key (base64url, IEEE P1363). */
  proof: v.optional(base64url(LIMITS.proof)),
  /** Version 2: "I was in this room under this key's id and lost my connection": continue as that member. */
  resume: v.optional(v.boolean(), false),
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
  /** In `peer-joined`: a member who lost its connection came back under its id (keep the peer connection). */
  resumed?: boolean;
}

/** Sent by the server to every new connection, before anything else (version 2). */
export interface WelcomeEvent {
  /** The newest version this server speaks, and all it accepts. */
  protocol: number;
  protocols: number[];
  /** Fresh per connection (base64url, 32 random bytes): what a version-2 `join` signs. */
  challenge: string;
}

/** The exact text a version-2 join signs: binds the proof to this connection and this room. */
export function joinProofText(challenge: string, room: string): string {
  return `rtc-widgets join\n${challenge}\n${room}`;
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
  /** Your display name as the others see it (cleaned). */
  name: string;
  room: string;
  /** The join continued an earlier membership (`resume`): the peers listed may already be connected to you. */
  resumed: boolean;
  /** Seconds a dropped connection may take to resume this membership (0: not resumable, e.g. protocol 1). */
  resumeGrace: number;
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
  welcome: (event: WelcomeEvent) => void;
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
