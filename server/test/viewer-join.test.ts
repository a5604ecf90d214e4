/** Protocol 4: joining as a viewer by request (`join` with `role: 'viewer'`, docs/protocol.md §3, §13). */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { cleanup, connectV2, joinedV3, newIdentity, next, request, startServer, until, type Client } from './helpers.js';
import type { Identity } from '../../src/core/signaling/identity.js';
import { mintToken } from '../src/token.js';

const T = { timeout: 20_000 };
const SECRET = 'test-secret-test-secret-test-secret!';

/** A protocol-4 join with a key (resumable), with any extra fields (e.g. `role`). Returns the raw reply. */
async function joinV4(url: string, room: string, extra: Record<string, unknown> = {}, identity?: Identity, protocol = 4) {
  const me = identity ?? (await newIdentity());
  const { socket, challenge } = await connectV2(url);
  const proof = await me.prove(challenge, room);
  const reply = await request(socket, 'join', { room, name: String(extra.name ?? ''), protocol, key: me.key, proof, ...extra });
  return { socket: socket as Client, identity: me, reply };
}

async function joinedV4(url: string, room: string, extra: Record<string, unknown> = {}, identity?: Identity) {
  const r = await joinV4(url, room, extra, identity);
  if (!r.reply.ok) throw new Error(`join failed: ${JSON.stringify(r.reply)}`);
  return r;
}

describe('join as a viewer (protocol 4)', () => {
  afterEach(cleanup);
  after(cleanup);

  it('role viewer gives the viewer role; the first member who takes part is host; everyone is told', T, async () => {
    const srv = await startServer();
    const vic = await joinedV4(srv.url, 'aud', { name: 'Vic', role: 'viewer' });
    assert.equal(vic.reply.protocol, 4);
    assert.equal(vic.reply.role, 'viewer');
    assert.equal(vic.reply.lobby, undefined, 'only hosts get the lobby');
    // A viewer alone does not run the room: the next member who takes part does.
    const seen = next(vic.socket, 'peer-joined');
    const ada = await joinedV4(srv.url, 'aud', { name: 'Ada' });
    assert.equal(ada.reply.role, 'host');
    assert.deepEqual(ada.reply.peers, [{ id: vic.reply.id, name: 'Vic', role: 'viewer' }]);
    assert.deepEqual(await seen, { id: ada.reply.id, name: 'Ada', role: 'host' });
    // A second viewer, seen as one by everyone.
    const told = next(ada.socket, 'peer-joined');
    const vera = await joinedV4(srv.url, 'aud', { name: 'Vera', role: 'viewer' });
    assert.equal(vera.reply.role, 'viewer');
    assert.deepEqual(await told, { id: vera.reply.id, name: 'Vera', role: 'viewer' });
    // A viewer may not run the room.
    assert.equal((await request(vic.socket, 'host', { action: 'settings', locked: true })).error.code, 'not-allowed');
  });

  it('a version-3 client is unaffected: same reply shape, protocol 3, roles as before', T, async () => {
    const srv = await startServer();
    const vic = await joinedV4(srv.url, 'v3', { name: 'Vic', role: 'viewer' });
    const old = await joinedV3(srv.url, 'v3', { name: 'Old' });
    assert.equal(old.reply.protocol, 3);
    assert.equal(old.reply.role, 'host', 'the viewer before it does not take the host role');
    assert.deepEqual(old.reply.peers, [{ id: vic.reply.id, name: 'Vic', role: 'viewer' }]);
    const g = await joinedV3(srv.url, 'v3', { name: 'G' });
    assert.equal(g.reply.role, 'guest');
    assert.deepEqual(
      Object.keys(g.reply).sort(),
      ['iceServers', 'iceServersTtl', 'id', 'lobby', 'name', 'ok', 'peers', 'protocol', 'resumeGrace', 'resumed', 'role', 'room', 'settings']
        .filter((k) => k !== 'lobby')
        .sort(),
    );
  });

  it('a malformed or greedy role is refused with a clear error; protocol 3 may not ask', T, async () => {
    const srv = await startServer();
    for (const role of ['host', 'guest', 'VIEWER', 7, null, { role: 'viewer' }]) {
      const r = await joinV4(srv.url, 'bad', { role });
      assert.equal(r.reply.ok, false, `role ${JSON.stringify(role)} must be refused`);
      assert.equal(r.reply.error.code, 'invalid-payload');
      assert.match(r.reply.error.message, /^role: a client may only ask for 'viewer'/);
      r.socket.disconnect();
    }
    const v3 = await joinV4(srv.url, 'bad', { role: 'viewer' }, undefined, 3);
    assert.equal(v3.reply.error.code, 'invalid-payload');
    assert.match(v3.reply.error.message, /needs protocol 4/);
    // Nobody got in.
    assert.equal(srv.io.of('/').adapter.rooms.get('room:bad')?.size ?? 0, 0);
  });

  it('with tokens: a host or guest token that asks for viewer is a viewer; a viewer token stays one', T, async () => {
    const srv = await startServer({ tokenSecret: SECRET });
    const hostToken = await mintToken(SECRET, { room: 'tk', name: 'H', role: 'host' });
    const h = await joinedV4(srv.url, 'tk', { token: hostToken, role: 'viewer' });
    assert.equal(h.reply.role, 'viewer');
    const v = await joinedV4(srv.url, 'tk', { token: await mintToken(SECRET, { room: 'tk', name: 'V', role: 'viewer' }) });
    assert.equal(v.reply.role, 'viewer');
    const g = await joinedV4(srv.url, 'tk', { token: await mintToken(SECRET, { room: 'tk', name: 'G', role: 'guest' }), role: 'viewer' });
    assert.equal(g.reply.role, 'viewer');
  });

  it('viewers are never promoted to host; a resume keeps the role it had (a viewer made guest stays guest)', T, async () => {
    const srv = await startServer();
    const host = await joinedV4(srv.url, 'pr', { name: 'H' });
    const vic = await joinedV4(srv.url, 'pr', { name: 'Vic', role: 'viewer' });
    const g = await joinedV4(srv.url, 'pr', { name: 'G' });
    // The host invites the viewer to take part, then it drops and comes back asking for viewer again.
    const toGuest = next(g.socket, 'peer-role');
    assert.deepEqual(await request(host.socket, 'host', { action: 'role', id: vic.reply.id, role: 'guest' }), { ok: true });
    assert.deepEqual(await toGuest, { id: vic.reply.id, role: 'guest' });
    await until(() => [...srv.io.of('/').sockets.values()].find((s) => s.data.peerId === vic.reply.id)?.data.role === 'guest', 3000, 'the role change');
    vic.socket.disconnect();
    const back = await joinedV4(srv.url, 'pr', { name: 'Vic', role: 'viewer', resume: true }, vic.identity);
    assert.equal(back.reply.resumed, true);
    assert.equal(back.reply.role, 'guest');
    // Make it a viewer again, then the host leaves: G (a guest who joined after Vic) becomes host, not Vic.
    const toViewer = next(g.socket, 'peer-role');
    assert.deepEqual(await request(host.socket, 'host', { action: 'role', id: vic.reply.id, role: 'viewer' }), { ok: true });
    assert.deepEqual(await toViewer, { id: vic.reply.id, role: 'viewer' });
    await until(() => [...srv.io.of('/').sockets.values()].find((s) => s.data.peerId === vic.reply.id)?.data.role === 'viewer', 3000, 'the role change');
    const promoted = next(g.socket, 'peer-role');
    await request(host.socket, 'leave');
    assert.deepEqual(await promoted, { id: g.reply.id, role: 'host' });
  });
});
