import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { LIMITS } from '../../src/core/signaling/protocol.js';
import { cleanup, connect, joined, next, offer, record, request, roundTrip, sleep, startServer, until } from './helpers.js';
import { waitFor } from '../../test/helpers/wait.js';

const T = { timeout: 15_000 };

describe('signal relay', () => {
  afterEach(cleanup);
  after(cleanup);

  it('relays descriptions and candidates to the addressed member, in order, stripped of unknown fields', T, async () => {
    const srv = await startServer();
    const a = await joined(srv.url, 'call');
    const b = await joined(srv.url, 'call');
    const c = await joined(srv.url, 'call');
    const atB = record(b.socket, 'signal');
    const atC = record(c.socket, 'signal');
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' };
    assert.deepEqual(await request(a.socket, 'signal', { to: b.reply.id, data: { ...offer('v=0\r\nfoo'), evil: '<script>' }, extra: 1 }), { ok: true });
    a.socket.emit('signal', { to: b.reply.id, data: { candidate } }); // no ack: fine
    a.socket.emit('signal', { to: b.reply.id, data: { candidate: null } });
    await roundTrip(a.socket);
    await until(() => atB.length >= 3, 3000, 'three signals at B');
    await sleep(50);
    assert.deepEqual(atB, [
      { from: a.reply.id, data: offer('v=0\r\nfoo') },
      { from: a.reply.id, data: { candidate } },
      { from: a.reply.id, data: { candidate: null } },
    ]);
    assert.equal(atC.length, 0, 'only the addressed peer receives');
  });

  it('a relay to a socket in another room is refused (unknown-peer) and the target receives nothing', T, async () => {
    const srv = await startServer();
    const a = await joined(srv.url, 'room-a');
    const x = await joined(srv.url, 'room-x');
    const atX = record(x.socket, 'signal');
    const r = await request(a.socket, 'signal', { to: x.reply.id, data: offer() });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'unknown-peer');
    // Without an ack the refusal arrives as server-error.
    const err = next(a.socket, 'server-error');
    a.socket.emit('signal', { to: x.reply.id, data: offer() });
    assert.deepEqual(await err, { code: 'unknown-peer', message: r.error.message, event: 'signal' });
    // A socket that has not joined any room is not reachable either.
    const loner = await connect(srv.url);
    const atLoner = record(loner, 'signal');
    assert.equal((await request(a.socket, 'signal', { to: loner.id, data: offer() })).error.code, 'unknown-peer');
    // Nor yourself, nor an id that does not exist.
    assert.equal((await request(a.socket, 'signal', { to: a.reply.id, data: offer() })).error.code, 'unknown-peer');
    assert.equal((await request(a.socket, 'signal', { to: 'nobody', data: offer() })).error.code, 'unknown-peer');
    await sleep(100);
    assert.equal(atX.length + atLoner.length, 0);
  });

  it("a room named after another socket's id cannot intercept that socket's signals", T, async () => {
    const srv = await startServer();
    const victim = await joined(srv.url, 'private');
    const friend = await joined(srv.url, 'private');
    const mallory = await connect(srv.url);
    const atMallory = record(mallory, 'signal');
    const joins = record(mallory, 'peer-joined');
    const r = await request(mallory, 'join', { room: victim.reply.id });
    assert.equal(r.ok, true);
    assert.deepEqual(r.peers, [], 'the victim is not a member of a room named after its id');
    const atVictim = next(victim.socket, 'signal');
    await request(friend.socket, 'signal', { to: victim.reply.id, data: offer() });
    assert.equal((await atVictim).from, friend.reply.id);
    // Mallory cannot reach the victim either.
    assert.equal((await request(mallory, 'signal', { to: victim.reply.id, data: offer() })).error.code, 'unknown-peer');
    await sleep(100);
    assert.equal(atMallory.length + joins.length, 0);
  });

  it('signal before joining gets not-in-room', T, async () => {
    const srv = await startServer();
    const b = await joined(srv.url, 'r');
    const s = await connect(srv.url);
    assert.equal((await request(s, 'signal', { to: b.reply.id, data: offer() })).error.code, 'not-in-room');
  });

  it('an oversized signal gets too-large (and nothing is relayed); beyond 256 KiB the connection is closed', T, async () => {
    const srv = await startServer();
    const a = await joined(srv.url, 'big');
    const b = await joined(srv.url, 'big');
    const atB = record(b.socket, 'signal');
    // SDP within its own limit but the whole payload above LIMITS.signalBytes (junk fields count).
    const payload = { to: b.reply.id, data: offer('a'.repeat(LIMITS.sdp - 10)), pad: 'p'.repeat(20_000) };
    const r = await request(a.socket, 'signal', payload);
    assert.equal(r.error.code, 'too-large');
    assert.match(r.error.message, new RegExp(String(LIMITS.signalBytes)));
    // 200 KiB: still parsed, still a clear reply.
    const r2 = await request(a.socket, 'signal', { to: b.reply.id, data: offer('a'.repeat(200 * 1024)) });
    assert.equal(r2.error.code, 'too-large');
    // An SDP over LIMITS.sdp inside a small payload is a schema failure that names the field.
    const r3 = await request(a.socket, 'signal', { to: b.reply.id, data: offer('a'.repeat(LIMITS.sdp + 1)) });
    assert.equal(r3.error.code, 'invalid-payload');
    assert.match(r3.error.message, /sdp/);
    await sleep(100);
    assert.equal(atB.length, 0);
    // Past maxHttpBufferSize engine.io drops the connection.
    const gone = next(a.socket, 'disconnect');
    const left = next(b.socket, 'peer-left');
    a.socket.emit('signal', { to: b.reply.id, data: offer('a'.repeat(300 * 1024)) });
    await gone;
    assert.equal((await left).reason, 'disconnected');
  });

  it('the size limit counts the UTF-8 bytes of the payload as sent, to the byte, with and without an ack', T, async () => {
    const srv = await startServer();
    const a = await joined(srv.url, 'edge');
    const b = await joined(srv.url, 'edge');
    const atB = record(b.socket, 'signal');
    // Two-byte characters in a junk field: a count of characters would be short by half of them.
    const sized = (bytes: number) => {
      const base = { to: b.reply.id, data: offer('v=0'), pad: '' };
      const room = bytes - Buffer.byteLength(JSON.stringify(base));
      const pad = 'é'.repeat(Math.floor(room / 2)) + 'a'.repeat(room % 2);
      const payload = { ...base, pad };
      assert.equal(Buffer.byteLength(JSON.stringify(payload)), bytes);
      return payload;
    };
    assert.deepEqual(await request(a.socket, 'signal', sized(LIMITS.signalBytes)), { ok: true });
    assert.equal((await request(a.socket, 'signal', sized(LIMITS.signalBytes + 1))).error.code, 'too-large');
    // Without an ack the refusal comes as server-error.
    const refused = next(a.socket, 'server-error');
    a.socket.emit('signal', sized(LIMITS.signalBytes + 1));
    assert.equal((await refused).code, 'too-large');
    a.socket.emit('signal', sized(LIMITS.signalBytes));
    await until(() => atB.length === 2, 5000, 'both signals within the limit to arrive');
  });

  it('rate limiting drops messages beyond the burst with rate-limited', T, async () => {
    // 10 messages per 5 s window, shared by every socket of the address (all of these are 127.0.0.1).
    const srv = await startServer({ maxSignalsPerSecond: 2, burst: 10 });
    const a = await joined(srv.url, 'flood'); // each join took one message
    const b = await joined(srv.url, 'flood');
    const atB = record(b.socket, 'signal');
    const replies = await Promise.all(Array.from({ length: 30 }, () => request(a.socket, 'signal', { to: b.reply.id, data: { candidate: null } })));
    const ok = replies.filter((r) => r.ok).length;
    const limited = replies.filter((r) => !r.ok && r.error.code === 'rate-limited').length;
    assert.equal(ok + limited, 30);
    assert.ok(ok >= 1 && ok <= 8, `ok=${ok}`);
    // Without acks: one server-error notice per second at most, not one per dropped message.
    const notices = record(a.socket, 'server-error');
    for (let i = 0; i < 20; i++) a.socket.emit('signal', { to: b.reply.id, data: { candidate: null } });
    await until(() => notices.length > 0, 3000, 'a rate-limited notice');
    await sleep(200);
    assert.equal(notices.length, 1);
    assert.equal(notices[0].code, 'rate-limited');
    // Another socket of the same address shares the allowance: no fresh start by opening more sockets.
    assert.equal((await request(b.socket, 'signal', { to: a.reply.id, data: { candidate: null } })).error.code, 'rate-limited');
    assert.equal(atB.length, ok, 'dropped messages were not relayed');
    // The allowance comes back with the next window.
    await waitFor(async () => (await request(a.socket, 'signal', { to: b.reply.id, data: { candidate: null } })).ok === true, 'the next window', 8000, 250);
  });
});
