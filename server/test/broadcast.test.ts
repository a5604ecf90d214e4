/**
 * Broadcast rooms (protocol 4, docs/protocol.md §13): the first join sets the mode; presenters and
 * viewers get their roles and their own capacities; the server refuses to relay between two viewers;
 * a host's role command moves people on and off the stage (within the capacities).
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { cleanup, connectV2, newIdentity, next, offer, request, startServer } from './helpers.js';
import { mintToken } from '../src/token.js';

const T = { timeout: 20_000 };
const SECRET = 'test-secret-test-secret-test-secret!';

/** A protocol-4 join (with a key), with `mode` and a token if given; the raw reply. */
async function join4(
  url: string,
  room: string,
  { name = '', mode, token, protocol = 4 }: { name?: string; mode?: string; token?: string; protocol?: number } = {},
) {
  const me = await newIdentity();
  const { socket, challenge } = await connectV2(url);
  const proof = await me.prove(challenge, room);
  const reply = await request(socket, 'join', { room, name, protocol, key: me.key, proof, ...(mode ? { mode } : {}), ...(token ? { token } : {}) });
  return { socket, reply };
}
async function joined4(url: string, room: string, options: Parameters<typeof join4>[2] = {}) {
  const r = await join4(url, room, options);
  if (!r.reply.ok) throw new Error(`join failed: ${JSON.stringify(r.reply)}`);
  return r;
}

