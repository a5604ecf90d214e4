/**
 * The four client events (join, signal, leave, ice-servers) and departure on disconnect, for one
 * socket. Handlers return the ack reply or throw a ReplyError; connection.ts turns that into an
 * ack or a `server-error` event.
 */
import {
  JoinRequestSchema,
  LIMITS,
  PROTOCOL_VERSION,
  SignalRequestSchema,
  check,
  type ErrorCode,
  type IceServersReply,
  type JoinReply,
  type OkReply,
} from '../../src/core/signaling/protocol.js';
import { isLocalMember, isMember, joinStamp, members, peerKey, roomKey, type SignalIo, type SignalSocket } from './rooms.js';
import { iceServersFor, type IceConfig } from './turn-credentials.js';

export class ReplyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RoomContext {
  io: SignalIo;
  capacity: number;
  /** True with the redis adapter: members may live on other processes. */
  clustered: boolean;
  ice: IceConfig;
}

/** How long a remote peer found by fetchSockets() is trusted to exist before asking the cluster again. */
const REMOTE_PEER_TTL_MS = 5000;

export type Reply = JoinReply | IceServersReply | OkReply;

export interface RoomHandlers {
  join(payload: unknown): Promise<JoinReply | undefined>;
  signal(payload: unknown): Promise<OkReply | undefined>;
  leave(): Promise<OkReply>;
  iceServers(): Promise<IceServersReply>;
  /** Leave the current room (if any) and tell the others. */
  depart(reason: 'left' | 'disconnected'): void;
}

export function roomHandlers(ctx: RoomContext, socket: SignalSocket): RoomHandlers {
  const { io, capacity } = ctx;
  // Remote members this socket signalled recently (peer id → expiry): spares a cluster round trip
  // per ICE candidate. An entry goes as soon as this socket is told the peer left; targeting stays
  // exact regardless (peer:<room>:<id>), a stale entry could only mean an ack for a peer just gone.
  const remotePeers = new Map<string, number>();
  socket.onAnyOutgoing((event: string, payload: { id?: unknown } | undefined) => {
    if (event === 'peer-left' && typeof payload?.id === 'string') remotePeers.delete(payload.id);
  });
  const full = () => new ReplyError('room-full', `the room is full (${capacity} people)`);

  function depart(reason: 'left' | 'disconnected'): void {
    const room = socket.data.room;
    if (!room) return;
    socket.data.room = undefined;
    socket.data.joinedAt = undefined;
    remotePeers.clear();
    if (socket.connected) {
      void socket.leave(roomKey(room));
      void socket.leave(peerKey(room, socket.id));
    }
    io.to(roomKey(room)).emit('peer-left', { id: socket.id, reason });
  }

  async function peerExists(room: string, id: string): Promise<boolean> {
    if (isLocalMember(io, room, id)) return true;
    if (!ctx.clustered) return false;
    const until = remotePeers.get(id);
    if (until !== undefined && until > Date.now()) return true;
    const found = await isMember(io, room, id);
    if (found) remotePeers.set(id, Date.now() + REMOTE_PEER_TTL_MS);
    else remotePeers.delete(id);
    return found;
  }

  return {
    depart,

    async join(payload) {
      const req = check(JoinRequestSchema, payload);
      if (!req.ok) throw new ReplyError('invalid-payload', req.reason);
      const { room, name, protocol } = req.value;
      if (protocol !== PROTOCOL_VERSION) {
        throw new ReplyError('unsupported-protocol', `this server speaks protocol ${PROTOCOL_VERSION}, not ${protocol}`);
      }
      if (socket.data.room) throw new ReplyError('already-joined', 'already in a room: leave it first');
      if ((await members(io, room)).length >= capacity) throw full();
      if (!socket.connected) return undefined;

      socket.data.room = room;
      socket.data.name = name;
      socket.data.joinedAt = joinStamp();
      void socket.join([roomKey(room), peerKey(room, socket.id)]);
      // Joins race (here and on other processes): count again now that we are in, and let the
      // join order decide who stays, so the room never ends above capacity.
      const all = await members(io, room);
      if (!socket.connected) return undefined; // the disconnect handler already announced our departure
      const rank = all.findIndex((m) => m.id === socket.id);
      if (rank >= capacity) {
        depart('left'); // a racing newcomer may have listed us
        throw full();
      }
      const peers = all
        .slice(0, capacity)
        .filter((m) => m.id !== socket.id)
        .map((m) => ({ id: m.id, name: m.data.name ?? 'Guest' }));
      socket.to(roomKey(room)).emit('peer-joined', { id: socket.id, name });
      return { ok: true, protocol: PROTOCOL_VERSION, id: socket.id, room, peers, ...iceServersFor(ctx.ice, socket.id) };
    },

    async signal(payload) {
      // Measure what the client sent (extra fields included): that is what it cost us to receive.
      const bytes = Buffer.byteLength(JSON.stringify(payload) ?? '', 'utf8');
      if (bytes > LIMITS.signalBytes) {
        throw new ReplyError('too-large', `signal is ${bytes} bytes, the limit is ${LIMITS.signalBytes}`);
      }
      const req = check(SignalRequestSchema, payload);
      if (!req.ok) throw new ReplyError('invalid-payload', req.reason);
      const room = socket.data.room;
      if (!room) throw new ReplyError('not-in-room', 'join a room before sending signals');
      const { to, data } = req.value;
      if (to === socket.id) throw new ReplyError('unknown-peer', 'cannot signal yourself');
      const exists = await peerExists(room, to);
      if (socket.data.room !== room) return undefined; // disconnected meanwhile
      if (!exists) throw new ReplyError('unknown-peer', `no peer "${to}" in this room`);
      // The validated value: unknown fields were stripped, so peers only ever get protocol data.
      io.to(peerKey(room, to)).emit('signal', { from: socket.id, data });
      return { ok: true };
    },

    async leave() {
      if (!socket.data.room) throw new ReplyError('not-in-room', 'not in a room');
      depart('left');
      return { ok: true };
    },

    async iceServers() {
      return { ok: true, ...iceServersFor(ctx.ice, socket.id) };
    },
  };
}
