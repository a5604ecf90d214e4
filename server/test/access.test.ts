/** Protocol 3 access: join tokens, roles, the lobby, host commands (docs/protocol.md §4, §5). */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { cleanup, connect, connectV2, joined, joinedV2, joinedV3, joinV3, next, record, request, sleep, startServer, until } from './helpers.js';
import { mintToken } from '../src/token.js';

const T = { timeout: 20_000 };
const SECRET = 'test-secret-test-secret-test-secret!';
const key = new TextEncoder().encode(SECRET);

const token = (room: string, name: string, role: 'host' | 'guest' | 'viewer' = 'guest', extra: { jti?: string; ttlSeconds?: number } = {}) =>
  mintToken(SECRET, { room, name, role, ...extra });

describe('join tokens', () => {
  afterEach(cleanup);
  after(cleanup);

  it('every token error code: required, invalid (signature, malformed, alg, claims), expired, other room', T, async () => {
    const srv = await startServer({ tokenSecret: SECRET });
    const code = async (t?: string, room = 'tok') => (await joinV3(srv.url, room, { token: t })).reply.error?.code;
    assert.equal(await code(undefined), 'token-required');
    assert.equal(await code(await mintToken('another-secret-another-secret-12345', { room: 'tok' })), 'token-invalid');
    assert.equal(await code('not.a.jwt'), 'token-invalid');
    assert.equal(await code('garbage'), 'token-invalid');
    // alg none and HS512 are refused: HS256 only.
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ room: 'tok', exp: 9e9 })).toString('base64url')}.`;
    assert.equal(await code(none), 'token-invalid');
    const hs512 = await new SignJWT({ room: 'tok' }).setProtectedHeader({ alg: 'HS512' }).setExpirationTime('1h').sign(key);
    assert.equal(await code(hs512), 'token-invalid');
    // exp is required; role must be known; room must be there.
    const noExp = await new SignJWT({ room: 'tok' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    assert.equal(await code(noExp), 'token-invalid');
    const badRole = await new SignJWT({ room: 'tok', role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key);
    assert.equal(await code(badRole), 'token-invalid');
    const noRoom = await new SignJWT({ name: 'x' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key);
    assert.equal(await code(noRoom), 'token-invalid');
    const expired = await new SignJWT({ room: 'tok' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    assert.equal(await code(expired), 'token-expired');
    assert.equal(await code(await token('elsewhere', 'Ada')), 'token-room');
    // Version-1 joins need one too.
    const s = await connect(srv.url);
    assert.equal((await request(s, 'join', { room: 'tok' })).error.code, 'token-required');
  });

  it('a valid token gives the name and role (the join name is ignored); peers see them', T, async () => {
    const srv = await startServer({ tokenSecret: SECRET });
    const host = await joinedV3(srv.url, 'standup', { name: 'Mallory', token: await token('standup', 'Ada', 'host') });
    assert.equal(host.reply.name, 'Ada');
    assert.equal(host.reply.role, 'host');
    assert.deepEqual(host.reply.settings, { locked: false, lobby: false });
    assert.deepEqual(host.reply.lobby, []);
    const seen = next(host.socket, 'peer-joined');
    const viewer = await joinedV3(srv.url, 'standup', { name: 'x', token: await token('standup', 'Vic', 'viewer') });
    assert.equal(viewer.reply.role, 'viewer');
    assert.equal(viewer.reply.lobby, undefined, 'only hosts get the lobby');
    assert.deepEqual(viewer.reply.peers, [{ id: host.reply.id, name: 'Ada', role: 'host' }]);
    assert.deepEqual(await seen, { id: viewer.reply.id, name: 'Vic', role: 'viewer' });
    // Without a role claim: guest. Without a name claim: the join's name.
    const bare = await new SignJWT({ room: 'standup' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key);
    const guest = await joinedV3(srv.url, 'standup', { name: 'Gus', token: bare });
    assert.equal(guest.reply.role, 'guest');
    assert.equal(guest.reply.name, 'Gus');
  });

  it('older clients get no version-3 fields, and are guests', T, async () => {
    const srv = await startServer();
    const a = await joinedV3(srv.url, 'mixed', { name: 'A' });
    const joins = record(a.socket, 'peer-joined');
    const b = await joinedV2(srv.url, 'mixed', 'B');
    assert.deepEqual(Object.keys(b.reply).sort(), ['iceServers', 'iceServersTtl', 'id', 'name', 'ok', 'peers', 'protocol', 'resumeGrace', 'resumed', 'room']);
    assert.deepEqual(b.reply.peers, [{ id: a.reply.id, name: 'A' }]);
    const c = await joined(srv.url, 'mixed', 'C');
    assert.equal(c.reply.protocol, 1);
    await until(() => joins.length === 2);
    assert.deepEqual(joins, [
      { id: b.reply.id, name: 'B', role: 'guest' },
      { id: c.reply.id, name: 'C', role: 'guest' },
    ]);
    // B (v2) hears C without a role.
    const bJoins = record(b.socket, 'peer-joined');
    await joinedV3(srv.url, 'mixed', { name: 'D' });
    await until(() => bJoins.length === 1);
    assert.equal('role' in bJoins[0], false);
  });
});

describe('sealed signals', () => {
  afterEach(cleanup);
  after(cleanup);

  it('are relayed as they are; anything but base64url, or too long, is refused', T, async () => {
    const srv = await startServer();
    const a = await joinedV3(srv.url, 'sealed');
    const b = await joinedV3(srv.url, 'sealed');
    const sealed = Buffer.from(crypto.getRandomValues(new Uint8Array(300))).toString('base64url');
    const atB = next(b.socket, 'signal');
    assert.deepEqual(await request(a.socket, 'signal', { to: b.reply.id, data: { sealed, extra: 1 } }), { ok: true });
    assert.deepEqual(await atB, { from: a.reply.id, data: { sealed } });
    for (const bad of ['not base64!', '', 5, 'A'.repeat(48 * 1024 + 1)]) {
      const r = await request(a.socket, 'signal', { to: b.reply.id, data: { sealed: bad } });
      assert.ok(r.error.code === 'invalid-payload' || r.error.code === 'too-large', String(bad).slice(0, 20));
    }
  });
});

describe('roles in open rooms', () => {
  afterEach(cleanup);
  after(cleanup);

  it('the first member is host, the others guests; when the last host leaves, the earliest remaining is promoted', T, async () => {
    const srv = await startServer({ resumeGraceMs: 300 });
    const a = await joinedV3(srv.url, 'open', { name: 'A' });
    assert.equal(a.reply.role, 'host');
    const b = await joinedV3(srv.url, 'open', { name: 'B' });
    assert.equal(b.reply.role, 'guest');
    const c = await joinedV3(srv.url, 'open', { name: 'C' });
    assert.equal(c.reply.role, 'guest');
    // A token, if sent, is ignored.
    const d = await joinedV3(srv.url, 'open', { name: 'D', token: 'whatever' });
    assert.equal(d.reply.role, 'guest');
    assert.equal(d.reply.name, 'D');

    // B is not host: its host command is refused.
    assert.equal((await request(b.socket, 'host', { action: 'settings', locked: true })).error.code, 'not-allowed');

    // A host that drops keeps its role during the grace period: no promotion yet, and a resume keeps it.
    const roles = record(c.socket, 'peer-role');
    a.socket.disconnect();
    const back = await joinedV3(srv.url, 'open', { name: 'A', identity: a.identity, resume: true });
    assert.equal(back.reply.resumed, true);
    assert.equal(back.reply.role, 'host');
    await sleep(100);
    assert.equal(roles.length, 0);

    // For good: B (the earliest remaining) is promoted; everyone hears it.
    await request(back.socket, 'leave');
    await until(() => roles.length === 1);
    assert.deepEqual(roles[0], { id: b.reply.id, role: 'host' });
    assert.deepEqual(await request(b.socket, 'host', { action: 'settings', locked: false }), { ok: true });

    // A drop that is not resumed in time counts as leaving: C is promoted after the grace period.
    b.socket.disconnect();
    await until(() => roles.length === 2, 5000, 'promotion after the grace period');
    assert.deepEqual(roles[1], { id: c.reply.id, role: 'host' });
  });

  it('a host changes roles; a host that is made a guest loses its powers', T, async () => {
    const srv = await startServer();
    const a = await joinedV3(srv.url, 'roles', { name: 'A' });
    const b = await joinedV3(srv.url, 'roles', { name: 'B' });
    const seenByB = next(b.socket, 'peer-role');
    assert.deepEqual(await request(a.socket, 'host', { action: 'role', id: b.reply.id, role: 'host' }), { ok: true });
    assert.deepEqual(await seenByB, { id: b.reply.id, role: 'host' });
    const seenByA = next(a.socket, 'peer-role');
    assert.deepEqual(await request(b.socket, 'host', { action: 'role', id: a.reply.id, role: 'viewer' }), { ok: true });
    assert.deepEqual(await seenByA, { id: a.reply.id, role: 'viewer' });
    assert.equal((await request(a.socket, 'host', { action: 'end' })).error.code, 'not-allowed');
    assert.equal((await request(b.socket, 'host', { action: 'role', id: 'nobody', role: 'host' })).error.code, 'unknown-peer');
    assert.equal((await request(b.socket, 'host', { action: 'explode' })).error.code, 'invalid-payload');
    // Not in a room.
    const out = await connect(srv.url);
    assert.equal((await request(out, 'host', { action: 'end' })).error.code, 'not-in-room');
  });
});

describe('host commands', () => {
  afterEach(cleanup);
  after(cleanup);

  it('lobby: knock, admit (join again gets in), deny, knock-gone when a knocker goes', T, async () => {
    const srv = await startServer({ tokenSecret: SECRET });
    const host = await joinedV3(srv.url, 'lob', { token: await token('lob', 'Hana', 'host') });
    const settingsSeen = next(host.socket, 'room-settings');
    assert.deepEqual(await request(host.socket, 'host', { action: 'settings', lobby: true }), { ok: true });
    assert.deepEqual(await settingsSeen, { locked: false, lobby: true });
    const knocks = record(host.socket, 'knock');
    const gone = record(host.socket, 'knock-gone');

    // Gus knocks: in-lobby; the host hears it.
    const gusToken = await token('lob', 'Gus');
    const gusConn = await connectV2(srv.url);
    const gus = await joinV3(srv.url, 'lob', { token: gusToken, socket: gusConn });
    assert.equal(gus.reply.error.code, 'in-lobby');
    await until(() => knocks.length === 1);
    const gusId = knocks[0].id;
    assert.deepEqual(knocks[0], { id: gusId, name: 'Gus' });
    // A second host joining sees the lobby in its reply.
    const host2 = await joinedV3(srv.url, 'lob', { token: await token('lob', 'Hal', 'host') });
    assert.deepEqual(host2.reply.lobby, [{ id: gusId, name: 'Gus' }]);
    assert.deepEqual(host2.reply.settings, { locked: false, lobby: true });

    // Admit: the knocker hears `admitted`, joins again and gets in; hosts hear knock-gone.
    const admitted = next(gus.socket, 'admitted');
    assert.deepEqual(await request(host.socket, 'host', { action: 'admit', id: gusId }), { ok: true });
    await admitted;
    await until(() => gone.length === 1);
    assert.deepEqual(gone[0], { id: gusId });
    const again = await joinV3(srv.url, 'lob', { token: gusToken, identity: gus.identity, socket: { socket: gus.socket, challenge: gus.challenge } });
    assert.equal(again.reply.ok, true, JSON.stringify(again.reply));
    assert.equal(again.reply.id, gusId);

    // Deny.
    const dan = await joinV3(srv.url, 'lob', { token: await token('lob', 'Dan') });
    assert.equal(dan.reply.error.code, 'in-lobby');
    await until(() => knocks.length === 2);
    const denied = next(dan.socket, 'denied');
    assert.deepEqual(await request(host.socket, 'host', { action: 'deny', id: knocks[1].id }), { ok: true });
    assert.deepEqual(await denied, { by: host.reply.id, byName: 'Hana' });
    await until(() => gone.length === 2);
    assert.equal((await request(host.socket, 'host', { action: 'admit', id: knocks[1].id })).error.code, 'unknown-peer', 'no longer waiting');
    // The denied one may knock again; when it disconnects, hosts hear knock-gone.
    assert.equal((await request(dan.socket, 'join', { room: 'lob', protocol: 3, token: await token('lob', 'Dan') })).error.code, 'in-lobby');
    await until(() => knocks.length === 3);
    dan.socket.disconnect();
    await until(() => gone.length === 3);
    // Guests cannot admit.
    assert.equal((await request(again.socket, 'host', { action: 'admit', id: 'x' })).error.code, 'not-allowed');
  });

  it('lock: newcomers get room-locked; a resume and a host token still get in', T, async () => {
    const srv = await startServer({ tokenSecret: SECRET });
    const host = await joinedV3(srv.url, 'lk', { token: await token('lk', 'H', 'host') });
    const g = await joinedV3(srv.url, 'lk', { token: await token('lk', 'G') });
    assert.deepEqual(await request(host.socket, 'host', { action: 'settings', locked: true }), { ok: true });
    assert.equal((await joinV3(srv.url, 'lk', { token: await token('lk', 'New') })).reply.error.code, 'room-locked');
    g.socket.disconnect();
    const back = await joinV3(srv.url, 'lk', { token: await token('lk', 'G'), identity: g.identity, resume: true });
    assert.equal(back.reply.ok, true);
    assert.equal((await joinV3(srv.url, 'lk', { token: await token('lk', 'H2', 'host') })).reply.ok, true);
    assert.deepEqual(await request(host.socket, 'host', { action: 'settings', locked: false }), { ok: true });
    assert.equal((await joinV3(srv.url, 'lk', { token: await token('lk', 'New') })).reply.ok, true);
  });

  it('remove: removed event, disconnect, peer-left "left", and a ban on the token and the id', T, async () => {
    const srv = await startServer({ tokenSecret: SECRET, removeBanMs: 60_000 });
    const host = await joinedV3(srv.url, 'rm', { token: await token('rm', 'H', 'host') });
    const malToken = await token('rm', 'Mal', 'guest', { jti: 'mal-1' });
    const mal = await joinedV3(srv.url, 'rm', { token: malToken });
    const removed = next(mal.socket, 'removed');
    const disconnected = next(mal.socket, 'disconnect');
    const left = next(host.socket, 'peer-left');
    assert.deepEqual(await request(host.socket, 'host', { action: 'remove', id: mal.reply.id }), { ok: true });
    assert.deepEqual(await removed, { by: host.reply.id, byName: 'H' });
    assert.equal(await disconnected, 'io server disconnect');
    assert.deepEqual(await left, { id: mal.reply.id, reason: 'left' });
    // The same token (any key) is refused; so is the same key (any token); a resume too.
    assert.equal((await joinV3(srv.url, 'rm', { token: malToken })).reply.error.code, 'removed');
    assert.equal((await joinV3(srv.url, 'rm', { token: await token('rm', 'Mal2'), identity: mal.identity })).reply.error.code, 'removed');
    assert.equal((await joinV3(srv.url, 'rm', { token: malToken, identity: mal.identity, resume: true })).reply.error.code, 'removed');
    // A token without jti is banned by its hash.
    const evaToken = await token('rm', 'Eva');
    const eva = await joinedV3(srv.url, 'rm', { token: evaToken });
    assert.deepEqual(await request(host.socket, 'host', { action: 'remove', id: eva.reply.id }), { ok: true });
    assert.equal((await joinV3(srv.url, 'rm', { token: evaToken })).reply.error.code, 'removed');
    // Others are fine; the ban is per room.
    assert.equal((await joinV3(srv.url, 'rm', { token: await token('rm', 'Ok') })).reply.ok, true);
    assert.equal((await joinV3(srv.url, 'other', { token: await token('other', 'Mal', 'guest', { jti: 'mal-1' }) })).reply.ok, true);
    assert.equal((await request(host.socket, 'host', { action: 'remove', id: host.reply.id })).error.code, 'invalid-payload');
  });

  it('a ban ends after removeBanMs', T, async () => {
    const srv = await startServer({ removeBanMs: 300 });
    const host = await joinedV3(srv.url, 'short');
    const g = await joinedV3(srv.url, 'short');
    assert.deepEqual(await request(host.socket, 'host', { action: 'remove', id: g.reply.id }), { ok: true });
    assert.equal((await joinV3(srv.url, 'short', { identity: g.identity })).reply.error.code, 'removed');
    const { waitFor } = await import('../../test/helpers/wait.js');
    await waitFor(async () => (await joinV3(srv.url, 'short', { identity: g.identity })).reply.ok, 'the ban to end', 5000, 100);
  });

  it('mute: mute-requested goes to that member only', T, async () => {
    const srv = await startServer();
    const host = await joinedV3(srv.url, 'mu', { name: 'H' });
    const a = await joinedV3(srv.url, 'mu');
    const b = await joinedV3(srv.url, 'mu');
    const atB = record(b.socket, 'mute-requested');
    const atA = next(a.socket, 'mute-requested');
    assert.deepEqual(await request(host.socket, 'host', { action: 'mute', id: a.reply.id, kind: 'video' }), { ok: true });
    assert.deepEqual(await atA, { by: host.reply.id, byName: 'H', kind: 'video' });
    const atA2 = next(a.socket, 'mute-requested');
    assert.deepEqual(await request(host.socket, 'host', { action: 'mute', id: a.reply.id }), { ok: true });
    assert.equal((await atA2).kind, 'audio');
    await sleep(100);
    assert.equal(atB.length, 0);
    assert.equal((await request(a.socket, 'host', { action: 'mute', id: b.reply.id })).error.code, 'not-allowed');
  });

  it('end: everyone gets room-ended and is disconnected; kept seats are dropped', T, async () => {
    const srv = await startServer({ resumeGraceMs: 30_000 });
    const host = await joinedV3(srv.url, 'fin', { name: 'H' });
    const a = await joinedV3(srv.url, 'fin');
    const v2 = await joinedV2(srv.url, 'fin', 'old');
    const away = await joinedV3(srv.url, 'fin');
    away.socket.disconnect(); // keeps its seat for 30 s
    await until(() => srv.io.of('/').adapter.rooms.get('room:fin')?.size === 3, 3000, 'the drop to be noticed');
    const ended = [host, a, v2].map((m) => next(m.socket, 'room-ended'));
    const gone = [host, a, v2].map((m) => next(m.socket, 'disconnect'));
    assert.deepEqual(await request(host.socket, 'host', { action: 'end' }), { ok: true });
    for (const e of await Promise.all(ended)) assert.deepEqual(e, { by: host.reply.id, byName: 'H' });
    assert.deepEqual(await Promise.all(gone), ['io server disconnect', 'io server disconnect', 'io server disconnect']);
    // Nobody resumes into an ended room; a new join starts afresh (first is host, default settings).
    assert.equal((await joinV3(srv.url, 'fin', { identity: away.identity, resume: true })).reply.error.code, 'resume-expired');
    assert.equal((await joinV3(srv.url, 'fin', { identity: a.identity, resume: true })).reply.error.code, 'resume-expired');
    const fresh = await joinedV3(srv.url, 'fin');
    assert.equal(fresh.reply.role, 'host');
    assert.deepEqual(fresh.reply.peers, []);
  });
});
