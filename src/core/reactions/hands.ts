/**
 * Raised hands (docs/protocol.md §10, `hand` and `lower-hand`): each member announces its own hand
 * with the time it raised it; every page orders the raised hands into the same queue.
 *
 * Order: by raise time, then by peer id (plain string order) for equal times. The time is the
 * raiser's clock, as announced, with two corrections made by each receiver so that a skewed or
 * hostile clock cannot move a hand far:
 * - a time in the future is taken as the receive time;
 * - a hand raised live (not the first `hand` after a control channel opened, which reports a hand
 *   that may have gone up long before we connected) is taken as raised at least
 *   MAX_CLOCK_SKEW_MS before it arrived.
 * A hand that is already up keeps its place when announced again (a new channel, a reconnect).
 * Pages see the same order as long as the members' clocks agree to within the time between two
 * raises (NTP keeps them within milliseconds).
 */
import { store, type ReadableStore } from '../state/store.js';
import type { HandMessage, LowerHandMessage } from './wire.js';
import { PerPeerRate } from './rate.js';

/** A live raise is placed no earlier than this before it arrived (ms). */
export const MAX_CLOCK_SKEW_MS = 10_000;
/** `hand` and `lower-hand` messages taken from one peer per second; more are dropped. */
export const HAND_MESSAGES_PER_SECOND = 10;

export interface RaisedHand {
  /** Peer id (our own id for our hand). */
  id: string;
  /** When it was raised (ms since the epoch, corrected as described above). */
  at: number;
}

export interface HandsHost {
  localId(): string;
  /** To every connected peer, or to one. */
  send(msg: HandMessage | LowerHandMessage, to?: string): void;
  /** Whether `from` may lower other people's hands (a host, or anyone in a room without hosts). */
  mayLower(from: string): boolean;
  /** The queue changed. */
  changed(): void;
  /** `by` lowered our hand (a host, or anyone in a room without hosts). */
  loweredBy?(by: string): void;
}

export class Hands {
  readonly #host: HandsHost;
  readonly #queue = store<RaisedHand[]>([]);
  /** When we raised ours, or null. */
  #local: number | null = null;
  readonly #remote = new Map<string, number>();
  /** Peers whose control channel just opened: their next `hand` is a snapshot, not a live raise. */
  readonly #snapshot = new Set<string>();
  readonly #rate = new PerPeerRate(HAND_MESSAGES_PER_SECOND);

  /** Raised hands, first raised first. */
  readonly queue: ReadableStore<RaisedHand[]> = this.#queue;

  constructor(host: HandsHost) {
    this.#host = host;
  }

  get raised(): boolean {
    return this.#local !== null;
  }

  /** 1-based place of `id` in the queue, 0 when its hand is down. */
  position(id: string): number {
    return this.#queue.get().findIndex((h) => h.id === id) + 1;
  }

  raise(): void {
    if (this.#local !== null) return;
    this.#local = Date.now();
    this.#announce();
  }

  lower(): void {
    if (this.#local === null) return;
    this.#local = null;
    this.#announce();
  }

  /** Ask `id` to lower its hand (the caller checked that we may); it re-announces its hand. */
  lowerOther(id: string): void {
    this.#host.send({ type: 'lower-hand', id }, id);
  }

  /** A new control channel to `id`: tell it our hand, and take its next `hand` as a snapshot. */
  controlOpened(id: string): void {
    this.#snapshot.add(id);
    this.#host.send(this.#message(), id);
  }

  /** A validated `hand` or `lower-hand` from `from`. */
  received(from: string, msg: HandMessage | LowerHandMessage): void {
    if (!this.#rate.take(from)) return;
    if (msg.type === 'lower-hand') {
      // Only about ourselves, and only from someone allowed to.
      if (msg.id !== this.#host.localId() || !this.#host.mayLower(from) || this.#local === null) return;
      this.lower();
      this.#host.loweredBy?.(from);
      return;
    }
    const snapshot = this.#snapshot.delete(from);
    if (!msg.raised) {
      if (this.#remote.delete(from)) this.refresh();
      return;
    }
    if (this.#remote.has(from)) return; // keeps its place
    const now = Date.now();
    let at = Math.min(msg.at, now);
    if (!snapshot) at = Math.max(at, now - MAX_CLOCK_SKEW_MS);
    this.#remote.set(from, at);
    this.refresh();
  }

  /** The peer left: its hand leaves the queue. */
  forget(id: string): void {
    this.#snapshot.delete(id);
    this.#rate.forget(id);
    if (this.#remote.delete(id)) this.refresh();
  }

  /** Out of the call: every hand, ours included, is down. */
  reset(): void {
    this.#local = null;
    this.#remote.clear();
    this.#snapshot.clear();
    this.#rate.clear();
    this.refresh();
  }

  /** Work the queue out again (also when our own id changed). */
  refresh(): void {
    const hands: RaisedHand[] = [...this.#remote].map(([id, at]) => ({ id, at }));
    if (this.#local !== null) hands.push({ id: this.#host.localId(), at: this.#local });
    hands.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const old = this.#queue.get();
    if (hands.length === old.length && hands.every((h, i) => h.id === old[i]!.id && h.at === old[i]!.at)) return;
    this.#queue.set(hands);
    this.#host.changed();
  }

  #message(): HandMessage {
    return { type: 'hand', raised: this.#local !== null, at: this.#local ?? 0 };
  }

  #announce(): void {
    this.#host.send(this.#message());
    this.refresh();
  }
}
