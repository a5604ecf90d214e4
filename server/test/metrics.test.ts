/** GET /metrics (Prometheus text), off by default, open with `metrics: true`, or behind a bearer token. */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { cleanup, connect, joined, joinedV3, joinV3, record, request, roundTrip, startServer, until } from './helpers.js';

const T = { timeout: 20_000 };

function value(text: string, metric: string): number {
  const escaped = metric.replace(/[{}"=]/g, (c) => `\\${c}`);
  const m = new RegExp(`^${escaped} ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

describe('metrics', () => {
  afterEach(cleanup);
  after(cleanup);

  it('is off by default (404)', T, async () => {
    const srv = await startServer();
    assert.equal((await fetch(`${srv.url}/metrics`)).status, 404);
  });

  it('counts sockets, rooms, joins, resumes, signals, refusals by code and knocks', T, async () => {
    const srv = await startServer({ metrics: true, roomCapacity: 3 });
    const host = await joinedV3(srv.url, 'm1', { name: 'H' });
    const b = await joinedV3(srv.url, 'm1');
    await joined(srv.url, 'm2');
    // 3 relayed signals, 2 refusals (unknown-peer) and a full room.
    for (let i = 0; i < 3; i++) await request(host.socket, 'signal', { to: b.reply.id, data: { candidate: null } });
    for (let i = 0; i < 2; i++) await request(host.socket, 'signal', { to: 'nobody', data: { candidate: null } });
    await joinedV3(srv.url, 'm1');
    assert.equal((await joinV3(srv.url, 'm1')).reply.error.code, 'room-full');
    // A resume.
    b.socket.disconnect();
    await until(() => srv.io.of('/').adapter.rooms.get('room:m1')?.size === 2);
    await joinedV3(srv.url, 'm1', { identity: b.identity, resume: true });
    // A knock.
    await request(host.socket, 'host', { action: 'settings', lobby: true });
    const knocks = record(host.socket, 'knock');
    const lobbyJoin = await joinV3(srv.url, 'm-lobby-check'); // another room: no lobby there
    assert.equal(lobbyJoin.reply.ok, true);
    const knocker = await connect(srv.url);
    assert.equal((await request(knocker, 'join', { room: 'm1', protocol: 3 })).error.code, 'in-lobby');
    await until(() => knocks.length === 1);
    await roundTrip(host.socket);

    const res = await fetch(`${srv.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    // Connected: host, b (resumed), m2's, the third m1 member, the full-room one, m-lobby-check's, the knocker.
    assert.equal(value(text, 'rtc_widgets_sockets'), srv.io.of('/').sockets.size);
    assert.equal(value(text, 'rtc_widgets_rooms'), 3);
    assert.equal(value(text, 'rtc_widgets_joins_total'), 6);
    assert.equal(value(text, 'rtc_widgets_resumes_total'), 1);
    assert.equal(value(text, 'rtc_widgets_signals_relayed_total'), 3);
    assert.equal(value(text, 'rtc_widgets_refusals_total{code="unknown-peer"}'), 2);
    assert.equal(value(text, 'rtc_widgets_refusals_total{code="room-full"}'), 1);
    assert.equal(value(text, 'rtc_widgets_refusals_total{code="in-lobby"}'), 1);
    assert.equal(value(text, 'rtc_widgets_lobby_knocks_total'), 1);
    assert.equal(value(text, 'rtc_widgets_rate_limited_total'), 0);
  });

  it('with a token: 401 without the bearer token, 200 with it', T, async () => {
    const srv = await startServer({ metrics: { token: 's3cret' } });
    const none = await fetch(`${srv.url}/metrics`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
    assert.equal((await fetch(`${srv.url}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    const ok = await fetch(`${srv.url}/metrics`, { headers: { Authorization: 'Bearer s3cret' } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /rtc_widgets_sockets 0/);
  });
});
