/**
 * The processes of the signaling bench, each ended through its own handle (and killed if the bench
 * process exits without stopping them): our server (the built CLI, configured only through its
 * documented environment), the bare relay, redis-server, and the load-generator children.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../test/harness/coturn.js';
import { startRedis, type Redis } from '../../test/harness/redis.js';
import { portAccepts, startService, type Service } from '../../test/harness/service.js';
import { withTimeout } from '../lib/util.js';
import type { Command, Reply } from './load-client.js';

export interface ServerProc {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Every client of the bench comes from 127.0.0.1: the per-address abuse limits (docs/protocol.md
 * §6) would count 10,000 clients as one flooding address. They stay on (every message is still
 * counted), with allowances no single address of the bench can reach.
 */
export const BENCH_LIMIT_ENV = {
  RATE_CONNECTIONS: '10000000',
  RATE_SOCKETS: '1000000',
  RATE_JOINS: '10000000',
  RATE_MESSAGES: '10000000',
  RATE_BURST: '100000000',
};

/** `cpuProfDir`: the server writes a V8 CPU profile there when it stops (node --cpu-prof). */
export async function startOurs(repo: string, redisUrl?: string, cpuProfDir?: string): Promise<ServerProc> {
  const cli = join(repo, 'server/dist/cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const env = { ...process.env, ...BENCH_LIMIT_ENV, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redisUrl ?? '' };
  const service = await startService({
    name: 'signaling server',
    command: process.execPath,
    args: [...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []), cli],
    env,
    ready: () => portAccepts(port),
    startTimeoutMs: 30_000,
  });
  return wrap(service, `http://127.0.0.1:${port}`);
}

export async function startBare(repo: string): Promise<ServerProc> {
  const port = await freePort();
  const service = await startService({
    name: 'bare relay',
    command: process.execPath,
    args: ['--import', 'tsx', join(repo, 'bench/signaling/bare-relay.ts'), String(port)],
    env: process.env,
    ready: () => portAccepts(port),
    startTimeoutMs: 60_000,
  });
  return wrap(service, `http://127.0.0.1:${port}`);
}

function wrap(service: Service, url: string): ServerProc {
  const pid = service.pid;
  return {
    url,
    pid,
    async stop() {
      await service.stop();
      // A server that logged failures (an internal error on a join, say): its last lines, on the bench's stderr.
      const errors = service
        .output()
        .split('\n')
        .filter((l) => /error|failed/i.test(l));
      if (errors.length)
        process.stderr.write(`[bench] ${url} logged ${errors.length} failure line(s), the last:\n${errors.slice(-5).join('\n').slice(0, 4000)}\n`);
    },
  };
}

export { startRedis, type Redis };

/** One load-generator child; `send` resolves with its reply to that command. */
export interface ClientProc {
  pid: number | undefined;
  send(cmd: Command, timeoutMs: number): Promise<Reply>;
  stop(): Promise<void>;
}

export function startClientProc(repo: string): ClientProc {
  const child: ChildProcess = fork(join(repo, 'bench/signaling/load-client.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => (exited = true));
  const onExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.on('exit', onExit);
  let waiting: { resolve(r: Reply): void; reject(e: Error): void } | undefined;
  child.on('message', (r: Reply) => {
    const w = waiting;
    waiting = undefined;
    if (r.type === 'error') w?.reject(new Error(`load generator: ${r.message}`));
    else w?.resolve(r);
  });
  void exit.then(() => waiting?.reject(new Error('the load generator exited')));
  return {
    pid: child.pid,
    send(cmd, timeoutMs) {
      if (exited) return Promise.reject(new Error('the load generator exited'));
      const reply = new Promise<Reply>((resolve, reject) => (waiting = { resolve, reject }));
      child.send(cmd);
      return withTimeout(reply, timeoutMs, `load generator "${cmd.type}"`);
    },
    async stop() {
      process.removeListener('exit', onExit);
      if (exited) return;
      if (child.connected) child.send({ type: 'close' } satisfies Command);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}
