/**
 * The rtc-widgets signaling server: socket.io rooms that relay WebRTC offers, answers and ICE
 * candidates between the members of one room (docs/protocol.md), plus /healthz, the demo page and
 * the browser bundle over plain HTTP(S). Scales out over redis with @socket.io/redis-adapter.
 * With `httpServer`, it attaches to an app's own server instead (socket.io at /socket.io/ only).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Server } from 'socket.io';
import { serveConnection, type ConnectionContext } from './connection.js';
import { connectRedis, type RedisPair } from './redis.js';
import { memoryAwayBook, redisAwayBook, type AwayBook } from './away.js';
import { ClusterMembers } from './cluster-members.js';
import { AbuseLimits, clientAddress, resolveLimits, type AbuseLimitOptions } from './limits.js';
import { ServerMetrics } from './metrics.js';
import { memoryRoomStore, redisRoomStore } from './room-store.js';
import { isMember, localCounts, promoteIfHostless, roomKey, type SignalIo } from './rooms.js';
import { sizedParser } from './sized-parser.js';
import { createRequestHandler } from './static.js';
import { originAllowed, withOriginCheck } from './origin-check.js';
import { checkSecret, verifyToken } from './token.js';

export interface SignalServerOptions {
  /**
   * Attach to this server (an app's, with its own routes) instead of creating one: only /socket.io/
   * is answered, the app's routes and other websocket upgrades are left alone, and the app listens
   * and closes it. Create it with its request handler first. Not with port, host, tls, staticDir, docsDir,
   * bundleFile or metrics, which belong to a server this creates.
   */
  httpServer?: http.Server | https.Server;
  /** 0 = a random free port; default 8080. */
  port?: number;
  /** Default 'localhost'. */
  host?: string;
  /** Directory served at '/' (index.html), e.g. demo/; default false. */
  staticDir?: string | false;
  /** Absolute path of dist/cdn/rtc-widgets.js, served at /rtc-widgets.js (+ .map if present). */
  bundleFile?: string;
  /** The generated documentation site (dist/site), served at /docs/; default false. */
  docsDir?: string | false;
  /** Serve HTTPS (PEM contents). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Default '*' (development). Otherwise an exact Origin match; other browser origins are refused at the handshake. */
  allowedOrigins?: string[] | '*';
  /** Most members per room; default 6. */
  roomCapacity?: number;
  /** Broadcast rooms (docs/protocol.md §13): most viewers, not counted in roomCapacity; default 20. */
  viewerCapacity?: number;
  /** Default [] (no STUN: LAN/loopback only). */
  stunUrls?: string[];
  /** coturn with use-auth-secret; credentials live ttlSeconds (default 3600). */
  turn?: { urls: string[]; secret: string; ttlSeconds?: number };
  /** Scale out: every server with the same redis shares rooms. */
  redisUrl?: string;
  /**
   * Abuse limits per client address (docs/protocol.md §6): connections, concurrent sockets, joins,
   * and messages shared by all the address's sockets. The defaults never bite a real call (a
   * newcomer in a full room of 6 sends ~200 signals within a second), even from one office NAT.
   */
  limits?: AbuseLimitOptions;
  /** Old names of limits.messagesPerSecond and limits.messageBurst. */
  maxSignalsPerSecond?: number;
  burst?: number;
  /** Protocol 3: the HS256 secret join tokens are signed with (≥ 32 characters). Without it rooms are open. */
  tokenSecret?: string;
  /** How long `remove` bans a member (its id, and its token) from the room; default 10 minutes. */
  removeBanMs?: number;
  /** How long a lobby admission stays good; default 5 minutes. */
  admitMs?: number;
  /** GET /metrics (Prometheus): false (default: 404), true (open), or a bearer token it requires. */
  metrics?: boolean | { token: string };
  /**
   * How long a member whose connection dropped keeps its id and seat, so it can resume without
   * anyone noticing (protocol 2); default 30 s. Only then are the others told it left.
   */
  resumeGraceMs?: number;
  /** Heartbeat; defaults 5000/8000, so a vanished connection is noticed within ~13 s. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** Default console.log. */
  log?: (line: string) => void;
}

export interface SignalServer {
  /** Base URL clients connect to, e.g. http://127.0.0.1:41234 (port resolved); '' while an attached server is not listening. */
  readonly url: string;
  httpServer: http.Server | https.Server;
  io: SignalIo;
  /**
   * Disconnect everyone (version-1 members get peer-left; version-2 members keep their seats to resume elsewhere), stop listening, quit redis.
   * Idempotent. An attached server (`httpServer`) is left listening, for the app to close.
   */
  close(): Promise<void>;
}

/** engine.io closes the connection beyond this; a signal between LIMITS.signalBytes and this gets 'too-large'. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** How long close() lets clients finish the close handshake before cutting their connections. */
const CLOSE_GRACE_MS = 1000;
/** How often expired seats are looked for: a departure is announced at most this late after the grace period. */
const SWEEP_INTERVAL_MS = 1000;

