/** The redis pair behind @socket.io/redis-adapter (node-redis v5+ clients). */
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';

const newClient = (url: string) => createClient({ url });
export type RedisClient = ReturnType<typeof newClient>;

export interface RedisPair {
  adapter: ReturnType<typeof createAdapter>;
  /** The publishing connection, also used for plain commands (the away book). */
  client: RedisClient;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** The URL without its password, for log lines. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable redis URL)';
  }
}

/**
 * The client as the socket.io adapter gets it: every call that returns a promise gets a rejection
 * handler (the same promise is returned, so a caller that awaits it still sees the error). The
 * adapter discards the promises of its publish calls; when redis goes away in the middle of one,
 * the rejection would be unhandled, and Node ends the process on those. `instead`: methods to use
 * in place of the client's own.
 */
function handled<T extends object>(client: T, log: (line: string) => void, instead: Record<string, (...args: never[]) => unknown> = {}): T {
  let last = '';
  const note = (err: unknown) => {
    const message = (err as Error)?.message ?? String(err);
    if (message !== last) log(`redis command failed: ${message}`); // once per distinct failure
    last = message;
  };
  return new Proxy(client, {
    get(target, key) {
      const value = typeof key === 'string' && Object.hasOwn(instead, key) ? instead[key] : Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = Reflect.apply(value, target, args);
        if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).catch(note);
        return result;
      };
    },
  });
}

export async function connectRedis(url: string, log: (line: string) => void): Promise<RedisPair> {
  const pub = newClient(url);
  const sub = pub.duplicate();
  // Without an error listener a dropped redis connection (ECONNRESET) crashes the process;
  // node-redis reconnects by itself, so logging is all that is needed.
  for (const [role, client] of [
    ['pub', pub],
    ['sub', sub],
  ] as const) {
    let last = '';
    client.on('error', (err: Error) => {
      if (err.message !== last) log(`redis ${role}: ${err.message}`); // once per distinct failure, not per retry
      last = err.message;
    });
    client.on('ready', () => (last = ''));
  }
  const destroy = () => {
    for (const c of [pub, sub]) if (c.isOpen) c.destroy();
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all([pub.connect(), sub.connect()]),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`could not connect to redis at ${redact(url)} within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  // node-redis arms a 5 s timeout for every command (an AbortSignal.timeout, and a timer that fires
  // even after the reply). The adapter publishes every relayed signal and never waits for the
  // reply: its publishes go without one (a dropped connection still fails them at once).
  const publisher = pub.withCommandOptions({ timeout: 0 });
  return {
    adapter: createAdapter(handled(pub, log, { publish: publisher.publish.bind(publisher) }), handled(sub, log)),
    client: pub,
    async close() {
      // close() lets queued commands (the last peer-left broadcasts) go out; destroy() if redis is gone.
      const timeout = setTimeout(destroy, 2000);
      await Promise.allSettled([pub.close(), sub.close()]);
      clearTimeout(timeout);
    },
  };
}
