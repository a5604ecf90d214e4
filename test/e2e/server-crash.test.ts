/**
 * The signaling server is killed (SIGKILL) in the middle of a call of four (two Chromium, two
 * Firefox, the demo page; one microphone in each browser) and started again on its port six
 * seconds later. Media never stops and chat goes on peer to peer; everyone is back under the same
 * id once the server answers, nobody is told anyone left, and a fifth person then joins and
 * reaches all four.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_DIR, type LaunchedBrowser } from './helpers/browsers.js';
import { defaultChromium, defaultFirefox } from './helpers/fixture.js';
import { snapshotBundle } from './helpers/server.js';
import { expectDecoding, expectParticipants, inPage, openPeer, settleAll, sleep, uniqueRoom, waitFor, type Peer } from './helpers/call.js';
import { callEvents, openChat, recordCallEvents, say } from './helpers/chat.js';
import { startServerProcess, type ServerProcess } from '../harness/server-process.js';

const OUTAGE_MS = 6_000;
/**
 * Five pages on two cores encode and decode twenty video links: at full size the browsers starve
 * (heartbeats and ICE checks time out) before anything under test happens. The test is about the
 * outage, not the encoder, so the cameras send a small picture.
 */
const CAMERA = { width: 320, height: 240, frameRate: 10 };
/**
 * Every tile in view with the chat panel open (tiles out of view get no video, by design), and no
 * larger: five pages painting 1280×900 each starved the machine the test runs on.
 */
const VIEWPORT = { width: 960, height: 640 };
/**
 * Who sends a microphone: one page in each browser. Audio on a link costs the machine about as
 * much as its small video; with all four sending, the two Chromium pages' main threads answered
 * 0.2–2.4 s late before the crash, and during the outage the Firefox pages' links to them went
 * disconnected and failed. The others join with cameras only (the demo's ?media=video).
 */
const WITH_MIC = new Set(['Ada', 'Cy']);

/**
 * In the page: every 250 ms, the video frames decoded from each remote (to find stalls afterwards).
 * Each reading starts after the last one finished: on a starved page, readings on a fixed interval
 * piled up getStats() calls faster than Chromium answered them, and starved it further.
 */
const START_SAMPLER = `(() => {
  const s = __e2e.room().session;
  window.__frames = [];
  clearTimeout(window.__sampler);
  const read = async () => {
    const row = { t: performance.timeOrigin + performance.now(), f: {} };
    for (const p of s.participants.get()) {
      const pc = !p.isLocal && s.peerConnection(p.id);
      if (!pc) continue;
      let frames = 0;
      (await pc.getStats()).forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0; });
      row.f[p.id] = frames;
    }
    window.__frames.push(row);
    window.__sampler = setTimeout(read, 250);
  };
  void read();
  return true;
})()`;

/** In the page: the views this page sends and, per remote, what it asked of us and what we apply. */
const QUALITY_STATE = `(() => {
  const s = __e2e.room().session;
  const views = Object.fromEntries(s.qualityState().views);
  const links = Object.fromEntries(s.participants.get().filter((p) => !p.isLocal).map((p) => [p.name, s.qualityState(p.id).link]));
  return JSON.stringify({ me: s.name, views, links, vw: innerWidth, vh: innerHeight });
})()`;

interface Sample {
  t: number;
  f: Record<string, number>;
}

/** Per remote: frames gained between `from` and `to`, and the longest time without a new frame. */
function framesIn(samples: Sample[], from: number, to: number): Record<string, { gained: number; longestStallMs: number }> {
  const inside = samples.filter((s) => s.t >= from && s.t <= to);
  const out: Record<string, { gained: number; longestStallMs: number }> = {};
  for (const id of Object.keys(inside[0]?.f ?? {})) {
    let lastChange = inside[0].t;
    let stall = 0;
    for (let i = 1; i < inside.length; i++) {
      if ((inside[i].f[id] ?? 0) > (inside[i - 1].f[id] ?? 0)) lastChange = inside[i].t;
      stall = Math.max(stall, inside[i].t - lastChange);
    }
    out[id] = { gained: (inside.at(-1)!.f[id] ?? 0) - (inside[0].f[id] ?? 0), longestStallMs: Math.round(stall) };
  }
  return out;
}

const notice = (p: Peer) =>
  inPage<string[]>(p.page, `__e2e.deepAll('[part~="notice"]').filter((n) => n.getClientRects().length).map((n) => n.textContent.replace(/\\s+/g, ' ').trim())`);
const messagesWith = (p: Peer, text: string) =>
  inPage<number>(p.page, `__e2e.room().session.chat.messages.get().filter((m) => m.text === ${JSON.stringify(text)}).length`);

