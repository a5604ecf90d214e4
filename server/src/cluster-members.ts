/**
 * Who is a member of which room on the other processes of a cluster, so that a signal to a peer on
 * another process needs no cluster round trip to check that the peer is in the sender's room
 * (fetchSockets asks every process through redis and waits for the slowest; at a few hundred
 * signals a second that round trip was most of what a cluster did).
 *
 * Each process announces the peer rooms (`peer:<room>:<id>`) it gains and loses, numbered, through
 * the adapter's server-side events, and beats every HEARTBEAT_MS with its latest number. A gap in
 * the numbers (a message lost while redis was away) or a process not heard of before gets that
 * process's full list. A process that falls silent (it died) is forgotten after NODE_SILENT_MS: its
 * members count as gone. A peer the view does not hold is asked of the cluster as before
 * (fetchSockets), and a peer found that way is trusted for FOUND_TTL_MS.
 *
 * Only "may this signal go?" is answered here: the relay itself still targets
 * `peer:<room>:<id>`, which only a socket in that room right now receives. A stale entry can mean
 * an `ok` for a signal to a peer that has just left (it reaches nobody), never a delivery to anyone
 * outside the sender's room.
 */
import { randomUUID } from 'node:crypto';
import { isPeerKey, type SignalIo } from './rooms.js';

/** The server-side event the processes of a cluster exchange (never sent to a client). */
const EVENT = 'rtc-widgets:members';
export const HEARTBEAT_MS = 2000;
/** A process not heard from for this long is taken for dead: its members are gone. */
export const NODE_SILENT_MS = 3 * HEARTBEAT_MS + 1000;
/** A peer found by asking the cluster (the view missed it) is trusted this long. */
const FOUND_TTL_MS = 3000;
/** Requests for our list within this long get one list (every process hears it). */
const LIST_DELAY_MS = 50;
/** A process whose list we asked for is not asked again sooner than this. */
const ASK_AGAIN_MS = 1000;
const MAX_FOUND = 10_000;

type Message =
  /** `node` gained (here) or lost the peer room `key`; `v` numbers the node's changes. */
  | { t: 'change'; node: string; v: number; key: string; here: boolean }
  /** Heartbeat: the number of the node's latest change. */
  | { t: 'alive'; node: string; v: number }
  /** Every peer room `node` holds, as of its change `v`. */
  | { t: 'list'; node: string; v: number; keys: string[] }
  /** `node` asks `want` (a node, or '*': every node) for its list. */
  | { t: 'ask'; node: string; want: string };

interface NodeView {
  seenAt: number;
  /** The number of the last change applied. */
  v: number;
  keys: Set<string>;
  askedAt: number;
}

export class ClusterMembers {
  /** This process, as the others know it. */
  readonly node = randomUUID();
  readonly #io: SignalIo;
  readonly #now: () => number;
  #v = 0;
  readonly #nodes = new Map<string, NodeView>();
  readonly #found = new Map<string, number>();
  #listTimer: NodeJS.Timeout | undefined;
  readonly #beat: NodeJS.Timeout;
  readonly #onCreate = (room: string) => this.#changed(room, true);
  readonly #onDelete = (room: string) => this.#changed(room, false);
  readonly #onMessage = (m: unknown) => this.#receive(m);

