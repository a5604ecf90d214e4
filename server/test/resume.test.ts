/**
 * Protocol 2: ids derived from a key the client holds, and resuming them after a dropped
 * connection or a server restart (docs/protocol.md §3, §9), on one in-memory server.
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { peerIdForKey } from '../src/identity.js';
import {
  cleanup,
  connect,
  connectV2,
  joinV2,
  joined,
  joinedV2,
  newIdentity,
  next,
  offer,
  record,
  request,
  roundTrip,
  sleep,
  startServer,
  until,
} from './helpers.js';

const T = { timeout: 20_000 };

describe('protocol 2: identities and resume', () => {
  afterEach(cleanup);
  after(cleanup);

  it('welcomes every connection with a fresh challenge and the versions it speaks', T, async () => {
    const srv = await startServer();
    const a = await connectV2(srv.url);
    const b = await connectV2(srv.url);
    assert.match(a.challenge, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a.challenge, b.challenge);
  });

  it('the peer id is derived from the key; the reply gives the cleaned name and the grace period', T, async () => {
    const srv = await startServer();
    const { reply, identity } = await joinedV2(srv.url, 'r', '  Ada\u202e ');
    assert.equal(reply.id, identity.id);
    assert.equal(reply.id, peerIdForKey(Buffer.from(identity.key, 'base64url')));
    assert.equal(reply.name, 'Ada');
    assert.equal(reply.protocol, 2);
    assert.equal(reply.resumed, false);
    assert.equal(reply.resumeGrace, 30);
  });

  it('refuses a proof that does not verify: another connection, another room, another key, garbage', T, async () => {
    const srv = await startServer();
    const me = await newIdentity();
    const other = await newIdentity();
    const { socket, challenge } = await connectV2(srv.url);
    const elsewhere = await connectV2(srv.url);
    const tries = [
      { key: me.key, proof: await me.prove(elsewhere.challenge, 'r') }, // a proof captured from another connection
      { key: me.key, proof: await me.prove(challenge, 'other-room') },
      { key: me.key, proof: await other.prove(challenge, 'r') }, // someone else's signature over our key
      { key: 'AAAA', proof: await me.prove(challenge, 'r') },
      { key: me.key, proof: 'AAAA' },
    ];
    for (const t of tries) {
      const r = await request(socket, 'join', { room: 'r', protocol: 2, ...t });
      assert.equal(r.ok, false);
      assert.equal(r.error.code, 'invalid-proof', JSON.stringify(r));
    }
    assert.equal((await request(socket, 'join', { room: 'r', protocol: 2, key: me.key })).error.code, 'invalid-payload');
    assert.equal((await request(socket, 'join', { room: 'r', protocol: 2, resume: true })).error.code, 'invalid-payload');
    // Nothing was joined by any of that.
    assert.equal((await request(socket, 'join', { room: 'r', protocol: 2, key: me.key, proof: await me.prove(challenge, 'r') })).ok, true);
  });

  it('a dropped connection keeps its seat: no peer-left, and the same id resumes on a new connection', T, async () => {
    const srv = await startServer();
    const a = await joinedV2(srv.url, 'r', 'A');
    const b = await joinedV2(srv.url, 'r', 'B');
    const leftAtA = record(a.socket, 'peer-left');
    const joinedAtA = record(a.socket, 'peer-joined');
    b.socket.disconnect();
    await sleep(300);
    await roundTrip(a.socket);
    assert.deepEqual(leftAtA, [], 'nobody is told B left');

    const back = await joinedV2(srv.url, 'r', 'B', { identity: b.identity, resume: true });
    assert.equal(back.reply.id, b.reply.id);
    assert.equal(back.reply.resumed, true);
    assert.deepEqual(back.reply.peers, [{ id: a.reply.id, name: 'A' }]);
    await until(() => joinedAtA.length === 1, 3000, 'peer-joined at A');
    assert.deepEqual(joinedAtA[0], { id: b.reply.id, name: 'B', resumed: true });
    // Signals reach the resumed member under its old id.
    const atB = next(back.socket, 'signal');
    assert.deepEqual(await request(a.socket, 'signal', { to: b.reply.id, data: offer('v=0 again') }), { ok: true });
    assert.deepEqual(await atB, { from: a.reply.id, data: offer('v=0 again') });
    assert.deepEqual(leftAtA, []);
  });

  it('after the grace period the room is told once, and a late resume is refused as expired', T, async () => {
    const srv = await startServer({ resumeGraceMs: 600 });
    const a = await joinedV2(srv.url, 'r', 'A');
    const b = await joinedV2(srv.url, 'r', 'B');
    const leftAtA = record(a.socket, 'peer-left');
    const t0 = Date.now();
    b.socket.disconnect();
    await until(() => leftAtA.length > 0, 5000, 'peer-left after the grace period');
    const after = Date.now() - t0;
    assert.ok(after >= 550 && after < 3000, `told after ${after} ms`);
    assert.deepEqual(leftAtA, [{ id: b.reply.id, reason: 'disconnected' }]);
    const late = await joinV2(srv.url, 'r', 'B', { identity: b.identity, resume: true });
    assert.equal(late.reply.error.code, 'resume-expired');
    await sleep(1200);
    assert.equal(leftAtA.length, 1, 'told once');
  });

  it('an explicit leave is announced at once, and cannot be resumed after the grace of a fresh server', T, async () => {
    const srv = await startServer({ resumeGraceMs: 300 });
    await sleep(400); // past the window in which a fresh server trusts resumes it cannot check
    const a = await joinedV2(srv.url, 'r', 'A');
    const b = await joinedV2(srv.url, 'r', 'B');
    const left = next(a.socket, 'peer-left');
    await request(b.socket, 'leave');
    assert.deepEqual(await left, { id: b.reply.id, reason: 'left' });
    b.socket.disconnect();
    const again = await joinV2(srv.url, 'r', 'B', { identity: b.identity, resume: true });
    assert.equal(again.reply.error.code, 'resume-expired');
  });

  it('nobody can take over an id without its key', T, async () => {
    const srv = await startServer();
    const a = await joinedV2(srv.url, 'r', 'A');
    const b = await joinedV2(srv.url, 'r', 'B');
    const mallory = await newIdentity();
    // Mallory knows B's public key (everyone in the room could learn it) but not its private key.
    const { socket, challenge } = await connectV2(srv.url);
    const stolen = await request(socket, 'join', { room: 'r', protocol: 2, key: b.identity.key, proof: await mallory.prove(challenge, 'r'), resume: true });
    assert.equal(stolen.error.code, 'invalid-proof');
    // Her own key gives her her own id, never B's.
    const own = await joinedV2(srv.url, 'r', 'B', { identity: mallory });
    assert.notEqual(own.reply.id, b.reply.id);
    assert.equal(b.socket.connected, true);
    void a;
  });

  it('the key holder on a new connection replaces its old one: the others see no departure', T, async () => {
    const srv = await startServer();
    const a = await joinedV2(srv.url, 'r', 'A');
    const b = await joinedV2(srv.url, 'r', 'B');
    const leftAtA = record(a.socket, 'peer-left');
    const oldGone = new Promise((resolve) => b.socket.once('disconnect', resolve));
    // e.g. a half-open connection the server has not noticed yet
    const b2 = await joinedV2(srv.url, 'r', 'B', { identity: b.identity, resume: true });
    assert.equal(b2.reply.id, b.reply.id);
    assert.equal(await oldGone, 'io server disconnect');
    await sleep(200);
    await roundTrip(a.socket);
    assert.deepEqual(leftAtA, []);
    const atB2 = next(b2.socket, 'signal');
    await request(a.socket, 'signal', { to: b.reply.id, data: offer() });
    assert.deepEqual(await atB2, { from: a.reply.id, data: offer() });
  });

  it('a server restarted with no memory accepts resumes within its grace period, then refuses them', T, async () => {
    const first = await startServer({ resumeGraceMs: 800 });
    const a = await joinedV2(first.url, 'r', 'A');
    const b = await joinedV2(first.url, 'r', 'B');
    await first.close();
    const port = Number(new URL(first.url).port);
    const second = await startServer({ port, resumeGraceMs: 800 });
    const a2 = await joinedV2(second.url, 'r', 'A', { identity: a.identity, resume: true });
    const b2 = await joinedV2(second.url, 'r', 'B', { identity: b.identity, resume: true });
    assert.equal(a2.reply.id, a.reply.id);
    assert.equal(b2.reply.id, b.reply.id);
    assert.deepEqual(b2.reply.peers, [{ id: a.reply.id, name: 'A' }]);
    await sleep(900);
    const c = await newIdentity();
    const late = await joinV2(second.url, 'r', 'C', { identity: c, resume: true });
    assert.equal(late.reply.error.code, 'resume-expired');
  });

  it('a resume into a room that filled up meanwhile is refused as full', T, async () => {
    const srv = await startServer({ roomCapacity: 2 });
    const a = await joinedV2(srv.url, 'r', 'A');
    const b = await joinedV2(srv.url, 'r', 'B');
    b.socket.disconnect();
    await sleep(100);
    await joinedV2(srv.url, 'r', 'C'); // B's seat is not held against newcomers
    const back = await joinV2(srv.url, 'r', 'B', { identity: b.identity, resume: true });
    assert.equal(back.reply.error.code, 'room-full');
    void a;
  });

  it('protocol 1 clients still work beside protocol 2 ones, without resume', T, async () => {
    const srv = await startServer();
    const v1 = await joined(srv.url, 'mixed', 'old');
    const v2 = await joinedV2(srv.url, 'mixed', 'new');
    assert.equal(v1.reply.resumeGrace, 0);
    assert.deepEqual(v2.reply.peers, [{ id: v1.reply.id, name: 'old' }]);
    const atV1 = next(v1.socket, 'signal');
    await request(v2.socket, 'signal', { to: v1.reply.id, data: offer() });
    assert.deepEqual(await atV1, { from: v2.reply.id, data: offer() });
    // A protocol-1 member that drops is gone at once.
    const left = next(v2.socket, 'peer-left');
    v1.socket.disconnect();
    assert.deepEqual(await left, { id: v1.reply.id, reason: 'disconnected' });
    const s = await connect(srv.url);
    void s;
  });
});
