/** Abuse limits per client address (docs/protocol.md §6). Addresses come from X-Forwarded-For (trustProxy). */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { after, afterEach, describe, it } from 'node:test';
import { cleanup, connect, joined, joinedV3, request, startServer, until, type Client } from './helpers.js';
import { waitFor } from '../../test/helpers/wait.js';
import { mintToken } from '../src/token.js';

const T = { timeout: 60_000 };
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SLACK_MS = 5;

/**
 * 10 sockets from 10.6.6.6 (X-Forwarded-For): 5 joins each at once, then signals as fast as a
 * bounded loop emits them (20 per socket per 5 ms) until the server cuts them off; then 10 attempts
 * to reconnect. Prints a JSON summary.
 */
const FLOOD_SCRIPT = `
const { io } = require('socket.io-client');
const url = process.argv[1];
const opts = { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 5000, extraHeaders: { 'X-Forwarded-For': '10.6.6.6' } };
const connect = () => new Promise((resolve, reject) => {
  const s = io(url, opts);
  s.once('connect', () => resolve(s));
  s.once('connect_error', (e) => { s.disconnect(); reject(e); });
});
(async () => {
  const sockets = await Promise.all(Array.from({ length: 10 }, connect));
  const t0 = Date.now();
  let limitedJoins = 0, limitedSignals = 0, sent = 0;
  const reasons = await Promise.all(sockets.map(async (s, i) => {
    const gone = new Promise((resolve) => s.once('disconnect', resolve));
    s.on('server-error', (e) => { if (e.code === 'rate-limited') limitedSignals++; });
    const joins = await Promise.all(Array.from({ length: 5 }, () => s.timeout(5000).emitWithAck('join', { room: 'flood-' + i }).catch(() => ({}))));
    limitedJoins += joins.filter((r) => r.error && r.error.code === 'rate-limited').length;
    if (i === 0) console.log('flooding');
    while (s.connected && Date.now() - t0 < 20000) {
      for (let k = 0; k < 20; k++) { s.emit('signal', { to: 'nobody', data: { candidate: null } }); sent++; }
      await new Promise((r) => setTimeout(r, 5));
    }
    return gone;
  }));
  const ms = Date.now() - t0;
  let refusedReconnects = 0;
  for (let i = 0; i < 10; i++) await connect().then((s) => s.disconnect(), () => refusedReconnects++);
  console.log(JSON.stringify({ limitedJoins, limitedSignals, reasons, refusedReconnects, sent, ms }));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
`;
const from = (address: string) => ({ extraHeaders: { 'X-Forwarded-For': `${address}, 10.9.9.9` } });

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** `n` signals from a to b, one at a time: the time from emit to arrival of each, in ms. */
async function relayTimes(a: Client, b: Client, toB: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const arrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`signal ${i} did not arrive`)), 3000);
      b.once('signal', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const t0 = performance.now();
    a.emit('signal', { to: toB, data: { candidate: { candidate: `candidate:${i} 1 udp 2122260223 192.0.2.1 5000 typ host`, sdpMid: '0' } } });
    await arrived;
    times.push(performance.now() - t0);
  }
  return times;
}

