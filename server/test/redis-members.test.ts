/**
 * The view each process keeps of the members on the other processes (server/src/cluster-members.ts):
 * relays across processes need no cluster lookup per signal, departures and a dead process are
 * noticed. One server runs in this process (its cluster lookups are counted), the other in a child
 * process on the built server (`npm run build` first), so that it can be killed like a crash.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { SignalServer } from '../src/signal-server.js';
import { ClusterMembers, HEARTBEAT_MS, NODE_SILENT_MS } from '../src/cluster-members.js';
import { peerKey } from '../src/rooms.js';
import { cleanup, joined, next, offer, record, request, startServer, until } from './helpers.js';
import { startRedis, type Redis } from '../../test/harness/redis.js';
import { startServerProcess, type ServerProcess } from '../../test/harness/server-process.js';
import { waitFor } from '../../test/helpers/wait.js';

const T = { timeout: 60_000 };
const redisInstalled = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((p) => existsSync(p));

/** Counts the cluster lookups (fetchSockets through the adapter) `server` makes from now on. */
function countLookups(server: SignalServer): { readonly count: number } {
  const adapter = server.io.of('/').adapter as unknown as { fetchSockets(opts: unknown): Promise<unknown[]> };
  const original = adapter.fetchSockets.bind(adapter);
  const counter = { count: 0 };
  adapter.fetchSockets = (opts) => {
    counter.count++;
    return original(opts);
  };
  return counter;
}

describe('members on other processes of a cluster', { skip: redisInstalled ? false : 'redis-server is not installed: apt-get install redis-server' }, () => {
  let redis: Redis;
  let here: SignalServer;
  let there: ServerProcess;
  let lookups: { readonly count: number };

  before(async () => {
    redis = await startRedis();
    here = await startServer({ redisUrl: redis.url });
    lookups = countLookups(here);
    there = await startServerProcess({ redisUrl: redis.url });
  });
  after(async () => {
    await cleanup();
    await there?.stop();
    await redis?.stop();
  });

  it('a member on the other process gets relays, and no signal asks the cluster', T, async () => {
    const a = await joined(here.url, 'members-relay', 'A');
    const arrived = next(a.socket, 'peer-joined');
    const b = await joined(there.url, 'members-relay', 'B');
    await arrived; // the other process announced B before it told the room
    const atB = record(b.socket, 'signal');
    const before = lookups.count;
    for (let i = 0; i < 5; i++) assert.deepEqual(await request(a.socket, 'signal', { to: b.reply.id, data: offer(`v=0 ${i}`) }), { ok: true });
    await until(() => atB.length === 5, 5000, 'five signals at B');
    assert.deepEqual(
      atB.map((s) => [s.from, s.data.description.sdp]),
      [0, 1, 2, 3, 4].map((i) => [a.reply.id, `v=0 ${i}`]),
    );
    assert.equal(lookups.count - before, 0, 'relays to an announced member need no cluster lookup');
  });

  it('a member that leaves or disconnects on the other process is refused at once and gets nothing', T, async () => {
    const a = await joined(here.url, 'members-gone', 'A');
    const seen = record(a.socket, 'peer-joined');
    const b = await joined(there.url, 'members-gone', 'B');
    const c = await joined(there.url, 'members-gone', 'C');
    const d = await joined(there.url, 'members-gone', 'D');
    await until(() => seen.length === 3, 5000, 'B, C and D announced');
    const atB = record(b.socket, 'signal');
    const atC = record(c.socket, 'signal');
    assert.deepEqual(await request(a.socket, 'signal', { to: b.reply.id, data: offer() }), { ok: true });
    assert.deepEqual(await request(a.socket, 'signal', { to: c.reply.id, data: offer() }), { ok: true });
    await until(() => atB.length === 1 && atC.length === 1, 5000, 'one signal each at B and C');

    let left = next(a.socket, 'peer-left');
    assert.deepEqual(await request(b.socket, 'leave'), { ok: true });
    assert.equal((await left).id, b.reply.id);
    assert.equal((await request(a.socket, 'signal', { to: b.reply.id, data: offer() })).error?.code, 'unknown-peer');

    left = next(a.socket, 'peer-left');
    c.socket.disconnect();
    assert.equal((await left).id, c.reply.id);
    assert.equal((await request(a.socket, 'signal', { to: c.reply.id, data: offer() })).error?.code, 'unknown-peer');

    // Everything A sent before reaches D after it (one publisher, one subscriber: in order).
    const atD = next(d.socket, 'signal');
    assert.deepEqual(await request(a.socket, 'signal', { to: d.reply.id, data: offer('v=0 last') }), { ok: true });
    assert.equal((await atD).data.description.sdp, 'v=0 last');
    assert.equal(atB.length, 1, 'B got nothing after it left');
  });

  it('a process started later learns the members already there', T, async () => {
    const b = await joined(there.url, 'members-late', 'B');
    // What a process starting now does: ask every other for its list.
    const view = new ClusterMembers(here.io);
    try {
      await waitFor(() => view.has(peerKey('members-late', b.reply.id)), 'B listed by the other process', 10_000);
      assert.equal(view.has(peerKey('members-late', 'nobody')), false);
    } finally {
      view.close();
    }
  });

  it('a process that dies is no longer relayed to within a bounded time', T, async () => {
    const a = await joined(here.url, 'members-crash', 'A');
    const arrived = next(a.socket, 'peer-joined');
    const b = await joined(there.url, 'members-crash', 'B');
    await arrived;
    assert.deepEqual(await request(a.socket, 'signal', { to: b.reply.id, data: offer() }), { ok: true });

    await there.kill(); // SIGKILL: nothing announced
    const killedAt = performance.now();
    await waitFor(
      async () => (await request(a.socket, 'signal', { to: b.reply.id, data: offer() })).error?.code === 'unknown-peer',
      'relays to the dead process refused',
      NODE_SILENT_MS + 3 * HEARTBEAT_MS + 5000,
      200,
    );
    const ms = performance.now() - killedAt;
    // Its last heartbeat was at most HEARTBEAT_MS before the kill (plus the beats' own lateness).
    assert.ok(ms <= NODE_SILENT_MS + 2 * HEARTBEAT_MS, `refused ${Math.round(ms)} ms after the kill`);
  });
});
