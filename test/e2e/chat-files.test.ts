/**
 * Chat and peer-to-peer files, Chromium ↔ Firefox, through the real signaling server and the
 * built CDN bundle on the demo page's default `<rtc-room>` UI, driven as a user: open the Chat
 * panel, type into "Message" and press Enter, pick a file with "Attach file" (through the
 * browser's file chooser: CDP in Chromium, WebDriver BiDi in Firefox). The receiver must show
 * each message once, and a download link only once the whole file is there, holding the
 * sender's bytes (SHA-256 computed in the page with WebCrypto). Hostile payloads: chat-injection.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import { waitFor, type Peer } from './helpers/call.js';
import { attach, callEvents, chatCall, downloadLink, expectMessages, randomFile, say, sha256InPage, shownTransfers, watchTransfers, watched } from './helpers/chat.js';

const MiB = 1024 * 1024;

describe('chat and files between Chromium and Firefox in the default UI', () => {
  const e2e = e2eFixture({ firefox: true, tmpDir: 'rtc-widgets-e2e-files-' });

  /** Send `file` with "Attach file"; the receiver gets a link only once it all arrived, with the same SHA-256. */
  async function sendFile(from: Peer, to: Peer, file: { path: string; sha256: string; size: number }, name: string): Promise<number> {
    await watchTransfers(to);
    const started = Date.now();
    await attach(from, file.path);
    const row = await downloadLink(to, name);
    const took = Date.now() - started;
    const w = await watched(to);
    assert.deepEqual(w.early, [], `${to.label}: no download link before the whole file was there`);
    assert.deepEqual(w.links[name], { bytes: file.size, size: file.size, state: 'done' }, `${to.label}: the link came with the whole file`);
    assert.ok((w.receiving[name] ?? 0) > 0, `${to.label}: a progress bar showed while receiving (${JSON.stringify(w.receiving)})`);
    assert.match(row.href!, /^blob:/);
    assert.equal(row.download, name);
    assert.match(row.who, new RegExp(`^from ${from.label === 'chromium' ? 'Chromium' : 'Firefox'} user`));
    assert.deepEqual(await sha256InPage(to, row.href!), { size: file.size, sha256: file.sha256 }, `${to.label}: the bytes of ${name}`);
    await waitFor(async () => (await shownTransfers(from)).some((r) => r.file === name && r.state === 'done'), { what: `${from.label}: ${name} shown as sent` });
    return took;
  }

  it('chat both ways through the Chat panel; a random file each way, linked only once complete, with identical bytes', { timeout: 150_000 }, async (t) => {
    const { cr, ff, list } = await chatCall(e2e.server.url, { chromium: e2e.chromium.browser, firefox: e2e.firefox.browser }, 'chatfiles', {
      chromium: 'Chromium user',
      firefox: 'Firefox user',
    });
    const mine = (who: string) => (m: { name: string; text: string }) => ({ ...m, local: m.name === who });
    try {
      await say(cr, 'Hello from Chromium');
      await expectMessages(ff, [{ name: 'Chromium user', text: 'Hello from Chromium', local: false }]);
      await say(ff, 'Hi from Firefox');
      const both = [
        { name: 'Chromium user', text: 'Hello from Chromium' },
        { name: 'Firefox user', text: 'Hi from Firefox' },
      ];
      // Once each: the reply came after the first message, so a duplicate of it would show by now.
      await expectMessages(cr, both.map(mine('Chromium user')));
      await expectMessages(ff, both.map(mine('Firefox user')));

      const there = await sendFile(cr, ff, randomFile(e2e.dir, 'from-chromium.bin', 8 * MiB + 123), 'from-chromium.bin');
      const back = await sendFile(ff, cr, randomFile(e2e.dir, 'from-firefox.bin', 5 * MiB + 7), 'from-firefox.bin');
      t.diagnostic(`8 MiB Chromium → Firefox in ${there} ms, 5 MiB Firefox → Chromium in ${back} ms`);

      // Chat goes on after the files, and still nothing shows twice.
      await say(ff, 'got both');
      const all = [...both, { name: 'Firefox user', text: 'got both' }];
      await expectMessages(cr, all.map(mine('Chromium user')));
      await expectMessages(ff, all.map(mine('Firefox user')));
      for (const p of list) assert.deepEqual(await p.messages(), [], `${p.label}: no error shown`);
    } catch (e) {
      for (const p of list) t.diagnostic(await callEvents(p));
      throw e;
    } finally {
      await Promise.all(list.map((p) => p.close()));
    }
  });
});
