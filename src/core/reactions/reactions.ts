/**
 * Emoji reactions (docs/protocol.md §10, `reaction`): one emoji of a fixed set, sent to every
 * peer and shown over the sender's tile for a moment. Nothing is kept: a reaction is an event,
 * not state, so a peer that joins later sees only the ones that follow.
 */
import { isReaction, type Reaction, type ReactionMessage } from './wire.js';
import { PerPeerRate } from './rate.js';

export { REACTIONS, REACTION_NAMES, isReaction, type Reaction } from './wire.js';

/** Reactions taken from one peer per second (and sent by us); more are dropped. */
export const REACTIONS_PER_SECOND = 5;

export interface ReactionEvent {
  /** Peer id of who reacted (our own id for our own reactions). */
  from: string;
  emoji: Reaction;
}

export interface ReactionsHost {
  localId(): string;
  /** To every connected peer. */
  send(msg: ReactionMessage): void;
  emit(event: ReactionEvent): void;
}

export class Reactions {
  readonly #host: ReactionsHost;
  readonly #rate = new PerPeerRate(REACTIONS_PER_SECOND);

  constructor(host: ReactionsHost) {
    this.#host = host;
  }

  /**
   * React with `emoji` (one of REACTIONS): everyone, we included, hears a `reaction` event. False
   * when over the rate (the receivers would drop it anyway: our own tile must not show more).
   */
  react(emoji: string): boolean {
    if (!isReaction(emoji)) throw new TypeError(`Not a reaction: ${JSON.stringify(emoji)} (one of the REACTIONS is).`);
    // Our own reactions count under a key no peer id can be (ids are base64url).
    if (!this.#rate.take(' local')) return false;
    this.#host.send({ type: 'reaction', emoji });
    this.#host.emit({ from: this.#host.localId(), emoji });
    return true;
  }

  /** A validated `reaction` from `from`. */
  received(from: string, msg: ReactionMessage): void {
    if (!this.#rate.take(from)) return;
    this.#host.emit({ from, emoji: msg.emoji });
  }

  forget(id: string): void {
    this.#rate.forget(id);
  }

  reset(): void {
    this.#rate.clear();
  }
}
