import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SignalServer } from '../src/signal-server.js';
import { connect, joined, next, offer, record, request, sleep, startServer, until } from './helpers.js';
import { existsSync } from 'node:fs';
import { startRedis, type Redis } from '../../test/harness/redis.js';

const T = { timeout: 30_000 };

const redisInstalled = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((p) => existsSync(p));

describe('two servers sharing rooms over redis', { skip: redisInstalled ? false : 'redis-server is not installed: apt-get install redis-server' }, () => {
  let redis: Redis;
  let one: SignalServer;
  let two: SignalServer;
  const logs: string[] = [];

  before(async () => {
    redis = await startRedis();
    const log = (l: string) => logs.push(l);
    one = await startServer({ redisUrl: redis.url, roomCapacity: 3, log });
    two = await startServer({ redisUrl: redis.url, roomCapacity: 3, log });
  });
  after(async () => {
    // Servers first (their goodbyes go through redis), redis last.
    await Promise.allSettled([one?.close(), two?.close()]);
    await redis?.stop();
  });

  it('clients on different servers join one room, see each other and relay signals', T, async () => {
    const a = await joined(one.url, 'shared', 'A');
    const joinedSeen = next(a.socket, 'peer-joined');
    const b = await joined(two.url, 'shared', 'B');
    assert.deepEqual(b.reply.peers, [{ id: a.reply.id, name: 'A' }], 'the member on the other server is listed');
    assert.deepEqual(await joinedSeen, { id: b.reply.id, name: 'B' });

    const atA = record(a.socket, 'signal');
    const atB = next(b.socket, 'signal');
    assert.deepEqual(await request(a.socket, 'signal', { to: b.reply.id, data: offer('v=0 from A') }), { ok: true });
    assert.deepEqual(await atB, { from: a.reply.id, data: offer('v=0 from A') });
    // Back the other way, several in a row: order is kept.
    for (let i = 0; i < 5; i++) b.socket.emit('signal', { to: a.reply.id, data: { candidate: { candidate: `candidate:${i}` } } });
    await request(b.socket, 'signal', { to: a.reply.id, data: { candidate: null } });
    await until(() => atA.length >= 6, 3000, 'six signals at A');
    assert.deepEqual(
      atA.map((s) => s.data.candidate?.candidate ?? null),
      ['candidate:0', 'candidate:1', 'candidate:2', 'candidate:3', 'candidate:4', null],
    );

    const left = next(a.socket, 'peer-left');
    b.socket.disconnect();
    assert.deepEqual(await left, { id: b.reply.id, reason: 'disconnected' });
    // Gone everywhere: a relay to it is refused now.
    assert.equal((await request(a.socket, 'signal', { to: b.reply.id, data: offer() })).error.code, 'unknown-peer');
  });

  it('a relay to a socket in another room on the other server is refused and delivers nothing', T, async () => {
    const a = await joined(one.url, 'room-one');
    const x = await joined(two.url, 'room-two');
    const atX = record(x.socket, 'signal');
    const r = await request(a.socket, 'signal', { to: x.reply.id, data: offer() });
    assert.equal(r.error.code, 'unknown-peer');
    // Nor through a room named after its id.
    const m = await connect(one.url);
    assert.deepEqual((await request(m, 'join', { room: x.reply.id })).peers, []);
    assert.equal((await request(m, 'signal', { to: x.reply.id, data: offer() })).error.code, 'unknown-peer');
    await sleep(150);
    assert.equal(atX.length, 0);
  });

  it('capacity counts members on every server, also when joins race', T, async () => {
    const sockets = await Promise.all(Array.from({ length: 8 }, (_, i) => connect(i % 2 ? one.url : two.url)));
    const replies = await Promise.all(sockets.map((s) => request(s, 'join', { room: 'crowd' })));
    assert.equal(replies.filter((r) => r.ok).length, 3, JSON.stringify(replies.map((r) => r.ok || r.error.code)));
    assert.equal((await one.io.in('room:crowd').fetchSockets()).length, 3);
    const late = await connect(two.url);
    assert.equal((await request(late, 'join', { room: 'crowd' })).error.code, 'room-full');
  });

  it('healthz stays local; nothing was logged as an error', T, async () => {
    const health = await (await fetch(`${one.url}/healthz`)).json();
    assert.equal(health.ok, true);
    assert.deepEqual(logs, []);
  });
});
