import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Participant } from '../../core/session.js';
import type { ReadableStore } from '../../core/state/store.js';

/** Which participant a tile looks up: by id, the local one, or none (it was handed its record). */
export type Wanted = { id: string } | 'local' | undefined;

const find = (all: readonly Participant[], wanted: Wanted) =>
  wanted === undefined ? undefined : all.find((p) => (wanted === 'local' ? p.isLocal : p.id === wanted.id));

/**
 * A tile's own record in the session's `participants`, for a tile that looks itself up
 * (`participant-id`, `local`: a composed layout). The session keeps an unchanged participant's
 * record the same object, so the host updates only when its participant's record changes, not on
 * every change to anyone. A tile handed its record (`<rtc-room>`'s) wants none, and the store's
 * changes pass it by.
 */
export class ParticipantLookup implements ReactiveController {
  /** The record the host last updated for (compared by identity on each change). */
  #seen?: Participant;
  readonly #host: ReactiveControllerHost;
  readonly #wanted: () => Wanted;
  #store?: ReadableStore<Participant[]>;
  #off?: () => void;
  #connected = false;

  constructor(host: ReactiveControllerHost, wanted: () => Wanted) {
    this.#host = host;
    this.#wanted = wanted;
    host.addController(this);
  }

  /** Follow the participants of another session's store (`undefined`: none). */
  attach(store: ReadableStore<Participant[]> | undefined): void {
    if (store === this.#store) return;
    this.#store = store;
    this.#listen();
    this.#found(this.current);
  }

  /** The wanted participant's record now. */
  get current(): Participant | undefined {
    return find(this.#store?.get() ?? [], this.#wanted());
  }

  /** From the host's willUpdate: what it shows now (what it wants may have changed). */
  sync(): void {
    this.#seen = this.current;
  }

  hostConnected(): void {
    this.#connected = true;
    this.#listen();
    // Changes made while disconnected were not heard.
    this.#found(this.current);
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#off?.();
    this.#off = undefined;
  }

  #listen(): void {
    this.#off?.();
    this.#off = undefined;
    // Only while connected: a removed tile must not stay referenced by the session.
    if (this.#connected && this.#store) this.#off = this.#store.listen((all) => this.#found(find(all, this.#wanted())));
  }

  #found(p: Participant | undefined): void {
    if (p === this.#seen) return;
    this.#seen = p;
    this.#host.requestUpdate();
  }
}
