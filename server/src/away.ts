/**
 * Members whose connection dropped and who may still resume (docs/protocol.md §9). Each is kept
 * with a deadline; when it passes without a resume, exactly one process of the cluster takes the
 * entry and announces the departure. In memory for one process, a sorted set in redis for a cluster.
 */
import type { RedisClient } from './redis.js';

export interface AwayMember {
  room: string;
  id: string;
}

export interface AwayBook {
  /** Keep `id`'s seat in `room` until `deadline` (ms since the epoch); a second put moves the deadline. */
  put(room: string, id: string, deadline: number): Promise<void>;
  /** `id` is back: forget it. True if it was kept and its deadline has not passed. */
  take(room: string, id: string, now?: number): Promise<boolean>;
  /** Entries whose deadline passed, removed; across a cluster each goes to one caller only. */
  expired(now: number): Promise<AwayMember[]>;
  /** Forget every seat kept in `room` (the room ended: nobody may resume into it). */
  dropRoom(room: string): Promise<void>;
  /**
   * When kept entries were last lost (this process started; redis came back empty). A resume
   * within the grace period of that moment cannot be checked and is trusted.
   */
  lostAt(): number;
}

const SEP = '\n'; // never in a room name or a peer id
const entry = (room: string, id: string) => `${room}${SEP}${id}`;
const parse = (e: string): AwayMember => {
  const i = e.indexOf(SEP);
  return { room: e.slice(0, i), id: e.slice(i + 1) };
};

export function memoryAwayBook(): AwayBook {
  const started = Date.now();
  const kept = new Map<string, number>();
  return {
    async put(room, id, deadline) {
      kept.set(entry(room, id), deadline);
    },
    async take(room, id, now = Date.now()) {
      const key = entry(room, id);
      const deadline = kept.get(key);
      kept.delete(key);
      return deadline !== undefined && deadline >= now;
    },
    async expired(now) {
      const out: AwayMember[] = [];
      for (const [key, deadline] of kept) {
        if (deadline > now) continue;
        kept.delete(key);
        out.push(parse(key));
      }
      return out;
    },
    async dropRoom(room) {
      for (const key of kept.keys()) if (parse(key).room === room) kept.delete(key);
    },
    lostAt: () => started,
  };
}

const KEY = 'rtc-widgets:away';
/** Set once per redis dataset: missing after a reconnect means redis restarted empty. */
const EPOCH_KEY = 'rtc-widgets:epoch';
const SWEEP_BATCH = 100;

export async function redisAwayBook(client: RedisClient, log: (line: string) => void): Promise<AwayBook> {
  let lost = Date.now();
  const markEpoch = async () => {
    const created = await client.set(EPOCH_KEY, String(Date.now()), { NX: true } as never);
    return created !== null; // null: it was there already
  };
  await markEpoch();
  client.on('ready', () => {
    markEpoch().then(
      (fresh) => {
        if (!fresh) return;
        lost = Date.now();
        log('redis came back without our data: resumes in the next grace period are trusted');
      },
      () => undefined,
    );
  });
  return {
    async put(room, id, deadline) {
      await client.zAdd(KEY, { score: deadline, value: entry(room, id) });
    },
    async take(room, id, now = Date.now()) {
      const key = entry(room, id);
      const deadline = await client.zScore(KEY, key);
      const removed = await client.zRem(KEY, key);
      return removed > 0 && deadline !== null && Number(deadline) >= now;
    },
    async expired(now) {
      const due = await client.zRangeByScore(KEY, '-inf', now, { LIMIT: { offset: 0, count: SWEEP_BATCH } });
      const out: AwayMember[] = [];
      for (const e of due) {
        // ZREM answers 1 to one process only: that one announces.
        if ((await client.zRem(KEY, String(e))) > 0) out.push(parse(String(e)));
      }
      return out;
    },
    async dropRoom(room) {
      const all = await client.zRange(KEY, 0, -1);
      const mine = all.map(String).filter((e) => parse(e).room === room);
      if (mine.length) await client.zRem(KEY, mine);
    },
    lostAt: () => lost,
  };
}
