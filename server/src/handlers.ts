/**
 * The four client events (join, signal, leave, ice-servers) and departure on disconnect, for one
 * socket. Handlers return the ack reply or throw a ReplyError; connection.ts turns that into an
 * ack or a `server-error` event.
 */
import {
  JoinRequestSchema,
  LIMITS,
  PROTOCOL_VERSION,
  SUPPORTED_PROTOCOLS,
  SignalRequestSchema,
  check,
  type ErrorCode,
  type IceServersReply,
  type JoinReply,
  type OkReply,
} from '../../src/core/signaling/protocol.js';
import type { AwayBook } from './away.js';
import { verifyJoinProof } from './identity.js';
import { isLocalMember, isMember, joinStamp, members, peerIdOf, peerKey, roomKey, type SignalIo, type SignalSocket } from './rooms.js';
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
  /** Members whose connection dropped, kept for `resumeGraceMs`. */
  away: AwayBook;
  resumeGraceMs: number;
  /** Work that must finish before the server closes (seats kept for members of a closing server). */
  pending: Set<Promise<unknown>>;
  log: (line: string) => void;
}

/** How long a remote peer found by fetchSockets() is trusted to exist before asking the cluster again. */
const REMOTE_PEER_TTL_MS = 5000;

export type Reply = JoinReply | IceServersReply | OkReply;

export interface RoomHandlers {
  join(payload: unknown): Promise<JoinReply | undefined>;
  signal(payload: unknown): Promise<OkReply | undefined>;
  leave(): Promise<OkReply>;
  iceServers(): Promise<IceServersReply>;
  /** Leave the current room (if any): at once for `left`; a resumable member that `disconnected` keeps its seat for the grace period. */
  depart(reason: 'left' | 'disconnected'): void;
}

