#!/usr/bin/env node
/**
 * `npm start` / `rtc-widgets-server`: the signaling server plus the demo page (and the browser
 * bundle of the rtc-widgets package it depends on), configured from the
 * environment (flags override): PORT, HOST, TLS_CERT + TLS_KEY (--cert/--key), ALLOWED_ORIGINS,
 * ROOM_CAPACITY, VIEWER_CAPACITY, RESUME_GRACE, STUN_URLS, TURN_URLS + TURN_SECRET + TURN_TTL, REDIS_URL,
 * TOKEN_SECRET, REMOVE_BAN, TRUST_PROXY, METRICS, METRICS_TOKEN, the RATE_* limits.
 *
 * `rtc-widgets-server token --room R [--name N] [--role host|guest|viewer] [--ttl 1h] [--secret S]`
 * prints a join token (the secret defaults to TOKEN_SECRET).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from 'rtc-widgets/protocol';
import { createSignalServer, type SignalServerOptions } from './signal-server.js';
import { mintToken, parseTtl } from './token.js';

const USAGE = `Usage: rtc-widgets-server [--port N] [--host H] [--cert FILE --key FILE]
       rtc-widgets-server token --room ROOM [--name NAME] [--role host|guest|viewer]
                                [--ttl 1h] [--jti ID] [--sub ID] [--secret S]

Environment (flags win): PORT (8080), HOST (localhost), TLS_CERT, TLS_KEY,
ALLOWED_ORIGINS (comma list, default any), ROOM_CAPACITY (6), VIEWER_CAPACITY (20, broadcast rooms),
RESUME_GRACE (seconds a dropped member keeps its seat, 30), STUN_URLS (comma list),
TURN_URLS (comma list) + TURN_SECRET + TURN_TTL (seconds, 3600), REDIS_URL,
TOKEN_SECRET (join tokens required, HS256, at least 32 characters; unset: open rooms),
REMOVE_BAN (seconds a removed member stays out, 600), TRUST_PROXY (1: client address
from X-Forwarded-For), METRICS (1: GET /metrics), METRICS_TOKEN (GET /metrics with
Authorization: Bearer <token>), RATE_CONNECTIONS (per address per minute, 300),
RATE_SOCKETS (open per address, 100), RATE_JOINS (per address per minute, 120),
RATE_MESSAGES (per address per second, 500), RATE_BURST (per window of
RATE_BURST/RATE_MESSAGES seconds, 5000).`;

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * The root of the rtc-widgets browser package, whose bundle this serves: a dependency of this
 * package (in the repo, the workspace root). Without installed packages (a bare source checkout)
 * the repo root, two levels above server/src/cli.ts and server/dist/cli.js alike.
 */
function packageRoot(): string {
  try {
    return dirname(fileURLToPath(import.meta.resolve('rtc-widgets/package.json')));
  } catch {
    return join(HERE, '..', '..');
  }
}

