import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableStore } from '../core/state/store.js';

/**
 * Binds a core store to a lit element: `value` mirrors the store while the host is connected,
 * every change requests an update, and `hostDisconnected` unsubscribes (a forgotten subscription
 * would keep a call's objects alive). Attach a different store at any time, or `undefined`.
 *
 * @example
 * #participants = new StoreController<Participant[]>(this);
 * // when the session is known:
 * this.#participants.attach(session.participants);
 */
export class StoreController<T> implements ReactiveController {
  /** The store's current value; `undefined` while no store is attached. */
  value?: T;
  readonly #host: ReactiveControllerHost;
  readonly #onChange?: (value: T | undefined) => void;
  #store?: ReadableStore<T>;
  #unsubscribe?: () => void;
  #connected = false;

  constructor(host: ReactiveControllerHost, onChange?: (value: T | undefined) => void) {
    this.#host = host;
    this.#onChange = onChange;
    host.addController(this);
  }

  /** The attached store, if any. */
  get store(): ReadableStore<T> | undefined {
    return this.#store;
  }

  /** Follow `store` instead of the current one (`undefined` detaches). */
  attach(store: ReadableStore<T> | undefined): void {
    if (store === this.#store) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#store = store;
    if (this.#connected) this.#subscribe();
    else this.#set(store?.get());
  }

  hostConnected(): void {
    this.#connected = true;
    this.#subscribe();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #subscribe(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const store = this.#store;
    if (!store) {
      this.#set(undefined);
      return;
    }
    // subscribe() calls back at once with the current value.
    this.#unsubscribe = store.subscribe((v) => this.#set(v));
  }

  #set(value: T | undefined): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    this.#onChange?.(value);
    this.#host.requestUpdate();
  }
}
