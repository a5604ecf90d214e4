/**
 * The README's drop-in snippet on a page of another origin (a tiny static server of ours on
 * another port): the bundle is loaded cross-origin from the signaling server, and that page calls
 * a demo page on the server's own origin.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import { startSite, type Site } from './helpers/site.js';
import { expectDecoding, inPage, openPeer, uniqueRoom, type Peer } from './helpers/call.js';

/** Exactly the README's "Use it in a page" snippet, for `server` and `room`. */
export function readmeSnippet(server: string, room: string): string {
  return `<script type="module" src="${server}/rtc-widgets.js"></script>\n<rtc-room room="${room}" server="${server}"></rtc-room>`;
}

describe('the README snippet on another origin', () => {
  // Its after() runs first: the browser and the server go before the site.
  const e2e = e2eFixture();
  let site: Site;
  let siteUrl: string;

  before(async () => {
    site = await startSite();
    siteUrl = site.url;
  });
  after(() => site?.close());

  it('joins a call with a demo page and both decode', { timeout: 60_000 }, async () => {
    const room = uniqueRoom('snippet');
    assert.notEqual(new URL(siteUrl).origin, new URL(e2e.server.url).origin);
    site.pages.set(
      '/call.html',
      `<!doctype html>\n<html><head><meta charset="utf-8"><title>my site</title></head><body>\n${readmeSnippet(e2e.server.url, room)}\n</body></html>\n`,
    );
    const list: Peer[] = [];
    try {
      const embedded = await openPeer(e2e.chromium.browser, `${siteUrl}/call.html`, { label: 'snippet page' });
      list.push(embedded);
      const demo = await openPeer(e2e.chromium.browser, `${e2e.server.url}/?room=${room}`, { label: 'demo page' });
      list.push(demo);
      assert.equal(await inPage<string>(embedded.page, 'location.origin'), siteUrl);

      await embedded.join('Embedded');
      await demo.join('Demo');
      await Promise.all([expectDecoding(embedded, { names: ['Demo'] }), expectDecoding(demo, { names: ['Embedded'] })]);
    } finally {
      await Promise.all(list.map((p) => p.close()));
    }
  });
});
