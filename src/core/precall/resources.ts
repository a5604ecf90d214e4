/** Everything a check opens, released at once at the end (or on abort); late arrivals are released on arrival. */
export class Resources {
  #released = false;
  readonly #closers: (() => void)[] = [];

  get released(): boolean {
    return this.#released;
  }

  track<T extends MediaStream>(stream: T): T {
    this.add(() => stream.getTracks().forEach((t) => t.stop()));
    return stream;
  }

  pc(pc: RTCPeerConnection): RTCPeerConnection {
    this.add(() => pc.close());
    return pc;
  }

  add(close: () => void): void {
    if (this.#released) return safely(close);
    this.#closers.push(close);
  }

  release(): void {
    this.#released = true;
    for (const close of this.#closers.splice(0)) safely(close);
  }
}

function safely(f: () => void): void {
  try {
    f();
  } catch {
    // releasing must go on
  }
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The check was stopped.', 'AbortError');
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined); // its own failure after the stop is nobody's concern
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

/** `promise`, or `fallback()` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, fallback: () => T | Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => Promise.resolve().then(fallback).then(resolve, reject), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

/** Resolves true once `check()` holds (polled, and on `events` of `target`), false after `ms`. */
export function until(check: () => boolean, ms: number, target?: EventTarget, events: string[] = []): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearInterval(poll);
      clearTimeout(timer);
      for (const e of events) target?.removeEventListener(e, test);
      resolve(ok);
    };
    const test = () => {
      if (check()) done(true);
    };
    const poll = setInterval(test, 50);
    const timer = setTimeout(() => done(check()), ms);
    for (const e of events) target?.addEventListener(e, test);
    test();
  });
}
