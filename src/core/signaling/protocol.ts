/**
 * The signaling wire protocol, shared by the browser client and the server so that both validate
 * with the same schemas. docs/protocol.md is the human contract; keep the two in step and bump
 * PROTOCOL_VERSION on any incompatible change.
 */
import * as v from 'valibot';
import { ROLES, type Role } from './roles.js';

export const PROTOCOL_VERSION = 4;
/**
 * Versions a server accepts in `join` (1: no resumable identity; 2: no roles, lobby or sealed
 * signals; 3: no viewer request; see docs/protocol.md §12).
 */
export const SUPPORTED_PROTOCOLS = [1, 2, 3, 4] as const;

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
  /** A join token (a compact JWT). */
  token: 4096,
  /** A sealed signal: base64url of nonce + AES-GCM ciphertext of a description or candidate. */
  sealed: 48 * 1024,
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
  // Protocol 3: access.
  /** The server requires a join token and none was given. */
  'token-required',
  /** The token's signature or claims do not verify. */
  'token-invalid',
  'token-expired',
  /** The token is valid but for another room. */
  'token-room',
  /** A host removed this member (or this token) from the room; it is refused for a while. */
  'removed',
  /** The room is locked: nobody new gets in. */
  'room-locked',
  /** The room has a lobby: wait for `admitted`, then send `join` again (or `denied`). */
  'in-lobby',
  /** The role does not allow this (a guest sending a host command, a viewer publishing). */
  'not-allowed',
  /** Version 4, broadcast rooms: a signal from a viewer to another viewer (viewers never connect to each other). */
  'viewer-to-viewer',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ProtocolError {
  code: ErrorCode;
  message: string;
}
export type ErrorReply = { ok: false; error: ProtocolError };

// Letters, digits and a few URL-safe marks: the room name travels in `?room=` invite links.
const roomName = v.pipe(v.string(), v.regex(/^[\p{L}\p{N}_.~-]{1,64}$/u, 'room must be 1-64 letters, digits or _ . ~ -'));
// Display names are free text from strangers: bounded, control characters removed, never HTML.
const displayName = v.pipe(
  v.string(),
  v.maxLength(LIMITS.displayName * 4, 'name is too long'),
  v.transform((s) => cleanDisplayName(s)),
);
const peerId = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.peerId));

const base64url = (max: number) => v.pipe(v.string(), v.maxLength(max), v.regex(/^[A-Za-z0-9_-]+$/, 'must be base64url'));

/** Version 4: a meeting (everyone connects to everyone) or a broadcast (presenters send, viewers only receive). */
const ROOM_MODES_LIST = ['meeting', 'broadcast'] as const;
export const ROOM_MODES: readonly RoomMode[] = ROOM_MODES_LIST;
export type RoomMode = (typeof ROOM_MODES_LIST)[number];

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
  /** Version 3: a join token from the app's backend (docs/protocol.md §13); required when the server has a token secret. */
  token: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.token))),
  /**
   * Version 4: join as a viewer (receive only), whatever the token or the room would make us.
   * A client may only ask for less: any other value is refused.
   */
  role: v.optional(v.literal('viewer', "a client may only ask for 'viewer'")),
  /**
   * Version 4: the room's mode, taken from the join that finds the room empty (ignored otherwise):
   * 'broadcast' makes later members viewers who never connect to each other (docs/protocol.md §13).
   */
  mode: v.optional(v.picklist(ROOM_MODES_LIST, "mode must be 'meeting' or 'broadcast'")),
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
/**
 * What one peer sends another through the server: a description, or a candidate (null = end of
 * candidates), or (version 3, rooms with a room secret) either of those sealed with the room key so
 * the server relays ciphertext it cannot read or alter (docs/protocol.md §14).
 */
export const PeerSignalSchema = v.union([v.object({ description: DescriptionSchema }), v.object({ candidate: v.nullable(CandidateSchema) })]);
/** A signal as the peer connection uses it (also what a sealed signal holds, and what the control channel carries). */
export type PeerSignal = v.InferOutput<typeof PeerSignalSchema>;
export const SealedSignalSchema = v.object({ sealed: base64url(LIMITS.sealed) });
export const SignalDataSchema = v.union([...PeerSignalSchema.options, SealedSignalSchema]);
export type SignalData = v.InferOutput<typeof SignalDataSchema>;

export const SignalRequestSchema = v.object({ to: peerId, data: SignalDataSchema });
export type SignalRequest = v.InferOutput<typeof SignalRequestSchema>;

export { ROLES, type Role } from './roles.js';

export interface PeerInfo {
  id: string;
  name: string;
  /** In `peer-joined`: a member who lost its connection came back under its id (keep the peer connection). */
  resumed?: boolean;
  /** Version 3. */
  role?: Role;
}