/** The demo page: a copy ships next to the built cli (server/dist/demo); from source, the repo's demo/. */
const demoDir = (root: string): string | undefined => [join(HERE, 'demo'), join(root, 'demo')].find((d) => existsSync(join(d, 'index.html')));

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number, got "${value}"`);
  return Number(value);
}

function seconds(name: string, value: string | undefined): number | undefined {
  const n = integer(name, value);
  return n === undefined ? undefined : n * 1000;
}

const flag = (value: string | undefined): boolean => value === '1' || value === 'true' || value === 'yes';

/** `token`: mint a join token and print it. */
async function tokenCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      room: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      ttl: { type: 'string' },
      jti: { type: 'string' },
      sub: { type: 'string' },
      secret: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const secret = values.secret ?? env.TOKEN_SECRET;
  if (!secret) throw new Error('token needs a secret: --secret or TOKEN_SECRET');
  if (!values.room) throw new Error('token needs --room');
  const role = (values.role ?? 'guest') as Role;
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const token = await mintToken(secret, {
    room: values.room,
    name: values.name,
    role,
    ttlSeconds: parseTtl(values.ttl ?? '1h'),
    jti: values.jti,
    sub: values.sub,
  });
  process.stdout.write(`${token}\n`);
}

/** Server options from flags and environment; throws a message meant for the user. */
function optionsFrom(argv: string[], env: NodeJS.ProcessEnv, root: string): SignalServerOptions {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, host: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const cert = values.cert ?? env.TLS_CERT;
  const key = values.key ?? env.TLS_KEY;
  if (Boolean(cert) !== Boolean(key)) throw new Error('TLS needs both a certificate and a key (TLS_CERT + TLS_KEY or --cert + --key)');
  const turnUrls = list(env.TURN_URLS);
  if (turnUrls.length && !env.TURN_SECRET) throw new Error('TURN_URLS is set but TURN_SECRET is not');
  const origins = list(env.ALLOWED_ORIGINS);
  const bundle = join(root, 'dist', 'cdn', 'rtc-widgets.js');
  const demo = demoDir(root);
  const site = join(root, 'dist', 'site');
  return {
    port: integer('PORT', values.port ?? env.PORT) ?? 8080,
    host: values.host ?? (env.HOST || 'localhost'),
    tls: cert && key ? { cert: readFileSync(cert), key: readFileSync(key) } : undefined,
    allowedOrigins: origins.length && !origins.includes('*') ? origins : '*',
    roomCapacity: integer('ROOM_CAPACITY', env.ROOM_CAPACITY),
    viewerCapacity: integer('VIEWER_CAPACITY', env.VIEWER_CAPACITY),
    resumeGraceMs: seconds('RESUME_GRACE', env.RESUME_GRACE),
    stunUrls: list(env.STUN_URLS),
    turn: turnUrls.length ? { urls: turnUrls, secret: env.TURN_SECRET!, ttlSeconds: integer('TURN_TTL', env.TURN_TTL) } : undefined,
    redisUrl: env.REDIS_URL || undefined,
    tokenSecret: env.TOKEN_SECRET || undefined,
    removeBanMs: seconds('REMOVE_BAN', env.REMOVE_BAN),
    metrics: env.METRICS_TOKEN ? { token: env.METRICS_TOKEN } : flag(env.METRICS),
    limits: {
      trustProxy: flag(env.TRUST_PROXY),
      connectionsPerMinute: integer('RATE_CONNECTIONS', env.RATE_CONNECTIONS),
      maxSocketsPerAddress: integer('RATE_SOCKETS', env.RATE_SOCKETS),
      joinsPerMinute: integer('RATE_JOINS', env.RATE_JOINS),
      messagesPerSecond: integer('RATE_MESSAGES', env.RATE_MESSAGES),
      messageBurst: integer('RATE_BURST', env.RATE_BURST),
    },
    staticDir: demo ?? false,
    bundleFile: bundle,
    docsDir: site,
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === 'token') {
    try {
      await tokenCommand(process.argv.slice(3), process.env);
    } catch (err) {
      console.error(`rtc-widgets-server token: ${(err as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    return;
  }
  const root = packageRoot();
  let options: SignalServerOptions;
  try {
    options = optionsFrom(process.argv.slice(2), process.env, root);
  } catch (err) {
    console.error(`rtc-widgets-server: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const server = await createSignalServer(options);
  // Says what / answers: the demo page, or (without one) a short text about this server.
  console.log(options.staticDir ? `rtc-widgets signaling + demo on ${server.url}` : `rtc-widgets signaling server only (no demo page) on ${server.url}`);
  if (options.docsDir && existsSync(options.docsDir)) console.log(`documentation at ${server.url}/docs/`);
  if (!existsSync(options.bundleFile!)) console.log(`(no ${options.bundleFile}: run \`npm run build\` for /rtc-widgets.js)`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // a second Ctrl-C: stop waiting
    stopping = true;
    console.log(`${signal}: closing`);
    server.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`rtc-widgets-server: ${(err as Error)?.message ?? err}`);
  process.exit(1);
});
