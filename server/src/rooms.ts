/**
 * Room bookkeeping on top of socket.io rooms. Every socket.io room we use is prefixed, so a room
 * name chosen by a client can never equal (and so never receive) a socket's own id room, and a
 * relay aimed at `peer:<room>:<id>` can only reach a socket that is a member of that very room —
 * on this process or, through the redis adapter, on any other.
 */
import type { DefaultEventsMap, RemoteSocket, Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/core/signaling/protocol.js';

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
}

export type SignalIo = Server<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
export type SignalSocket = Socket<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
type Member = RemoteSocket<ServerToClientEvents, SocketData>;

/** Room names match /^[\p{L}\p{N}_.~-]+$/ (no ':'), so these keys cannot be confused with each other. */
export const roomKey = (room: string): string => `room:${room}`;
export const peerKey = (room: string, id: string): string => `peer:${room}:${id}`;
export const isRoomKey = (key: string): boolean => key.startsWith('room:');

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

/** Rooms and sockets on this process, for /healthz. */
export function localCounts(io: SignalIo): { rooms: number; sockets: number } {
  let rooms = 0;
  for (const key of io.of('/').adapter.rooms.keys()) if (isRoomKey(key)) rooms++;
  return { rooms, sockets: io.of('/').sockets.size };
}
