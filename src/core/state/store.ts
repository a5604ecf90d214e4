/**
 * State in the core lives in small stores: `get()` for the current value, `subscribe()` that calls
 * back at once and returns its teardown, `listen()` for changes only. (nanostores has the same
 * shape but reads `process.env.NODE_ENV`, which breaks unbundled ESM in plain pages.)
 */
export interface ReadableStore<T> {
  get(): T;
  /** Calls `cb` now and on every change; returns the unsubscribe function. */
  subscribe(cb: (value: T) => void): () => void;
  /** Calls `cb` on every change only; returns the unsubscribe function. */
  listen(cb: (value: T) => void): () => void;
}

export interface WritableStore<T> extends ReadableStore<T> {
  set(value: T): void;
}

export function store<T>(initial: T): WritableStore<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  const listen = (cb: (value: T) => void) => {
    // Wrapped so the same callback can be subscribed twice and unsubscribed independently.
    const entry = (v: T) => cb(v);
    listeners.add(entry);
    return () => void listeners.delete(entry);
  };
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const cb of [...listeners]) cb(value);
    },
    listen,
    subscribe(cb) {
      const off = listen(cb);
      cb(value);
      return off;
    },
  };
}
