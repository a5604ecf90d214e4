/**
 * Who else is recording the call, as their `recording` messages say (docs/protocol.md §10, P2P
 * 1.8). A peer is untrusted: its messages are bounded to one change shown per 250 ms (a flood of
 * toggles would re-render and re-announce without end), but the latest word always wins once the
 * time is up, so the indicator is never left wrong.
 */
import type { RecordingMessage } from './wire.js';

/** Least time between two changes shown for one peer, ms. */
export const RECORDING_MIN_INTERVAL_MS = 250;

interface Peer {
  on: boolean;
  /** When a change of this peer was last applied (performance.now()). */
  at: number;
  /** A later word, waiting for its turn. */
  pending?: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

export class RecordingPresence {
  readonly #peers = new Map<string, Peer>();
  readonly #changed: () => void;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  /** `id` is recording (as far as it told us). */
  isRecording(id: string): boolean {
    return this.#peers.get(id)?.on ?? false;
  }

  received(from: string, msg: RecordingMessage): void {
    const now = performance.now();
    let peer = this.#peers.get(from);
    if (!peer) this.#peers.set(from, (peer = { on: false, at: -Infinity }));
    if (peer.timer !== undefined) {
      peer.pending = msg.on; // its turn comes with the timer
      return;
    }
    const wait = peer.at + RECORDING_MIN_INTERVAL_MS - now;
    if (wait > 0) {
      peer.pending = msg.on;
      peer.timer = setTimeout(() => {
        peer.timer = undefined;
        const on = peer.pending!;
        peer.pending = undefined;
        this.#apply(peer, on, performance.now());
      }, wait);
      return;
    }
    this.#apply(peer, msg.on, now);
  }

  #apply(peer: Peer, on: boolean, now: number): void {
    if (peer.on === on) return;
    peer.on = on;
    peer.at = now;
    this.#changed();
  }

  /** The peer left: its recording is over as far as we can tell. */
  forget(id: string): void {
    const peer = this.#peers.get(id);
    if (!peer) return;
    clearTimeout(peer.timer);
    this.#peers.delete(id);
    if (peer.on) this.#changed();
  }

  /** Out of the call: nobody is recording. */
  reset(): void {
    for (const p of this.#peers.values()) clearTimeout(p.timer);
    this.#peers.clear();
  }
}
