/**
 * Languages from the built CDN bundle, on a page of another origin: a German page gets the
 * German pre-join step and an Arabic one the Arabic, right to left, each language a chunk loaded
 * next to the bundle on first use (and an English page loads none).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import { inPage, openPeer, uniqueRoom, waitFor, type Peer } from './helpers/call.js';

describe('languages from the CDN bundle', () => {
  const e2e = e2eFixture({ firefox: true, tmpDir: 'rtc-widgets-e2e-lang-' });
  let site: Server;
  let siteUrl: string;
  const pages = new Map<string, string>();
  let requested: string[] = [];

  before(async () => {
    site = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const page = pages.get(path);
      if (page) return void res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page);
      if (path !== '/rtc-widgets.js' && !path.startsWith('/rtc-widgets-chunks/')) return void res.writeHead(404).end();
      requested.push(path);
      void (async () => {
        const upstream = await fetch(`${e2e.server.url}${path}`);
        res
          .writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'text/javascript', 'Access-Control-Allow-Origin': '*' })
          .end(Buffer.from(await upstream.arrayBuffer()));
      })().catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      site.once('error', reject);
      site.listen(0, '127.0.0.1', () => resolve());
    });
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  after(async () => {
    site?.closeAllConnections();
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  });

  const page = (lang: string) =>
    `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>lang</title></head><body>\n<script type="module" src="${siteUrl}/rtc-widgets.js"></script>\n<rtc-room room="${uniqueRoom('lang')}" server="${e2e.server.url}"></rtc-room>\n</body></html>\n`;
  const joinText = `(__e2e.deepAll('button[type=submit]')[0]?.textContent ?? '').trim()`;

  for (const [lang, join, dir] of [
    ['de', 'Beitreten', 'ltr'],
    ['ar', 'انضمام', 'rtl'],
    ['en', 'Join', 'ltr'],
  ] as const) {
    it(`<html lang="${lang}">: the pre-join step says "${join}" (${dir}) in both browsers`, { timeout: 90_000 }, async () => {
      pages.set(`/${lang}.html`, page(lang));
      const list: Peer[] = [];
      try {
        for (const [browser, label] of [
          [e2e.chromium.browser, 'chromium'],
          [e2e.firefox.browser, 'firefox'],
        ] as const) {
          requested = [];
          const peer = await openPeer(browser, `${siteUrl}/${lang}.html`, { label, untilUpgraded: true });
          list.push(peer);
          await waitFor(async () => (await inPage<string>(peer.page, joinText)) === join, { what: `${label}: Join says "${join}"` });
          const base = await inPage<string | null>(peer.page, `__e2e.deepAll('rtc-room')[0]?.shadowRoot?.querySelector('.base')?.getAttribute('dir') ?? null`);
          assert.equal(base, dir, `${label}: the room's direction`);
          const chunks = requested.filter((p) => /\/(de|es|ar)-[^/]*\.js$/.test(p));
          assert.deepEqual(
            chunks.map((p) => /\/(de|es|ar)-/.exec(p)![1]),
            lang === 'en' ? [] : [lang],
            `${label}: the language chunks loaded`,
          );
        }
      } finally {
        await Promise.all(list.map((p) => p.close()));
      }
    });
  }
});
