/**
 * The client events (join, signal, leave, ice-servers, and the hosts' `host`) and departure on
 * disconnect, for one socket. Handlers return the ack reply or throw a ReplyError; connection.ts turns that into an
 * ack or a `server-error` event.
 */
import {
  HostCommandSchema,
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
  type PeerInfo,
  type Role,
} from 'rtc-widgets/protocol';
import type { AwayBook } from './away.js';
import type { ClusterMembers } from './cluster-members.js';
import { verifyJoinProof } from './identity.js';
import type { ServerMetrics } from './metrics.js';
import type { RoomStore } from './room-store.js';
import { receivedBytes } from './sized-parser.js';
import {
  hostsKey,
  isLocalMember,
  isMember,
  joinStamp,
  knockerKey,
  lobby,
  lobbyKey,
  members,
  peerIdOf,
  peerKey,
  promoteIfHostless,
  roleOf,
  roomKey,
  seated,
  v3Key,
  type SignalIo,
  type SignalSocket,
} from './rooms.js';
import { verifyToken, type TokenClaims } from './token.js';
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
  /** Broadcast rooms: most viewers (they do not count in `capacity`). */
  viewerCapacity: number;
  /** True with the redis adapter: members may live on other processes. */
  clustered: boolean;
  /** With the redis adapter: the members on the other processes, as announced (cluster-members.ts). */
  remote?: ClusterMembers;
  ice: IceConfig;
  /** Members whose connection dropped, kept for `resumeGraceMs`. */
  away: AwayBook;
  resumeGraceMs: number;
  /** Work that must finish before the server closes (seats kept for members of a closing server). */
  pending: Set<Promise<unknown>>;
  log: (line: string) => void;
  /** Version 3: settings, bans, admissions, kept roles. */
  store: RoomStore;
  /** The join-token secret (HS256 key); without it rooms are open. */
  tokenKey?: Uint8Array;
  /** How long `remove` bans a member's id and token from the room. */
  banMs: number;
  /** How long an admission from the lobby stays good for the admitted id. */
  admitMs: number;
  metrics: ServerMetrics;
}

export type Reply = JoinReply | IceServersReply | OkReply;

export interface RoomHandlers {
  join(payload: unknown): Promise<JoinReply | undefined>;
  signal(payload: unknown): Promise<OkReply | undefined>;
  leave(): Promise<OkReply>;
  iceServers(): Promise<IceServersReply>;
  host(payload: unknown): Promise<OkReply>;
  /**
   * Leave the current room (if any): at once for `left`; a resumable member that `disconnected`
   * keeps its seat for the grace period; `removed` is announced as `left`; `ended` is not announced.
   */
  depart(reason: Departure): void;
  /** Stop waiting in a lobby (if waiting); `announce`: tell the hosts `knock-gone`. */
  cancelKnock(announce: boolean): void;
}

export type Departure = 'left' | 'disconnected' | 'removed' | 'ended';

/** "1, 2 and 3" */
const versions = (): string => {
  const v = SUPPORTED_PROTOCOLS.map(String);
  return v.length > 1 ? `${v.slice(0, -1).join(', ')} and ${v.at(-1)}` : v.join('');
};

