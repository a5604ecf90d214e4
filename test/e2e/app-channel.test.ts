/**
 * App channels between Chromium and Firefox, through the real server, on demo/game.html (shared
 * cursors over one unordered, unreliable channel): messages arrive both ways, and each page shows
 * the other player's cursor where that player put it. GAME_SCREENSHOTS=<dir> saves screenshots.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e2eFixture } from './helpers/fixture.js';
import { inPage, openPeer, uniqueRoom, waitFor, type Peer } from './helpers/call.js';

/** In the page: the game's channel (the same AppChannel the demo opened: same label, same options). */
const CHANNEL = `document.getElementById('room').session.channel('cursors', { ordered: false, maxRetransmits: 0 })`;

describe('App channels between Chromium and Firefox (demo/game.html)', () => {
  const e2e = e2eFixture({ firefox: true });

  it('unordered, unreliable messages arrive both ways, and each page shows the other player', { timeout: 240_000 }, async () => {
    const url = `${e2e.server.url}/game.html?room=${uniqueRoom('game')}`;
    const list: Peer[] = [];
    try {
      const chromium = await openPeer(e2e.chromium.browser, url, { label: 'chromium', viewport: { width: 1280, height: 720 } });
      list.push(chromium);
      if (process.env.GAME_SCREENSHOTS) await chromium.page.screenshot({ path: `${process.env.GAME_SCREENSHOTS}/game-prejoin-1280.png` });
      await chromium.join('Chromium player');
      const firefox = await openPeer(e2e.firefox.browser, url, { label: 'firefox', viewport: { width: 1280, height: 720 } });
      list.push(firefox);
      await firefox.join('Firefox player');
      const idOf = (p: Peer) => inPage<string>(p.page, `document.getElementById('room').session.localId`);
      const ids = { chromium: await idOf(chromium), firefox: await idOf(firefox) };

      // Each sees the other ready on the channel (its hello arrived), and the game drew its cursor.
      for (const [p, other] of [
        [chromium, ids.firefox],
        [firefox, ids.chromium],
      ] as const) {
        await waitFor(
          () =>
            inPage<boolean>(p.page, `${CHANNEL}.peers.get().includes(${JSON.stringify(other)}) && !!document.querySelector('.cursor[data-peer="${other}"]')`),
          {
            timeoutMs: 60_000,
            what: `${p.label}: the other player on the channel and in the field`,
            describe: () =>
              inPage<string>(
                p.page,
                `JSON.stringify({ status: document.getElementById('room').session.status.get(), peers: ${CHANNEL}.peers.get(), field: document.getElementById('field').innerText })`,
              ),
          },
        );
        const raw = await inPage<{ id: number; ordered: boolean; maxRetransmits: number | null; negotiated: boolean }>(
          p.page,
          `(() => { const ch = ${CHANNEL}.dataChannel(${JSON.stringify(other)}); return { id: ch.id, ordered: ch.ordered, maxRetransmits: ch.maxRetransmits, negotiated: ch.negotiated }; })()`,
        );
        assert.deepEqual(raw, { id: 756, ordered: false, maxRetransmits: 0, negotiated: true }, `${p.label}: the channel as negotiated`);
      }

      // 60 numbered messages each way at 60 per second; on a local path (nearly) all arrive.
      for (const [from, to] of [
        [chromium, firefox],
        [firefox, chromium],
      ] as const) {
        await inPage(
          to.page,
          `(() => { window.__probes = []; ${CHANNEL}.on('message', ({ from, data }) => data && data.probe !== undefined && __probes.push([from, data.probe])); return true; })()`,
        );
        await inPage(
          from.page,
          `(async () => { for (let i = 0; i < 60; i++) { ${CHANNEL}.send({ x: 0.5, y: 0.5, ping: 0, probe: i }); await new Promise((r) => setTimeout(r, 16)); } return true; })()`,
        );
        const sender = from === chromium ? ids.chromium : ids.firefox;
        const got = await waitFor(
          async () => {
            const probes = await inPage<[string, number][]>(to.page, `__probes`);
            return probes.length >= 55 ? probes : undefined;
          },
          { timeoutMs: 20_000, what: `${to.label}: the probes from ${from.label}`, describe: async () => JSON.stringify(await inPage(to.page, `__probes`)) },
        );
        assert.ok(
          got.every(([f]) => f === sender),
          'every message says who sent it',
        );
        assert.equal(new Set(got.map(([, n]) => n)).size, got.length, 'no duplicates');
      }

      // The game itself: Chromium moves its pointer, Firefox its dot with the keyboard.
      const box = await chromium.page.$eval('#field', (el) => {
        const r = el.getBoundingClientRect();
        return { x: r.left, y: r.top, width: r.width, height: r.height };
      });
      await chromium.page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.75, { steps: 5 });
      await firefox.page.focus('#field');
      for (let i = 0; i < 5; i++) await firefox.page.keyboard.press('ArrowRight'); // 0.5 → 0.6
      for (let i = 0; i < 5; i++) await firefox.page.keyboard.press('ArrowUp'); // 0.5 → 0.4
      const seenAt = (p: Peer, id: string) =>
        inPage<{ x: number; y: number; name: string } | null>(
          p.page,
          `(() => { const el = document.querySelector('.cursor[data-peer="${id}"]'); return el && { x: +el.dataset.x, y: +el.dataset.y, name: el.textContent }; })()`,
        );
      const near = (a: number, b: number) => Math.abs(a - b) < 0.02;
      for (const [p, id, x, y, name] of [
        [firefox, ids.chromium, 0.25, 0.75, 'Chromium player'],
        [chromium, ids.firefox, 0.6, 0.4, 'Firefox player'],
      ] as const) {
        const at = await waitFor(
          async () => {
            const c = await seenAt(p, id);
            return c && near(c.x, x) && near(c.y, y) ? c : undefined;
          },
          { timeoutMs: 20_000, what: `${p.label}: the other player's cursor at (${x}, ${y})`, describe: async () => JSON.stringify(await seenAt(p, id)) },
        );
        assert.equal(at.name, name);
      }

      const dir = process.env.GAME_SCREENSHOTS;
      if (dir) {
        for (const p of list) await p.page.evaluate('window.scrollTo(0, 0)');
        await chromium.page.screenshot({ path: `${dir}/game-chromium-1280.png` });
        await firefox.page.screenshot({ path: `${dir}/game-firefox-1280.png` });
        await chromium.page.setViewport({ width: 390, height: 844 });
        await chromium.page.evaluate('window.scrollTo(0, 0)');
        await chromium.page.mouse.move(60, 200);
        await new Promise((r) => setTimeout(r, 500));
        await chromium.page.screenshot({ path: `${dir}/game-chromium-390.png` });
      }
      for (const p of list) assert.deepEqual(await p.messages(), [], `${p.label} shows no error`);
    } finally {
      await Promise.all(list.map((p) => p.close()));
    }
  });
});