/** Version 3: who may get in. */
export interface RoomSettings {
  /** Nobody new gets in (`room-locked`); members who drop may still resume. */
  locked: boolean;
  /** Newcomers who are not hosts wait in the lobby until a host admits them. */
  lobby: boolean;
  /** Version 4: present (only) in a broadcast room; set by the join that found the room empty. */
  mode?: 'broadcast';
}
/** Version 3: someone waiting in the lobby (sent to hosts). */
export interface KnockInfo {
  id: string;
  name: string;
}

/** Version 3: what a host asks the server to do (`host` event, with an ack). */
export const HostCommandSchema = v.variant('action', [
  v.object({ action: v.literal('admit'), id: peerId }),
  v.object({ action: v.literal('deny'), id: peerId }),
  /** Disconnect a member and refuse its token and key in this room for a while. */
  v.object({ action: v.literal('remove'), id: peerId }),
  /** Ask a member to mute: relayed as `mute-requested`; only its own client can do it. */
  v.object({ action: v.literal('mute'), id: peerId, kind: v.optional(v.picklist(['audio', 'video']), 'audio') }),
  v.object({ action: v.literal('settings'), locked: v.optional(v.boolean()), lobby: v.optional(v.boolean()) }),
  v.object({ action: v.literal('role'), id: peerId, role: v.picklist(ROLES) }),
  /** Everyone is told `room-ended` and disconnected. */
  v.object({ action: v.literal('end') }),
]);
export type HostCommand = v.InferOutput<typeof HostCommandSchema>;

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
  /** Version 3: your role, the room's settings, and (hosts only) who is waiting in the lobby. */
  role?: Role;
  settings?: RoomSettings;
  lobby?: KnockInfo[];
}
export interface IceServersReply {
  ok: true;
  iceServers: IceServer[];
  iceServersTtl: number;
}
export type OkReply = { ok: true };

/** HTTP, not socket.io (docs/protocol.md §1, Origin check): whether the asking page's Origin may connect. */
export const ORIGIN_CHECK_PATH = '/rtc-origin-check';
/** The body of GET /rtc-origin-check. */
export interface OriginCheckReply {
  service: 'rtc-widgets';
  allowed: boolean;
  /** The request's Origin header (null: none, or longer than 512 characters). */
  origin: string | null;
}

export interface PeerLeftEvent {
  id: string;
  reason: 'left' | 'disconnected';
}
export interface SignalEvent {
  from: string;
  data: SignalData;
}

/** Version 3: `by` names the host who did it. */
export interface ByEvent {
  by: string;
  byName: string;
}

/** socket.io event maps, for typed sockets on both ends. */
export interface ServerToClientEvents {
  'peer-joined': (peer: PeerInfo) => void;
  'peer-left': (event: PeerLeftEvent) => void;
  signal: (event: SignalEvent) => void;
  'server-error': (error: ProtocolError & { event?: string }) => void;
  welcome: (event: WelcomeEvent) => void;
  // Version 3.
  /** To hosts: someone is waiting in the lobby. */
  knock: (knock: KnockInfo) => void;
  /** To hosts: a knock was answered (by any host) or the knocker went away. */
  'knock-gone': (event: { id: string }) => void;
  /** To a knocker: send `join` again now. */
  admitted: () => void;
  /** To a knocker: not let in. */
  denied: (event: ByEvent) => void;
  'mute-requested': (event: ByEvent & { kind: 'audio' | 'video' }) => void;
  /** Sent just before the server disconnects a removed member. */
  removed: (event: ByEvent) => void;
  /** Sent to every member just before the server disconnects them all. */
  'room-ended': (event: ByEvent) => void;
  'room-settings': (settings: RoomSettings) => void;
  'peer-role': (event: { id: string; role: Role }) => void;
}
export interface ClientToServerEvents {
  join: (req: JoinRequest, ack: (reply: JoinReply | ErrorReply) => void) => void;
  signal: (req: SignalRequest, ack?: (reply: OkReply | ErrorReply) => void) => void;
  leave: (ack?: (reply: OkReply | ErrorReply) => void) => void;
  'ice-servers': (ack: (reply: IceServersReply | ErrorReply) => void) => void;
  host: (command: HostCommand, ack: (reply: OkReply | ErrorReply) => void) => void;
}

/** Trim, drop control and bidi-override characters, bound the length; an empty name becomes "Guest". */
export function cleanDisplayName(raw: string): string {
  const cleaned = raw.replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '').trim();
  return Array.from(cleaned).slice(0, LIMITS.displayName).join('') || 'Guest';
}

/** Validate `input` against `schema`; on failure a one-line reason naming the first bad field. */
export function check<S extends v.GenericSchema>(schema: S, input: unknown): { ok: true; value: v.InferOutput<S> } | { ok: false; reason: string } {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return { ok: false, reason: path ? `${path}: ${issue.message}` : issue.message };
}
