/**
 * A server process the tests start (coturn, redis-server, the signaling server): spawned with
 * fixed arguments, waited for until it answers, its output kept for error messages, and ended
 * only through its own child handle. `kill()` is a crash (SIGKILL) and `restart()` starts it again
 * on the same port, for tests of what survives a server going away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

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

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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
  let log = '';
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
    log = '';
    const proc = spawn(spec.command, spec.args, { stdio: ['ignore', 'pipe', 'pipe'], env: spec.env ?? process.env });
    child = proc;
    exited = false;
    const keep = (d: Buffer) => {
      log = (log + d.toString()).slice(-200_000);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    exit = new Promise<void>((resolve) => {
      proc.once('exit', () => {
        if (child === proc) exited = true;
        resolve();
      });
      proc.once('error', (e) => {
        if (child === proc) exited = true;
        log += `\nspawn error: ${e.message}`;
        resolve();
      });
    });
    const deadline = Date.now() + (spec.startTimeoutMs ?? 10_000);
    while (!(await spec.ready())) {
      if (exited || Date.now() > deadline) {
        await end('SIGKILL');
        const why = exited ? 'exited early' : 'did not answer in time';
        throw new Error(`${spec.name} ${why}${spec.hint ? ` (${spec.hint})` : ''}\n--- ${spec.name} output ---\n${log.slice(-4000)}`);
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
    output: () => log,
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