describe('broadcast rooms', () => {
  afterEach(cleanup);
  after(cleanup);

  it('the first join sets the mode; the first member presents (host), later ones watch (viewer)', T, async () => {
    const srv = await startServer();
    const host = await joined4(srv.url, 'live', { name: 'Ada', mode: 'broadcast' });
    assert.equal(host.reply.role, 'host');
    assert.deepEqual(host.reply.settings, { locked: false, lobby: false, mode: 'broadcast' });
    // A later join's mode changes nothing.
    const seen = next(host.socket, 'peer-joined');
    const v1 = await joined4(srv.url, 'live', { name: 'Vic', mode: 'meeting' });
    assert.equal(v1.reply.role, 'viewer');
    assert.equal(v1.reply.settings.mode, 'broadcast');
    assert.deepEqual(v1.reply.peers, [{ id: host.reply.id, name: 'Ada', role: 'host' }]);
    assert.deepEqual(await seen, { id: v1.reply.id, name: 'Vic', role: 'viewer' });
    const v2 = await joined4(srv.url, 'live', { name: 'Wes' });
    assert.equal(v2.reply.role, 'viewer');
    assert.deepEqual(
      v2.reply.peers.map((p: { name: string; role: string }) => [p.name, p.role]),
      [
        ['Ada', 'host'],
        ['Vic', 'viewer'],
      ],
      'viewers are listed (for the audience count), in join order',
    );
    // A meeting room is as before: no mode in its settings, later members are guests.
    const m = await joined4(srv.url, 'meet', { name: 'Ada' });
    assert.deepEqual(m.reply.settings, { locked: false, lobby: false });
    assert.equal((await joined4(srv.url, 'meet', { name: 'Bo', mode: 'broadcast' })).reply.role, 'guest');
    // Older clients cannot ask for a mode.
    assert.equal((await join4(srv.url, 'old', { mode: 'broadcast', protocol: 3 })).reply.error.code, 'invalid-payload');
    assert.equal((await join4(srv.url, 'bad', { mode: 'webinar' })).reply.error.code, 'invalid-payload');
  });

  it('a room that empties starts afresh: its next first join sets the mode again', T, async () => {
    const srv = await startServer();
    const a = await joined4(srv.url, 'again', { mode: 'broadcast' });
    await request(a.socket, 'leave');
    const b = await joined4(srv.url, 'again');
    assert.deepEqual(b.reply.settings, { locked: false, lobby: false });
    assert.equal((await joined4(srv.url, 'again')).reply.role, 'guest');
  });

  it('viewers have their own capacity, apart from the room capacity', T, async () => {
    const srv = await startServer({ roomCapacity: 2, viewerCapacity: 3 });
    await joined4(srv.url, 'cap', { mode: 'broadcast' });
    const viewers = [];
    for (let i = 0; i < 3; i++) viewers.push(await joined4(srv.url, 'cap', { name: `V${i}` }));
    assert.deepEqual(
      viewers.map((v) => v.reply.role),
      ['viewer', 'viewer', 'viewer'],
      'three viewers in a room of capacity 2',
    );
    const fourth = await join4(srv.url, 'cap');
    assert.equal(fourth.reply.error.code, 'room-full');
    assert.match(fourth.reply.error.message, /3 viewers/);
    // Presenters (host tokens would do too): one more fits on stage, beside the full audience.
    const tokenSrv = await startServer({ tokenSecret: SECRET, roomCapacity: 2, viewerCapacity: 1 });
    const t = (name: string, role: 'host' | 'guest' | 'viewer') => mintToken(SECRET, { room: 'stage', name, role });
    await joined4(tokenSrv.url, 'stage', { mode: 'broadcast', token: await t('Ada', 'host') });
    assert.equal((await joined4(tokenSrv.url, 'stage', { token: await t('Vic', 'viewer') })).reply.role, 'viewer');
    const guest = await joined4(tokenSrv.url, 'stage', { token: await t('Bo', 'guest') });
    assert.equal(guest.reply.role, 'guest', 'the token says guest: on stage');
    assert.equal(guest.reply.peers.length, 2);
    assert.equal((await join4(tokenSrv.url, 'stage', { token: await t('Cy', 'guest') })).reply.error.code, 'room-full', 'the stage is full');
    assert.equal((await join4(tokenSrv.url, 'stage', { token: await t('Wes', 'viewer') })).reply.error.code, 'room-full', 'the audience is full');
  });

  it('the server relays presenter ↔ viewer signals, and refuses viewer → viewer (viewer-to-viewer)', T, async () => {
    const srv = await startServer();
    const host = await joined4(srv.url, 'relay', { mode: 'broadcast' });
    const v1 = await joined4(srv.url, 'relay');
    const v2 = await joined4(srv.url, 'relay');
    const atHost = next(host.socket, 'signal');
    assert.deepEqual(await request(v1.socket, 'signal', { to: host.reply.id, data: offer() }), { ok: true });
    assert.equal((await atHost).from, v1.reply.id);
    const atViewer = next(v2.socket, 'signal');
    assert.deepEqual(await request(host.socket, 'signal', { to: v2.reply.id, data: offer() }), { ok: true });
    assert.equal((await atViewer).from, host.reply.id);
    let leaked = false;
    v2.socket.on('signal', () => (leaked = true));
    const refused = await request(v1.socket, 'signal', { to: v2.reply.id, data: offer() });
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'viewer-to-viewer');
    // Without an ack: a server-error naming the event.
    const error = next(v1.socket, 'server-error');
    v1.socket.emit('signal', { to: v2.reply.id, data: offer() });
    assert.deepEqual({ ...(await error), message: undefined }, { code: 'viewer-to-viewer', event: 'signal', message: undefined });
    await request(v2.socket, 'ice-servers');
    assert.equal(leaked, false, 'nothing reached the other viewer');
    // In a meeting, two viewers (by token or request) still talk to each other: only broadcasts keep viewers apart.
    const meet = await joined4(srv.url, 'meet-relay');
    const m1 = await joined4(srv.url, 'meet-relay');
    assert.deepEqual(await request(meet.socket, 'signal', { to: m1.reply.id, data: offer() }), { ok: true });
  });

  it('a host invites a viewer on stage (role guest) and back; viewers relay to the new presenter; seats are checked', T, async () => {
    const srv = await startServer({ roomCapacity: 2, viewerCapacity: 2 });
    const host = await joined4(srv.url, 'onstage', { mode: 'broadcast' });
    const v1 = await joined4(srv.url, 'onstage', { name: 'Vic' });
    const v2 = await joined4(srv.url, 'onstage', { name: 'Wes' });
    const heard = next(v2.socket, 'peer-role');
    assert.deepEqual(await request(host.socket, 'host', { action: 'role', id: v1.reply.id, role: 'guest' }), { ok: true });
    assert.deepEqual(await heard, { id: v1.reply.id, role: 'guest' });
    // Vic presents now: Wes may signal Vic, and Vic Wes.
    await request(v1.socket, 'ice-servers'); // Vic's process applied the role
    assert.deepEqual(await request(v2.socket, 'signal', { to: v1.reply.id, data: offer() }), { ok: true });
    assert.deepEqual(await request(v1.socket, 'signal', { to: v2.reply.id, data: offer() }), { ok: true });
    // The stage (capacity 2) is full: Wes cannot be invited too.
    const full = await request(host.socket, 'host', { action: 'role', id: v2.reply.id, role: 'guest' });
    assert.equal(full.error.code, 'room-full');
    // A newcomer takes the freed viewer seat; then Vic cannot go back to the (full) audience.
    const v3 = await joined4(srv.url, 'onstage', { name: 'Xi' });
    assert.equal(v3.reply.role, 'viewer');
    assert.equal((await request(host.socket, 'host', { action: 'role', id: v1.reply.id, role: 'viewer' })).error.code, 'room-full');
    await request(v3.socket, 'leave');
    assert.deepEqual(await request(host.socket, 'host', { action: 'role', id: v1.reply.id, role: 'viewer' }), { ok: true });
    await request(v1.socket, 'ice-servers');
    assert.equal((await request(v2.socket, 'signal', { to: v1.reply.id, data: offer() })).error.code, 'viewer-to-viewer', 'back in the audience');
    // Only hosts invite.
    assert.equal((await request(v2.socket, 'host', { action: 'role', id: v2.reply.id, role: 'guest' })).error.code, 'not-allowed');
  });

  it('when the presenters leave, the next one to join presents (viewers are never promoted)', T, async () => {
    const srv = await startServer();
    const host = await joined4(srv.url, 'handover', { mode: 'broadcast' });
    const v = await joined4(srv.url, 'handover');
    let promoted = false;
    v.socket.on('peer-role', () => (promoted = true));
    const left = next(v.socket, 'peer-left');
    await request(host.socket, 'leave');
    await left;
    await request(v.socket, 'ice-servers');
    assert.equal(promoted, false);
    const next1 = await joined4(srv.url, 'handover');
    assert.equal(next1.reply.role, 'host');
    assert.equal(next1.reply.settings.mode, 'broadcast', 'the room is still a broadcast');
  });
});