describe('abuse limits', () => {
  afterEach(cleanup);
  after(cleanup);

  // Up to three rounds of a flood and a thousand relays: on two cores shared with a browser suite
  // one round took over a minute.
  it('10 sockets of one address flooding joins and signals are throttled and cut off; a pair elsewhere keeps its latency', { timeout: 240_000 }, async () => {
    /** One round: a fresh server, the pair's idle relay times, then the same during a flood. */
    const round = async () => {
      const srv = await startServer({
        metrics: true,
        // The legit pair sends at most ~1750 signals, within its 2000 per 2 s; the flooders share one allowance.
        limits: {
          trustProxy: true,
          messagesPerSecond: 1000,
          messageBurst: 2000,
          joinsPerMinute: 20,
          connectionsPerMinute: 15,
          violationsBeforeDisconnect: 100,
        },
      });
      const a = await joined(srv.url, 'legit', 'A', from('10.0.0.1'));
      const b = await joined(srv.url, 'legit', 'B', from('10.0.0.2'));
      // Warm up, then the idle baseline.
      await relayTimes(a.socket, b.socket, b.reply.id, 50);
      const idle = await relayTimes(a.socket, b.socket, b.reply.id, 500);

      // The flooders run in a process of their own, at low priority, so that making the flood does
      // not take the CPU from this process: what the pair sees is the server's cost of refusing it.
      const flood = spawn(process.execPath, ['-e', FLOOD_SCRIPT, srv.url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        setPriority(flood.pid!, 19);
      } catch {
        // not allowed here: it runs at our priority
      }
      let out = '';
      flood.stdout.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((resolve) => flood.once('exit', resolve));
      await waitFor(() => out.includes('flooding'), 'the flood to start', 60_000, 10);
      const underFlood: number[] = [];
      let done = false;
      void exited.then(() => (done = true));
      // At least 500 samples, on until the flood is over; at most 1200 (A's own allowance is 2000 per 2 s).
      while ((!done || underFlood.length < 500) && underFlood.length < 1200) underFlood.push(...(await relayTimes(a.socket, b.socket, b.reply.id, 20)));
      await exited;
      assert.equal(await exited, 0, out);
      const result = JSON.parse(out.slice(out.indexOf('{')));

      assert.ok(result.limitedJoins > 0, 'joins beyond the limit are refused with rate-limited');
      assert.ok(result.limitedSignals > 0, 'signals beyond the limit get rate-limited');
      assert.deepEqual(result.reasons, Array(10).fill('io server disconnect'), 'every flooder was disconnected by the server');
      assert.ok(result.refusedReconnects > 0, 'reconnecting gives no fresh start: new connections are refused');
      // The legit pair still signals (with acks).
      assert.deepEqual(await request(a.socket, 'signal', { to: b.reply.id, data: { candidate: null } }), { ok: true });
      const text = await (await fetch(`${srv.url}/metrics`)).text();
      assert.ok(Number(/^rtc_widgets_rate_limited_total (\d+)/m.exec(text)?.[1]) > 0);
      await cleanup();

      const p99Idle = percentile(idle, 99);
      const p99Flood = percentile(underFlood, 99);
      console.log(
        `flood: ${result.sent} messages in ${result.ms} ms, ${underFlood.length} relays meanwhile; relay p99 idle ${p99Idle.toFixed(2)} ms, under flood ${p99Flood.toFixed(2)} ms (p50 ${percentile(idle, 50).toFixed(2)} / ${percentile(underFlood, 50).toFixed(2)})`,
      );
      return { p99Idle, p99Flood, ok: p99Flood <= 2 * p99Idle + SLACK_MS };
    };
    // The machines are small and shared: another process's burst can spoil one p99 of 500 samples
    // either way. The flood itself must be handled in every round; the latency bound must hold in
    // one of up to 3 rounds (a server that the flood slows fails them all).
    const rounds = [];
    for (let i = 0; i < 3; i++) {
      const r = await round();
      rounds.push(r);
      if (r.ok) break;
    }
    const last = rounds.at(-1)!;
    assert.ok(last.ok, `p99 under flood ${last.p99Flood.toFixed(2)} ms > 2 × ${last.p99Idle.toFixed(2)} ms + ${SLACK_MS} ms in ${rounds.length} rounds`);
  });

  it('concurrent sockets per address are capped; a closed one frees its place', T, async () => {
    const srv = await startServer({ limits: { trustProxy: true, maxSocketsPerAddress: 3 } });
    const open = await Promise.all([1, 2, 3].map(() => connect(srv.url, from('10.0.0.7'))));
    await assert.rejects(connect(srv.url, from('10.0.0.7')));
    await connect(srv.url, from('10.0.0.8')); // another address
    open[0].disconnect();
    await waitFor(() => connect(srv.url, from('10.0.0.7')).then(() => true), 'a place to free up', 5000, 50);
  });

  it('connections and joins per address per minute', T, async () => {
    const srv = await startServer({ limits: { trustProxy: true, connectionsPerMinute: 3, joinsPerMinute: 3 } });
    for (let i = 0; i < 3; i++) (await connect(srv.url, from('10.0.0.9'))).disconnect();
    await assert.rejects(connect(srv.url, from('10.0.0.9')));
    const s = await connect(srv.url, from('10.0.0.10'));
    for (let i = 0; i < 3; i++) {
      assert.equal((await request(s, 'join', { room: 'j' })).ok, true);
      await request(s, 'leave');
    }
    assert.equal((await request(s, 'join', { room: 'j' })).error.code, 'rate-limited');
  });

  it('without TRUST_PROXY, X-Forwarded-For is ignored', T, async () => {
    const srv = await startServer({ limits: { maxSocketsPerAddress: 2 } });
    await connect(srv.url, from('10.0.0.1'));
    await connect(srv.url, from('10.0.0.2'));
    await assert.rejects(connect(srv.url, from('10.0.0.3')), 'all three are 127.0.0.1');
  });

  it('with ALLOWED_ORIGINS and a token secret, a client without Origin needs a valid auth.token', T, async () => {
    const secret = 'x'.repeat(32);
    const srv = await startServer({ allowedOrigins: ['https://app.example'], tokenSecret: secret });
    await assert.rejects(connect(srv.url), /token-required/);
    await assert.rejects(connect(srv.url, { auth: { token: 'nope' } }), /token-invalid/);
    const token = await mintToken(secret, { room: 'r', name: 'Bot' });
    const bot = await connect(srv.url, { auth: { token } });
    const reply = await request(bot, 'join', { room: 'r', protocol: 3, token });
    assert.equal(reply.ok, true);
    assert.equal(reply.name, 'Bot');
    // Browsers (an allowed Origin) need no handshake token; a foreign Origin is refused as before.
    await connect(srv.url, { extraHeaders: { Origin: 'https://app.example' } });
    await assert.rejects(connect(srv.url, { extraHeaders: { Origin: 'https://evil.example' } }));
    // Without a token secret, native clients are let in as before.
    const open = await startServer({ allowedOrigins: ['https://app.example'] });
    await connect(open.url);
  });

  it('a real 6-person call from one address never hits the defaults', T, async () => {
    const srv = await startServer();
    const members: Awaited<ReturnType<typeof joinedV3>>[] = [];
    for (let i = 0; i < 6; i++) {
      const m = await joinedV3(srv.url, 'six', { name: `P${i}` });
      // The newcomer offers to everyone and trickles ~40 candidates to each, with acks.
      const replies = await Promise.all(
        m.reply.peers.flatMap((p: { id: string }) => Array.from({ length: 40 }, () => request(m.socket, 'signal', { to: p.id, data: { candidate: null } }))),
      );
      assert.ok(replies.every((r) => r.ok));
      members.push(m);
    }
    await until(() => members.every((m) => m.socket.connected));
  });
});
