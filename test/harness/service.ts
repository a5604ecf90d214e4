/**
 * A server process the tests start (coturn, redis-server, the signaling server): spawned with
 * fixed arguments, waited for until it answers, its output kept for error messages, and ended
 * only through its own child handle. `kill()` is a crash (SIGKILL) and `restart()` starts it again
 * on the same port, for tests of what survives a server going away.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { connect } from 'node:net';
import { sleep } from '../helpers/wait.js';

export interface ServiceSpec {
  /** For messages, e.g. 'turnserver'. */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Resolves true once the process serves (e.g. its port accepts). */
  ready: () => Promise<boolean>;
  startTimeoutMs?: number;
  /** Appended to a start failure, e.g. how to install the package. */
  hint?: string;
}

export interface Service {
  /** Everything the current process printed so far. */
  output(): string;
  /** The current process id (changes on restart). */
  readonly pid: number | undefined;
  /** SIGKILL, like a crash; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Start it again with the same arguments; resolves once it serves. */
  restart(): Promise<void>;
  /** SIGTERM (SIGKILL after 3 s); safe to call twice. */
  stop(): Promise<void>;
}

export interface Spawned {
  child: ChildProcess;
  /** What it printed so far, stdout and stderr together (at most the last `keep` characters). */
  output(): string;
  /** Its exit code; null when a signal ended it, or when it could not be spawned (the output says why). */
  exit: Promise<number | null>;
}

/** Spawn `command` with stdin closed and its stdout and stderr kept as one text. */
export function spawnLogged(command: string, args: string[], options: Omit<SpawnOptions, 'stdio'> = {}, keep = Infinity): Spawned {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const add = (d: Buffer | string) => {
    log = (log + d.toString()).slice(-keep);
  };
  child.stdout!.on('data', add);
  child.stderr!.on('data', add);
  const exit = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (e) => {
      add(`\nspawn error: ${e.message}`);
      resolve(null);
    });
  });
  return { child, output: () => log, exit };
}

/** Whether a TCP connection to 127.0.0.1:port is accepted now. */
export function portAccepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startService(spec: ServiceSpec): Promise<Service> {
  let child: ChildProcess | undefined;
  let exited = true;
  let exit: Promise<void> = Promise.resolve();
  let output = () => '';
  // Never leave a process behind if the runner dies without calling stop().
  const onExit = () => {
    if (!exited) child?.kill('SIGKILL');
  };
  process.on('exit', onExit);

  const end = async (signal: NodeJS.Signals) => {
    if (exited) return;
    child!.kill(signal);
    const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => !exited && child!.kill('SIGKILL'), 3000);
    await exit;
    clearTimeout(timer);
  };

  const launch = async () => {
    const proc = spawnLogged(spec.command, spec.args, { env: spec.env ?? process.env }, 200_000);
    child = proc.child;
    output = proc.output;
    exited = false;
    exit = proc.exit.then(() => {
      if (child === proc.child) exited = true;
    });
    const deadline = Date.now() + (spec.startTimeoutMs ?? 10_000);
    while (!(await spec.ready())) {
      if (exited || Date.now() > deadline) {
        const why = exited ? 'exited early' : `did not answer within ${spec.startTimeoutMs ?? 10_000} ms`;
        await end('SIGKILL');
        throw new Error(`${spec.name} ${why}${spec.hint ? ` (${spec.hint})` : ''}\n--- ${spec.name} output ---\n${output().slice(-4000)}`);
      }
      await sleep(50);
    }
  };

  try {
    await launch();
  } catch (e) {
    process.removeListener('exit', onExit);
    throw e;
  }
  return {
    output: () => output(),
    get pid() {
      return exited ? undefined : child?.pid;
    },
    kill: () => end('SIGKILL'),
    async restart() {
      await end('SIGTERM');
      await launch();
    },
    async stop() {
      process.removeListener('exit', onExit);
      await end('SIGTERM');
    },
  };
}
