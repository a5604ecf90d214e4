/**
 * Chat and peer-to-peer files, Chromium ↔ Firefox, through the real signaling server and the
 * built CDN bundle on the demo page's default `<rtc-room>` UI, driven as a user: open the Chat
 * panel, type into "Message" and press Enter, pick a file with "Attach file" (through the
 * browser's file chooser: CDP in Chromium, WebDriver BiDi in Firefox). The receiver is offered
 * the file and clicks Accept (nothing moves before); it must show each message once, and a
 * download link only once the whole file is there, holding the sender's bytes (SHA-256 computed
 * in the page with WebCrypto), checked by the library with XXH64; on a page whose
 * Content-Security-Policy forbids WebAssembly, with the block hash. A declined offer moves no
 * byte. Hostile payloads: chat-injection.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import { startSite, type Site } from './helpers/site.js';
import { inPage, waitFor, type Peer } from './helpers/call.js';
import {
  answerOffer,
  attach,
  onPages,
  chatCall,
  downloadLink,
  expectMessages,
  randomFile,
  recordTransferChecks,
  say,
  sessionTransfers,
  sha256InPage,
  shownTransfers,
  transferChecks,
  watchTransfers,
  watched,
} from './helpers/chat.js';

const MiB = 1024 * 1024;

describe('chat and files between Chromium and Firefox in the default UI', () => {
  // Its after() runs first: the browsers and the server go before the site.
  const e2e = e2eFixture({ firefox: true, tmpDir: 'rtc-widgets-e2e-files-' });
  let site: Site;
  before(async () => (site = await startSite()));
  after(() => site?.close());

  /** Send `file` with "Attach file"; the receiver gets a link only once it all arrived, with the same SHA-256. */
  async function sendFile(from: Peer, to: Peer, file: { path: string; sha256: string; size: number }, name: string): Promise<number> {
    await watchTransfers(to);
    await attach(from, file.path);
    // Offered: the receiver's row asks, and not a byte has moved.
    const offer = await answerOffer(to, name, 'Accept');
    assert.equal(offer.progress, false, `${to.label}: no progress bar before Accept`);
    const started = Date.now();
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
    await waitFor(async () => (await shownTransfers(from)).some((r) => r.file === name && r.state === 'done'), {
      what: `${from.label}: ${name} shown as sent`,
    });
    return took;
  }

  it('chat both ways through the Chat panel; a random file each way, linked only once complete, with identical bytes', { timeout: 150_000 }, async (t) => {
    const { cr, ff, list } = await chatCall(e2e.server.url, { chromium: e2e.chromium.browser, firefox: e2e.firefox.browser }, 'chatfiles', {
      chromium: 'Chromium user',
      firefox: 'Firefox user',
    });
    const mine = (who: string) => (m: { name: string; text: string }) => ({ ...m, local: m.name === who });
    await onPages(t, list, async () => {
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

      await Promise.all(list.map((p) => recordTransferChecks(p)));
      const there = await sendFile(cr, ff, randomFile(e2e.dir, 'from-chromium.bin', 8 * MiB + 123), 'from-chromium.bin');
      const back = await sendFile(ff, cr, randomFile(e2e.dir, 'from-firefox.bin', 5 * MiB + 7), 'from-firefox.bin');
      t.diagnostic(`8 MiB Chromium → Firefox in ${there} ms, 5 MiB Firefox → Chromium in ${back} ms`);
      // Both pages run the same library: each transfer was checked with XXH64, and only with it.
      for (const p of list) assert.deepEqual(await transferChecks(p), [['xxh64']], `${p.label}: the check its file came with`);

      // Chat goes on after the files, and still nothing shows twice.
      await say(ff, 'got both');
      const all = [...both, { name: 'Firefox user', text: 'got both' }];
      await expectMessages(cr, all.map(mine('Chromium user')));
      await expectMessages(ff, all.map(mine('Firefox user')));
      for (const p of list) assert.deepEqual(await p.messages(), [], `${p.label}: no error shown`);
    });
  });

  it('a page whose Content-Security-Policy forbids WebAssembly sends and receives files, checked with the block hash', { timeout: 150_000 }, async (t) => {
    // The README's snippet on a page of another origin whose policy has no 'wasm-unsafe-eval':
    // XXH64 cannot compile there, so that page neither offers nor chooses it.
    const strict = (room: string) => {
      const path = `/strict-${room}.html`;
      site.pages.set(
        path,
        `<!doctype html>\n<html><head><meta charset="utf-8"><title>strict</title></head><body>\n` +
          `<script type="module" src="${e2e.server.url}/rtc-widgets.js"></script>\n<rtc-room room="${room}" server="${e2e.server.url}"></rtc-room>\n</body></html>\n`,
      );
      site.headers.set(path, { 'Content-Security-Policy': `script-src ${e2e.server.url}; worker-src blob:` });
      return `${site.url}${path}`;
    };
    const { cr, ff, list } = await chatCall(
      e2e.server.url,
      { chromium: e2e.chromium.browser, firefox: e2e.firefox.browser },
      'csp',
      { chromium: 'Chromium user', firefox: 'Firefox user' },
      { chromium: strict },
    );
    await onPages(t, list, async () => {
      assert.equal(await inPage<boolean>(cr.page, `WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))`), true);
      await assert.rejects(
        inPage(cr.page, `WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))`),
        'the policy forbids compiling WebAssembly there',
      );
      await Promise.all(list.map((p) => recordTransferChecks(p)));
      await sendFile(cr, ff, randomFile(e2e.dir, 'from-strict.bin', 9 * MiB + 5), 'from-strict.bin');
      await sendFile(ff, cr, randomFile(e2e.dir, 'to-strict.bin', 3 * MiB + 1), 'to-strict.bin');
      for (const p of list) assert.deepEqual(await transferChecks(p), [['sha256Blocks']], `${p.label}: the check its file came with`);
      for (const p of list) assert.deepEqual(await p.messages(), [], `${p.label}: no error shown`);
    });
  });

  it('a declined file moves nothing, either way; the sender sees "declined"', { timeout: 120_000 }, async (t) => {
    const { cr, ff, list } = await chatCall(e2e.server.url, { chromium: e2e.chromium.browser, firefox: e2e.firefox.browser }, 'decline', {
      chromium: 'Chromium user',
      firefox: 'Firefox user',
    });
    await onPages(t, list, async () => {
      for (const [from, to, name] of [
        [cr, ff, 'no-thanks-cr.bin'],
        [ff, cr, 'no-thanks-ff.bin'],
      ] as const) {
        const toName = to === ff ? 'Firefox user' : 'Chromium user';
        await attach(from, randomFile(e2e.dir, name, 2 * MiB).path);
        const offer = await answerOffer(to, name, 'Decline');
        assert.match(offer.who, /· 2\.1 MB$/, `${to.label}: the offer shows the size`);
        await waitFor(async () => (await shownTransfers(from)).some((r) => r.file === name && r.state === 'declined'), {
          what: `${from.label}: ${name} shown as declined`,
        });
        const atSender = (await shownTransfers(from)).find((r) => r.file === name)!;
        assert.equal(atSender.error, `Declined: ${toName} declined it.`, `${from.label}: the row says declined, and by whom`);
        const atReceiver = (await shownTransfers(to)).find((r) => r.file === name)!;
        assert.equal(atReceiver.state, 'declined');
        assert.equal(atReceiver.href, null, `${to.label}: no download link`);
        const sent = (await sessionTransfers(from)).find((x) => x.name === name)!;
        const got = (await sessionTransfers(to)).find((x) => x.name === name)!;
        assert.deepEqual([sent.state, sent.bytes], ['declined', 0], `${from.label}: sent nothing`);
        assert.deepEqual([got.state, got.bytes, got.hasBlob], ['declined', 0, false], `${to.label}: received nothing`);
      }
      for (const p of list) assert.deepEqual(await p.messages(), [], `${p.label}: no error shown`);
    });
  });
});