function positive(name: string, value: number, integer = true): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
  return value;
}

/** Options that only mean something for a server createSignalServer creates itself. */
const OWN_SERVER_OPTIONS = ['port', 'host', 'tls', 'staticDir', 'bundleFile', 'docsDir', 'metrics'] as const;

function validate(o: SignalServerOptions): void {
  if (o.httpServer) {
    const given = OWN_SERVER_OPTIONS.filter((k) => o[k] !== undefined && o[k] !== false);
    if (given.length) throw new TypeError(`httpServer: ${given.join(', ')} would be ignored (the app's server has its own)`);
    if (typeof o.httpServer.listen !== 'function') throw new TypeError('httpServer must be an http.Server or https.Server');
  }
  const port = o.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be 0-65535, got ${port}`);
  if (o.turn) {
    if (!o.turn.urls?.length) throw new TypeError('turn.urls must list at least one turn: URL');
    if (!o.turn.secret) throw new TypeError('turn.secret must not be empty');
  }
  if (o.allowedOrigins !== undefined && o.allowedOrigins !== '*' && !Array.isArray(o.allowedOrigins)) {
    throw new TypeError("allowedOrigins must be '*' or a list of origins");
  }
}

/** A URL a browser can open: wildcard addresses are reached through localhost. */
function urlFor(secure: boolean, host: string, port: number): string {
  const h = host === '' || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `${secure ? 'https' : 'http'}://${h}:${port}`;
}

