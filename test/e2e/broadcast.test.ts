/**
 * A live stream (`<rtc-room mode="broadcast">`, docs/protocol.md §13): one presenter and eight
 * viewers, the viewers split between Chromium and Firefox, joining one after another. Every viewer
 * decodes the presenter; no viewer has a peer connection to another viewer (every peer connection a
 * viewer's page ever made is counted); every page shows the right viewer count; the presenter
 * sends each viewer no more than the per-viewer budget (outbound-rtp bytes over a window). Then
 * the presenter invites a viewer on stage: its page opens camera and microphone, and the other
 * viewers decode it too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import { expectDecoding, inPage, openPeer, settleAll, uniqueRoom, waitFor, type Peer } from './helpers/call.js';
import { onPages, recordCallEvents } from './helpers/chat.js';

/** Nine pages on two cores: a small camera (as in mesh-six.test.ts). */
const CAMERA = { width: 240, height: 135, frameRate: 15 };
/** Per viewer: the least of the default upload budget split over 8 links and the default per-viewer cap (DEFAULT_VIEWER_BITRATE). */
const BUDGET = Math.min(3_000_000 / 8, 500_000);
/** The encoder may overshoot its target for a moment: measured over WINDOW_MS, allow this much. */
const OVERSHOOT = 1.25;
const WINDOW_MS = 5000;
const VIEWERS = 8;

/** In the page: the session's viewer count, and the count the room shows. */
const COUNT = `(() => {
  const s = __e2e.room().session;
  const shown = __e2e.deepAll('[part~="viewer-count"]').map((e) => e.textContent.replace(/\\s+/g, ' ').trim());
  return { count: s.viewerCount.get(), shown, mode: s.roomMode.get(), role: s.moderation.role.get() };
})()`;

/** In a viewer's page: every peer connection it ever made that is not closed, and the session's links. */
const LINKS = `(() => {
  const s = __e2e.room().session;
  const rec = __e2e.recorded();
  return { open: rec ? rec.pcs.filter((st) => st !== 'closed').length : -1, remotes: s.participants.get().filter((p) => !p.isLocal).map((p) => [p.name, p.role]), id: s.localId };
})()`;

/** In the presenter's page: per viewer, the video bits/s sent over WINDOW_MS and the cap applied to that link. */
const UPLOAD = `(async () => {
  const s = __e2e.room().session;
  const remotes = s.participants.get().filter((p) => !p.isLocal);
  const sent = async () => {
    const out = {};
    for (const p of remotes) {
      const pc = s.peerConnection(p.id);
      let bytes = 0;
      if (pc) (await pc.getStats()).forEach((r) => { if (r.type === 'outbound-rtp' && r.kind === 'video') bytes += r.bytesSent || 0; });
      out[p.id] = bytes;
    }
    return { out, t: performance.now() };
  };
  const a = await sent();
  await new Promise((r) => setTimeout(r, ${WINDOW_MS}));
  const b = await sent();
  return remotes.map((p) => ({
    name: p.name,
    role: p.role,
    bps: Math.round(((b.out[p.id] - a.out[p.id]) * 8 * 1000) / (b.t - a.t)),
    cap: s.qualityState(p.id).link?.applied?.maxBitrate ?? null,
  }));
})()`;

/** A page's status and error, and each link's signaling and negotiation counts: what a failure needs to be understood. */
const LINKS_STATE = `(() => {
  const s = __e2e.room().session;
  const links = s.participants.get().filter((p) => !p.isLocal).map((p) => {
    const pc = s.peerConnection(p.id);
    return { name: p.name, id: p.id, role: p.role, signaling: pc?.signalingState, connection: pc?.connectionState, negotiation: s.negotiationStats(p.id) };
  });
  return JSON.stringify({ status: s.status.get(), error: s.error.get()?.code ?? null, id: s.localId, links });
})()`;

