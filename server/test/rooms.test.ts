import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { cleanup, connect, joined, next, record, request, sleep, startServer, until } from './helpers.js';

const T = { timeout: 15_000 };

describe('rooms', () => {
  afterEach(cleanup);
  after(cleanup);

  it('join replies with id, peers and ICE servers; the others get peer-joined', T, async () => {
    const srv = await startServer();
    const a = await joined(srv.url, 'room-1', 'Ann');
    assert.equal(a.reply.protocol, 1);
    assert.equal(a.reply.id, a.socket.id);
    assert.equal(a.reply.room, 'room-1');
    assert.deepEqual(a.reply.peers, []);
    assert.deepEqual(a.reply.iceServers, []);
    assert.equal(a.reply.iceServersTtl, 0);

    const seenByA = next(a.socket, 'peer-joined');
    const b = await joined(srv.url, 'room-1', 'Bob');
    assert.deepEqual(b.reply.peers, [{ id: a.socket.id, name: 'Ann' }]);
    assert.deepEqual(await seenByA, { id: b.socket.id, name: 'Bob' });

    const seenByA2 = next(a.socket, 'peer-joined');
    const seenByB = next(b.socket, 'peer-joined');
    const c = await joined(srv.url, 'room-1', 'Cy');
    assert.deepEqual(
      c.reply.peers.map((p: { id: string }) => p.id),
      [a.socket.id, b.socket.id],
      'peers in join order',
    );
    assert.equal((await seenByA2).id, c.socket.id);
    assert.equal((await seenByB).id, c.socket.id);

    // Another room is another world.
    const other = await joined(srv.url, 'room-2', 'Dee');
    assert.deepEqual(other.reply.peers, []);
  });

  it('display names are cleaned (controls, bidi overrides, whitespace, length, empty → Guest)', T, async () => {
    const srv = await startServer();
    const a = await joined(srv.url, 'names', '  \u202eAnn\u0007\n  ');
    const joins = record(a.socket, 'peer-joined');
    const b = await joined(srv.url, 'names', '');
    const c = await joined(srv.url, 'names', 'x'.repeat(200));
    assert.equal(b.reply.peers[0].name, 'Ann');
    await until(() => joins.length >= 2);
    assert.deepEqual(
      joins.map((j) => j.name),
      ['Guest', 'x'.repeat(64)],
    );
    assert.equal(c.reply.peers[1].name, 'Guest');
    // Over 4× the limit is refused rather than trimmed.
    const d = await connect(srv.url);
    const r = await request(d, 'join', { room: 'names', name: 'y'.repeat(257) });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'invalid-payload');
    // name is optional
    const e = await connect(srv.url);
    assert.equal((await request(e, 'join', { room: 'names-2' })).ok, true);
  });

  it('leave produces peer-left "left"; the socket may join again', T, async () => {
    const srv = await startServer();
    const a = await joined(srv.url, 'lv', 'A');
    const b = await joined(srv.url, 'lv', 'B');
    const left = next(a.socket, 'peer-left');
    assert.deepEqual(await request(b.socket, 'leave'), { ok: true });
    assert.deepEqual(await left, { id: b.socket.id, reason: 'left' });
    assert.equal((await request(b.socket, 'leave')).error.code, 'not-in-room');
    const again = await request(b.socket, 'join', { room: 'lv', name: 'B' });
    assert.equal(again.ok, true);
    assert.deepEqual(again.peers, [{ id: a.socket.id, name: 'A' }]);
    // leave without an ack works too
    const left2 = next(a.socket, 'peer-left');
    b.socket.emit('leave');
    assert.equal((await left2).reason, 'left');
  });

  it('disconnect produces peer-left "disconnected" at once', T, async () => {
    const srv = await startServer();
    const a = await joined(srv.url, 'dc');
    const b = await joined(srv.url, 'dc');
    const t0 = Date.now();
    const left = next(a.socket, 'peer-left', 2000);
    b.socket.disconnect();
    assert.deepEqual(await left, { id: b.reply.id, reason: 'disconnected' });
    assert.ok(Date.now() - t0 < 1000);
  });

  it('a peer that vanishes without closing is announced after pingInterval + pingTimeout', T, async () => {
    const srv = await startServer({ pingIntervalMs: 300, pingTimeoutMs: 300 });
    const a = await joined(srv.url, 'vanish');
    const b = await joined(srv.url, 'vanish');
    const t0 = Date.now();
    const left = next(a.socket, 'peer-left', 5000);
    // Stop reading B's TCP socket: no pongs, no FIN, like a laptop lid closing.
    const tcp = (b.socket.io.engine.transport as unknown as { ws: { _socket: import('node:net').Socket } }).ws._socket;
    tcp.pause();
    try {
      assert.deepEqual(await left, { id: b.reply.id, reason: 'disconnected' });
      const took = Date.now() - t0;
      assert.ok(took >= 250 && took < 3000, `took ${took} ms`);
    } finally {
      tcp.destroy(); // else the client's own close handshake keeps the test process alive for 30 s
    }
  });

  it('a socket already in a room gets already-joined', T, async () => {
    const srv = await startServer();
    const a = await joined(srv.url, 'once');
    const r = await request(a.socket, 'join', { room: 'other' });
    assert.equal(r.error.code, 'already-joined');
    const r2 = await request(a.socket, 'join', { room: 'once' });
    assert.equal(r2.error.code, 'already-joined');
  });

  it('a full room refuses with room-full; a place frees up on leave', T, async () => {
    const srv = await startServer({ roomCapacity: 2 });
    const a = await joined(srv.url, 'small');
    await joined(srv.url, 'small');
    const c = await connect(srv.url);
    const joins = record(a.socket, 'peer-joined');
    const r = await request(c, 'join', { room: 'small' });
    assert.deepEqual(r.ok, false);
    assert.equal(r.error.code, 'room-full');
    await sleep(100);
    assert.equal(joins.length, 0, 'members hear nothing of a refused newcomer');
    await request(a.socket, 'leave');
    assert.equal((await request(c, 'join', { room: 'small' })).ok, true);
  });

  it('concurrent joins never push a room over capacity', T, async () => {
    const srv = await startServer({ roomCapacity: 3 });
    const sockets = await Promise.all(Array.from({ length: 8 }, () => connect(srv.url)));
    const replies = await Promise.all(sockets.map((s, i) => request(s, 'join', { room: 'rush', name: `p${i}` })));
    const ok = replies.filter((r) => r.ok);
    assert.equal(ok.length, 3);
    assert.ok(replies.filter((r) => !r.ok).every((r) => r.error.code === 'room-full'));
    const health = await (await fetch(`${srv.url}/healthz`)).json();
    assert.equal(health.rooms, 1);
    const members = await srv.io.in('room:rush').fetchSockets();
    assert.equal(members.length, 3);
  });

  it('an unsupported protocol version is refused', T, async () => {
    const srv = await startServer();
    const s = await connect(srv.url);
    const r = await request(s, 'join', { room: 'v', protocol: 5 });
    assert.equal(r.error.code, 'unsupported-protocol');
    assert.match(r.error.message, /1, 2, 3 and 4, not 5/);
    // protocol is optional (defaults to 1)
    assert.equal((await request(s, 'join', { room: 'v' })).ok, true);
  });

  it('healthz counts local rooms and sockets', T, async () => {
    const srv = await startServer();
    await joined(srv.url, 'h1');
    await joined(srv.url, 'h1');
    await joined(srv.url, 'h2');
    await connect(srv.url);
    const res = await fetch(`${srv.url}/healthz`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /json/);
    assert.deepEqual(await res.json(), { ok: true, rooms: 2, sockets: 4 });
  });
});
