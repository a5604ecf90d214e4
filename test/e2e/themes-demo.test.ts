/**
 * The demo's theme switcher (light, dark, auto, and a Brand theme made of tokens and ::part only),
 * in Chromium and Firefox on the built bundle; and a call in forced-colors mode (Chromium: the
 * mode is emulated through CDP), where axe finds nothing and buttons and tiles keep their borders.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { e2eFixture } from './helpers/fixture.js';
import { inPage, openPeer, uniqueRoom, waitFor, type Peer } from './helpers/call.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Computed style properties of the first element matching the selectors, one shadow root per step (run in the page). */
const styleOf = (page: Page, path: string[], props: string[]) =>
  inPage<Record<string, string> | null>(
    page,
    `(() => {
      let node = document;
      for (const sel of ${JSON.stringify(path)}) { node = (node.shadowRoot ?? node).querySelector(sel); if (!node) return null; }
      const cs = getComputedStyle(node);
      return Object.fromEntries(${JSON.stringify(props)}.map((p) => [p, cs.getPropertyValue(p)]));
    })()`,
  );

/** Pick a theme in the demo's switcher with the keyboard (Space on its radio). */
async function pickTheme(page: Page, value: string): Promise<void> {
  await page.focus(`#themes input[value="${value}"]`);
  await page.keyboard.press(' ');
  await waitFor(() => inPage<boolean>(page, `document.querySelector('#themes input[value="${value}"]').checked`), { what: `${value} picked` });
}

describe('themes in the demo (built bundle, real server)', () => {
  const e2e = e2eFixture({ firefox: true });

  for (const browserName of ['chromium', 'firefox'] as const) {
    it(`${browserName}: ?theme= and the switcher set the room's theme; Brand is tokens and ::part only`, { timeout: 90_000 }, async () => {
      const peer = await openPeer(e2e[browserName].browser, `${e2e.server.url}/?room=${uniqueRoom('theme')}&theme=light`, { label: `${browserName} demo` });
      try {
        const { page } = peer;
        await peer.readyToJoin();
        assert.equal(await inPage(page, `document.querySelector('rtc-room').getAttribute('theme')`), 'light');
        const base = () => styleOf(page, ['rtc-room', '.base'], ['background-color', 'border-top-color', 'border-top-width']);
        const join = () => styleOf(page, ['rtc-room', 'rtc-prejoin', '.button.primary'], ['background-color', 'font-family']);
        assert.equal((await base())!['background-color'], 'rgb(249, 250, 251)', 'light surface');
        assert.equal((await join())!['background-color'], 'rgb(29, 78, 216)', 'light accent, two shadow roots deep');

        await pickTheme(page, 'dark');
        await waitFor(async () => (await base())!['background-color'] === 'rgb(31, 41, 55)', { what: 'dark surface' });

        await pickTheme(page, 'brand');
        await waitFor(async () => (await base())!['background-color'] === 'rgb(4, 47, 46)', { what: 'the Brand surface (a token)' });
        assert.equal((await base())!['border-top-color'], 'rgb(20, 184, 166)', 'the Brand frame (::part(base))');
        const brandJoin = (await join())!;
        assert.equal(brandJoin['background-color'], 'rgb(15, 118, 110)', 'the Brand accent reaches the Join button');
        assert.match(brandJoin['font-family'], /Georgia/, 'the Brand font');
        assert.match(await inPage<string>(page, 'location.search'), /theme=brand/, 'kept in the address');

        await pickTheme(page, 'auto');
        assert.equal(await inPage(page, `document.querySelector('rtc-room').getAttribute('theme')`), 'auto');
        const prefersDark = await inPage<boolean>(page, `matchMedia('(prefers-color-scheme: dark)').matches`);
        await waitFor(async () => (await base())!['background-color'] === (prefersDark ? 'rgb(31, 41, 55)' : 'rgb(249, 250, 251)'), {
          what: `auto follows the system (${prefersDark ? 'dark' : 'light'})`,
        });
      } finally {
        await peer.close();
      }
    });
  }

  it('chromium, forced-colors: active: a call of two is readable (axe finds nothing; buttons and tiles have borders)', { timeout: 120_000 }, async () => {
    const room = uniqueRoom('forced');
    const peers: Peer[] = [];
    try {
      const ada = await openPeer(e2e.chromium.browser, `${e2e.server.url}/?room=${room}&theme=light`, { label: 'Ada', viewport: { width: 1280, height: 800 } });
      peers.push(ada);
      const cdp = await ada.page.createCDPSession();
      await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }] });
      assert.equal(await inPage(ada.page, `matchMedia('(forced-colors: active)').matches`), true);
      const bob = await openPeer(e2e.chromium.browser, `${e2e.server.url}/?room=${room}`, { label: 'Bob' });
      peers.push(bob);
      await ada.join('Ada');
      await bob.join('Bob');
      await waitFor(() => inPage<boolean>(ada.page, `document.querySelector('rtc-room').shadowRoot.querySelectorAll('rtc-video-tile').length === 2`), {
        what: 'two tiles',
      });

      // Buttons (Join's successors: the control bar) and tiles keep a visible border.
      const mic = await styleOf(
        ada.page,
        ['rtc-room', 'rtc-controls', '[part~=microphone]'],
        ['border-top-style', 'border-top-width', 'border-top-color', 'color'],
      );
      assert.ok(mic, 'the microphone button');
      assert.equal(mic['border-top-style'], 'solid');
      assert.notEqual(mic['border-top-color'], 'rgba(0, 0, 0, 0)', 'a border that shows');
      // System colours, not the theme's: a toggle that is on is Highlight, Leave (danger red otherwise) is ButtonFace.
      const system = (name: string) =>
        inPage<string>(
          ada.page,
          `(() => { const s = document.createElement('span'); s.style.color = '${name}'; document.body.append(s); const c = getComputedStyle(s).color; s.remove(); return c; })()`,
        );
      assert.equal(mic['color'], await system('HighlightText'), 'microphone on: HighlightText');
      const micBg = await styleOf(ada.page, ['rtc-room', 'rtc-controls', '[part~=microphone]'], ['background-color']);
      assert.equal(micBg!['background-color'], await system('Highlight'), 'microphone on: Highlight');
      const leave = await styleOf(ada.page, ['rtc-room', 'rtc-controls', '[part~=leave]'], ['background-color', 'color']);
      assert.deepEqual([leave!['background-color'], leave!['color']], [await system('ButtonFace'), await system('ButtonText')], 'Leave in system colours');
      const tile = await styleOf(ada.page, ['rtc-room', 'rtc-video-tile', '.base'], ['border-top-style', 'border-top-width']);
      assert.ok(tile, 'a tile');
      assert.equal(tile['border-top-style'], 'solid');

      await ada.page.evaluate(AXE);
      const violations = await inPage<string[]>(
        ada.page,
        `(async () => {
          const r = await axe.run(document.querySelector('rtc-room'), {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
          });
          return r.violations.flatMap((v) => v.nodes.map((n) => v.id + ': ' + n.target.flat().join(' >>> ')));
        })()`,
      );
      assert.deepEqual(violations, [], 'axe in forced-colors mode');
      await cdp.detach();
    } finally {
      await Promise.all(peers.map((p) => p.close()));
    }
  });
});
