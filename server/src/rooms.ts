/**
 * Room bookkeeping on top of socket.io rooms. Every socket.io room we use is prefixed, so a room
 * name chosen by a client can never equal (and so never receive) a socket's own id room, and a
 * relay aimed at `peer:<room>:<id>` can only reach a socket that is a member of that very room —
 * on this process or, through the redis adapter, on any other.
 */
import type { DefaultEventsMap, RemoteSocket, Server, Socket } from 'socket.io';
import type { ClientToServerEvents, KnockInfo, Role, ServerToClientEvents } from 'rtc-widgets/protocol';

/** What the server keeps per socket; fetchSockets() carries it across the cluster. */
export interface SocketData {
  room?: string;
  name?: string;
  /** The member's peer id: derived from its key (protocol 2), else the socket id. */
  peerId?: string;
  /** Joined with a key: a dropped connection keeps the seat for the grace period. */
  resumable?: boolean;
  /** When the socket entered its room (joinStamp()): decides who is over capacity on a race. */
  joinedAt?: number;
  /** Version 3: the member's role (every member has one; older clients are not told). */
  role?: Role;
  /** The protocol version of the member's join. */
  protocol?: number;
  /** What a `remove` bans besides the peer id: the join token's `jti` (or hash). */
  banKey?: string;
  /** Version 4: the mode of the room when the member joined (it holds as long as the room has members). */
  mode?: 'meeting' | 'broadcast';
  /** Waiting in a room's lobby (protocol 3). */
  knock?: KnockInfo & { room: string };
  /** The client's address as the abuse limits count it. */
  address?: string;
}

export type SignalIo = Server<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
export type SignalSocket = Socket<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
type Member = RemoteSocket<ServerToClientEvents, SocketData>;

/** Room names match /^[\p{L}\p{N}_.~-]+$/ (no ':'), so these keys cannot be confused with each other. */
export const roomKey = (room: string): string => `room:${room}`;
export const peerKey = (room: string, id: string): string => `peer:${room}:${id}`;
export const isRoomKey = (key: string): boolean => key.startsWith('room:');
export const isPeerKey = (key: string): boolean => key.startsWith('peer:');
/** Members of `room` that joined with protocol ≥ 3: they get the version-3 events and fields. */
export const v3Key = (room: string): string => `v3:${room}`;
/** Members of `room` whose role is host: they hear knocks. */
export const hostsKey = (room: string): string => `hosts:${room}`;
/** Everyone waiting in `room`'s lobby, and one of them by id. */
export const lobbyKey = (room: string): string => `lobby:${room}`;
export const knockerKey = (room: string, id: string): string => `knocker:${room}:${id}`;

let lastStamp = 0;
/**
 * Wall-clock milliseconds with microsecond resolution, strictly increasing in this process. A
 * member stamped earlier has joined before anyone stamped later counts the room, so every server
 * ranks a racing join the same way (across servers this relies on their clocks agreeing, as NTP does).
 */
export function joinStamp(): number {
  lastStamp = Math.max(performance.timeOrigin + performance.now(), lastStamp + 0.001);
  return lastStamp;
}

/** Members of `room` across the cluster, in join order (ties broken by id, so every server agrees). */
export async function members(io: SignalIo, room: string): Promise<Member[]> {
  const sockets = await io.in(roomKey(room)).fetchSockets();
  return sockets.sort((a, b) => (a.data.joinedAt ?? 0) - (b.data.joinedAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The peer id a member is known by. */
export const peerIdOf = (m: { id: string; data: SocketData }): string => m.data.peerId ?? m.id;

/** Whether peer `id` is a member of `room` on this process (no network round trip). */
export function isLocalMember(io: SignalIo, room: string, id: string): boolean {
  return (io.of('/').adapter.rooms.get(peerKey(room, id))?.size ?? 0) > 0;
}

/** Whether peer `id` is a member of `room` anywhere in the cluster. */
export async function isMember(io: SignalIo, room: string, id: string): Promise<boolean> {
  if (isLocalMember(io, room, id)) return true;
  return (await io.in(peerKey(room, id)).fetchSockets()).length > 0;
}

/** The role of member `id` of `room` (this process first, then the cluster); undefined when it is not a member. */
export async function roleOf(io: SignalIo, room: string, id: string): Promise<Role | undefined> {
  for (const sid of io.of('/').adapter.rooms.get(peerKey(room, id)) ?? []) {
    const s = io.of('/').sockets.get(sid);
    if (s) return s.data.role;
  }
  const [remote] = await io.in(peerKey(room, id)).fetchSockets();
  return remote?.data.role;
}

/**
 * The members (in join order) who hold a seat: the first `capacity`; in a broadcast room
 * (`viewerCapacity` given) the first `capacity` who are not viewers and the first `viewerCapacity` viewers.
 */
export function seated<M extends { data: SocketData }>(all: M[], capacity: number, viewerCapacity?: number): M[] {
  if (viewerCapacity === undefined) return all.slice(0, capacity);
  let stage = 0;
  let viewers = 0;
  return all.filter((m) => (m.data.role === 'viewer' ? viewers++ < viewerCapacity : stage++ < capacity));
}

/** Rooms and sockets on this process, for /healthz. */
export function localCounts(io: SignalIo): { rooms: number; sockets: number } {
  let rooms = 0;
  for (const key of io.of('/').adapter.rooms.keys()) if (isRoomKey(key)) rooms++;
  return { rooms, sockets: io.of('/').sockets.size };
}

/** Who is waiting in `room`'s lobby, across the cluster, in no particular order (one entry per id). */
export async function lobby(io: SignalIo, room: string): Promise<KnockInfo[]> {
  const seen = new Map<string, KnockInfo>();
  for (const s of await io.in(lobbyKey(room)).fetchSockets()) {
    const k = s.data.knock;
    if (k && k.room === room && !seen.has(k.id)) seen.set(k.id, { id: k.id, name: k.name });
  }
  return [...seen.values()];
}

/**
 * Open rooms (no token secret): a room whose hosts all left for good gets a new one, the member
 * who joined first among those who are not viewers. Everyone is told with `peer-role` (older clients: only the member itself, which
 * ignores it); the new host also hears who is waiting in the lobby.
 */
export async function promoteIfHostless(io: SignalIo, room: string): Promise<void> {
  const all = await members(io, room);
  if (!all.length || all.some((m) => m.data.role === 'host')) return;
  // Viewers asked only to watch: never made hosts (the next one to take part will be).
  const first = all.find((m) => m.data.role !== 'viewer');
  if (!first) return;
  const id = peerIdOf(first);
  io.to(v3Key(room)).to(peerKey(room, id)).emit('peer-role', { id, role: 'host' });
  for (const knock of await lobby(io, room)) io.to(peerKey(room, id)).emit('knock', knock);
}
