/**
 * Abuse limits per client address (docs/protocol.md §6), with rate-limiter-flexible: connections
 * per minute, concurrent connections, joins per minute, and messages shared by all of an address's
 * sockets (opening more sockets or reconnecting gives no fresh allowance). With redis the counters
 * are shared by every process of the cluster, with an in-memory limiter as insurance while redis is
 * away; the count of concurrent connections is per process.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClient } from './redis.js';

export interface AbuseLimitOptions {
  /** New connections (handshakes) per address per minute; default 300. */
  connectionsPerMinute?: number;
  /** Connections open at once per address (per process); default 100. */
  maxSocketsPerAddress?: number;
  /** `join` requests per address per minute; default 120. */
  joinsPerMinute?: number;
  /** Messages per address, on average per second; default 500. */
  messagesPerSecond?: number;
  /** …counted in windows of burst/perSecond seconds, at most this many per window; default 5000. */
  messageBurst?: number;
  /** A socket with more than this many rate-limited messages within 10 s is disconnected; default 200. */
  violationsBeforeDisconnect?: number;
  /** Take the client address from the first X-Forwarded-For entry (behind a reverse proxy). */
  trustProxy?: boolean;
}

export type ResolvedLimits = Required<AbuseLimitOptions>;

export const LIMIT_DEFAULTS: ResolvedLimits = {
  connectionsPerMinute: 300,
  maxSocketsPerAddress: 100,
  joinsPerMinute: 120,
  messagesPerSecond: 500,
  messageBurst: 5000,
  violationsBeforeDisconnect: 200,
  trustProxy: false,
};

export const VIOLATION_WINDOW_MS = 10_000;

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

export function resolveLimits(o: AbuseLimitOptions): ResolvedLimits {
  const r = { ...LIMIT_DEFAULTS, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as ResolvedLimits;
  for (const key of Object.keys(LIMIT_DEFAULTS) as (keyof ResolvedLimits)[]) if (key !== 'trustProxy') positive(key, r[key] as number);
  return r;
}

/** The address a request comes from: the first X-Forwarded-For entry when the proxy is trusted. */
export function clientAddress(remote: string | undefined, headers: IncomingHttpHeaders, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = headers['x-forwarded-for'];
    const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return remote ?? 'unknown';
}

export class AbuseLimits {
  readonly options: ResolvedLimits;
  readonly #connections: RateLimiterAbstract;
  readonly #joins: RateLimiterAbstract;
  readonly #messages: RateLimiterAbstract;
  readonly #open = new Map<string, number>();
  /** Addresses out of messages, until when (performance.now()): refused at once, without asking the limiter (or redis). */
  readonly #blocked = new Map<string, number>();

  constructor(options: AbuseLimitOptions, redis?: RedisClient) {
    const o = (this.options = resolveLimits(options));
    const windowS = Math.max(1, Math.round(o.messageBurst / o.messagesPerSecond));
    const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration });
      if (!redis) return memory;
      return new RateLimiterRedis({
        storeClient: redis,
        useRedisPackage: true,
        rejectIfRedisNotReady: true,
        keyPrefix: `rtc-widgets:rl:${keyPrefix}`,
        points,
        duration,
        insuranceLimiter: memory,
      });
    };
    this.#connections = make('conn', Math.floor(o.connectionsPerMinute), 60);
    this.#joins = make('join', Math.floor(o.joinsPerMinute), 60);
    this.#messages = make('msg', Math.floor(o.messageBurst), windowS);
  }

  /** Resolves true when allowed; a store failure lets the request through (the insurance limiter counts it). */
  static #take(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
    return limiter.consume(key).then(
      () => true,
      (r: unknown) => !(r instanceof RateLimiterRes),
    );
  }

  /** May `address` open one more connection? */
  async allowConnection(address: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    if ((this.#open.get(address) ?? 0) >= this.options.maxSocketsPerAddress) return { ok: false, reason: 'too many connections from this address' };
    if (!(await AbuseLimits.#take(this.#connections, address))) return { ok: false, reason: 'too many new connections from this address' };
    return { ok: true };
  }

  opened(address: string): void {
    this.#open.set(address, (this.#open.get(address) ?? 0) + 1);
  }

  closed(address: string): void {
    const n = (this.#open.get(address) ?? 1) - 1;
    if (n > 0) this.#open.set(address, n);
    else this.#open.delete(address);
  }

  allowJoin(address: string): Promise<boolean> {
    return AbuseLimits.#take(this.#joins, address);
  }

  /** Synchronous (false) while the address is known to be out of messages, which keeps a flood cheap. */
  allowMessage(address: string): boolean | Promise<boolean> {
    const until = this.#blocked.get(address);
    if (until !== undefined) {
      if (performance.now() < until) return false;
      this.#blocked.delete(address);
    }
    return this.#messages.consume(address).then(
      () => true,
      (r: unknown) => {
        if (!(r instanceof RateLimiterRes)) return true;
        if (this.#blocked.size > 10_000) this.#blocked.clear(); // bounded; the limiter still counts
        this.#blocked.set(address, performance.now() + r.msBeforeNext);
        return false;
      },
    );
  }
}
