/**
 * The message allowance of an address shared through redis (docs/protocol.md §6), taken in
 * batches by each process: two processes' limiters on one real redis-server together allow exactly
 * the window's allowance, unspent batches only ever make the limit stricter, and a refused address
 * stays refused on every process.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AbuseLimits, messageBatch } from '../src/limits.js';
import { connectRedis, type RedisPair } from '../src/redis.js';
import { startRedis, type Redis } from '../../test/harness/redis.js';

const T = { timeout: 30_000 };
const redisInstalled = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((p) => existsSync(p));

describe('message allowance in batches over redis', { skip: redisInstalled ? false : 'redis-server is not installed' }, () => {
  let redis: Redis;
  const pairs: RedisPair[] = [];
  /**
   * A process's limiter, with its own redis connection: 1000 messages per 100 s window, batches of
   * 10. A window must outlast a test: with 10 s, a window ended mid-test on a loaded machine and the
   * next one allowed 200 more.
   */
  const limiter = async () => {
    const pair = await connectRedis(redis.url, () => {});
    pairs.push(pair);
    return new AbuseLimits({ messagesPerSecond: 10, messageBurst: 1000 }, pair.client);
  };
  const ask = async (l: AbuseLimits, address: string) => await l.allowMessage(address);

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await Promise.allSettled(pairs.map((p) => p.close()));
    await redis?.stop();
  });

  it('batches are 1 % of the window (1 to 100)', () => {
    assert.equal(messageBatch(5000), 50);
    assert.equal(messageBatch(1000), 10);
    assert.equal(messageBatch(50), 1);
    assert.equal(messageBatch(1e8), 100);
  });

  it('two processes sending in turn get exactly the allowance between them, then both refuse', T, async () => {
    const [a, b] = [await limiter(), await limiter()];
    let allowed = 0;
    for (let i = 0; i < 700; i++) for (const l of [a, b]) if (await ask(l, '10.0.0.1')) allowed++;
    assert.equal(allowed, 1000);
    // Refused at once now, without asking redis.
    assert.equal(a.allowMessage('10.0.0.1'), false);
    assert.equal(b.allowMessage('10.0.0.1'), false);
    // Another address has its own allowance.
    assert.equal(await ask(a, '10.0.0.2'), true);
  });

  it('messages sent at once all get an answer, in the batch they wait for', T, async () => {
    const a = await limiter();
    const verdicts = await Promise.all(Array.from({ length: 1200 }, () => a.allowMessage('10.0.0.3')));
    assert.equal(verdicts.filter(Boolean).length, 1000);
    assert.ok(verdicts.slice(0, 1000).every(Boolean), 'the first 1000 are the ones allowed');
  });

  it('a batch one process took and did not spend only makes the limit stricter', T, async () => {
    const [a, b] = [await limiter(), await limiter()];
    assert.equal(await ask(a, '10.0.0.4'), true); // a holds 9 more
    let allowed = 0;
    for (let i = 0; i < 1100; i++) if (await ask(b, '10.0.0.4')) allowed++;
    assert.equal(allowed, 990);
  });
});
