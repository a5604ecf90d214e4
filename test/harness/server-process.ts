/**
 * The signaling server in a process of its own, for tests that crash it (SIGKILL) and start it
 * again on the same port: `startServerProcess(options)`. Run as a script, it starts one server
 * from the JSON options in argv[2] and prints its URL.
 */
import { fileURLToPath } from 'node:url';
import { freePort } from './coturn.js';
import { portAccepts, startService, type Service } from './service.js';
import type { SignalServerOptions } from '../../server/src/signal-server.js';

export interface ServerProcess extends Service {
  url: string;
  port: number;
}

const SELF = fileURLToPath(import.meta.url);

export async function startServerProcess(options: Omit<SignalServerOptions, 'port' | 'host' | 'log'> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const service = await startService({
    name: 'signaling server',
    command: process.execPath,
    args: ['--import', 'tsx', SELF, JSON.stringify({ ...options, port, host: '127.0.0.1' })],
    ready: () => portAccepts(port),
    // tsx transpiles the server on every start: slow on a busy machine.
    startTimeoutMs: 60_000,
  });
  return Object.assign(service, { url: `http://127.0.0.1:${port}`, port });
}

if (process.argv[1] === SELF) {
  const { createSignalServer } = await import('../../server/src/signal-server.js');
  const server = await createSignalServer({ ...JSON.parse(process.argv[2] ?? '{}'), log: (l: string) => console.log(l) });
  console.log(`listening ${server.url}`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