export async function createSignalServer(opts: SignalServerOptions = {}): Promise<SignalServer> {
  validate(opts);
  const log = opts.log ?? ((line: string) => console.log(line));
  const host = opts.host ?? 'localhost';
  const origins = opts.allowedOrigins ?? '*';
  // Checked before anything is opened.
  const tokenKey = opts.tokenSecret ? checkSecret(opts.tokenSecret) : undefined;
  const limitOptions: AbuseLimitOptions = { messagesPerSecond: opts.maxSignalsPerSecond, messageBurst: opts.burst, ...opts.limits };
  resolveLimits(limitOptions);
  let redis: RedisPair | undefined;
  if (opts.redisUrl) redis = await connectRedis(opts.redisUrl, log);
  let away: AwayBook;
  try {
    away = redis ? await redisAwayBook(redis.client, log) : memoryAwayBook();
  } catch (err) {
    await redis?.close();
    throw err;
  }
  const limits = new AbuseLimits(limitOptions, redis?.client);
  const metrics = new ServerMetrics(() => localCounts(sio));
  const ctx: Omit<ConnectionContext, 'io'> = {
    capacity: positive('roomCapacity', opts.roomCapacity ?? 6),
    viewerCapacity: positive('viewerCapacity', opts.viewerCapacity ?? 20),
    clustered: Boolean(opts.redisUrl),
    ice: {
      stunUrls: opts.stunUrls ?? [],
      turn: opts.turn && { urls: opts.turn.urls, secret: opts.turn.secret, ttlSeconds: positive('turn.ttlSeconds', opts.turn.ttlSeconds ?? 3600) },
    },
    limits,
    store: redis ? redisRoomStore(redis.client) : memoryRoomStore(),
    tokenKey,
    banMs: positive('removeBanMs', opts.removeBanMs ?? 10 * 60_000),
    admitMs: positive('admitMs', opts.admitMs ?? 5 * 60_000),
    metrics,
    away,
    resumeGraceMs: positive('resumeGraceMs', opts.resumeGraceMs ?? 30_000),
    pending: new Set(),
    log,
  };
  // A page whose main thread is starved (a laptop encoding five videos) may answer a ping late:
  // 8 s of grace keeps it from a spurious reconnect; a vanished client is still gone within 13 s.
  const pingInterval = positive('pingIntervalMs', opts.pingIntervalMs ?? 5000);
  const pingTimeout = positive('pingTimeoutMs', opts.pingTimeoutMs ?? 8000);

  const attached = opts.httpServer;
  const handler = attached
    ? undefined
    : withOriginCheck(
        origins,
        createRequestHandler({
          staticDir: opts.staticDir ?? false,
          bundleFile: opts.bundleFile,
          docsDir: opts.docsDir ?? false,
          health: () => localCounts(sio), // only called once listening, when sio exists
          metrics: opts.metrics ? { registry: metrics.registry, token: typeof opts.metrics === 'object' ? opts.metrics.token : undefined } : undefined,
        }),
      );
  const httpServer = attached ?? (opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : http.createServer(handler));
  if (attached) {
    // The app's handlers answer everything but the origin check, which a refused page needs to
    // tell "origin not allowed" from "unreachable" (socket.io wraps /socket.io/ the same way).
    const appHandlers = attached.listeners('request') as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
    attached.removeAllListeners('request');
    attached.on(
      'request',
      withOriginCheck(origins, (req, res) => {
        for (const h of appHandlers) h.call(attached, req, res);
      }),
    );
  }
  const sio: SignalIo = new Server(httpServer, {
    // An app's own websocket endpoints on the same server stay its business.
    ...(attached ? { destroyUpgrade: false } : {}),
    serveClient: false, // browsers use the rtc-widgets bundle, which contains the client
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    parser: sizedParser, // the default wire format; notes each payload's size for the limits
    pingInterval,
    pingTimeout,
    cors: { origin: origins === '*' ? true : origins, methods: ['GET', 'POST'] },
    // Browsers always send Origin on a cross-site handshake; native clients send none (see the
    // middleware below). Then the per-address connection limits.
    allowRequest: (req: http.IncomingMessage, cb: (err: string | null, ok: boolean) => void) => {
      const origin = req.headers.origin;
      if (!originAllowed(origins, origin)) return cb('origin not allowed', false);
      const address = clientAddress(req.socket.remoteAddress, req.headers, limits.options.trustProxy);
      limits.allowConnection(address).then(
        (verdict) => {
          if (verdict.ok) return cb(null, true);
          metrics.rateLimited.inc();
          metrics.refusals.inc({ code: 'rate-limited' });
          cb(verdict.reason, false);
        },
        () => cb(null, true),
      );
    },
    ...(redis ? { adapter: redis.adapter } : {}),
  });
  // Which peers live on the other processes: a relay to one then needs no cluster round trip.
  const remote = redis ? new ClusterMembers(sio) : undefined;
  ctx.remote = remote;
  // Concurrent connections per address, counted at the engine.io level (every transport).
  sio.engine.on('connection', (raw: { request: http.IncomingMessage; once(e: 'close', f: () => void): void }) => {
    const address = clientAddress(raw.request.socket.remoteAddress, raw.request.headers, limits.options.trustProxy);
    limits.opened(address);
    raw.once('close', () => limits.closed(address));
  });
  sio.use((socket, next) => {
    socket.data.address = clientAddress(socket.handshake.address, socket.handshake.headers, limits.options.trustProxy);
    // With a list of origins and a token secret, a client without Origin (not a browser) needs a valid token.
    if (origins === '*' || !tokenKey || socket.handshake.headers.origin) return next();
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length > 4096) {
      metrics.refusals.inc({ code: 'token-required' });
      return next(new Error('token-required'));
    }
    verifyToken(tokenKey, token).then(
      (r) => {
        if (r.ok) return next();
        metrics.refusals.inc({ code: r.code });
        next(new Error(r.code));
      },
      () => next(new Error('token-invalid')),
    );
  });
  sio.on('connection', (socket) => serveConnection({ ...ctx, io: sio }, socket));

  // Seats kept past their grace period: the member is gone for good, tell its room (unless it came
  // back meanwhile through another process of the cluster).
  let sweepFailing = false;
  const sweep = async () => {
    try {
      for (const { room, id } of await away.expired(Date.now())) {
        if (await isMember(sio, room, id)) continue;
        sio.to(roomKey(room)).emit('peer-left', { id, reason: 'disconnected' });
        if (!tokenKey) await promoteIfHostless(sio, room);
      }
      sweepFailing = false;
    } catch (err) {
      if (!sweepFailing) log(`could not sweep expired seats: ${String(err)}`);
      sweepFailing = true;
    }
  };
  let sweeping: Promise<void> | undefined;
  const sweeper = setInterval(() => (sweeping ??= sweep().finally(() => (sweeping = undefined))), SWEEP_INTERVAL_MS);
  sweeper.unref();

  // Every TCP connection, upgraded websockets included (closeAllConnections() misses those); not
  // on an app's server, whose other connections are not ours to cut.
  const connections = new Set<Socket>();
  if (!attached) {
    httpServer.on('connection', (c: Socket) => {
      connections.add(c);
      c.once('close', () => connections.delete(c));
    });
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      clearInterval(sweeper);
      if (attached) {
        // sio.close() would close the app's server too: close our connections and adapter only.
        sio.engine.close();
        await sio.of('/').adapter.close();
      } else {
        await new Promise<void>((resolve) => {
          // Disconnects every socket (members hear peer-left, across the cluster too), then the HTTP server.
          void sio.close(() => resolve());
          // A peer that stopped reading would hold the websocket close handshake for 30 s.
          setTimeout(() => connections.forEach((c) => c.destroy()), CLOSE_GRACE_MS).unref();
        });
      }
      remote?.close(); // after the sockets: their departures were announced
      // Members of a closing process keep their seats (in redis): they resume on another process.
      await Promise.allSettled([...ctx.pending, sweeping]);
      await redis?.close();
    })());

  if (attached) {
    return {
      get url() {
        const address = attached.address();
        return address && typeof address === 'object' ? urlFor(attached instanceof https.Server, address.address, address.port) : '';
      },
      httpServer: attached,
      io: sio,
      close,
    };
  }
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(opts.port ?? 8080, host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
  httpServer.on('error', (err) => log(`http server error: ${err.message}`));
  const { port } = httpServer.address() as AddressInfo;
  return { url: urlFor(Boolean(opts.tls), host, port), httpServer, io: sio, close };
}
