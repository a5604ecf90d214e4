/**
 * wtr plugin: runs the real signaling server (server/src/signal-server.ts) for the browser tests,
 * wired to the run's coturn so the TURN credentials it mints work, and tells test pages where it
 * is: `GET /__signal` → `{ url }` (or `{ error }` when the server is not available).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestRunnerPlugin } from '@web/test-runner';
import type { Coturn } from './coturn.js';

type SignalModule = typeof import('../../server/src/signal-server.js');
type SignalServer = Awaited<ReturnType<SignalModule['createSignalServer']>>;

const SERVER_MODULE = new URL('../../server/src/signal-server.ts', import.meta.url);

export interface SignalPluginOptions {
  /** Where to get the run's coturn (coturnPlugin().coturn); without it the server gets no TURN. */
  coturn?: () => Promise<Coturn>;
  /** Print the server's log lines (default: silent). */
  verbose?: boolean;
}

export function signalPlugin(options: SignalPluginOptions = {}): TestRunnerPlugin {
  let server: SignalServer | undefined;
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
      const turn = options.coturn ? await options.coturn() : undefined;
      server = await createSignalServer({
        port: 0,
        host: '127.0.0.1',
        staticDir: false,
        ...(turn ? { turn: { urls: turn.urls, secret: turn.secret, ttlSeconds: 3600 } } : {}),
        log: options.verbose ? (s: string) => console.log(`[signal] ${s}`) : () => {},
      });
    },
    async serverStop() {
      const s = server;
      server = undefined;
      await s?.close();
    },
    serve(context) {
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
