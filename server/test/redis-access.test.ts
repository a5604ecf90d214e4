/** Protocol 3 across a cluster: settings, lobby, bans, roles and the abuse limits shared through redis. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { SignalServer } from '../src/signal-server.js';
import { connect, connectV2, joinedV3, joinV3, next, record, request, startServer, until } from './helpers.js';
import { startRedis, type Redis } from '../../test/harness/redis.js';
import { waitFor } from '../../test/helpers/wait.js';
import { mintToken } from '../src/token.js';

const T = { timeout: 30_000 };
const SECRET = 'cluster-secret-cluster-secret-cluster';
const redisInstalled = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((p) => existsSync(p));
const token = (room: string, name: string, role: 'host' | 'guest' = 'guest', jti?: string) => mintToken(SECRET, { room, name, role, jti });

describe('protocol 3 over redis', { skip: redisInstalled ? false : 'redis-server is not installed' }, () => {
  let redis: Redis;
  let one: SignalServer;
  let two: SignalServer;

  before(async () => {
    redis = await startRedis();
    const common = { redisUrl: redis.url, tokenSecret: SECRET, limits: { trustProxy: true, joinsPerMinute: 10 } };
    one = await startServer(common);
    two = await startServer(common);
  });
  after(async () => {
    await Promise.allSettled([one?.close(), two?.close()]);
    await redis?.stop();
  });

  it('settings, lobby knocks and admissions, bans and end work across servers', T, async () => {
    const host = await joinedV3(one.url, 'c1', { token: await token('c1', 'H', 'host') });
    assert.deepEqual(await request(host.socket, 'host', { action: 'settings', lobby: true }), { ok: true });
    // A knock on server two reaches the host on server one; a host on two sees it in its reply.
    const knocks = record(host.socket, 'knock');
    const gusToken = await token('c1', 'Gus', 'guest', 'gus');
    const gusConn = await connectV2(two.url);
    const gus = await joinV3(two.url, 'c1', { token: gusToken, socket: gusConn });
    assert.equal(gus.reply.error.code, 'in-lobby');
    await until(() => knocks.length === 1);
    const host2 = await joinedV3(two.url, 'c1', { token: await token('c1', 'H2', 'host') });
    assert.deepEqual(host2.reply.lobby, [{ id: knocks[0].id, name: 'Gus' }]);
    assert.deepEqual(host2.reply.settings, { locked: false, lobby: true });
    const admitted = next(gus.socket, 'admitted');
    assert.deepEqual(await request(host.socket, 'host', { action: 'admit', id: knocks[0].id }), { ok: true });
    await admitted;
    const inside = await joinV3(two.url, 'c1', { token: gusToken, identity: gus.identity, socket: { socket: gus.socket, challenge: gus.challenge } });
    assert.equal(inside.reply.ok, true);
    // Remove on two's member from one; the ban holds on one too.
    const removed = next(gus.socket, 'removed');
    assert.deepEqual(await request(host.socket, 'host', { action: 'remove', id: inside.reply.id }), { ok: true });
    await removed;
    assert.equal((await joinV3(one.url, 'c1', { token: gusToken })).reply.error.code, 'removed');
    // Role changes reach the member on the other server.
    const g2 = await joinedV3(one.url, 'c1', { token: await token('c1', 'G2', 'host') });
    const demoted = next(g2.socket, 'peer-role');
    assert.deepEqual(await request(host2.socket, 'host', { action: 'role', id: g2.reply.id, role: 'guest' }), { ok: true });
    assert.deepEqual(await demoted, { id: g2.reply.id, role: 'guest' });
    await waitFor(async () => (await request(g2.socket, 'host', { action: 'end' })).error?.code === 'not-allowed', 'the demotion to apply', 3000, 20);
    // End from two: everyone on both servers is told and disconnected.
    const ended = [host, g2].map((m) => next(m.socket, 'room-ended'));
    assert.deepEqual(await request(host2.socket, 'host', { action: 'end' }), { ok: true });
    await Promise.all(ended);
  });

  it('the join allowance of an address is shared by the servers', T, async () => {
    const headers = { extraHeaders: { 'X-Forwarded-For': '10.1.2.3' } };
    const s1 = await connect(one.url, headers);
    const s2 = await connect(two.url, headers);
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      for (const s of [s1, s2]) {
        const r = await request(s, 'join', { room: 'allow', protocol: 3 });
        codes.push(r.error.code);
      }
    }
    // Ten joins per minute across both servers (each refused for want of a token, but counted).
    assert.deepEqual(codes, [...Array(10).fill('token-required'), 'rate-limited', 'rate-limited']);
  });
});