  constructor(io: SignalIo, now: () => number = Date.now) {
    this.#io = io;
    this.#now = now;
    const adapter = io.of('/').adapter;
    // The in-memory part of the adapter says when this process gains its first and loses its last
    // socket in a room, whichever way (join, leave, disconnect, a remote socketsJoin).
    adapter.on('create-room', this.#onCreate);
    adapter.on('delete-room', this.#onDelete);
    io.of('/').on(EVENT as never, this.#onMessage);
    this.#send({ t: 'ask', node: this.node, want: '*' });
    this.#beat = setInterval(() => this.#heartbeat(), HEARTBEAT_MS);
    this.#beat.unref();
  }

  /** Whether peer room `key` has a member on another live process, as far as this process has heard. */
  has(key: string): boolean {
    const now = this.#now();
    for (const n of this.#nodes.values()) if (n.keys.has(key) && now - n.seenAt <= NODE_SILENT_MS) return true;
    const until = this.#found.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.#found.delete(key);
    return false;
  }

  /** The cluster answered for `key` (the view missed it): trust a yes for a little while. */
  found(key: string, member: boolean): void {
    if (!member) {
      this.#found.delete(key);
      return;
    }
    if (this.#found.size >= MAX_FOUND) this.#sweepFound();
    if (this.#found.size < MAX_FOUND) this.#found.set(key, this.#now() + FOUND_TTL_MS);
  }

  close(): void {
    clearInterval(this.#beat);
    clearTimeout(this.#listTimer);
    const adapter = this.#io.of('/').adapter;
    adapter.off('create-room', this.#onCreate);
    adapter.off('delete-room', this.#onDelete);
    this.#io.of('/').off(EVENT as never, this.#onMessage);
  }

  #send(m: Message): void {
    this.#io.of('/').serverSideEmit(EVENT as never, m as never);
  }

  #changed(key: string, here: boolean): void {
    if (!isPeerKey(key)) return;
    this.#send({ t: 'change', node: this.node, v: ++this.#v, key, here });
  }

  #heartbeat(): void {
    this.#send({ t: 'alive', node: this.node, v: this.#v });
    const now = this.#now();
    for (const [node, n] of this.#nodes) if (now - n.seenAt > NODE_SILENT_MS) this.#nodes.delete(node);
    this.#sweepFound();
  }

  #sweepFound(): void {
    const now = this.#now();
    for (const [key, until] of this.#found) if (until <= now) this.#found.delete(key);
  }

  /** The view of `node`, which was just heard from: a new (or presumed dead) one is asked for its list unless it is sending it. */
  #view(node: string, now: number, ask = true): NodeView {
    let n = this.#nodes.get(node);
    if (!n || now - n.seenAt > NODE_SILENT_MS) {
      n = { seenAt: now, v: -1, keys: new Set(), askedAt: -Infinity };
      this.#nodes.set(node, n);
      if (ask) this.#ask(n, node, now);
    }
    n.seenAt = now;
    return n;
  }

  #ask(n: NodeView, node: string, now: number): void {
    if (now - n.askedAt < ASK_AGAIN_MS) return;
    n.askedAt = now;
    this.#send({ t: 'ask', node: this.node, want: node });
  }

  #receive(raw: unknown): void {
    // From the other processes of the cluster (trusted, as redis is), but checked in shape anyway.
    const m = raw as Partial<Message> | null;
    if (!m || typeof m !== 'object' || typeof m.node !== 'string' || m.node === this.node) return;
    const now = this.#now();
    switch (m.t) {
      case 'ask':
        if (m.want === '*' || m.want === this.node) this.#listSoon();
        return;
      case 'list': {
        if (!Number.isInteger(m.v) || !Array.isArray(m.keys)) return;
        const n = this.#view(m.node, now, false);
        n.v = m.v!;
        n.keys = new Set(m.keys.filter((k): k is string => typeof k === 'string'));
        return;
      }
      case 'change': {
        if (!Number.isInteger(m.v) || typeof m.key !== 'string') return;
        const n = this.#view(m.node, now);
        if (m.here) n.keys.add(m.key);
        else {
          n.keys.delete(m.key);
          this.#found.delete(m.key);
        }
        if (n.v >= 0 && m.v !== n.v + 1) this.#ask(n, m.node, now); // we missed some
        n.v = m.v!;
        return;
      }
      case 'alive': {
        if (!Number.isInteger(m.v)) return;
        const n = this.#view(m.node, now);
        if (n.v >= 0 && m.v !== n.v) this.#ask(n, m.node, now);
        return;
      }
    }
  }

  /** Our list, once for every request within LIST_DELAY_MS (a new process makes every other ask). */
  #listSoon(): void {
    this.#listTimer ??= setTimeout(() => {
      this.#listTimer = undefined;
      const keys: string[] = [];
      for (const key of this.#io.of('/').adapter.rooms.keys()) if (isPeerKey(key)) keys.push(key);
      this.#send({ t: 'list', node: this.node, v: this.#v, keys });
    }, LIST_DELAY_MS);
    this.#listTimer.unref();
  }
}
