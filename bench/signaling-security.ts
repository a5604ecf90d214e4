/**
 * Signaling security overhead: the relay latency of signals between two socket.io clients through a
 * real server (a child process on 127.0.0.1), and the server's CPU per 1000 signals, with join
 * tokens + sealed signal payloads (protocol 3) against the same load in plain text without tokens,
 * alternating in the same run. See bench/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { io, type Socket } from 'socket.io-client';
import type { Benchmark, BenchContext } from './lib/types.js';
import { quantile, round } from './lib/stats.js';
import { treeCpuMs } from './lib/proc.js';
import { withTimeout } from './lib/util.js';
import { mintToken } from '../server/src/token.js';
import { roomSealer } from '../src/core/signaling/sealed.js';
import type { PeerSignal } from '../src/core/signaling/protocol.js';

const SECRET = 'bench-token-secret-bench-token-secret';

/** A candidate as browsers trickle them (~200 bytes): most of a call's signals look like this. */
const candidate = (i: number): PeerSignal => ({
  candidate: {
    candidate: `candidate:${1000 + i} 1 udp 2122260223 192.0.2.${i % 250} ${50000 + (i % 10000)} typ host generation 0 ufrag Xk9f network-id 1`,
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: 'Xk9f',
  },
});

interface StartedChild {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** The signaling server in a process of its own, so its CPU time is its alone. */
async function startChild(repo: string, tokenSecret: string | undefined): Promise<StartedChild> {
  const script = `
    const { createSignalServer } = await import(${JSON.stringify(`${repo}/server/src/signal-server.ts`)});
    const s = await createSignalServer({ port: 0, host: '127.0.0.1', log: () => {}, tokenSecret: process.env.BENCH_TOKEN_SECRET || undefined,
      limits: { messagesPerSecond: 1e6, messageBurst: 1e7, joinsPerMinute: 1e6, connectionsPerMinute: 1e6 } });
    console.log('URL ' + s.url);
    process.on('SIGTERM', () => s.close().then(() => process.exit(0)));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repo,
    env: { ...process.env, BENCH_TOKEN_SECRET: tokenSecret ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await withTimeout(
    new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /URL (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
    }),
    30_000,
    'starting the server',
  );
  return {
    child,
    url,
    async stop() {
      child.kill('SIGTERM');
      await withTimeout(exited, 10_000, 'stopping the server').catch(() => child.kill('SIGKILL'));
    },
  };
}

function connect(url: string): Promise<{ socket: Socket; challenge: string }> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 10_000 });
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.once('welcome', (w: { challenge: string }) => resolve({ socket, challenge: w.challenge }));
      socket.once('connect_error', reject);
    }),
    15_000,
    'connecting',
  );
}

interface RunResult {
  relayMs: number[];
  joinMs: number[];
  serverCpuMs: number | null;
  /** Client-side cost of sealing + opening one signal (secure only). */
  sealOpenMs: number[];
  bytesPerSignal: number;
}

async function runOnce(repo: string, secure: boolean, signals: number): Promise<RunResult> {
  const server = await startChild(repo, secure ? SECRET : undefined);
  const sockets: Socket[] = [];
  try {
    const room = `bench-${secure ? 'secure' : 'plain'}`;
    const joinMs: number[] = [];
    const ids: string[] = [];
    for (const name of ['A', 'B']) {
      const { socket } = await connect(server.url);
      sockets.push(socket);
      const token = secure ? await mintToken(SECRET, { room, name, role: 'guest', ttlSeconds: 600 }) : undefined;
      const t0 = performance.now();
      const reply = await socket.timeout(10_000).emitWithAck('join', { room, name, protocol: 3, ...(token ? { token } : {}) });
      joinMs.push(performance.now() - t0);
      if (!reply.ok) throw new Error(`join failed: ${JSON.stringify(reply)}`);
      ids.push(reply.id);
    }
    const [a, b] = sockets as [Socket, Socket];
    const [idA, idB] = ids as [string, string];
    const sealer = secure ? await roomSealer('bench-room-secret-0123', room) : undefined;

    // Sealing and opening happen outside the timed loop (measured on their own), so that both loops
    // are the same: emit, wait for the arrival, next.
    const sealOpenMs: number[] = [];
    const prepare = async (from: number, n: number) => {
      const out: unknown[] = [];
      for (let i = from; i < from + n; i++) {
        const s0 = performance.now();
        out.push(sealer ? await sealer.seal(idA, idB, candidate(i)) : candidate(i));
        if (sealer) sealOpenMs.push(performance.now() - s0);
      }
      return out;
    };
    const relay = async (payloads: unknown[]) => {
      const times: number[] = [];
      const received: unknown[] = [];
      for (const [i, data] of payloads.entries()) {
        const arrived = new Promise<{ data: unknown }>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`signal ${i} was not relayed`)), 10_000);
          b.once('signal', (e: { data: unknown }) => {
            clearTimeout(timer);
            resolve(e);
          });
        });
        const t0 = performance.now();
        a.emit('signal', { to: idB, data });
        received.push((await arrived).data);
        times.push(performance.now() - t0);
      }
      return { times, received };
    };
    await relay(await prepare(0, 200)); // warm up (JIT, socket buffers)
    sealOpenMs.length = 0;
    const payloads = await prepare(200, signals);
    const bytes = payloads.reduce<number>((sum, d) => sum + JSON.stringify(d).length, 0);
    const cpu0 = treeCpuMs(server.child.pid);
    const { times: relayMs, received } = await relay(payloads);
    const cpu1 = treeCpuMs(server.child.pid);
    if (sealer) {
      // What a receiver pays: open (and validate) each; every one must open.
      for (const [i, data] of received.entries()) {
        const o0 = performance.now();
        if (!(await sealer.open(idA, idB, data as { sealed: string }))) throw new Error('a sealed signal did not open');
        sealOpenMs[i] = (sealOpenMs[i] ?? 0) + performance.now() - o0;
      }
    }
    return {
      relayMs,
      joinMs,
      serverCpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
      sealOpenMs,
      bytesPerSignal: Math.round(bytes / signals),
    };
  } finally {
    for (const s of sockets) s.disconnect();
    await server.stop();
  }
}

function summary(runs: RunResult[], signals: number) {
  const relay = runs.flatMap((r) => r.relayMs).sort((x, y) => x - y);
  const cpu = runs.map((r) => r.serverCpuMs);
  const cpuPer1k = cpu.every((c) => c !== null) ? round(((cpu as number[]).reduce((s, c) => s + c, 0) / (signals * runs.length)) * 1000, 1) : null;
  const sealOpen = runs.flatMap((r) => r.sealOpenMs).sort((x, y) => x - y);
  return {
    relayMs: { p50: round(quantile(relay, 0.5), 3), p99: round(quantile(relay, 0.99), 3), n: relay.length },
    serverCpuMsPer1kSignals: cpuPer1k,
    joinMs: round(
      quantile(
        runs.flatMap((r) => r.joinMs).sort((x, y) => x - y),
        0.5,
      ),
      2,
    ),
    bytesPerSignal: runs[0]?.bytesPerSignal,
    ...(sealOpen.length ? { clientSealPlusOpenMs: { p50: round(quantile(sealOpen, 0.5), 3), p99: round(quantile(sealOpen, 0.99), 3) } } : {}),
  };
}

export const signalingSecurity: Benchmark = {
  name: 'signaling-security',
  description: 'relay latency and server CPU per 1k signals: tokens + sealed signals vs plain',
  timeoutMs: 10 * 60_000,
  async run(ctx: BenchContext) {
    const signals = ctx.args.int('sec-signals', 2000);
    const reps = Math.max(1, ctx.args.int('sec-reps', 3));
    const plain: RunResult[] = [];
    const secure: RunResult[] = [];
    // Alternate, so that drift in the machine's load hits both alike.
    for (let rep = 0; rep < reps; rep++) {
      for (const isSecure of rep % 2 ? [true, false] : [false, true]) {
        ctx.log(`signaling-security: ${isSecure ? 'tokens + sealed' : 'plain'} rep ${rep + 1}/${reps}, ${signals} signals`);
        (isSecure ? secure : plain).push(await runOnce(ctx.repo, isSecure, signals));
      }
    }
    const p = summary(plain, signals);
    const s = summary(secure, signals);
    const ratio = (x: number | null | undefined, y: number | null | undefined) => (x && y ? round(x / y, 2) : null);
    return {
      signalsPerRun: signals,
      runsEach: reps,
      plain: p,
      secure: s,
      ratio: {
        relayP50: ratio(s.relayMs.p50, p.relayMs.p50),
        relayP99: ratio(s.relayMs.p99, p.relayMs.p99),
        serverCpuPer1k: ratio(s.serverCpuMsPer1kSignals, p.serverCpuMsPer1kSignals),
        bytesPerSignal: ratio(s.bytesPerSignal, p.bytesPerSignal),
      },
    };
  },
};
