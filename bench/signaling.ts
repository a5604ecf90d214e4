/**
 * Signaling at scale: N socket.io clients (child processes) in rooms of 2 and of 6 on our server
 * (the built CLI, its own process) against a bare socket.io relay (join + forward, nothing else)
 * started in the same run: connects per second, joins per second, a paced relay of offer-sized
 * signals (p50/p99 latency, server CPU per 1,000 signals) and the server's peak RSS. Then our server
 * on redis, one process and two, clients split across them: the highest rate each carries under a
 * p99 threshold. See bench/README.md.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Benchmark, BenchContext } from './lib/types.js';
import { peakRssMiB, treeCpuMs } from './lib/proc.js';
import { round } from './lib/stats.js';
import { errorMessage, sleep } from './lib/util.js';
import { latencySummary, layout, maxSustained, paces, sustained, type ProcessPlan, type StepResult } from './signaling/plan.js';
import { startBare, startClientProc, startOurs, startRedis, type ClientProc, type ServerProc } from './signaling/processes.js';
import type { Flavor, Reply } from './signaling/load-client.js';
import { offerSdp } from './signaling/sdp.js';

interface Options {
  clients: number[];
  roomSizes: number[];
  rate: number;
  warmupMs: number;
  measureMs: number;
  drainMs: number;
  idleMs: number;
  perProc: number;
  concurrency: number;
  scale: boolean;
  scaleClients: number;
  scaleProcs: number;
  scaleStart: number;
  scaleFactor: number;
  scaleSteps: number;
  scaleStepMs: number;
  p99LimitMs: number;
  /** Where our servers write V8 CPU profiles (--cpu-prof), or undefined. */
  cpuProfDir: string | undefined;
}

