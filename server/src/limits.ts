/**
 * Abuse limits per client address (docs/protocol.md §6), with rate-limiter-flexible: connections
 * per minute, concurrent connections, joins per minute, and messages shared by all of an address's
 * sockets (opening more sockets or reconnecting gives no fresh allowance). With redis the counters
 * are shared by every process of the cluster, with an in-memory limiter as insurance while redis is
 * away; the count of concurrent connections is per process. Messages are taken from the shared
 * counter in small batches (see MessageReserve), so that relaying a signal costs no redis round trip;
 * without redis they are counted in this process, synchronously.
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

/**
 * With redis, each process takes an address's messages from the shared counter `batch` at a time and
 * spends them locally until they are used up or the counter's window ends: one round trip per batch
 * instead of one per message. Points a process took and did not spend are lost with the window, so
 * the cluster may refuse an address's messages up to (batch - 1) × processes early, never late.
 */
interface MessageReserve {
  left: number;
  /** performance.now() at which the shared window these points belong to ends. */
  until: number;
  /** The batch being taken: later messages of the address wait for it, in order. */
  taking?: Promise<boolean>;
}

/** A batch is 1 % of the allowance per window (at most 100): 50 messages with the defaults. */
export const messageBatch = (burst: number): number => Math.max(1, Math.min(100, Math.floor(burst / 100)));

export class AbuseLimits {
  readonly options: ResolvedLimits;
  readonly #connections: RateLimiterAbstract;
  readonly #joins: RateLimiterAbstract;
  readonly #messages: RateLimiterAbstract;
  readonly #open = new Map<string, number>();
  /** Addresses out of messages, until when (performance.now()): refused at once, without asking the limiter (or redis). */
  readonly #blocked = new Map<string, number>();
  /** With redis: messages taken from the shared counter and not spent yet, per address. */
  readonly #reserves = new Map<string, MessageReserve>();
  readonly #batch: number;
  readonly #shared: boolean;
  /**
   * Without redis: messages counted here, in fixed windows per address as the limiter would (its
   * promise per message was most of what checking the limit cost a relay).
   */
  readonly #windows = new Map<string, { used: number; until: number }>();
  readonly #windowMs: number;

  constructor(options: AbuseLimitOptions, redis?: RedisClient) {
    const o = (this.options = resolveLimits(options));
    this.#shared = Boolean(redis);
    this.#batch = messageBatch(Math.floor(o.messageBurst));
    const windowS = Math.max(1, Math.round(o.messageBurst / o.messagesPerSecond));
    this.#windowMs = windowS * 1000;
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

  /** Synchronous without redis, and with it while the address's reserve lasts (or it is known to be out of messages). */
  allowMessage(address: string): boolean | Promise<boolean> {
    const now = performance.now();
    const until = this.#blocked.get(address);
    if (until !== undefined) {
      if (now < until) return false;
      this.#blocked.delete(address);
    }
    if (!this.#shared) {
      let w = this.#windows.get(address);
      if (!w || now >= w.until) {
        if (this.#windows.size > 10_000) for (const [a, x] of this.#windows) if (now >= x.until) this.#windows.delete(a);
        w = { used: 0, until: now + this.#windowMs };
        this.#windows.set(address, w);
      }
      if (++w.used <= this.#messages.points) return true;
      if (this.#blocked.size > 10_000) this.#blocked.clear(); // bounded; the window still counts
      this.#blocked.set(address, w.until);
      return false;
    }
    const reserve = this.#reserves.get(address);
    if (reserve?.taking) return reserve.taking.then(() => this.allowMessage(address));
    if (reserve && reserve.left > 0 && now < reserve.until) {
      reserve.left--;
      return true;
    }
    return this.#takeBatch(address);
  }

  /** Take a batch of `address`'s messages from the shared counter; resolves whether this message may go. */
  #takeBatch(address: string): Promise<boolean> {
    if (this.#reserves.size > 10_000) for (const [a, r] of this.#reserves) if (!r.taking && r.until <= performance.now()) this.#reserves.delete(a);
    const reserve: MessageReserve = { left: 0, until: 0 };
    this.#reserves.set(address, reserve);
    const batch = this.#batch;
    const settle = (left: number, msBeforeNext: number) => {
      reserve.left = left;
      reserve.until = performance.now() + msBeforeNext;
      reserve.taking = undefined;
    };
    reserve.taking = this.#messages.consume(address, batch).then(
      (r) => {
        settle(batch - 1, r.msBeforeNext);
        return true;
      },
      (r: unknown) => {
        if (!(r instanceof RateLimiterRes)) {
          // The store failed (the insurance limiter counted and refused): ask again next message.
          settle(0, 0);
          return true;
        }
        // Refused as a batch, but what was left of the window before it is this address's to spend.
        const available = this.#messages.points - (r.consumedPoints - batch);
        if (available > 0) {
          settle(available - 1, r.msBeforeNext);
          return true;
        }
        settle(0, 0);
        return this.#refused(address, r);
      },
    );
    return reserve.taking;
  }

  #refused(address: string, r: unknown): boolean {
    if (!(r instanceof RateLimiterRes)) return true; // a store failure lets the message through (the insurance limiter counts it)
    if (this.#blocked.size > 10_000) this.#blocked.clear(); // bounded; the limiter still counts
    this.#blocked.set(address, performance.now() + r.msBeforeNext);
    return false;
  }
}
