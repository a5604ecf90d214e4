#!/usr/bin/env node
/**
 * `npm start` / `rtc-widgets-server`: the signaling server plus the demo page, configured from the
 * environment (flags override): PORT, HOST, TLS_CERT + TLS_KEY (--cert/--key), ALLOWED_ORIGINS,
 * ROOM_CAPACITY, RESUME_GRACE, STUN_URLS, TURN_URLS + TURN_SECRET + TURN_TTL, REDIS_URL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSignalServer, type SignalServerOptions } from './signal-server.js';

const USAGE = `Usage: rtc-widgets-server [--port N] [--host H] [--cert FILE --key FILE]

Environment (flags win): PORT (8080), HOST (localhost), TLS_CERT, TLS_KEY,
ALLOWED_ORIGINS (comma list, default any), ROOM_CAPACITY (6),
RESUME_GRACE (seconds a dropped member keeps its seat, 30), STUN_URLS (comma list),
TURN_URLS (comma list) + TURN_SECRET + TURN_TTL (seconds, 3600), REDIS_URL.`;

/**
 * The package root: the nearest directory above this file whose package.json is rtc-widgets' own
 * (dist/ may hold a package.json of its own). Built, this file is <root>/dist/server/cli.js;
 * under tsx it is <root>/server/src/cli.ts: two levels down either way, the fallback.
 */
function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'rtc-widgets') return dir;
    } catch {
      // no (readable) package.json here: keep walking up
    }
  }
  return join(from, '..', '..');
}

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
  const demo = join(root, 'demo');
  return {
    port: integer('PORT', values.port ?? env.PORT) ?? 8080,
    host: values.host ?? (env.HOST || 'localhost'),
    tls: cert && key ? { cert: readFileSync(cert), key: readFileSync(key) } : undefined,
    allowedOrigins: origins.length && !origins.includes('*') ? origins : '*',
    roomCapacity: integer('ROOM_CAPACITY', env.ROOM_CAPACITY),
    resumeGraceMs: seconds('RESUME_GRACE', env.RESUME_GRACE),
    stunUrls: list(env.STUN_URLS),
    turn: turnUrls.length ? { urls: turnUrls, secret: env.TURN_SECRET!, ttlSeconds: integer('TURN_TTL', env.TURN_TTL) } : undefined,
    redisUrl: env.REDIS_URL || undefined,
    staticDir: existsSync(demo) ? demo : false,
    bundleFile: bundle,
  };
}

async function main(): Promise<void> {
  const root = packageRoot();
  let options: SignalServerOptions;
  try {
    options = optionsFrom(process.argv.slice(2), process.env, root);
  } catch (err) {
    console.error(`rtc-widgets-server: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const server = await createSignalServer(options);
  console.log(`rtc-widgets signaling + demo on ${server.url}`);
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
