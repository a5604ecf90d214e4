/**
 * The rtc-widgets signaling server: socket.io rooms that relay WebRTC offers, answers and ICE
 * candidates between the members of one room (docs/protocol.md), plus /healthz, the demo page and
 * the browser bundle over plain HTTP(S). Scales out over redis with @socket.io/redis-adapter.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Server } from 'socket.io';
import { serveConnection, type ConnectionContext } from './connection.js';
import { connectRedis, type RedisPair } from './redis.js';
import { memoryAwayBook, redisAwayBook, type AwayBook } from './away.js';
import { isMember, localCounts, roomKey, type SignalIo } from './rooms.js';
import { createRequestHandler } from './static.js';

export interface SignalServerOptions {
  /** 0 = a random free port; default 8080. */
  port?: number;
  /** Default 'localhost'. */
  host?: string;
  /** Directory served at '/' (index.html), e.g. demo/; default false. */
  staticDir?: string | false;
  /** Absolute path of dist/cdn/rtc-widgets.js, served at /rtc-widgets.js (+ .map if present). */
  bundleFile?: string;
  /** Serve HTTPS (PEM contents). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Default '*' (development). Otherwise an exact Origin match; other browser origins are refused at the handshake. */
  allowedOrigins?: string[] | '*';
  /** Most members per room; default 6. */
  roomCapacity?: number;
  /** Default [] (no STUN: LAN/loopback only). */
  stunUrls?: string[];
  /** coturn with use-auth-secret; credentials live ttlSeconds (default 3600). */
  turn?: { urls: string[]; secret: string; ttlSeconds?: number };
  /** Scale out: every server with the same redis shares rooms. */
  redisUrl?: string;
  /** Per-socket token bucket over every client message; defaults 50/s, burst 400: a newcomer in a full room of 6 sends ~200 signals (offers and ICE candidates to 5 peers) within a second. */
  maxSignalsPerSecond?: number;
  burst?: number;
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
  /** Base URL clients connect to, e.g. http://127.0.0.1:41234 (port resolved). */
  url: string;
  httpServer: http.Server | https.Server;
  io: SignalIo;
  /** Disconnect everyone (version-1 members get peer-left; version-2 members keep their seats to resume elsewhere), stop listening, quit redis. Idempotent. */
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

function validate(o: SignalServerOptions): void {
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
  let redis: RedisPair | undefined;
  if (opts.redisUrl) redis = await connectRedis(opts.redisUrl, log);
  let away: AwayBook;
  try {
    away = redis ? await redisAwayBook(redis.client, log) : memoryAwayBook();
  } catch (err) {
    await redis?.close();
    throw err;
  }
  const ctx: Omit<ConnectionContext, 'io'> = {
    capacity: positive('roomCapacity', opts.roomCapacity ?? 6),
    clustered: Boolean(opts.redisUrl),
    ice: {
      stunUrls: opts.stunUrls ?? [],
      turn: opts.turn && { urls: opts.turn.urls, secret: opts.turn.secret, ttlSeconds: positive('turn.ttlSeconds', opts.turn.ttlSeconds ?? 3600) },
    },
    rate: { perSecond: positive('maxSignalsPerSecond', opts.maxSignalsPerSecond ?? 50, false), burst: positive('burst', opts.burst ?? 400) },
    away,
    resumeGraceMs: positive('resumeGraceMs', opts.resumeGraceMs ?? 30_000),
    pending: new Set(),
    log,
  };
  // A page whose main thread is starved (a laptop encoding five videos) may answer a ping late:
  // 8 s of grace keeps it from a spurious reconnect; a vanished client is still gone within 13 s.
  const pingInterval = positive('pingIntervalMs', opts.pingIntervalMs ?? 5000);
  const pingTimeout = positive('pingTimeoutMs', opts.pingTimeoutMs ?? 8000);

  const handler = createRequestHandler({
    staticDir: opts.staticDir ?? false,
    bundleFile: opts.bundleFile,
    health: () => localCounts(sio), // only called once listening, when sio exists
  });
  const httpServer = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : http.createServer(handler);
  const sio: SignalIo = new Server(httpServer, {
    serveClient: false, // browsers use the rtc-widgets bundle, which contains the client
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval,
    pingTimeout,
    cors: { origin: origins === '*' ? true : origins, methods: ['GET', 'POST'] },
    // Browsers always send Origin on a cross-site handshake; native clients send none and are let in.
    ...(origins === '*'
      ? {}
      : {
          allowRequest: (req: http.IncomingMessage, cb: (err: string | null, ok: boolean) => void) => {
            const origin = req.headers.origin;
            if (!origin || origins.includes(origin)) cb(null, true);
            else cb('origin not allowed', false);
          },
        }),
    ...(redis ? { adapter: redis.adapter } : {}),
  });
  sio.on('connection', (socket) => serveConnection({ ...ctx, io: sio }, socket));

  // Seats kept past their grace period: the member is gone for good, tell its room (unless it came
  // back meanwhile through another process of the cluster).
  let sweepFailing = false;
  const sweep = async () => {
    try {
      for (const { room, id } of await away.expired(Date.now())) {
        if (!(await isMember(sio, room, id))) sio.to(roomKey(room)).emit('peer-left', { id, reason: 'disconnected' });
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

  // Every TCP connection, upgraded websockets included (closeAllConnections() misses those).
  const connections = new Set<Socket>();
  httpServer.on('connection', (c: Socket) => {
    connections.add(c);
    c.once('close', () => connections.delete(c));
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      clearInterval(sweeper);
      await new Promise<void>((resolve) => {
        // Disconnects every socket (members hear peer-left, across the cluster too), then the HTTP server.
        void sio.close(() => resolve());
        // A peer that stopped reading would hold the websocket close handshake for 30 s.
        setTimeout(() => connections.forEach((c) => c.destroy()), CLOSE_GRACE_MS).unref();
      });
      // Members of a closing process keep their seats (in redis): they resume on another process.
      await Promise.allSettled([...ctx.pending, sweeping]);
      await redis?.close();
    })());

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
