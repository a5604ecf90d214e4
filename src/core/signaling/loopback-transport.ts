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
import type { JoinOptions, SignalingTransport, TransportEvents } from './transport.js';

export interface LoopbackHubOptions {
  capacity?: number;
  iceServers?: IceServer[];
  /** How long those ICE servers' credentials are said to last, in seconds (0, the default: for good). */
  iceServersTtl?: number;
  /** Delays every relayed signal, like a network would (tests use it to force glare). */
  latencyMs?: number;
  /** How long an interrupted member keeps its seat (default 30 s), as the server's grace period. */
  resumeGraceMs?: number;
}

/**
 * An in-page stand-in for the signaling server with the same room rules (relay only within a room,
 * validated payloads, capacity, seats kept for members whose connection dropped). Core tests and
 * demos run whole calls in one page with it.
 */
export class LoopbackHub {
  readonly #members = new Map<string, LoopbackTransport>();
  #next = 0;
  constructor(readonly options: LoopbackHubOptions = {}) {}

  /** A new client of this hub, like a new socket to the server. */
  connect(): LoopbackTransport {
    return new LoopbackTransport(this, `loop-${++this.#next}-${Math.random().toString(36).slice(2, 8)}`);
  }

  get graceMs(): number {
    return this.options.resumeGraceMs ?? 30_000;
  }

  /** @internal Members of `room`, present or keeping their seat. */
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
  /** interrupt()ed: nothing reaches us or leaves us until restore(). */
  #down = false;
  #seatTimer?: ReturnType<typeof setTimeout>;

  constructor(
    readonly hub: LoopbackHub,
    readonly id: string,
  ) {}

  get connected(): boolean {
    return !this.#closed && !this.#down && !!this.room;
  }

  async join(room: string, name: string, { resume = false }: JoinOptions = {}): Promise<JoinReply> {
    if (this.#closed || this.#down) throw new RtcError('signaling-failed', 'The connection is closed.');
    if (resume) {
      if (this.room !== room) throw new RtcError('resume-expired', 'Your place in the call has expired.');
      clearTimeout(this.#seatTimer);
    } else if (this.room) throw new RtcError('join-failed', 'Could not join the room: already in a room');
    const others = this.hub.members(room).filter((m) => m !== this);
    if (!resume && others.length >= (this.hub.options.capacity ?? 6)) throw new RtcError('room-full', 'This room is full.');
    this.room = room;
    this.name = cleanDisplayName(name);
    this.hub.add(this);
    // Deliver asynchronously, as a network would.
    const info = resume ? { id: this.id, name: this.name, resumed: true } : { id: this.id, name: this.name };
    queueMicrotask(() => others.forEach((o) => o.#deliver('peer-joined', info)));
    return {
      ok: true,
      protocol: PROTOCOL_VERSION,
      id: this.id,
      name: this.name,
      room,
      peers: others.filter((o) => !o.#down).map((o) => ({ id: o.id, name: o.name })),
      iceServers: this.hub.options.iceServers ?? [],
      iceServersTtl: this.hub.options.iceServersTtl ?? 0,
      resumed: resume,
      resumeGrace: Math.max(1, Math.ceil(this.hub.graceMs / 1000)),
    };
  }

  signal(to: string, data: SignalData): void {
    const req = check(SignalRequestSchema, { to, data });
    const target = this.hub.get(to);
    if (!req.ok || !this.connected || !target || target.room !== this.room) return;
    const from = this.id;
    setTimeout(() => target.#deliver('signal', { from, data: req.value.data }), this.hub.options.latencyMs ?? 0);
  }

  async leave(): Promise<void> {
    this.#depart('left');
  }

  async iceServers(): Promise<IceServersReply> {
    if (this.#down) throw new RtcError('signaling-failed', 'The connection is down.');
    return { ok: true, iceServers: this.hub.options.iceServers ?? [], iceServersTtl: this.hub.options.iceServersTtl ?? 0 };
  }

  on<E extends keyof TransportEvents>(event: E, cb: TransportEvents[E]): () => void {
    return this.events.on(event, cb);
  }

  close(): void {
    this.#depart('disconnected');
    this.#closed = true;
    this.events.events = {};
  }

  /** Simulate a closed tab: the others see 'disconnected' at once. */
  drop(): void {
    this.close();
  }

  /**
   * Simulate a dropped connection that comes back (restore()): the hub keeps our seat for its
   * grace period without telling anyone, as the server does for a protocol-2 member.
   */
  interrupt(): void {
    if (this.#down || this.#closed) return;
    this.#down = true;
    this.events.emit('disconnect', 'transport close');
    if (this.room) this.#seatTimer = setTimeout(() => this.#depart('disconnected'), this.hub.graceMs);
  }

  /** The connection is back: the session resumes with join(room, name, { resume: true }). */
  restore(): void {
    if (!this.#down || this.#closed) return;
    this.#down = false;
    this.events.emit('reconnect');
  }

  #deliver<E extends keyof TransportEvents>(event: E, ...args: Parameters<TransportEvents[E]>): void {
    if (!this.#down) this.events.emit(event, ...args);
  }

  #depart(reason: 'left' | 'disconnected'): void {
    clearTimeout(this.#seatTimer);
    const room = this.room;
    if (!room) return;
    this.room = undefined;
    this.hub.remove(this);
    const others = this.hub.members(room);
    queueMicrotask(() => others.forEach((o) => o.#deliver('peer-left', { id: this.id, reason })));
  }
}