export function roomHandlers(ctx: RoomContext, socket: SignalSocket, challenge: string): RoomHandlers {
  const { io, capacity } = ctx;
  // Remote members this socket signalled recently (peer id → expiry): spares a cluster round trip
  // per ICE candidate. An entry goes as soon as this socket is told the peer left; targeting stays
  // exact regardless (peer:<room>:<id>), a stale entry could only mean an ack for a peer just gone.
  const remotePeers = new Map<string, number>();
  socket.onAnyOutgoing((event: string, payload: { id?: unknown } | undefined) => {
    if (event === 'peer-left' && typeof payload?.id === 'string') remotePeers.delete(payload.id);
  });
  const full = () => new ReplyError('room-full', `the room is full (${capacity} people)`);
  // Whole seconds on the wire; never 0 for a resumable member (0 means "cannot resume").
  const graceSeconds = Math.max(1, Math.ceil(ctx.resumeGraceMs / 1000));

  function depart(reason: 'left' | 'disconnected'): void {
    const { room, resumable } = socket.data;
    const id = socket.data.peerId ?? socket.id;
    if (!room) return;
    socket.data.room = undefined;
    socket.data.joinedAt = undefined;
    remotePeers.clear();
    if (socket.connected) {
      void socket.leave(roomKey(room));
      void socket.leave(peerKey(room, id));
    }
    if (reason === 'disconnected' && resumable) {
      // Keep the seat: the member's peer connections outlive this socket, and it comes back under
      // the same id. Nobody is told unless the grace period passes (the sweeper announces it).
      const keep = (async () => {
        if (await isMember(io, room, id)) return; // a newer connection took over the id
        await ctx.away.put(room, id, Date.now() + ctx.resumeGraceMs);
      })().catch((err) => {
        ctx.log(`could not keep the seat of ${id} in ${room}: ${String(err)}; announcing the departure`);
        io.to(roomKey(room)).emit('peer-left', { id, reason });
      });
      ctx.pending.add(keep);
      void keep.finally(() => ctx.pending.delete(keep));
      return;
    }
    io.to(roomKey(room)).emit('peer-left', { id, reason });
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

  /** The peer id this join claims: the key's (proved), else this socket's. */
  function identify(room: string, protocol: number, key?: string, proof?: string): { id: string; resumable: boolean } {
    if (protocol < 2 || (!key && !proof)) return { id: socket.id, resumable: false };
    if (!key || !proof) throw new ReplyError('invalid-payload', 'key and proof go together');
    const id = verifyJoinProof(key, proof, challenge, room);
    if (!id) throw new ReplyError('invalid-proof', 'the proof does not verify with this key for this connection and room');
    return { id, resumable: true };
  }

  return {
    depart,

    async join(payload) {
      const req = check(JoinRequestSchema, payload);
      if (!req.ok) throw new ReplyError('invalid-payload', req.reason);
      const { room, name, protocol, key, proof, resume } = req.value;
      if (!(SUPPORTED_PROTOCOLS as readonly number[]).includes(protocol)) {
        throw new ReplyError('unsupported-protocol', `this server speaks protocols ${SUPPORTED_PROTOCOLS.join(' and ')}, not ${protocol}`);
      }
      if (socket.data.room) throw new ReplyError('already-joined', 'already in a room: leave it first');
      const { id, resumable } = identify(room, protocol, key, proof);
      if (resume && !resumable) throw new ReplyError('invalid-payload', 'resume needs key and proof');

      // Whoever holds the key is the member: an older connection under the same id is replaced.
      const before = await members(io, room);
      const replacing = before.some((m) => peerIdOf(m) === id);
      const keptSeat = resumable ? await ctx.away.take(room, id) : false;
      if (resume && !replacing && !keptSeat && Date.now() - ctx.away.lostAt() >= ctx.resumeGraceMs) {
        throw new ReplyError('resume-expired', `no seat kept for this id: it was gone for more than ${graceSeconds} s; join again without resume`);
      }
      if (before.filter((m) => peerIdOf(m) !== id).length >= capacity) throw full();
      if (!socket.connected) return undefined;

      socket.data.room = room;
      socket.data.name = name;
      socket.data.peerId = id;
      socket.data.resumable = resumable;
      socket.data.joinedAt = joinStamp();
      void socket.join([roomKey(room), peerKey(room, id)]);
      if (replacing) io.in(peerKey(room, id)).except(socket.id).disconnectSockets(true);
      // Joins race (here and on other processes): count again now that we are in, and let the
      // join order decide who stays, so the room never ends above capacity.
      const all = (await members(io, room)).filter((m) => m.id === socket.id || peerIdOf(m) !== id);
      if (!socket.connected) return undefined; // the disconnect handler already took care of us
      const rank = all.findIndex((m) => m.id === socket.id);
      if (rank >= capacity) {
        depart('left'); // a racing newcomer may have listed us
        throw full();
      }
      const peers = all
        .slice(0, capacity)
        .filter((m) => m.id !== socket.id)
        .map((m) => ({ id: peerIdOf(m), name: m.data.name ?? 'Guest' }));
      const resumed = resume || replacing;
      socket.to(roomKey(room)).emit('peer-joined', resumed ? { id, name, resumed } : { id, name });
      return {
        ok: true,
        protocol: Math.min(protocol, PROTOCOL_VERSION),
        id,
        name,
        room,
        peers,
        resumed,
        resumeGrace: resumable ? graceSeconds : 0,
        ...iceServersFor(ctx.ice, id),
      };
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
      const from = socket.data.peerId;
      if (!room || !from) throw new ReplyError('not-in-room', 'join a room before sending signals');
      const { to, data } = req.value;
      if (to === from) throw new ReplyError('unknown-peer', 'cannot signal yourself');
      const exists = await peerExists(room, to);
      if (socket.data.room !== room) return undefined; // disconnected meanwhile
      if (!exists) throw new ReplyError('unknown-peer', `no peer "${to}" in this room`);
      // The validated value: unknown fields were stripped, so peers only ever get protocol data.
      io.to(peerKey(room, to)).emit('signal', { from, data });
      return { ok: true };
    },

    async leave() {
      if (!socket.data.room) throw new ReplyError('not-in-room', 'not in a room');
      depart('left');
      return { ok: true };
    },

    async iceServers() {
      return { ok: true, ...iceServersFor(ctx.ice, socket.data.peerId ?? socket.id) };
    },
  };
}
