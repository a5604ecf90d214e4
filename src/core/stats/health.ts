/**
 * Mesh health: what each peer says about its own links (the `health` message on the `control`
 * channel, docs/protocol.md §10), gathered into a matrix of who receives whom how well, and read
 * in words ("Bob's upload is the bottleneck"). Pure: tested without a call.
 */
import type { HealthMessage } from '../peer/control.js';
import { gradeQuality, type QualityLevel } from './quality.js';

/** How one participant receives another. */
export interface HealthCell {
  level?: QualityLevel;
  fps?: number;
  /** Fraction 0–1. */
  loss?: number;
  rttMs?: number;
}

export interface HealthPeer {
  id: string;
  name: string;
  isLocal: boolean;
  /** What the peer sends in total, kbit/s (as it reports). */
  upKbps?: number;
  /** Its video sender's qualityLimitationReason ('none', 'bandwidth', 'cpu', 'other'). */
  limit?: string;
  /** Ms since its last health message (undefined for ourselves, or none yet). */
  ageMs?: number;
}

export interface HealthMatrix {
  peers: HealthPeer[];
  /** `cells[receiver][sender]`: how `receiver` receives `sender`; missing = not reported. */
  cells: Record<string, Record<string, HealthCell>>;
  /** In words, for people: who is the bottleneck. Empty when nothing stands out. */
  findings: string[];
}

/** A health message's reception entry graded like our own (its `q` when it sent one). */
export function cellFromReport(e: HealthMessage['rx'][number]): HealthCell {
  const level =
    e.q ??
    gradeQuality({ connectionState: 'connected', rttMs: e.rtt, loss: e.loss, fps: e.fps, videoExpected: e.fps !== undefined, mediaExpected: false }).level;
  return { level, fps: e.fps, loss: e.loss, rttMs: e.rtt };
}

const BAD: (QualityLevel | undefined)[] = ['poor', 'lost'];
const OK: (QualityLevel | undefined)[] = ['good', 'fair'];

/** Read the matrix: a sender everyone receives poorly (its upload), a receiver who receives everyone poorly (its download). */
export function findBottlenecks(peers: HealthPeer[], cells: HealthMatrix['cells']): string[] {
  const findings: string[] = [];
  const name = (id: string) => {
    const p = peers.find((x) => x.id === id);
    return p ? (p.isLocal ? 'Your' : `${p.name}'s`) : "Someone's";
  };
  const who = (id: string) => {
    const p = peers.find((x) => x.id === id);
    return p ? (p.isLocal ? 'you' : p.name) : 'someone';
  };
  const levelOf = (r: string, s: string) => cells[r]?.[s]?.level;
  for (const sender of peers) {
    const receivers = peers.filter((r) => r.id !== sender.id && levelOf(r.id, sender.id));
    const allBad = receivers.length > 0 && receivers.every((r) => BAD.includes(levelOf(r.id, sender.id)));
    // The same receivers get someone else fine: their own downloads are not the problem.
    const othersFine = receivers.every((r) => peers.some((o) => o.id !== sender.id && o.id !== r.id && OK.includes(levelOf(r.id, o.id))));
    const limited = sender.limit === 'bandwidth' || sender.limit === 'cpu';
    if (allBad && receivers.length >= 2 && othersFine) {
      findings.push(
        `${name(sender.id)} upload is the bottleneck: everyone receives ${who(sender.id)} poorly${limited ? ` (limited by ${sender.limit === 'cpu' ? 'CPU' : 'bandwidth'})` : ''}.`,
      );
    } else if (limited && receivers.some((r) => levelOf(r.id, sender.id) !== 'good')) {
      findings.push(
        `${name(sender.id)} upload is limited by ${sender.limit === 'cpu' ? 'CPU' : 'bandwidth'}: ${sender.isLocal ? 'your' : 'their'} browser lowers the video it sends.`,
      );
    }
  }
  for (const receiver of peers) {
    const senders = peers.filter((s) => s.id !== receiver.id && levelOf(receiver.id, s.id));
    if (senders.length < 2 || !senders.every((s) => BAD.includes(levelOf(receiver.id, s.id)))) continue;
    // Everyone else receives those senders fine: the receiver's own download (or CPU) is the problem.
    const elsewhereFine = senders.every((s) => peers.some((o) => o.id !== receiver.id && o.id !== s.id && OK.includes(levelOf(o.id, s.id))));
    if (elsewhereFine)
      findings.push(`${name(receiver.id)} download is the bottleneck: ${who(receiver.id)} ${receiver.isLocal ? 'receive' : 'receives'} everyone poorly.`);
  }
  return findings;
}