export function roomHandlers(ctx: RoomContext, socket: SignalSocket, challenge: string): RoomHandlers {
  const { io, capacity } = ctx;
  // Events aimed at this socket may come from any process of the cluster: what they mean for the
  // socket's own state is applied here, on the process that holds it.
  socket.onAnyOutgoing((event: string, payload: { id?: unknown; role?: unknown } | undefined) => {
    switch (event) {
      case 'peer-role':
        if (socket.data.room && payload?.id === socket.data.peerId) setRole(socket.data.room, payload?.role as Role);
        break;
      case 'admitted':
      case 'denied':
        cancelKnock(false); // the host who answered told the hosts
        break;
      case 'removed':
        depart('removed');
        setImmediate(() => socket.disconnect(true)); // after the event is on its way
        break;
      case 'room-ended':
        cancelKnock(false);
        depart('ended');
        setImmediate(() => socket.disconnect(true));
        break;
    }
  });

  function setRole(room: string, role: Role): void {
    socket.data.role = role;
    if (!socket.connected) return;
    if (role === 'host') void socket.join(hostsKey(room));
    else void socket.leave(hostsKey(room));
  }

  function cancelKnock(announce: boolean): void {
    const k = socket.data.knock;
    if (!k) return;
    socket.data.knock = undefined;
    if (socket.connected) {
      void socket.leave(lobbyKey(k.room));
      void socket.leave(knockerKey(k.room, k.id));
    }
    if (announce) io.to(hostsKey(k.room)).emit('knock-gone', { id: k.id });
  }

  function knock(room: string, id: string, name: string): void {
    const k = socket.data.knock;
    if (k?.room === room && k.id === id) return; // still waiting: the hosts know
    cancelKnock(true);
    socket.data.knock = { room, id, name };
    void socket.join([lobbyKey(room), knockerKey(room, id)]);
    io.to(hostsKey(room)).emit('knock', { id, name });
    ctx.metrics.knocks.inc();
  }

  const openRooms = !ctx.tokenKey;
  const promote = (room: string) => {
    if (!openRooms) return;
    promoteIfHostless(io, room).catch((err) => ctx.log(`could not promote a host in ${room}: ${String(err)}`));
  };
  const full = () => new ReplyError('room-full', `the room is full (${capacity} people)`);
  // Whole seconds on the wire; never 0 for a resumable member (0 means "cannot resume").
  const graceSeconds = Math.max(1, Math.ceil(ctx.resumeGraceMs / 1000));

  function depart(reason: Departure): void {
    const { room, resumable, role } = socket.data;
    const id = socket.data.peerId ?? socket.id;
    if (!room) return;
    socket.data.room = undefined;
    socket.data.joinedAt = undefined;
    if (socket.connected) {
      for (const key of [roomKey(room), peerKey(room, id), v3Key(room), hostsKey(room)]) void socket.leave(key);
    }
    if (reason === 'ended') return;
    if (reason === 'disconnected' && resumable) {
      // Keep the seat: the member's peer connections outlive this socket, and it comes back under
      // the same id. Nobody is told unless the grace period passes (the sweeper announces it).
      const keep = (async () => {
        if (await isMember(io, room, id)) return; // a newer connection took over the id
        await ctx.away.put(room, id, Date.now() + ctx.resumeGraceMs);
        // A host may have ended the room meanwhile: then there is nothing to come back to.
        if (await ctx.store.ended(room)) await ctx.away.take(room, id);
        else if (role) await ctx.store.keepRole(room, id, role, ctx.resumeGraceMs + 60_000);
      })().catch((err) => {
        ctx.log(`could not keep the seat of ${id} in ${room}: ${String(err)}; announcing the departure`);
        io.to(roomKey(room)).emit('peer-left', { id, reason });
      });
      ctx.pending.add(keep);
      void keep.finally(() => ctx.pending.delete(keep));
      return;
    }
    io.to(roomKey(room)).emit('peer-left', { id, reason: reason === 'removed' ? 'left' : reason });
    if (role === 'host') promote(room);
  }

  /**
   * Where peer `id` of `room` is: on this process, on another one of the cluster (as announced, else
   * as the cluster answers), or nowhere.
   */
  async function whereIs(room: string, id: string): Promise<'here' | 'elsewhere' | undefined> {
    if (isLocalMember(io, room, id)) return 'here';
    if (!ctx.clustered) return undefined;
    const key = peerKey(room, id);
    if (ctx.remote?.has(key)) return 'elsewhere';
    const found = (await io.in(key).fetchSockets()).length > 0;
    ctx.remote?.found(key, found);
    return found ? 'elsewhere' : undefined;
  }

  /** The peer id this join claims: the key's (proved), else this socket's. */
  function identify(room: string, protocol: number, key?: string, proof?: string): { id: string; resumable: boolean } {
    if (protocol < 2 || (!key && !proof)) return { id: socket.id, resumable: false };
    if (!key || !proof) throw new ReplyError('invalid-payload', 'key and proof go together');
    const id = verifyJoinProof(key, proof, challenge, room);
    if (!id) throw new ReplyError('invalid-proof', 'the proof does not verify with this key for this connection and room');
    return { id, resumable: true };
  }

  /**
   * Version 4: `mode` given (the room is empty): the room becomes a meeting or a broadcast. Either
   * way, whether the room is a broadcast now.
   */
  async function roomMode(room: string, mode: 'meeting' | 'broadcast' | undefined): Promise<boolean> {
    const settings = await ctx.store.settings(room);
    if (mode && (settings.mode ?? 'meeting') !== mode) {
      await ctx.store.setSettings(room, { locked: settings.locked, lobby: settings.lobby, ...(mode === 'broadcast' ? { mode } : {}) });
    }
    return (mode ?? settings.mode) === 'broadcast';
  }

  /** A role change in a broadcast room must find a seat: on stage (roomCapacity) or among the viewers (viewerCapacity). */
  async function stageRoom(room: string, from: Role | undefined, to: Role): Promise<void> {
    if ((from === 'viewer') === (to === 'viewer')) return;
    const all = await members(io, room);
    if (to === 'viewer' && all.filter((m) => m.data.role === 'viewer').length >= ctx.viewerCapacity) {
      throw new ReplyError('room-full', `the broadcast is full (${ctx.viewerCapacity} viewers)`);
    }
    if (to !== 'viewer' && all.filter((m) => m.data.role !== 'viewer').length >= capacity) {
      throw new ReplyError('room-full', `the stage is full (${capacity} presenters)`);
    }
  }

  return {
    depart,
    cancelKnock,

    async join(payload) {
      const req = check(JoinRequestSchema, payload);
      if (!req.ok) throw new ReplyError('invalid-payload', req.reason);
      const { room, protocol, key, proof, resume, token } = req.value;
      if (!(SUPPORTED_PROTOCOLS as readonly number[]).includes(protocol)) {
        throw new ReplyError('unsupported-protocol', `this server speaks protocols ${versions()}, not ${protocol}`);
      }
      // Version 4: a viewer by request. Older clients cannot be told their role, so they may not ask.
      if (req.value.role && protocol < 4) throw new ReplyError('invalid-payload', 'role: asking for a role needs protocol 4');
      if (socket.data.room) throw new ReplyError('already-joined', 'already in a room: leave it first');
      let claims: TokenClaims | undefined;
      if (ctx.tokenKey) {
        if (!token) throw new ReplyError('token-required', 'this server needs a join token from your app');
        const verified = await verifyToken(ctx.tokenKey, token, room);
        if (!verified.ok) throw new ReplyError(verified.code, verified.message);
        claims = verified.claims;
      }
      const name = claims?.name ?? req.value.name;
      const { id, resumable } = identify(room, protocol, key, proof);
      if (resume && !resumable) throw new ReplyError('invalid-payload', 'resume needs key and proof');
      const banKey = claims?.banKey;
      if (await ctx.store.banned(room, [`peer:${id}`, ...(banKey ? [banKey] : [])])) {
        throw new ReplyError('removed', 'a host removed you from this room; try again later');
      }

      // Whoever holds the key is the member: an older connection under the same id is replaced.
      const before = await members(io, room);
      const old = before.find((m) => peerIdOf(m) === id);
      const replacing = Boolean(old);
      const keptSeat = resumable ? await ctx.away.take(room, id) : false;
      if (resume && !replacing && !keptSeat && (Date.now() - ctx.away.lostAt() >= ctx.resumeGraceMs || (await ctx.store.ended(room)))) {
        throw new ReplyError('resume-expired', `no seat kept for this id: it was gone for more than ${graceSeconds} s; join again without resume`);
      }
      const resumed = resume || replacing;
      const others = before.filter((m) => peerIdOf(m) !== id);
      // Open rooms: nobody here means a fresh start (the newcomer is host, the old settings go).
      if (openRooms && !others.length && !resumed) await ctx.store.clearSettings(room);
      // Version 4: the join that finds the room empty sets its mode (docs/protocol.md §13).
      if (req.value.mode && protocol < 4) throw new ReplyError('invalid-payload', 'mode: a room mode needs protocol 4');
      const broadcast = await roomMode(room, !others.length && !resumed ? (req.value.mode ?? 'meeting') : undefined);
      // Open rooms: the first member who takes part (viewers only watch) runs the room.
      // Broadcast rooms: once someone presents, newcomers watch (a host may invite them on stage).
      let role: Role = claims?.role ?? (others.some((m) => m.data.role !== 'viewer') ? (broadcast ? 'viewer' : 'guest') : 'host');
      if (resumed) role = old?.data.role ?? (await ctx.store.keptRole(room, id)) ?? role; // a resume keeps its role
      // Asking for less is always granted; a resume keeps the role it had (e.g. a viewer since invited on stage).
      if (req.value.role === 'viewer' && !resumed) role = 'viewer';
      const settings = await ctx.store.settings(room);
      if (!resumed && role !== 'host') {
        if (settings.locked) throw new ReplyError('room-locked', 'the room is locked: nobody new gets in');
        if (settings.lobby && !(await ctx.store.admitted(room, id))) {
          if (!socket.connected) return undefined;
          knock(room, id, name);
          throw new ReplyError('in-lobby', 'wait in the lobby: a host will let you in (`admitted`: send join again) or not (`denied`)');
        }
      }
      // Broadcast rooms: viewers have seats of their own (viewerCapacity), apart from the presenters'.
      const sameSeats = (m: { data: { role?: Role } }) => !broadcast || (m.data.role === 'viewer') === (role === 'viewer');
      const audience = broadcast && role === 'viewer';
      const seats = audience ? ctx.viewerCapacity : capacity;
      const isFull = () => (audience ? new ReplyError('room-full', `the broadcast is full (${seats} viewers)`) : full());
      if (others.filter(sameSeats).length >= seats) throw isFull();
      if (!socket.connected) return undefined;

      cancelKnock(true);
      socket.data.room = room;
      socket.data.name = name;
      socket.data.peerId = id;
      socket.data.resumable = resumable;
      socket.data.joinedAt = joinStamp();
      socket.data.role = role;
      socket.data.protocol = protocol;
      socket.data.banKey = banKey;
      socket.data.mode = broadcast ? 'broadcast' : 'meeting';
      const v3 = protocol >= 3;
      void socket.join([roomKey(room), peerKey(room, id), ...(v3 ? [v3Key(room)] : []), ...(role === 'host' ? [hostsKey(room)] : [])]);
      if (replacing) io.in(peerKey(room, id)).except(socket.id).disconnectSockets(true);
      // Joins race (here and on other processes): count again now that we are in, and let the
      // join order decide who stays, so the room never ends above capacity.
      const all = (await members(io, room)).filter((m) => m.id === socket.id || peerIdOf(m) !== id);
      if (!socket.connected) return undefined; // the disconnect handler already took care of us
      const rank = all.filter(sameSeats).findIndex((m) => m.id === socket.id);
      if (rank >= seats) {
        depart('left'); // a racing newcomer may have listed us
        throw isFull();
      }
      const peers: PeerInfo[] = seated(all, capacity, broadcast ? ctx.viewerCapacity : undefined)
        .filter((m) => m.id !== socket.id)
        .map((m) => ({ id: peerIdOf(m), name: m.data.name ?? 'Guest', ...(v3 ? { role: m.data.role ?? 'guest' } : {}) }));
      const announced: PeerInfo = resumed ? { id, name, resumed } : { id, name };
      // Version-3 members hear the role; older ones get exactly what they always did.
      socket.to(v3Key(room)).emit('peer-joined', { ...announced, role });
      socket.to(roomKey(room)).except(v3Key(room)).emit('peer-joined', announced);
      ctx.metrics.joins.inc();
      if (resumed) ctx.metrics.resumes.inc();
      const reply: JoinReply = {
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
      if (v3) {
        reply.role = role;
        reply.settings = settings;
        if (role === 'host') reply.lobby = await lobby(io, room);
      }
      return reply;
    },

    async host(payload) {
      const room = socket.data.room;
      const me = socket.data.peerId;
      if (!room || !me) throw new ReplyError('not-in-room', 'join a room first');
      if (socket.data.role !== 'host') throw new ReplyError('not-allowed', 'only a host can do this');
      const req = check(HostCommandSchema, payload);
      if (!req.ok) throw new ReplyError('invalid-payload', req.reason);
      const cmd = req.value;
      const by = { by: me, byName: socket.data.name ?? 'Guest' };
      const member = async (id: string) => {
        const found = (await members(io, room)).find((m) => peerIdOf(m) === id);
        if (!found) throw new ReplyError('unknown-peer', `no member "${id}" in this room`);
        return found;
      };
      switch (cmd.action) {
        case 'admit':
        case 'deny': {
          if (!(await io.in(knockerKey(room, cmd.id)).fetchSockets()).length) {
            throw new ReplyError('unknown-peer', `nobody "${cmd.id}" is waiting in the lobby`);
          }
          if (cmd.action === 'admit') {
            await ctx.store.admit(room, cmd.id, ctx.admitMs);
            io.to(knockerKey(room, cmd.id)).emit('admitted');
          } else io.to(knockerKey(room, cmd.id)).emit('denied', by);
          io.to(hostsKey(room)).emit('knock-gone', { id: cmd.id });
          break;
        }
        case 'remove': {
          if (cmd.id === me) throw new ReplyError('invalid-payload', 'to go, leave');
          const target = await member(cmd.id);
          await ctx.store.ban(room, [`peer:${cmd.id}`, ...(target.data.banKey ? [target.data.banKey] : [])], ctx.banMs);
          // Its process departs it (peer-left "left" to the others) and disconnects it.
          io.to(peerKey(room, cmd.id)).emit('removed', by);
          break;
        }
        case 'mute':
          await member(cmd.id);
          io.to(peerKey(room, cmd.id)).emit('mute-requested', { ...by, kind: cmd.kind });
          break;
        case 'settings': {
          const current = await ctx.store.settings(room);
          const settings = { locked: cmd.locked ?? current.locked, lobby: cmd.lobby ?? current.lobby };
          await ctx.store.setSettings(room, settings);
          io.to(v3Key(room)).emit('room-settings', settings);
          if (current.lobby && !settings.lobby && !settings.locked) {
            // No lobby any more: whoever was waiting may come in.
            for (const k of await lobby(io, room)) {
              await ctx.store.admit(room, k.id, ctx.admitMs);
              io.to(knockerKey(room, k.id)).emit('admitted');
              io.to(hostsKey(room)).emit('knock-gone', { id: k.id });
            }
          }
          break;
        }
        case 'role': {
          const target = await member(cmd.id);
          if (socket.data.mode === 'broadcast') await stageRoom(room, target.data.role, cmd.role);
          // Its process updates the member's role when this reaches it (older clients: only it hears).
          io.to(v3Key(room)).to(peerKey(room, cmd.id)).emit('peer-role', { id: cmd.id, role: cmd.role });
          if (cmd.role === 'host') for (const k of await lobby(io, room)) io.to(peerKey(room, cmd.id)).emit('knock', k);
          break;
        }
        case 'end': {
          await ctx.store.markEnded(room, ctx.resumeGraceMs);
          await ctx.away.dropRoom(room);
          await ctx.store.clearSettings(room);
          // Every process departs and disconnects its members (and knockers) when this reaches them.
          io.to(roomKey(room)).to(lobbyKey(room)).emit('room-ended', by);
          break;
        }
      }
      return { ok: true };
    },
    async signal(payload) {
      // Measure what the client sent (extra fields included): that is what it cost us to receive.
      // The size it arrived in when the parser noted it, else (binary frames) serialised again.
      const bytes = receivedBytes(payload) ?? Buffer.byteLength(JSON.stringify(payload) ?? '', 'utf8');
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
      const where = await whereIs(room, to);
      if (socket.data.room !== room) return undefined; // disconnected meanwhile
      if (!where) throw new ReplyError('unknown-peer', `no peer "${to}" in this room`);
      // The validated value: unknown fields were stripped, so peers only ever get protocol data.
      // Broadcast rooms: viewers never connect to each other (whatever their client tries).
      if (socket.data.mode === 'broadcast' && socket.data.role === 'viewer' && (await roleOf(io, room, to)) === 'viewer') {
        throw new ReplyError('viewer-to-viewer', 'in a broadcast, viewers do not connect to each other');
      }
      if (socket.data.room !== room) return undefined;
      // A peer on this process is reached without redis (the adapter would publish the offer, and
      // this process would read it back from redis only to drop it as its own).
      (where === 'here' ? io.local : io).to(peerKey(room, to)).emit('signal', { from, data });
      ctx.metrics.signals.inc();
      return { ok: true };
    },

    async leave() {
      if (!socket.data.room && socket.data.knock) {
        cancelKnock(true); // stop waiting in the lobby
        return { ok: true };
      }
      if (!socket.data.room) throw new ReplyError('not-in-room', 'not in a room');
      depart('left');
      return { ok: true };
    },

    async iceServers() {
      return { ok: true, ...iceServersFor(ctx.ice, socket.data.peerId ?? socket.id) };
    },
  };
}
