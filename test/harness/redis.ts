/**
 * A throwaway redis-server for scale-out tests (harness.md §8): 127.0.0.1, a free port, no
 * persistence, its own temp dir; stopped through its own child handle. Stop the signal servers
 * that use it first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { freePort } from './coturn.js';
import { startService, type Service } from './service.js';

export interface Redis extends Service {
  url: string;
  port: number;
}

/** PONG to a PING: redis is up and serving. */
function answersPing(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    s.once('error', () => resolve(false));
  });
}

/** No persistence: a restart comes back empty, as a crashed cache would. */
export async function startRedis(options: { startTimeoutMs?: number } = {}): Promise<Redis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rtc-widgets-redis-'));
  let service: Service;
  try {
    service = await startService({
      name: 'redis-server',
      command: 'redis-server',
      args: ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
      ready: () => answersPing(port),
      startTimeoutMs: options.startTimeoutMs,
      hint: 'is it installed? `apt-get install redis-server`',
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const stop = service.stop;
  return Object.assign(service, {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
