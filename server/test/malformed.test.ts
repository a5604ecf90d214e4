import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, connect, joined, next, offer, record, request, roundTrip, sleep, startServer } from './helpers.js';

const T = { timeout: 20_000 };
const huge = 'x'.repeat(100_000);

describe('malformed input', () => {
  after(cleanup);

  it('every event answers bad payloads with a clear error, relays nothing, and the server keeps serving', T, async () => {
    const srv = await startServer({ maxSignalsPerSecond: 1000, burst: 1000 });
    const b = await joined(srv.url, 'target', 'B');
    const atB = record(b.socket, 'signal');
    const joinsAtB = record(b.socket, 'peer-joined');
    const to = b.reply.id;

    // join: each from a fresh, unjoined socket
    const badJoins: [string, unknown[]][] = [
      ['no payload', []],
      ['null', [null]],
      ['number', [5]],
      ['string', ['target']],
      ['array', [['target']]],
      ['empty object', [{}]],
      ['room not a string', [{ room: 5 }]],
      ['empty room', [{ room: '' }]],
      ['room with a space', [{ room: 'a b' }]],
      ['room with a colon', [{ room: 'peer:x' }]],
      ['room too long', [{ room: 'r'.repeat(65) }]],
      ['huge room', [{ room: huge }]],
      ['name not a string', [{ room: 'target', name: 5 }]],
      ['huge name', [{ room: 'target', name: huge }]],
      ['protocol a string', [{ room: 'target', protocol: '1' }]],
      ['protocol a fraction', [{ room: 'target', protocol: 1.5 }]],
      ['binary', [Buffer.from('target')]],
    ];
    const j = await connect(srv.url);
    for (const [label, args] of badJoins) {
      const r = await request(j, 'join', ...args);
      assert.equal(r.ok, false, label);
      assert.equal(r.error.code, 'invalid-payload', label);
      assert.ok(typeof r.error.message === 'string' && r.error.message.length > 0 && r.error.message.length < 300, `${label}: ${r.error.message}`);
    }
    const roomMsg = (await request(j, 'join', { room: 'a b' })).error.message;
    assert.match(roomMsg, /^room: /, 'the message names the field');
    // join without an ack: refused (it would be useless), reported as server-error.
    const noAck = next(j, 'server-error');
    j.emit('join', { room: 'target' });
    assert.deepEqual(await noAck, { code: 'invalid-payload', message: '"join" needs an acknowledgement callback', event: 'join' });

    // signal: from a member of B's room
    const a = await joined(srv.url, 'target', 'A');
    const badSignals: [string, unknown][] = [
      ['no payload', undefined],
      ['null', null],
      ['string', 'hello'],
      ['array', [to, offer()]],
      ['empty object', {}],
      ['no data', { to }],
      ['no to', { data: offer() }],
      ['to a number', { to: 5, data: offer() }],
      ['to empty', { to: '', data: offer() }],
      ['to too long', { to: 'i'.repeat(65), data: offer() }],
      ['data null', { to, data: null }],
      ['data empty', { to, data: {} }],
      ['data a string', { to, data: 'v=0' }],
      ['pranswer', { to, data: { description: { type: 'pranswer', sdp: '' } } }],
      ['description without sdp', { to, data: { description: { type: 'offer' } } }],
      ['sdp a number', { to, data: { description: { type: 'offer', sdp: 5 } } }],
      ['sdp binary', { to, data: { description: { type: 'offer', sdp: Buffer.from('v=0') } } }],
      ['candidate a number', { to, data: { candidate: 5 } }],
      ['candidate.candidate missing', { to, data: { candidate: { sdpMid: '0' } } }],
      ['candidate too long', { to, data: { candidate: { candidate: 'c'.repeat(1025) } } }],
      ['sdpMLineIndex 256', { to, data: { candidate: { candidate: 'c', sdpMLineIndex: 256 } } }],
      ['sdpMLineIndex -1', { to, data: { candidate: { candidate: 'c', sdpMLineIndex: -1 } } }],
    ];
    for (const [label, payload] of badSignals) {
      const r = await (payload === undefined ? request(a.socket, 'signal') : request(a.socket, 'signal', payload));
      assert.equal(r.ok, false, label);
      assert.equal(r.error.code, 'invalid-payload', `${label}: ${JSON.stringify(r)}`);
    }
    // The same without acks: one server-error each.
    const errors = record(a.socket, 'server-error');
    for (const [, payload] of badSignals) a.socket.emit('signal', payload);
    await roundTrip(a.socket);
    assert.equal(errors.length, badSignals.length);
    assert.ok(errors.every((e) => e.code === 'invalid-payload' && e.event === 'signal'));
    errors.length = 0;

    // leave and ice-servers ignore payloads; ice-servers needs an ack.
    assert.equal((await request(j, 'leave', { junk: huge })).error.code, 'not-in-room');
    assert.equal((await request(a.socket, 'ice-servers', 'junk')).ok, true);
    a.socket.emit('ice-servers');
    await roundTrip(a.socket);
    assert.deepEqual(errors.splice(0), [{ code: 'invalid-payload', message: '"ice-servers" needs an acknowledgement callback', event: 'ice-servers' }]);

    // Unknown events, with and without an ack, including names an EventEmitter treats specially.
    assert.deepEqual(await request(a.socket, 'hello', 1), { ok: false, error: { code: 'invalid-payload', message: 'unknown event "hello"' } });
    for (const name of ['hello', 'error', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x'.repeat(5000)])
      a.socket.emit(name, { to, data: offer() });
    (a.socket as unknown as { emit(ev: number, v: string): void }).emit(42, 'numeric event name');
    await roundTrip(a.socket);
    assert.equal(errors.length, 8);
    assert.ok(errors.every((e) => e.code === 'invalid-payload' && /^unknown event/.test(e.message)));
    assert.equal(errors[6].event, 'x'.repeat(64), 'long event names are not echoed in full');
    assert.equal(errors[7].event, '42');

    await sleep(100);
    assert.equal(atB.length, 0, 'nothing was relayed');
    assert.deepEqual(
      joinsAtB.map((p) => p.name),
      ['A'],
      'no failed join was announced',
    );

    // Still serving: health, a fresh join, a valid relay from the same socket.
    const health = await fetch(`${srv.url}/healthz`);
    assert.equal(health.status, 200);
    const fresh = await joined(srv.url, 'target', 'C');
    assert.equal(fresh.reply.peers.length, 2);
    const got = next(b.socket, 'signal');
    assert.deepEqual(await request(a.socket, 'signal', { to, data: offer() }), { ok: true });
    assert.equal((await got).from, a.reply.id);
  });
});

describe('handler failures', () => {
  after(cleanup);

  it('an exception inside a handler becomes an internal error reply and the process keeps serving', T, async () => {
    const logged: string[] = [];
    const srv = await startServer({ log: (l) => logged.push(l) });
    const s = await connect(srv.url);
    const io = srv.io;
    const original = io.in.bind(io);
    // Synchronous throw, then an async rejection, from deep inside join.
    io.in = () => {
      throw new Error('boom (test)');
    };
    let r = await request(s, 'join', { room: 'r' });
    assert.deepEqual(r, { ok: false, error: { code: 'internal', message: 'internal server error' } });
    io.in = (() => ({ fetchSockets: () => Promise.reject(new Error('redis down (test)')) })) as unknown as typeof io.in;
    const err = next(s, 'server-error');
    s.emit('join', { room: 'r' }, () => {}); // an ack that is not ours to check: reply goes to it
    s.emit('join', { room: 'r' }); // no ack: refused before the handler runs
    assert.equal((await err).code, 'invalid-payload');
    r = await request(s, 'join', { room: 'r' });
    assert.equal(r.error.code, 'internal');
    assert.ok(logged.some((l) => l.includes('boom (test)')) && logged.some((l) => l.includes('redis down (test)')), 'the stack is logged');
    io.in = original;
    assert.equal((await request(s, 'join', { room: 'r' })).ok, true);
    assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
  });
});
