/**
 * The bundle's first file is enough for the pre-join step; everything else arrives in chunks on
 * first use. A page of another origin loads the built bundle through a gate of ours that holds
 * every chunk request: the pre-join step must be usable (camera open, devices listed, name typed,
 * Join enabled) with only the entry file served. Join is clicked while the gate is still shut,
 * then the gate opens: the call, chat and a file must work as before, in both browsers, and the
 * call's chunks must not have been asked for before Join. With the gate open, the call view's code
 * arrives while the pre-join step shows (Join then fetches nothing), the panels' after Join.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'puppeteer-core';
import { e2eFixture } from './helpers/fixture.js';
import { expectDecoding, inPage, openPeer, uniqueRoom, waitFor, type Peer } from './helpers/call.js';
import { answerOffer, attach, downloadLink, expectMessages, openChat, randomFile, say, sha256InPage } from './helpers/chat.js';

/** The call's own chunks: none may be fetched before the engine arrives, so none while it is held. */
const CALL_CHUNKS = /\/(room-call|rtc-chat|rtc-participant-list|rtc-controls|rtc-stats|rtc-record-button)-/;

describe('lazy chunks: the pre-join step from the first file alone, the rest on first use', () => {
  const e2e = e2eFixture({ firefox: true, tmpDir: 'rtc-widgets-e2e-chunks-' });
  let site: Server;
  let siteUrl: string;
  const pages = new Map<string, string>();
  /** Every bundle request the site saw (path, when), and those it answered. */
  let requested: { path: string; at: number }[] = [];
  let served: string[] = [];
  let gateOpen = false;
  /** Chunk paths the site answers with 503 (a network that fails). */
  let failing: RegExp | undefined;
  const held: (() => void)[] = [];
  /** While set, the call view's chunk is held on its own: what happens in the call meanwhile must not be lost. */
  let holdCallView = false;
  const heldView: (() => void)[] = [];
  const releaseCallView = () => {
    holdCallView = false;
    heldView.splice(0).forEach((release) => release());
  };
  const openGate = () => {
    gateOpen = true;
    held.splice(0).forEach((release) => release());
  };

  before(async () => {
    site = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const page = pages.get(path);
      if (page) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page);
        return;
      }
      if (path !== '/rtc-widgets.js' && !path.startsWith('/rtc-widgets-chunks/')) {
        res.writeHead(404).end();
        return;
      }
      requested.push({ path, at: Date.now() });
      // Served into the list of the test that asked: a request of the previous test's page still
      // under way when the next test starts must not count there.
      const into = served;
      const isChunk = path !== '/rtc-widgets.js';
      void (async () => {
        if (isChunk && !gateOpen) await new Promise<void>((release) => held.push(release));
        if (holdCallView && path.includes('/room-call-')) await new Promise<void>((release) => heldView.push(release));
        if (failing?.test(path)) {
          res.writeHead(503, { 'Access-Control-Allow-Origin': '*' }).end();
          return;
        }
        const upstream = await fetch(`${e2e.server.url}${path}`);
        const body = Buffer.from(await upstream.arrayBuffer());
        into.push(path);
        res
          .writeHead(upstream.status, {
            'Content-Type': upstream.headers.get('content-type') ?? 'text/javascript',
            'Cache-Control': 'no-store',
            'Access-Control-Allow-Origin': '*',
          })
          .end(body);
      })().catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      site.once('error', reject);
      site.listen(0, '127.0.0.1', () => resolve());
    });
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  after(async () => {
    openGate();
    site?.closeAllConnections();
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  });

  it('the first file is at most 30 KiB gzipped', async () => {
    const body = Buffer.from(await (await fetch(`${e2e.server.url}/rtc-widgets.js`)).arrayBuffer());
    const kib = gzipSync(body, { level: 9 }).length / 1024;
    assert.ok(kib <= 30, `rtc-widgets.js is ${kib.toFixed(1)} KiB gzipped`);
  });

  async function gatedCall(t: { diagnostic(s: string): void }, gatedBrowser: Browser, gatedLabel: string, otherBrowser: Browser, otherLabel: string) {
    requested = [];
    served = [];
    gateOpen = false;
    holdCallView = true;
    const room = uniqueRoom('chunks');
    pages.set(
      '/call.html',
      `<!doctype html>\n<html><head><meta charset="utf-8"><title>chunks</title></head><body>\n<script type="module" src="${siteUrl}/rtc-widgets.js"></script>\n<rtc-room room="${room}" server="${e2e.server.url}"></rtc-room>\n</body></html>\n`,
    );
    const list: Peer[] = [];
    try {
      const gated = await openPeer(gatedBrowser, `${siteUrl}/call.html`, { label: gatedLabel, untilUpgraded: true });
      list.push(gated);
      // Usable with the entry alone: camera and microphone open, devices listed, name typed, Join enabled.
      const join = await gated.readyToJoin(`${gatedLabel} user`);
      await waitFor(() => inPage<boolean>(gated.page, `__e2e.deepAll('select').some((s) => s.options.length > 0 && s.options[0].textContent.trim() !== '')`), {
        what: `${gatedLabel}: the device pickers list devices`,
      });
      assert.equal(await join.evaluate((b) => (b as HTMLButtonElement).disabled), false, 'Join is enabled');
      assert.ok(await join.isIntersectingViewport(), 'Join is on screen');
      assert.deepEqual(served, ['/rtc-widgets.js'], 'only the entry file was served');
      const early = requested.filter((r) => r.path !== '/rtc-widgets.js').map((r) => r.path);
      t.diagnostic(`${gatedLabel}: chunks asked for (and held) before Join: ${early.join(', ')}`);
      assert.ok(early.length > 0, 'the engine is preloaded while the pre-join step shows');
      assert.deepEqual(
        early.filter((p) => CALL_CHUNKS.test(p)),
        [],
        'no call chunk before Join',
      );

      // Join before the engine arrived: the click is kept, "Joining…" shows, and the call starts once the chunks come.
      const clickedAt = Date.now();
      await join.click();
      await join.dispose();
      await waitFor(() => inPage<boolean>(gated.page, `__e2e.deepAll('[role=status]').some((e) => e.textContent.includes('Joining'))`), {
        what: `${gatedLabel}: "Joining…"`,
      });
      openGate();
      await gated.joined(30_000);
      assert.deepEqual(
        requested.filter((r) => r.at < clickedAt && CALL_CHUNKS.test(r.path)).map((r) => r.path),
        [],
        'the call chunks were asked for after Join',
      );

      const other = await openPeer(otherBrowser, `${e2e.server.url}/?room=${room}`, { label: otherLabel });
      list.push(other);
      await other.join(`${otherLabel} user`);
      // The other page joined while the gated page's call view was still on its way: once the view
      // arrives, its screen-reader log must still say so.
      await waitFor(() => inPage<boolean>(gated.page, `document.querySelector('rtc-room').session.participants.get().length === 2`), {
        what: `${gatedLabel}: ${otherLabel} in the call before the call view arrived`,
      });
      assert.ok(!served.some((p) => p.includes('/room-call-')), 'the call view was still held');
      releaseCallView();
      await waitFor(
        () => inPage<boolean>(gated.page, `__e2e.deepAll('[role=log]').some((e) => e.textContent.includes(${JSON.stringify(`${otherLabel} user joined`)}))`),
        {
          what: `${gatedLabel}: "${otherLabel} user joined" announced after the call view arrived`,
        },
      );
      await Promise.all([expectDecoding(gated, { names: [`${otherLabel} user`] }), expectDecoding(other, { names: [`${gatedLabel} user`] })]);
      // The panels' elements come once the call is up, in idle time.
      for (const path of ['/room-call-', '/rtc-chat-', '/rtc-controls-', '/rtc-video-tile-'])
        await waitFor(() => served.some((p) => p.includes(path)), { what: `${gatedLabel}: ${path}… loaded (served: ${served.join(', ')})` });

      await openChat(gated);
      await openChat(other);
      await say(gated, 'hello from the gated page');
      await expectMessages(other, [{ name: `${gatedLabel} user`, text: 'hello from the gated page', local: false }]);
      const file = randomFile(e2e.dir, `chunks-${gatedLabel}.bin`, 300_000);
      await attach(gated, file.path);
      await answerOffer(other, `chunks-${gatedLabel}.bin`, 'Accept');
      const row = await downloadLink(other, `chunks-${gatedLabel}.bin`);
      assert.deepEqual(await sha256InPage(other, row.href!), { size: file.size, sha256: file.sha256 }, 'the bytes of the file');
      for (const p of list) assert.deepEqual(await p.messages(), [], `${p.label}: no error shown`);
    } finally {
      openGate();
      releaseCallView();
      await Promise.all(list.map((p) => p.close()));
    }
  }

  for (const label of ['chromium', 'firefox'] as const) {
    it(`${label}: while the pre-join step is open the call view's code arrives; the panels' only after Join`, { timeout: 60_000 }, async () => {
      requested = [];
      served = [];
      gateOpen = true;
      const room = uniqueRoom('chunks-preload');
      pages.set(
        '/call.html',
        `<!doctype html>\n<html><head><meta charset="utf-8"><title>chunks</title></head><body>\n<script type="module" src="${siteUrl}/rtc-widgets.js"></script>\n<rtc-room room="${room}" server="${e2e.server.url}"></rtc-room>\n</body></html>\n`,
      );
      const peer = await openPeer(e2e[label].browser, `${siteUrl}/call.html`, { label });
      try {
        await (await peer.readyToJoin(`${label} user`)).dispose();
        // Join then needs no fetch: the view, the tiles and the bar are here before the click.
        for (const path of ['/room-session-', '/room-call-', '/rtc-video-tile-', '/rtc-controls-'])
          await waitFor(() => served.some((p) => p.includes(path)), { what: `${label}: ${path}… preloaded before Join (served: ${served.join(', ')})` });
        const before = requested.map((r) => r.path);
        assert.deepEqual(
          before.filter((p) => /\/(rtc-chat|rtc-participant-list|rtc-stats|rtc-record-button)-/.test(p)),
          [],
          `${label}: no panel's chunk before Join (${before.join(', ')})`,
        );
        await peer.join(`${label} user`);
        for (const path of ['/rtc-chat-', '/rtc-participant-list-'])
          await waitFor(() => served.some((p) => p.includes(path)), { what: `${label}: ${path}… loaded once in the call (served: ${served.join(', ')})` });
        assert.deepEqual(await peer.messages(), [], `${label}: no error shown`);
      } finally {
        await peer.close();
      }
    });
  }

  it('an engine chunk that cannot be loaded: a clear message instead of a dead Join', { timeout: 60_000 }, async () => {
    requested = [];
    served = [];
    gateOpen = true;
    failing = /\/room-session-/;
    const room = uniqueRoom('chunks-fail');
    pages.set(
      '/call.html',
      `<!doctype html>\n<html><head><meta charset="utf-8"><title>chunks</title></head><body>\n<script type="module" src="${siteUrl}/rtc-widgets.js"></script>\n<rtc-room room="${room}" server="${e2e.server.url}"></rtc-room>\n</body></html>\n`,
    );
    const list: Peer[] = [];
    try {
      for (const [browser, label] of [
        [e2e.chromium.browser, 'chromium'],
        [e2e.firefox.browser, 'firefox'],
      ] as const) {
        const peer = await openPeer(browser, `${siteUrl}/call.html`, { label, untilUpgraded: true });
        list.push(peer);
        await waitFor(() => inPage<boolean>(peer.page, `__e2e.deepAll('[role=alert]').some((e) => e.textContent.includes('Could not load the call'))`), {
          what: `${label}: "Could not load the call"`,
        });
      }
    } finally {
      failing = undefined;
      await Promise.all(list.map((p) => p.close()));
    }
  });

  it('Chromium: pre-join usable from the entry alone; the call, chat and files after the chunks', { timeout: 120_000 }, async (t) => {
    await gatedCall(t, e2e.chromium.browser, 'chromium', e2e.firefox.browser, 'firefox');
  });

  it('Firefox: pre-join usable from the entry alone; the call, chat and files after the chunks', { timeout: 120_000 }, async (t) => {
    await gatedCall(t, e2e.firefox.browser, 'firefox', e2e.chromium.browser, 'chromium');
  });
});