function numbers(v: string | true | undefined, fallback: number[], what: string): number[] {
  if (typeof v !== 'string') return fallback;
  const list = v.split(',').map(Number);
  if (!list.length || list.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--${what} wants a comma list of whole numbers, got ${v}`);
  return list;
}

function options(ctx: BenchContext): Options {
  const a = ctx.args;
  const factor = Number(a.get('sig-scale-factor') ?? 1.5);
  if (!(factor > 1)) throw new Error('--sig-scale-factor must be above 1');
  const roomSizes = numbers(a.get('sig-room-sizes'), [2, 6], 'sig-room-sizes');
  if (roomSizes.some((s) => s < 2 || s > 6)) throw new Error('--sig-room-sizes: 2 to 6 (the server default capacity)');
  return {
    clients: a.get('sig-clients') === 'none' ? [] : numbers(a.get('sig-clients'), [1000, 5000, 10000], 'sig-clients'),
    roomSizes,
    rate: a.int('sig-rate', 300),
    warmupMs: a.int('sig-warmup-ms', 2000),
    measureMs: a.int('sig-measure-ms', 6000),
    drainMs: a.int('sig-drain-ms', 3000),
    idleMs: a.int('sig-idle-ms', 2000),
    perProc: Math.max(1, a.int('sig-clients-per-proc', 5000)),
    concurrency: Math.max(1, a.int('sig-connect-concurrency', 100)),
    scale: a.bool('sig-scale', true),
    scaleClients: a.int('sig-scale-clients', 2000),
    scaleProcs: Math.max(1, a.int('sig-scale-procs', 2)),
    scaleStart: a.int('sig-scale-start', 200),
    scaleFactor: factor,
    scaleSteps: Math.max(1, a.int('sig-scale-steps', 8)),
    scaleStepMs: a.int('sig-scale-step-ms', 4000),
    p99LimitMs: a.int('sig-p99-ms', 100),
    cpuProfDir: typeof a.get('sig-cpu-prof') === 'string' ? resolve(a.get('sig-cpu-prof') as string) : undefined,
  };
}

const load = () => loadavg().map((x) => round(x, 2));
const ratio = (x: number | null | undefined, y: number | null | undefined) => (x != null && y ? round(x / y, 2) : null);

/** Everything started, stopped in reverse order whatever happens. */
class Processes {
  readonly #stops: (() => Promise<void>)[] = [];
  add<T extends { stop(): Promise<void> }>(p: T): T {
    this.#stops.push(() => p.stop());
    return p;
  }
  async stopAll(): Promise<void> {
    for (const stop of this.#stops.splice(0).reverse()) await stop().catch(() => undefined);
  }
}

type Relayed = Extract<Reply, { type: 'relayed' }>;

/** The server's CPU share (of one core) over `ms` with nothing sent, or null without /proc. */
async function idleCpu(pid: number | undefined, ms: number): Promise<number | null> {
  if (ms <= 0) return null;
  const c0 = treeCpuMs(pid);
  const t0 = performance.now();
  await sleep(ms);
  const c1 = treeCpuMs(pid);
  return c0 === null || c1 === null ? null : (c1 - c0) / (performance.now() - t0);
}

/** One paced relay over all client processes (each paced for its share of the rooms). */
async function relay(
  procs: ClientProc[],
  plans: ProcessPlan[],
  perSecond: number,
  o: Pick<Options, 'warmupMs' | 'measureMs' | 'drainMs'>,
  serverPids: (number | undefined)[],
) {
  const rooms = plans.reduce((n, p) => n + p.rooms.length, 0);
  const cpu0 = serverPids.map(treeCpuMs);
  const gen0 = procs.map((p) => treeCpuMs(p.pid));
  const t0 = performance.now();
  const replies = (await Promise.all(
    procs.map((p, i) =>
      p.send(
        { type: 'relay', perSecond: (perSecond * plans[i]!.rooms.length) / rooms, warmupMs: o.warmupMs, measureMs: o.measureMs, drainMs: o.drainMs },
        o.warmupMs + o.measureMs + o.drainMs + 60_000,
      ),
    ),
  )) as Relayed[];
  const wallMs = performance.now() - t0;
  const cpu1 = serverPids.map(treeCpuMs);
  const gen1 = procs.map((p) => treeCpuMs(p.pid));
  const sent = replies.reduce((n, r) => n + r.sent, 0);
  const serverCpuMs = cpu0.every((c, i) => c !== null && cpu1[i] !== null) ? cpu1.reduce<number>((s, c, i) => s + c! - cpu0[i]!, 0) : null;
  const genCpuMs = gen0.every((c, i) => c !== null && gen1[i] !== null) ? gen1.reduce<number>((s, c, i) => s + c! - gen0[i]!, 0) : null;
  const latency = latencySummary(replies.flatMap((r) => r.latencies));
  const carried = round(replies.reduce((n, r) => n + r.receivedInWindow, 0) / (o.measureMs / 1000), 0);
  return {
    pace: perSecond,
    carried,
    sent,
    wallMs: round(wallMs, 0),
    lost: replies.reduce((n, r) => n + r.lost, 0),
    latencyMs: latency,
    serverCpuMsPer1kSignals: serverCpuMs === null ? null : round((serverCpuMs / sent) * 1000, 1),
    /** Set by the caller when it measured the server idle first. */
    serverIdleCpuPercent: undefined as number | null | undefined,
    serverCpuMsPer1kSignalsAboveIdle: undefined as number | null | undefined,
    serverCpuPercent: serverCpuMs === null ? null : round((serverCpuMs / wallMs) * 100, 0),
    loadGeneratorCpuPercent: genCpuMs === null ? null : round((genCpuMs / wallMs) * 100, 0),
    generatorLagMs: round(Math.max(...replies.map((r) => r.lateSendMs)), 1),
    ...(replies.some((r) => r.strays) ? { strays: replies.reduce((n, r) => n + r.strays, 0) } : {}),
  };
}

type RelayResult = Awaited<ReturnType<typeof relay>>;

/** Connect every process's clients at once; connects per second over the whole ramp. */
async function connectAll(procs: ClientProc[], counts: number[][], urls: string[], flavor: Flavor, o: Options) {
  const t0 = performance.now();
  const replies = await Promise.all(
    procs.map((p, i) => p.send({ type: 'connect', urls, clientNodes: counts[i]!, flavor, concurrency: o.concurrency, timeoutMs: 30_000 }, 10 * 60_000)),
  );
  const ms = performance.now() - t0;
  const total = counts.reduce((n, c) => n + c.length, 0);
  const failed = replies.reduce((n, r) => n + ((r as { failed: number }).failed ?? 0), 0);
  if (failed)
    throw new Error(
      `${failed} of ${total} clients could not connect: ${(replies.find((r) => (r as { firstError?: string }).firstError) as { firstError?: string }).firstError}`,
    );
  return { clients: total, ms: round(ms, 0), perSecond: round((total / ms) * 1000, 0) };
}

async function joinAll(procs: ClientProc[], plans: ProcessPlan[], o: Options) {
  const t0 = performance.now();
  const replies = await Promise.all(procs.map((p, i) => p.send({ type: 'join', rooms: plans[i]!.rooms, concurrency: o.concurrency }, 10 * 60_000)));
  const ms = performance.now() - t0;
  const total = plans.reduce((n, p) => n + p.rooms.reduce((m, r) => m + r.members.length, 0), 0);
  const failed = replies.reduce((n, r) => n + ((r as { failed: number }).failed ?? 0), 0);
  if (failed)
    throw new Error(
      `${failed} of ${total} joins failed: ${(replies.find((r) => (r as { firstError?: string }).firstError) as { firstError?: string }).firstError}`,
    );
  return { members: total, ms: round(ms, 0), perSecond: round((total / ms) * 1000, 0) };
}

/** One server (ours or bare), N clients: connect, then for each room size join, relay, leave. */
async function serverRun(ctx: BenchContext, flavor: Flavor, n: number, o: Options) {
  const local = new Processes();
  try {
    const server = local.add(await (flavor === 'ours' ? startOurs(ctx.repo, undefined, o.cpuProfDir) : startBare(ctx.repo)));
    const nProcs = Math.ceil(n / o.perProc);
    const procs = Array.from({ length: nProcs }, () => local.add(startClientProc(ctx.repo)));
    const plansBySize = new Map(o.roomSizes.map((size) => [size, layout(n, size, nProcs, 1, `s${size}-`)]));
    // Every process opens as many clients as its largest room layout needs.
    const counts = procs.map((_, i) => new Array<number>(Math.max(...[...plansBySize.values()].map((p) => p[i]!.clientNodes.length))).fill(0));
    const cpu0 = treeCpuMs(server.pid);
    const connects = await connectAll(procs, counts, [server.url], flavor, o);
    const cpu1 = treeCpuMs(server.pid);
    const rooms: Record<string, { joins: Awaited<ReturnType<typeof joinAll>>; relay: RelayResult }> = {};
    for (const [size, plans] of plansBySize) {
      ctx.log(`signaling: ${flavor}, ${n} clients, rooms of ${size} (load ${load().join(' ')})`);
      const joins = await joinAll(procs, plans, o);
      const r = await relay(procs, plans, o.rate, o, [server.pid]);
      // After the relay: every signal has arrived (or the drain gave up), the joins are long done.
      const idle = await idleCpu(server.pid, o.idleMs);
      // What the signals cost above what the server spends anyway with N sockets open (heartbeats, timers).
      Object.assign(r, {
        serverIdleCpuPercent: idle === null ? null : round(idle * 100, 1),
        serverCpuMsPer1kSignalsAboveIdle:
          idle === null || r.serverCpuMsPer1kSignals === null ? null : round(r.serverCpuMsPer1kSignals - (idle * r.wallMs * 1000) / r.sent, 1),
      });
      await Promise.all(procs.map((p) => p.send({ type: 'leave' }, 5 * 60_000)));
      rooms[`rooms of ${size}`] = { joins, relay: r };
    }
    ctx.log(
      `signaling: ${flavor}, ${n} clients done: ${JSON.stringify({
        connectsPerSecond: connects.perSecond,
        rooms: Object.fromEntries(
          Object.entries(rooms).map(([k, v]) => [
            k,
            {
              joinsPerSecond: v.joins.perSecond,
              ...v.relay.latencyMs,
              cpuPer1k: v.relay.serverCpuMsPer1kSignals,
              cpuPer1kAboveIdle: v.relay.serverCpuMsPer1kSignalsAboveIdle,
              carried: v.relay.carried,
              lost: v.relay.lost,
            },
          ]),
        ),
        peakRssMiB: peakRssMiB(server.pid),
      })}`,
    );
    return {
      connects: { ...connects, serverCpuMsPer1kConnects: cpu0 !== null && cpu1 !== null ? round(((cpu1 - cpu0) / connects.clients) * 1000, 0) : null },
      rooms,
      serverPeakRssMiB: peakRssMiB(server.pid),
      loadavg: load(),
    };
  } finally {
    await local.stopAll();
  }
}

/** The search for the highest pace a setup of `nodes` servers on redis carries with p99 under the limit. */
async function scaleRun(ctx: BenchContext, nodes: number, redisUrl: string, o: Options) {
  const local = new Processes();
  try {
    const servers: ServerProc[] = [];
    for (let i = 0; i < nodes; i++) servers.push(local.add(await startOurs(ctx.repo, redisUrl, o.cpuProfDir)));
    const procs = Array.from({ length: o.scaleProcs }, () => local.add(startClientProc(ctx.repo)));
    const plans = layout(o.scaleClients, 2, o.scaleProcs, nodes, `n${nodes}-`);
    const connects = await connectAll(
      procs,
      plans.map((p) => p.clientNodes),
      servers.map((s) => s.url),
      'ours',
      o,
    );
    const joins = await joinAll(procs, plans, o);
    const steps: (RelayResult & { sustained: boolean })[] = [];
    const stepOpts = { warmupMs: 1000, measureMs: o.scaleStepMs, drainMs: 2000 };
    for (const pace of paces(o.scaleStart, o.scaleFactor, o.scaleSteps)) {
      const r = await relay(
        procs,
        plans,
        pace,
        stepOpts,
        servers.map((s) => s.pid),
      );
      const ok = sustained(toStep(r), o.p99LimitMs);
      steps.push({ ...r, sustained: ok });
      ctx.log(
        `signaling: ${nodes} node(s) on redis, pace ${pace}/s: carried ${r.carried}/s, p99 ${r.latencyMs?.p99} ms${ok ? '' : ' (not sustained)'} (load ${load().join(' ')})`,
      );
      if (!ok) break;
    }
    return {
      nodes,
      connects,
      joins,
      maxSustainedPerSecond: maxSustained(steps.map(toStep), o.p99LimitMs),
      steps: steps.map((s) => ({
        pace: s.pace,
        carried: s.carried,
        lost: s.lost,
        p50: s.latencyMs?.p50 ?? null,
        p99: s.latencyMs?.p99 ?? null,
        serverCpuPercent: s.serverCpuPercent,
        loadGeneratorCpuPercent: s.loadGeneratorCpuPercent,
        sustained: s.sustained,
      })),
      serverPeakRssMiB: servers.map((s) => peakRssMiB(s.pid)),
      loadavg: load(),
    };
  } finally {
    await local.stopAll();
  }
}

const aboveIdle = (r: RelayResult | undefined) => r?.serverCpuMsPer1kSignalsAboveIdle;

const toStep = (r: RelayResult): StepResult => ({ target: r.pace, carried: r.carried, p99: r.latencyMs?.p99 ?? null, lost: r.lost });

export const signaling: Benchmark = {
  name: 'signaling',
  description: 'N clients on our server vs a bare socket.io relay: relay latency, CPU per 1k signals, connects/s, RSS; then two nodes on redis',
  timeoutMs: 30 * 60_000,
  async run(ctx) {
    const o = options(ctx);
    const all = new Processes();
    const runs: Record<string, unknown> = {};
    let failures = 0;
    const summary: Record<string, unknown> = {};
    try {
      for (const [i, n] of o.clients.entries()) {
        // Alternate which goes first, so drift in the machine's load hits both alike.
        const order: Flavor[] = i % 2 ? ['ours', 'bare'] : ['bare', 'ours'];
        const byFlavor: Partial<Record<Flavor, Awaited<ReturnType<typeof serverRun>>>> = {};
        const errors: Partial<Record<Flavor, string>> = {};
        for (const flavor of order) {
          ctx.log(`signaling: ${flavor}, ${n} clients`);
          // A run that fails (everything it started is stopped) leaves its error; the others still run.
          byFlavor[flavor] = await serverRun(ctx, flavor, n, o).catch((e) => {
            failures++;
            errors[flavor] = `${errorMessage(e)} (load ${load().join(' ')})`;
            ctx.log(`signaling: ${flavor}, ${n} clients FAILED: ${errors[flavor]}`);
            return undefined;
          });
        }
        runs[`${n} clients`] = { ours: byFlavor.ours ?? { error: errors.ours }, bare: byFlavor.bare ?? { error: errors.bare } };
        for (const size of o.roomSizes) {
          const key = `rooms of ${size}`;
          const ours = byFlavor.ours?.rooms[key];
          const bare = byFlavor.bare?.rooms[key];
          summary[`${n} clients, ${key}`] = {
            p99: { ours: ours?.relay.latencyMs?.p99, bare: bare?.relay.latencyMs?.p99, ratio: ratio(ours?.relay.latencyMs?.p99, bare?.relay.latencyMs?.p99) },
            cpuPer1k: {
              ours: ours?.relay.serverCpuMsPer1kSignals,
              bare: bare?.relay.serverCpuMsPer1kSignals,
              ratio: ratio(ours?.relay.serverCpuMsPer1kSignals, bare?.relay.serverCpuMsPer1kSignals),
            },
            cpuPer1kAboveIdle: { ours: aboveIdle(ours?.relay), bare: aboveIdle(bare?.relay), ratio: ratio(aboveIdle(ours?.relay), aboveIdle(bare?.relay)) },
          };
        }
      }
      let scale: Record<string, unknown> | undefined;
      if (o.scale) {
        const redis = all.add(await startRedis());
        const one = await scaleRun(ctx, 1, redis.url, o).catch((e) => {
          failures++;
          return { error: errorMessage(e), maxSustainedPerSecond: null };
        });
        const two = await scaleRun(ctx, 2, redis.url, o).catch((e) => {
          failures++;
          return { error: errorMessage(e), maxSustainedPerSecond: null };
        });
        scale = {
          clients: o.scaleClients,
          roomSize: 2,
          p99LimitMs: o.p99LimitMs,
          oneNode: one,
          twoNodes: two,
          ratio: ratio(two.maxSustainedPerSecond, one.maxSustainedPerSecond),
        };
      }
      // Everything measured is kept: a part that failed has `error` in its place, and `failedParts` counts them.
      if (failures) ctx.log(`signaling: ${failures} part(s) failed; see "error" in the JSON`);
      const result = {
        machine: 'servers, load generator (and redis) share the same cores',
        options: o,
        signalBytes: JSON.stringify({ to: 'x'.repeat(22), data: { description: { type: 'offer', sdp: offerSdp(0) } } }).length,
        summary,
        runs,
        ...(scale ? { scale } : {}),
        targets: { oursOverBare: 1.2, twoNodesOverOne: 1.8 },
        failedParts: failures,
      };
      return result;
    } finally {
      await all.stopAll();
    }
  },
};
