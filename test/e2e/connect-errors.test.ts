/**
 * The three ways a page fails to reach its call server, each told apart and naming its fix, in
 * Chromium and Firefox, through the real server: a wrong port (nothing listens), an origin the
 * server's ALLOWED_ORIGINS refuses, and no `server` attribute on a page whose own origin is no call
 * server (a static site of ours on another port). Each must show within a few seconds of Join,
 * not after the 10 s a join waits for a server that might still answer.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'puppeteer-core';
import { e2eFixture } from './helpers/fixture.js';
import { startSite, type Site } from './helpers/site.js';
import { inPage, openPeer, uniqueRoom, waitFor, type Peer } from './helpers/call.js';

/** Well below the 10 s of the old behaviour, with room for two busy cores. */
const FAST_MS = 5000;

/** A port nothing listens on: one the kernel just gave us, closed again. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('connect errors, told apart', () => {
  // The server refuses every browser origin but one that is not ours: the site's pages are refused.
  const e2e = e2eFixture({ firefox: true, server: { turn: false, allowedOrigins: ['https://only-this.example'] }, tmpDir: 'rtc-widgets-connect-' });
  let site: Site;
  let siteUrl: string;
  let deadPort: number;

  before(async () => {
    site = await startSite();
    siteUrl = site.url;
    deadPort = await closedPort();
  });
  after(() => site?.close());

  /** A page of the site with the bundle from the call server and `<rtc-room>` with `attrs`. */
  function page(path: string, attrs: string, lang = 'en'): string {
    site.pages.set(
      path,
      `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>site</title></head><body>\n<script type="module" src="${e2e.server.url}/rtc-widgets.js"></script>\n<rtc-room room="${uniqueRoom('connect')}" ${attrs}></rtc-room>\n</body></html>\n`,
    );
    return `${siteUrl}${path}`;
  }

  /**
   * Open `url`, click Join (`byApi`: call the room's join(), for a page whose labels are not
   * English), and wait for the failure: its text, its code, and ms from 'joining' to 'failed' (in the page).
   */
  async function failToJoin(browser: Browser, url: string, expected: string, byApi = false): Promise<{ text: string; code: string; ms: number }> {
    let peer: Peer | undefined;
    try {
      peer = await openPeer(browser, url, { label: url });
      const p = peer;
      const button = byApi ? undefined : await p.readyToJoin('Ada');
      await inPage(
        p.page,
        `(() => { const t = (window.__connectTimes = {}); __e2e.room().session.status.subscribe((s) => { if (s === 'joining') t.joining ??= performance.now(); if (s === 'failed') t.failed ??= performance.now(); }); })()`,
      );
      if (button) {
        await button.click();
        await button.dispose();
      } else await inPage(p.page, `void __e2e.room().join('Ada').catch(() => undefined)`);
      const text = await waitFor(async () => (await p.messages()).find((m) => m.includes(expected)), {
        timeoutMs: 20_000,
        what: `the message "${expected}"`,
        describe: async () => JSON.stringify(await p.messages()),
      });
      const { code, ms } = await inPage<{ code: string; ms: number }>(
        p.page,
        `({ code: __e2e.room().session.error.get()?.code, ms: window.__connectTimes.failed - window.__connectTimes.joining })`,
      );
      return { text, code, ms };
    } finally {
      await peer?.close();
    }
  }

  for (const which of ['chromium', 'firefox'] as const) {
    describe(which, () => {
      it('a wrong port: "Could not reach the call server at <url>", is it running, is the port right', { timeout: 60_000 }, async () => {
        const server = `http://127.0.0.1:${deadPort}`;
        const expected = `Could not reach the call server at ${server}. Is the server running, and is the port right?`;
        const r = await failToJoin(e2e[which].browser, page(`/wrong-port-${which}.html`, `server="${server}"`), expected);
        assert.equal(r.text, expected);
        assert.equal(r.code, 'server-unreachable');
        assert.ok(r.ms < FAST_MS, `shown ${Math.round(r.ms)} ms after Join`);
        console.log(`# ${which} wrong port: ${Math.round(r.ms)} ms`);
      });

      it('an origin not in ALLOWED_ORIGINS: names the origin and the setting', { timeout: 60_000 }, async () => {
        const expected = `The call server at ${e2e.server.url} does not accept calls from this page (${siteUrl}). Add ${siteUrl} to ALLOWED_ORIGINS on the server.`;
        const r = await failToJoin(e2e[which].browser, page(`/refused-${which}.html`, `server="${e2e.server.url}"`), expected);
        assert.equal(r.text, expected);
        assert.equal(r.code, 'origin-not-allowed');
        assert.ok(r.ms < FAST_MS, `shown ${Math.round(r.ms)} ms after Join`);
        console.log(`# ${which} origin refused: ${Math.round(r.ms)} ms`);
      });

      it('no server attribute on a page whose origin is no call server: says which attribute to set', { timeout: 60_000 }, async () => {
        const expected = `No call server was given, and this page’s own address (${siteUrl}) is not one. Set the "server" attribute of <rtc-room> (or the "server" option of the session) to the call server’s URL.`;
        const r = await failToJoin(e2e[which].browser, page(`/no-server-${which}.html`, ''), expected);
        assert.equal(r.text, expected);
        assert.equal(r.code, 'no-server');
        assert.ok(r.ms < FAST_MS, `shown ${Math.round(r.ms)} ms after Join`);
        console.log(`# ${which} no server: ${Math.round(r.ms)} ms`);
      });

      it('no server attribute on a page with no address of its own (opaque origin): says so at once', { timeout: 60_000 }, async () => {
        // A page opened from a file: its origin is "null", nothing to guess a server from.
        const file = join(e2e.dir, `opaque-${which}.html`);
        const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><script type="module" src="${e2e.server.url}/rtc-widgets.js"></script><rtc-room room="${uniqueRoom('opaque')}"></rtc-room></body></html>`;
        writeFileSync(file, html);
        const expected =
          'No call server was given, and this page has no web address to use instead. Set the "server" attribute of <rtc-room> (or the "server" option of the session) to the call server’s URL.';
        const r = await failToJoin(e2e[which].browser, pathToFileURL(file).href, expected);
        assert.equal(r.text, expected);
        assert.equal(r.code, 'no-server');
        assert.ok(r.ms < FAST_MS, `shown ${Math.round(r.ms)} ms after Join`);
        console.log(`# ${which} no server, opaque origin: ${Math.round(r.ms)} ms`);
      });
    });
  }

  it('in German, the refused origin is worded by its code with the origin and the setting (Chromium)', { timeout: 60_000 }, async () => {
    const expected = `Der Anrufserver unter ${e2e.server.url} nimmt keine Anrufe von dieser Seite (${siteUrl}) an. Füge ${siteUrl} auf dem Server zu ALLOWED_ORIGINS hinzu.`;
    const r = await failToJoin(e2e.chromium.browser, page('/refused-de.html', `server="${e2e.server.url}"`, 'de'), expected, true);
    assert.equal(r.text, expected);
    assert.equal(r.code, 'origin-not-allowed');
  });
});
