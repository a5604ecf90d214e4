/**
 * wtr plugin: runs the real signaling server (server/src/signal-server.ts) for the browser tests,
 * wired to the run's coturn so the TURN credentials it mints work, and tells test pages where it
 * is: `GET /__signal` → `{ url }` (or `{ error }` when the server is not available).
 *
 * A second server requires join tokens: `GET /__signal/secured` → `{ url }`, and
 * `GET /__token?room=R&name=N&role=host&ttl=60` → `{ token }` signed with its secret, as an app's
 * backend would mint it (`ttl=-60`: expired a minute ago; `forge=1`: signed with another secret).
 *
 * Servers with another TURN setup, made on first use (pre-call check tests and others):
 * `GET /__signal/turn-variant?kind=bad-secret` → `{ url }` of a server minting credentials for
 * the run's coturn with a wrong secret; `kind=unreachable`: TURN URLs where nothing listens;
 * `kind=none`: no TURN at all; `kind=short-ttl`: the run's coturn, credentials good for 6 s.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestRunnerPlugin } from '@web/test-runner';
import { freePort, type Coturn } from './coturn.js';
import { TEST_LIMITS } from './limits.js';

type SignalModule = typeof import('../../server/src/signal-server.js');
type SignalServer = Awaited<ReturnType<SignalModule['createSignalServer']>>;

const SERVER_MODULE = new URL('../../server/src/signal-server.ts', import.meta.url);

export interface SignalPluginOptions {
  /** Where to get the run's coturn (coturnPlugin().coturn); without it the server gets no TURN. */
  coturn?: () => Promise<Coturn>;
  /** Print the server's log lines (default: silent). */
  verbose?: boolean;
}

type TurnSetup = { urls: string[]; secret: string; ttlSeconds: number } | undefined;

/** The TURN setups of `GET /__signal/turn-variant?kind=…`, given the run's coturn. */
const TURN_VARIANTS = {
  'bad-secret': async (coturn?: Coturn): Promise<TurnSetup> => coturn && { urls: coturn.urls, secret: `${coturn.secret}-wrong`, ttlSeconds: 3600 },
  unreachable: async (): Promise<TurnSetup> => {
    // A port free right now: nothing answers there (not a browser-blocked one like 9).
    const port = await freePort();
    return { urls: [`turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`], secret: 'unused', ttlSeconds: 3600 };
  },
  none: async (): Promise<TurnSetup> => undefined,
  'short-ttl': async (coturn?: Coturn): Promise<TurnSetup> => coturn && { urls: coturn.urls, secret: coturn.secret, ttlSeconds: 6 },
};

export function signalPlugin(options: SignalPluginOptions = {}): TestRunnerPlugin {
  let server: SignalServer | undefined;
  let secured: SignalServer | undefined;
  const variants = new Map<string, Promise<SignalServer>>();
  let createServer: SignalModule['createSignalServer'] | undefined;
  const secret = randomBytes(32).toString('base64url');
  let missing = false;
  return {
    name: 'rtc-widgets-signal-server',
    async serverStart() {
      // The server is written in parallel with the components: until it exists, the tests that
      // need it fail with a clear message instead of the whole run refusing to start.
      if (!existsSync(fileURLToPath(SERVER_MODULE))) {
        missing = true;
        console.warn('[signal-plugin] server/src/signal-server.ts does not exist yet: GET /__signal will answer { error }');
        return;
      }
      const { createSignalServer } = (await import(SERVER_MODULE.href)) as SignalModule;
      createServer = createSignalServer;
      const turn = options.coturn ? await options.coturn() : undefined;
      server = await createSignalServer({
        port: 0,
        host: '127.0.0.1',
        staticDir: false,
        limits: TEST_LIMITS,
        ...(turn ? { turn: { urls: turn.urls, secret: turn.secret, ttlSeconds: 3600 } } : {}),
        log: options.verbose ? (s: string) => console.log(`[signal] ${s}`) : () => {},
      });
      secured = await createSignalServer({
        port: 0,
        host: '127.0.0.1',
        staticDir: false,
        limits: TEST_LIMITS,
        tokenSecret: secret,
        log: options.verbose ? (s: string) => console.log(`[signal secured] ${s}`) : () => {},
      });
    },
    async serverStop() {
      const made = await Promise.allSettled(variants.values());
      variants.clear();
      const all = [server, secured, ...made.map((m) => (m.status === 'fulfilled' ? m.value : undefined))];
      server = secured = undefined;
      await Promise.all(all.map((s) => s?.close()));
    },
    async serve(context) {
      if (context.path === '/__signal/secured') {
        return { body: JSON.stringify(secured ? { url: secured.url } : { error: 'secured signal server not running' }), type: 'json' };
      }
      if (context.path === '/__signal/turn-variant') {
        const kind = new URLSearchParams(context.querystring).get('kind') ?? '';
        const make = createServer;
        if (!make || !Object.hasOwn(TURN_VARIANTS, kind)) return { body: JSON.stringify({ error: `no turn variant "${kind}"` }), type: 'json' };
        if (!variants.has(kind)) {
          variants.set(
            kind,
            (async () => {
              const turn = await TURN_VARIANTS[kind as keyof typeof TURN_VARIANTS](options.coturn ? await options.coturn() : undefined);
              return make({ port: 0, host: '127.0.0.1', staticDir: false, limits: TEST_LIMITS, ...(turn ? { turn } : {}), log: () => {} });
            })(),
          );
        }
        try {
          return { body: JSON.stringify({ url: (await variants.get(kind)!).url }), type: 'json' };
        } catch (err) {
          return { body: JSON.stringify({ error: String((err as Error)?.message ?? err) }), type: 'json' };
        }
      }
      if (context.path === '/__token') {
        const q = new URLSearchParams(context.querystring);
        const ttl = Number(q.get('ttl') ?? 600);
        const claims: Record<string, string> = { room: q.get('room') ?? '' };
        for (const k of ['name', 'role']) if (q.has(k)) claims[k] = q.get(k)!;
        const now = Math.floor(Date.now() / 1000);
        const key = new TextEncoder().encode(q.get('forge') ? randomBytes(32).toString('base64url') : secret);
        const jwt = new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuedAt(now - (ttl < 0 ? 120 : 0))
          .setExpirationTime(now + ttl);
        if (q.get('jti')) jwt.setJti(q.get('jti')!);
        return { body: JSON.stringify({ token: await jwt.sign(key) }), type: 'json' };
      }
      if (context.path !== '/__signal') return undefined;
      // (wtr forces status 200 on plugin responses, so failure travels as `{ error }`.)
      if (!server) {
        const error = missing ? 'server/src/signal-server.ts does not exist yet' : 'signal server not running';
        return { body: JSON.stringify({ error }), type: 'json' };
      }
      return { body: JSON.stringify({ url: server.url }), type: 'json' };
    },
  };
}