describe('a broadcast', () => {
  // Nine pages: browsers of its own, as before the run shared them. In both full runs with the
  // borrowed pair a viewer's page stalled (did not answer for 15 s; lost the presenter), while
  // alone it passed; not understood yet.
  const e2e = e2eFixture({ firefox: true, ownBrowsers: true });

  it(
    '1 presenter, 8 viewers (Chromium and Firefox): all decode, no viewer↔viewer links, counts right, upload per viewer within budget; invite on stage',
    { timeout: 900_000 },
    async (t) => {
      const started = Date.now();
      const url = `${e2e.server.url}/?room=${uniqueRoom('live')}&mode=broadcast`;
      const list: Peer[] = [];
      await onPages(t, list, async () => {
        const host = await openPeer(e2e.chromium.browser, url, { label: 'Host', camera: CAMERA });
        list.push(host);
        await host.join('Host');
        await host.joined(60_000);
        await recordCallEvents(host);
        await waitFor(async () => (await inPage<{ role: string; mode: string }>(host.page, COUNT)).role === 'host', {
          timeoutMs: 20_000,
          what: 'Host presents',
        });

        // Viewers arrive one after another, alternating browsers (4 Chromium, 4 Firefox).
        const names = Array.from({ length: VIEWERS }, (_, i) => `V${i + 1}`);
        const viewers: Peer[] = [];
        for (const [i, name] of names.entries()) {
          const browser = i % 2 === 0 ? e2e.chromium : e2e.firefox;
          const v = await openPeer(browser.browser, url, { label: `${name} (${i % 2 === 0 ? 'Chromium' : 'Firefox'})`, camera: CAMERA, instrument: true });
          list.push(v);
          viewers.push(v);
          await v.join(name);
          await v.joined(60_000);
          await recordCallEvents(v);
          await expectDecoding(v, { names: ['Host'], audio: true, timeoutMs: 90_000, intervalMs: 1500 });
        }
        const decodedAfter = Date.now() - started;

        // Every viewer decodes the presenter (still, after everyone arrived).
        await settleAll(viewers.map((v) => expectDecoding(v, { names: ['Host'], audio: true, timeoutMs: 90_000, intervalMs: 1500 })));

        // No viewer has a peer connection to another viewer: one open connection each, to the presenter.
        const ids: string[] = [];
        for (const v of viewers) {
          const links = await waitFor(
            async () => {
              const l = await inPage<{ open: number; remotes: [string, string][]; id: string }>(v.page, LINKS);
              return l.open === 1 ? l : undefined;
            },
            { timeoutMs: 20_000, what: `${v.label}: exactly one open peer connection`, describe: async () => JSON.stringify(await inPage(v.page, LINKS)) },
          );
          assert.deepEqual(links.remotes, [['Host', 'host']], `${v.label} is connected to the presenter only`);
          ids.push(links.id);
        }
        // The session has no link to any other viewer either.
        for (const v of viewers) {
          const others = await inPage<number>(v.page, `(${JSON.stringify(ids)}).filter((id) => !!__e2e.room().session.peerConnection(id)).length`);
          assert.equal(others, 0, `${v.label} has no peer connection to a viewer`);
          // Viewers open no device before they are invited on stage.
          const tracks = await inPage<{ tracks: string[] }>(v.page, `__e2e.recorded()`);
          assert.deepEqual(tracks.tracks, [], `${v.label} asked for no device`);
        }

        // The viewer count, on every page (the presenter's too).
        await settleAll(
          list.map((p) =>
            waitFor(
              async () => {
                const c = await inPage<{ count: number; shown: string[] }>(p.page, COUNT);
                return c.count === VIEWERS && c.shown.length === 1 && c.shown[0]!.includes(`${VIEWERS} watching`) ? c : undefined;
              },
              { timeoutMs: 30_000, what: `${p.label}: "${VIEWERS} watching"`, describe: async () => JSON.stringify(await inPage(p.page, COUNT)) },
            ),
          ),
        );

        // The presenter's upload per viewer stays within the budget.
        let upload: { name: string; role: string; bps: number; cap: number | null }[] = [];
        await waitFor(
          async () => {
            upload = await inPage<typeof upload>(host.page, UPLOAD);
            return upload.length === VIEWERS && upload.every((u) => u.cap !== null && u.bps > 0) ? upload : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 500, what: 'the presenter sending every viewer, with a cap applied', describe: () => JSON.stringify(upload) },
        );
        for (const u of upload) {
          assert.ok(u.cap! <= BUDGET, `${u.name}: cap ${u.cap} ≤ ${BUDGET} bit/s`);
          assert.ok(u.bps <= Math.min(BUDGET, u.cap!) * OVERSHOOT, `${u.name}: sent ${u.bps} bit/s, cap ${u.cap}, budget ${BUDGET}`);
        }

        // Invite V1 on stage from the People panel: its page opens the devices; the others decode it.
        const invited = viewers[0]!;
        await inPage(host.page, `__e2e.deepAll('[part~="people-toggle"]')[0].click()`);
        await waitFor(() => inPage<boolean>(host.page, `!!__e2e.deepAll('button[aria-label="Invite V1 on stage"]')[0]`), {
          timeoutMs: 15_000,
          what: 'the Invite on stage button for V1',
        });
        await inPage(host.page, `__e2e.deepAll('button[aria-label="Invite V1 on stage"]')[0].click()`);
        await waitFor(async () => (await inPage<{ role: string }>(invited.page, COUNT)).role === 'guest', { timeoutMs: 20_000, what: 'V1 on stage' });
        // Another viewer in each browser decodes V1 beside the presenter.
        await settleAll(
          [viewers[1]!, viewers[2]!].map((v) => expectDecoding(v, { names: ['Host', 'V1'], audio: false, timeoutMs: 120_000, intervalMs: 2000 })),
        );
        await settleAll(
          list.map((p) =>
            waitFor(async () => (await inPage<{ count: number }>(p.page, COUNT)).count === VIEWERS - 1, {
              timeoutMs: 30_000,
              what: `${p.label}: ${VIEWERS - 1} watching`,
            }),
          ),
        );
        for (const p of list) {
          const state = await inPage<string>(p.page, LINKS_STATE);
          assert.deepEqual(await p.messages(), [], `${p.label} shows no error (${state})`);
        }
        t.diagnostic(
          `all ${VIEWERS} viewers decoding ${decodedAfter} ms after the start; presenter upload per viewer (kbit/s): ${upload.map((u) => Math.round(u.bps / 1000)).join(', ')} (caps ${upload.map((u) => Math.round(u.cap! / 1000)).join(', ')}); total ${Date.now() - started} ms`,
        );
      });
    },
  );
});
