/**
 * Script injection through the real signaling server, Chromium ↔ Firefox, on the demo page's
 * default `<rtc-room>` UI: display names typed into "Your name" (relayed by the server), chat
 * messages typed into "Message" and file names picked with "Attach file" (peer to peer) carry
 * markup whose handlers would set `window.__pwned`. Every one must show as text, no element with
 * an inline handler may exist anywhere in either page, and nothing may run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import { inPage, sleep, waitFor } from './helpers/call.js';
import { answerOffer, attach, onPages, chatCall, expectMessages, randomFile, say, sha256InPage, shownTransfers } from './helpers/chat.js';

describe('hostile names, messages and file names between Chromium and Firefox', () => {
  const e2e = e2eFixture({ firefox: true, tmpDir: 'rtc-widgets-e2e-xss-' });

  it('show as text in the chat, the tiles and the file rows, and nothing runs', { timeout: 120_000 }, async (t) => {
    // Each payload sets window.__pwned to say which one ran.
    const names = { chromium: `<img src=x onerror="window.__pwned='name-c'">`, firefox: `<svg onload="window.__pwned='name-f'">` };
    const texts = {
      chromium: `<img src=x onerror="window.__pwned='msg-c'"><b>bold</b>`,
      firefox: `<script>window.__pwned='msg-f'</script><iframe srcdoc="<script>parent.__pwned='frame'</script>">`,
    };
    const files = { chromium: `<img src=x onerror="window.__pwned='file-c'">.html`, firefox: `<svg onload="window.__pwned='file-f'">.txt` };
    const { cr, ff, list } = await chatCall(e2e.server.url, { chromium: e2e.chromium.browser, firefox: e2e.firefox.browser }, 'xss', names);
    await onPages(t, list, async () => {
      await say(cr, texts.chromium);
      await say(ff, texts.firefox);
      const want = [
        { name: names.chromium, text: texts.chromium },
        { name: names.firefox, text: texts.firefox },
      ];
      await expectMessages(
        cr,
        want.map((m, i) => ({ ...m, local: i === 0 })),
      );
      await expectMessages(
        ff,
        want.map((m, i) => ({ ...m, local: i === 1 })),
      );

      // Hostile file names from either side: the receiver shows them as text, downloads them under a safe name.
      for (const [from, to, which] of [
        [cr, ff, 'chromium'],
        [ff, cr, 'firefox'],
      ] as const) {
        const file = randomFile(e2e.dir, files[which], 1000);
        await attach(from, file.path);
        const offered = await waitFor(async () => (await shownTransfers(to)).find((r) => r.state === 'offered'), {
          timeoutMs: 30_000,
          what: `${to.label}: the hostile offer`,
        });
        assert.match(offered.file, /__pwned/, 'the offered file name shown as text');
        await answerOffer(to, offered.file, 'Accept');
        const row = await waitFor(async () => (await shownTransfers(to)).find((r) => r.href), { timeoutMs: 30_000, what: `${to.label}: the hostile file` });
        assert.equal(row.who.split(' · ')[0], `from ${names[which]}`, 'the sender named as text');
        assert.match(row.file, /__pwned/, 'the file name shown as text');
        assert.doesNotMatch(row.download!, /[<>/\\"]/, 'a download name without markup or path');
        assert.equal((await sha256InPage(to, row.href!)).sha256, file.sha256);
      }

      // An injected <img src=x> would fail to load within a moment and run its handler: give it one.
      await sleep(1000);
      for (const [p, other] of [
        [cr, 'firefox'],
        [ff, 'chromium'],
      ] as const) {
        const state = await inPage<{ pwned: unknown; handlers: number; markup: number; options: string[] }>(
          p.page,
          `({
            pwned: window.__pwned ?? null,
            handlers: __e2e.deepAll('[onerror], [onload], iframe').length,
            markup: __e2e.deepAll('rtc-chat')[0].shadowRoot.querySelectorAll('img, svg, script, b, iframe').length,
            options: [...__e2e.deepAll('rtc-chat')[0].shadowRoot.querySelectorAll('option')].map((o) => o.textContent),
          })`,
        );
        assert.equal(state.pwned, null, `${p.label}: nothing ran`);
        assert.equal(state.handlers, 0, `${p.label}: no element with an inline handler, and no iframe, anywhere in the page`);
        assert.equal(state.markup, 0, `${p.label}: no markup from the peer in the chat`);
        assert.deepEqual(state.options, ['Everyone', names[other]], `${p.label}: "Send files to" names the peer as text`);
        assert.equal((await p.snapshot()).remotes[0]?.tile?.label, names[other], `${p.label}: the tile names the peer as text`);
      }
    });
  });
});
