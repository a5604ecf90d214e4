/**
 * The pure parts of the signaling bench (tested in server/test/signaling-bench-plan.test.ts): who
 * sits in which room on which server and in which client process, which signal goes next, how many
 * are due at a given moment of a paced run, the latency summary, and the search for the highest
 * rate a setup sustains.
 */
import { quantile, round } from '../lib/stats.js';

export interface Member {
  /** Index of the client in its client process. */
  client: number;
  /** Which server (of `nodes`) it connects to. */
  node: number;
}

export interface Room {
  name: string;
  members: Member[];
}

/** One client process's share: how many clients it opens, to which server each, and its rooms. */
export interface ProcessPlan {
  /** Server index per client. */
  clientNodes: number[];
  rooms: Room[];
}

/**
 * `clients` clients (rounded down to whole rooms of `roomSize`) over `processes` client processes:
 * a room never spans two processes (its members' signals are timed on one clock), and with several
 * `nodes` the members of a room go round the nodes, so that most signals cross from one to another.
 */
export function layout(clients: number, roomSize: number, processes: number, nodes: number, prefix = 'r'): ProcessPlan[] {
  if (roomSize < 2) throw new RangeError('rooms need at least 2 members');
  const rooms = Math.floor(clients / roomSize);
  const plans: ProcessPlan[] = Array.from({ length: Math.max(1, processes) }, () => ({ clientNodes: [], rooms: [] }));
  for (let r = 0; r < rooms; r++) {
    const plan = plans[r % plans.length]!;
    const members: Member[] = [];
    for (let m = 0; m < roomSize; m++) {
      const node = (r + m) % nodes; // rotate the start too, so each node gets the same share of clients
      members.push({ client: plan.clientNodes.length, node });
      plan.clientNodes.push(node);
    }
    plan.rooms.push({ name: `${prefix}${r}`, members });
  }
  return plans;
}

/**
 * Signal number `n` of a run over `rooms` rooms of `roomSize`: the rooms take turns, and within a
 * room every member sends to every other in turn (in a room of 2 they alternate).
 */
export function pairOf(n: number, rooms: number, roomSize: number): { room: number; from: number; to: number } {
  const room = n % rooms;
  const round = Math.floor(n / rooms);
  const from = round % roomSize;
  const hop = 1 + (Math.floor(round / roomSize) % (roomSize - 1));
  return { room, from, to: (from + hop) % roomSize };
}

/** How many signals a run paced at `perSecond` should have sent `elapsedMs` after it began (the first at 0). */
export function due(elapsedMs: number, perSecond: number): number {
  if (elapsedMs < 0 || perSecond <= 0) return 0;
  return Math.floor((elapsedMs * perSecond) / 1000) + 1;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function latencySummary(samples: ArrayLike<number>): LatencySummary | null {
  if (!samples.length) return null;
  const sorted = Float64Array.from(samples).sort();
  const q = (p: number) => round(quantile(sorted as unknown as number[], p), 2);
  return { n: sorted.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: round(sorted[sorted.length - 1]!, 2) };
}

export interface StepResult {
  /** The pace asked for, signals per second (all clients together). */
  target: number;
  /** Signals that arrived within the measured window, per second. */
  carried: number;
  p99: number | null;
  /** Signals sent and never received. */
  lost: number;
}

/** A step is sustained when nearly all of the pace arrived, nothing was lost, and p99 stayed under the threshold. */
export function sustained(step: StepResult, p99LimitMs: number): boolean {
  return step.p99 !== null && step.p99 <= p99LimitMs && step.lost === 0 && step.carried >= 0.95 * step.target;
}

/** The paces of a search: `start`, then ×`factor` each step, `steps` in all (whole numbers). */
export function paces(start: number, factor: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => Math.round(start * factor ** i));
}

/** The highest carried rate among the sustained steps before the first one that was not, or 0. */
export function maxSustained(steps: StepResult[], p99LimitMs: number): number {
  let best = 0;
  for (const s of steps) {
    if (!sustained(s, p99LimitMs)) break;
    best = Math.max(best, s.carried);
  }
  return best;
}