describe('the signaling server crashes mid-call', () => {
  let chromium: LaunchedBrowser;
  let firefox: LaunchedBrowser;
  let server: ServerProcess;
  const dir = mkdtempSync(join(tmpdir(), 'rtc-widgets-crash-'));

  before(async () => {
    const bundleFile = await snapshotBundle(dir, 90_000);
    await settleAll([
      defaultChromium().then((b) => (chromium = b)),
      defaultFirefox().then((b) => (firefox = b)),
      // A long grace: on a loaded machine the restarted process can take longer than the default
      // 30 s to answer, and this test is about resuming, not about the "cannot reach" notice.
      startServerProcess({ staticDir: DEMO_DIR, bundleFile, resumeGraceMs: 120_000 }).then((s) => (server = s)),
    ]);
  });
  after(async () => {
    await Promise.all([chromium?.dispose(), firefox?.dispose()]);
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('four people keep media and chat, resume under the same ids, and a fifth reaches them all', { timeout: 360_000 }, async (t) => {
    const url = `${server.url}/?room=${uniqueRoom('crash')}`;
    const names = ['Ada', 'Bo', 'Cy', 'Di'];
    const list: Peer[] = [];
    try {
      const browsers = [chromium, chromium, firefox, firefox];
      for (const [i, name] of names.entries())
        list.push(await openPeer(browsers[i].browser, WITH_MIC.has(name) ? url : `${url}&media=video`, { label: name, camera: CAMERA, viewport: VIEWPORT }));
      for (const [i, p] of list.entries()) await p.join(names[i]);
      const others = (i: number) => names.filter((_, j) => j !== i);
      const audioFrom = [...WITH_MIC];
      await Promise.all(list.map((p, i) => expectDecoding(p, { names: others(i), audioFrom, timeoutMs: 60_000 })));
      const ids = await Promise.all(list.map(async (p) => (await p.snapshot()).localId));
      for (const p of list) {
        await inPage(p.page, START_SAMPLER);
        await recordCallEvents(p);
      }
      await openChat(list[0]);

      // The crash.
      await server.kill();
      const killedAt = Date.now();
      await Promise.all(
        list.map((p) =>
          waitFor(async () => (await p.snapshot()).status === 'reconnecting' && (await notice(p)).includes('Reconnecting to the server…'), {
            what: `${p.label}: "Reconnecting to the server…"`,
          }),
        ),
      );
      const text = `said while the server was down ${Date.now()}`;
      await say(list[0], text);
      // Everyone still sees everyone, and hears both microphones.
      await Promise.all(list.map((p, i) => expectDecoding(p, { names: others(i), audioFrom, timeoutMs: 8_000 }))).catch(async (e) => {
        const q = await Promise.all(list.map((p) => inPage<string>(p.page, QUALITY_STATE)));
        const logs = await Promise.all(list.map((p) => callEvents(p)));
        throw new Error(`${(e as Error).message.slice(0, 1500)}\nkilled at ${killedAt}\nquality: ${q.join('\n')}\n${logs.join('\n')}`);
      });
      await sleep(Math.max(0, killedAt + OUTAGE_MS - Date.now()));

      // The server is back on its port, with no memory of the call.
      await server.restart();
      const answeredAt = Date.now();
      const backAfter = await Promise.all(
        list.map(async (p, i) => {
          await waitFor(
            async () => {
              const s = await p.snapshot();
              return s.status === 'joined' && s.localId === ids[i];
            },
            {
              timeoutMs: 20_000,
              intervalMs: 100,
              what: `${p.label}: joined again under id ${ids[i]}`,
              describe: async () => JSON.stringify(await p.snapshot()),
            },
          );
          return Date.now() - answeredAt;
        }),
      );
      await Promise.all(list.map((p, i) => expectParticipants(p, others(i))));
      for (const p of list) assert.deepEqual(await notice(p), [], `${p.label}: the notice is gone`);
      for (const p of list) {
        assert.equal(await messagesWith(p, text), 1, `${p.label}: the message sent during the outage, once`);
        assert.deepEqual(await p.messages(), [], `${p.label} sees no error`);
        const log = await callEvents(p);
        assert.doesNotMatch(log, /peer-leave|peer-join|error /, `nobody left, joined or failed: ${log}`);
      }

      // Frames during the outage, from the samplers.
      const stalls: number[] = [];
      for (const p of list) {
        const samples = await inPage<Sample[]>(p.page, 'window.__frames');
        for (const [id, r] of Object.entries(framesIn(samples, killedAt, answeredAt))) {
          assert.ok(r.gained > 0, `${p.label}: frames from ${id} kept coming during the outage`);
          stalls.push(r.longestStallMs);
        }
      }

      // A fifth person joins the room the restarted server knows, and reaches everyone. In Firefox,
      // so that each browser carries two or three of the five pages: with three in one browser on
      // a busy machine, that browser's pages starved for 20 s (their sockets timed out) and the
      // mesh took 70 s to form.
      const eve = await openPeer(firefox.browser, `${url}&media=video`, { label: 'Eve', camera: CAMERA, viewport: VIEWPORT });
      list.push(eve);
      await eve.join('Eve');
      await recordCallEvents(eve);
      await Promise.all([
        expectDecoding(eve, { names, audioFrom, timeoutMs: 120_000 }),
        ...list.slice(0, 4).map((p, i) => expectDecoding(p, { names: [...others(i), 'Eve'], audioFrom, timeoutMs: 120_000 })),
      ]).catch(async (e) => {
        const logs = await Promise.all(list.map((p) => callEvents(p)));
        throw new Error(`${(e as Error).message.slice(0, 2000)}\n${logs.join('\n')}`);
      });
      t.diagnostic(
        `back with the same id ${backAfter.join(', ')} ms after the server answered; longest frame stall during the outage ${Math.max(...stalls)} ms`,
      );
    } finally {
      await Promise.all(list.map((p) => p.close()));
    }
  });
});
