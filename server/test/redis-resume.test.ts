/**
 * Protocol 2 across a cluster: two server processes' worth of servers on one real redis-server.
 * A member resumes on the other server, a seat that expires is announced once for the whole
 * cluster, and a redis restart (which loses everything redis held) leaves presence consistent.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import { createSignalServer, type SignalServer, type SignalServerOptions } from '../src/signal-server.js';
import { startRedis, type Redis } from '../../test/harness/redis.js';
import { cleanup, joinV2, joinedV2, next, offer, record, request, roundTrip, sleep, until } from './helpers.js';

/** Not through helpers.startServer: its cleanup() (which closes our sockets after each test) would close these too. */
const startServer = (o: SignalServerOptions) => createSignalServer({ port: 0, host: '127.0.0.1', ...o });

const T = { timeout: 30_000 };
const GRACE_MS = 800;
const redisInstalled = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((p) => existsSync(p));

describe('resume across a redis cluster', { skip: redisInstalled ? false : 'redis-server is not installed: apt-get install redis-server' }, () => {
  let redis: Redis;
  let one: SignalServer;
  let two: SignalServer;
  const logs: string[] = [];
  let n = 0;
  const room = () => `cluster-${++n}`;

  before(async () => {
    redis = await startRedis();
    const log = (l: string) => logs.push(l);
    one = await startServer({ redisUrl: redis.url, resumeGraceMs: GRACE_MS, log });
    two = await startServer({ redisUrl: redis.url, resumeGraceMs: GRACE_MS, log });
    await sleep(GRACE_MS + 100); // past the window in which fresh servers trust any resume
  });
  afterEach(async () => {
    await cleanup().catch(() => undefined); // closes the sockets (the servers are ours)
  });
  after(async () => {
    await Promise.allSettled([one?.close(), two?.close()]);
    await redis?.stop();
  });

  it('a member that drops on one server resumes on the other under its id; nobody sees it leave', T, async () => {
    const r = room();
    const a = await joinedV2(one.url, r, 'A');
    const announced = next(a.socket, 'peer-joined');
    const b = await joinedV2(two.url, r, 'B');
    await announced; // (through redis: it may come after B's join reply)
    const leftAtA = record(a.socket, 'peer-left');
    const joinedAtA = record(a.socket, 'peer-joined');
    b.socket.disconnect();
    await sleep(150);
    const back = await joinedV2(one.url, r, 'B', { identity: b.identity, resume: true });
    assert.equal(back.reply.id, b.reply.id);
    assert.equal(back.reply.resumed, true);
    await until(() => joinedAtA.length === 1, 3000, 'peer-joined (resumed) at A');
    assert.equal(joinedAtA[0].resumed, true);
    const atB = next(back.socket, 'signal');
    await request(a.socket, 'signal', { to: b.reply.id, data: offer('v=0 via one') });
    assert.deepEqual(await atB, { from: a.reply.id, data: offer('v=0 via one') });
    await sleep(GRACE_MS + 1500); // the seat's deadline passes: it was taken, so no one may announce it
    await roundTrip(a.socket);
    assert.deepEqual(leftAtA, []);
  });

  it('a seat that expires is announced once, to members on both servers', T, async () => {
    const r = room();
    const a = await joinedV2(one.url, r, 'A');
    const c = await joinedV2(two.url, r, 'C');
    const b = await joinedV2(two.url, r, 'B');
    const left = [record(a.socket, 'peer-left'), record(c.socket, 'peer-left')];
    b.socket.disconnect();
    await until(() => left.every((l) => l.length > 0), 5000, 'peer-left at A and C');
    await sleep(1500); // both servers sweep every second: a second announcement would come by now
    for (const l of left) assert.deepEqual(l, [{ id: b.reply.id, reason: 'disconnected' }]);
    const late = await joinV2(one.url, r, 'B', { identity: b.identity, resume: true });
    assert.equal(late.reply.error.code, 'resume-expired');
  });

  it('after a redis restart presence is consistent: a newcomer lists everyone, relays cross servers, a drop resumes', { timeout: 60_000 }, async () => {
    const r = room();
    const a = await joinedV2(one.url, r, 'A');
    const b = await joinedV2(two.url, r, 'B');
    // A crash: redis comes back empty (it keeps no data), and the servers' connections broke.
    await redis.kill();
    await redis.restart();
    // The servers reconnect by themselves; their rooms live in their own memory and are rebuilt
    // from it, so a newcomer (on either server) sees both members once pub/sub is back.
    let peers: string[] = [];
    // One probe at a time: on a busy machine, probes started on every poll would pile up in the
    // room (each a member until its leave is handled) and fill it.
    let probing = false;
    await until(
      () => {
        if (!probing) {
          probing = true;
          void joinV2(two.url, r, 'probe')
            .then(async (p) => {
              if (p.reply.ok)
                peers = p.reply.peers
                  .map((x: { name: string }) => x.name)
                  .filter((x: string) => x !== 'probe')
                  .sort();
              await request(p.socket, 'leave').catch(() => undefined);
              p.socket.disconnect();
            })
            .catch(() => undefined)
            .finally(() => (probing = false));
        }
        return peers.join() === 'A,B';
      },
      30_000,
      'a newcomer on server two to list A (on one) and B (on two)',
    );
    const d = await joinedV2(one.url, r, 'D');
    assert.deepEqual(
      d.reply.peers
        .map((p: { name: string }) => p.name)
        .filter((x: string) => x !== 'probe')
        .sort(),
      ['A', 'B'],
    );
    const atB = next(b.socket, 'signal');
    assert.deepEqual(await request(d.socket, 'signal', { to: b.reply.id, data: offer('v=0 after restart') }), { ok: true });
    assert.deepEqual(await atB, { from: d.reply.id, data: offer('v=0 after restart') });
    // A drop right after the restart resumes: the seat book was lost with redis, so it is trusted.
    a.socket.disconnect();
    const back = await joinedV2(two.url, r, 'A', { identity: a.identity, resume: true });
    assert.equal(back.reply.id, a.reply.id);
  });

  it('logged nothing but the redis restart', T, async () => {
    const unexpected = logs.filter((l) => !/redis|ECONNREFUSED|ECONNRESET|Socket closed|connection|fetchSockets/i.test(l));
    assert.deepEqual(unexpected, []);
  });
});
