/**
 * startServerProcess: a signaling server in a separate Node process. Killing that process and
 * starting another on the same port reproduces a server restart mid-call.
 * Run directly, this file starts one from the JSON options in argv[2] and prints its URL.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from './coturn.js';
import { TEST_LIMITS } from './limits.js';
import { portAccepts, startService, type Service } from './service.js';
import type { SignalServerOptions } from '../../server/src/signal-server.js';

export interface ServerProcess extends Service {
  url: string;
  port: number;
}

const SELF = fileURLToPath(import.meta.url);
/** The built server (`npm run build`, which the e2e and bench runs need anyway). */
const BUILT = fileURLToPath(new URL('../../server/dist/signal-server.js', import.meta.url));

export async function startServerProcess(options: Omit<SignalServerOptions, 'port' | 'host' | 'log'> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const config = JSON.stringify({ limits: TEST_LIMITS, ...options, port, host: '127.0.0.1' });
  // The built server starts in well under a second; tsx would transpile the sources again on every
  // (re)start, which takes tens of seconds on a busy machine and stretches the outage under test.
  const args = existsSync(BUILT) ? ['--input-type=module', '-e', runner(`import(${JSON.stringify(BUILT)})`), config] : ['--import', 'tsx', SELF, config];
  const service = await startService({
    name: 'signaling server',
    command: process.execPath,
    args,
    ready: () => portAccepts(port),
    startTimeoutMs: 60_000,
  });
  return Object.assign(service, { url: `http://127.0.0.1:${port}`, port });
}

/** The same as the block at the end of this file, for the built module. */
function runner(load: string): string {
  return `const { createSignalServer } = await ${load};
const server = await createSignalServer({ ...JSON.parse(process.argv.at(-1) ?? '{}'), log: (l) => console.log(l) });
console.log(\`listening \${server.url}\`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));`;
}

if (process.argv[1] === SELF) {
  const { createSignalServer } = await import('../../server/src/signal-server.js');
  const server = await createSignalServer({ ...JSON.parse(process.argv.at(-1) ?? '{}'), log: (l: string) => console.log(l) });
  console.log(`listening ${server.url}`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
