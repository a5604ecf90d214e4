/**
 * A throwaway coturn (Debian `turnserver`) for tests: relay-only on 127.0.0.1, REST-API
 * credentials (`use-auth-secret`), free ports, killed through its own child handle.
 * Used by the wtr plugin below and by test/e2e/helpers/browsers.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import type { TestRunnerPlugin } from '@web/test-runner';
import { portAccepts, startService, type Service } from './service.js';

export interface Coturn extends Service {
  /** TURN URLs for the signal server's `turn.urls` (UDP and TCP on the same port). */
  urls: string[];
  /** Shared secret (`static-auth-secret`) for minting credentials. */
  secret: string;
  port: number;
}

export interface CoturnOptions {
  secret?: string;
  /** Listen here instead of on a free port (e.g. to stand in for a killed coturn). */
  port?: number;
  /** How long to wait for the TCP listener; default 10 s. */
  startTimeoutMs?: number;
  binary?: string;
}

const HOST = '127.0.0.1';

/** A port that is free for both TCP and UDP on 127.0.0.1 right now (the usual small race remains). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, HOST, () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const sock = createSocket('udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, HOST, () => sock.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free TCP+UDP port found on 127.0.0.1');
}

/** Start turnserver as harness.md §7 describes and resolve once its TCP port accepts. */
export async function startCoturn(options: CoturnOptions = {}): Promise<Coturn> {
  const secret = options.secret ?? randomBytes(16).toString('hex');
  const port = options.port ?? (await freePort());
  // A random 1000-port relay block, so parallel runs (other checkouts, CI jobs) rarely collide.
  const minPort = 50000 + 1000 * Math.floor(Math.random() * 10);
  const args = [
    '-n',
    `--listening-ip=${HOST}`,
    `--relay-ip=${HOST}`,
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + 999}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=rtc-widgets.test',
    '--fingerprint',
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--no-rfc5780', // else it also wants port+1 as the RFC 5780 alternative port
    '--no-multicast-peers',
    '--no-software-attribute',
    '--log-file=stdout',
    '--simple-log',
    // Both relays sit on 127.0.0.1, so every peer address is loopback: required (harness.md §7).
    '--allow-loopback-peers',
  ];
  const service = await startService({
    name: 'turnserver',
    command: options.binary ?? 'turnserver',
    args,
    ready: () => portAccepts(port),
    startTimeoutMs: options.startTimeoutMs,
    hint: 'is coturn installed? `apt-get install coturn`',
  });
  // Spread would copy the getter's value once: keep `pid` live.
  return Object.assign(service, { urls: [`turn:${HOST}:${port}?transport=udp`, `turn:${HOST}:${port}?transport=tcp`], secret, port });
}

/**
 * One coturn shared by the wtr plugins of a run: started lazily by whichever plugin asks first
 * (plugin order does not matter), stopped in serverStop.
 */
export function coturnPlugin(options: CoturnOptions = {}): TestRunnerPlugin & { coturn(): Promise<Coturn> } {
  let started: Promise<Coturn> | undefined;
  const coturn = () => (started ??= startCoturn(options));
  return {
    name: 'rtc-widgets-coturn',
    coturn,
    async serverStart() {
      await coturn();
    },
    async serverStop() {
      const c = started;
      started = undefined;
      await (await c?.catch(() => undefined))?.stop();
    },
  };
}
