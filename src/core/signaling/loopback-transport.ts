import { createNanoEvents } from 'nanoevents';
import { RtcError } from '../errors.js';
import {
  PROTOCOL_VERSION,
  SignalRequestSchema,
  check,
  cleanDisplayName,
  type IceServer,
  type IceServersReply,
  type JoinReply,
  type SignalData,
} from './protocol.js';
import type { SignalingTransport, TransportEvents } from './transport.js';

/**
 * An in-page stand-in for the signaling server with the same room rules (relay only within a room,
 * validated payloads, capacity). Core tests and demos run whole calls in one page with it.
 */
export class LoopbackHub {
  readonly #members = new Map<string, LoopbackTransport>();
  #next = 0;
  /** `latencyMs` delays every relayed signal, like a network would (tests use it to force glare). */
  constructor(readonly options: { capacity?: number; iceServers?: IceServer[]; latencyMs?: number } = {}) {}

  /** A new client of this hub, like a new socket to the server. */
  connect(): LoopbackTransport {
    return new LoopbackTransport(this, `loop-${++this.#next}-${Math.random().toString(36).slice(2, 8)}`);
  }

  /** @internal */
  members(room: string): LoopbackTransport[] {
    return [...this.#members.values()].filter((m) => m.room === room);
  }
  /** @internal */
  add(member: LoopbackTransport): void {
    this.#members.set(member.id, member);
  }
  /** @internal */
  remove(member: LoopbackTransport): void {
    this.#members.delete(member.id);
  }
  /** @internal */
  get(id: string): LoopbackTransport | undefined {
    return this.#members.get(id);
  }
}

export class LoopbackTransport implements SignalingTransport {
  room?: string;
  name = '';
  /** @internal */
  readonly events = createNanoEvents<TransportEvents>();
  #closed = false;

  constructor(
    readonly hub: LoopbackHub,
    readonly id: string,
  ) {}

  async join(room: string, name: string): Promise<JoinReply> {
    if (this.#closed) throw new RtcError('signaling-failed', 'The connection is closed.');
    if (this.room) throw new RtcError('join-failed', 'Could not join the room: already in a room');
    const others = this.hub.members(room);
    if (others.length >= (this.hub.options.capacity ?? 6)) throw new RtcError('room-full', 'This room is full.');
    this.room = room;
    this.name = cleanDisplayName(name);
    this.hub.add(this);
    // Deliver asynchronously, as a network would.
    queueMicrotask(() => others.forEach((o) => o.events.emit('peer-joined', { id: this.id, name: this.name })));
    return {
      ok: true,
      protocol: PROTOCOL_VERSION,
      id: this.id,
      room,
      peers: others.map((o) => ({ id: o.id, name: o.name })),
      iceServers: this.hub.options.iceServers ?? [],
      iceServersTtl: 0,
    };
  }

  signal(to: string, data: SignalData): void {
    const req = check(SignalRequestSchema, { to, data });
    const target = this.hub.get(to);
    if (!req.ok || !this.room || !target || target.room !== this.room) return;
    const from = this.id;
    setTimeout(() => target.events.emit('signal', { from, data: req.value.data }), this.hub.options.latencyMs ?? 0);
  }

  async leave(): Promise<void> {
    this.#depart('left');
  }

  async iceServers(): Promise<IceServersReply> {
    return { ok: true, iceServers: this.hub.options.iceServers ?? [], iceServersTtl: 0 };
  }

  on<E extends keyof TransportEvents>(event: E, cb: TransportEvents[E]): () => void {
    return this.events.on(event, cb);
  }

  close(): void {
    this.#depart('disconnected');
    this.#closed = true;
    this.events.events = {};
  }

  /** Simulate a dropped connection (a closed tab): the others see 'disconnected'. */
  drop(): void {
    this.close();
  }

  #depart(reason: 'left' | 'disconnected'): void {
    const room = this.room;
    if (!room) return;
    this.room = undefined;
    this.hub.remove(this);
    const others = this.hub.members(room);
    queueMicrotask(() => others.forEach((o) => o.events.emit('peer-left', { id: this.id, reason })));
  }
}
