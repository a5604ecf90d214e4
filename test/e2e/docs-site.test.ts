/**
 * The documentation site (dist/site, made by scripts/docs-site.mjs in `npm run build`) as the
 * server serves it at /docs/, in Chromium and Firefox: every element of custom-elements.json has
 * a page linked from the index, every link of every page that stays on the server resolves,
 * the rtc-room page's live example joins a call, a composed example (rtc-video-tile's) calls
 * its own invite link, every example's elements load without page errors, and axe finds nothing
 * on an element page.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { e2eFixture } from './helpers/fixture.js';
import { inPage, openPeer, waitFor, type Peer } from './helpers/call.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const SITE_DIR = join(repo, 'dist/site');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS: string[] = JSON.parse(readFileSync(join(repo, 'custom-elements.json'), 'utf8'))
  .modules.flatMap((m: { declarations?: { tagName?: string }[] }) => m.declarations ?? [])
  .map((d: { tagName?: string }) => d.tagName)
  .filter(Boolean)
  .sort();

/**
 * A private copy of the site, as server.ts takes of the bundle: a rebuild of the shared checkout
 * while this file runs (`npm run build` first deletes dist/) must not turn a page into a 404.
 */
function snapshotSite(): string {
  if (!existsSync(join(SITE_DIR, 'index.html'))) throw new Error(`${SITE_DIR} is missing: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'rtc-widgets-site-'));
  cpSync(SITE_DIR, dir, { recursive: true });
  return dir;
}

/**
 * Run in the page: fetch every page of the site reachable from `start`, parse it, and report
 * each link that stays on this origin with its status (pages under /docs/ are crawled further).
 * The browser resolves every href, so what is checked is what a reader's click would load.
 */
const CRAWL = `async (start) => {
  const status = {};
  const linksOf = {};
  const queue = [start];
  const seen = new Set(queue);
  while (queue.length) {
    const url = queue.shift();
    const res = await fetch(url);
    status[url] = res.status;
    if (!res.ok || !(res.headers.get('content-type') || '').includes('text/html') || !new URL(url).pathname.startsWith('/docs/')) continue;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const base = doc.createElement('base');
    base.href = url;
    doc.head.prepend(base);
    const links = [...doc.querySelectorAll('a[href], link[href], script[src], img[src]')].map((a) => new URL(a.getAttribute('href') ?? a.getAttribute('src'), url));
    linksOf[url] = links.map((u) => u.href);
    for (const u of links) {
      if (u.origin !== location.origin) continue;
      u.hash = '';
      if (!seen.has(u.href)) {
        seen.add(u.href);
        queue.push(u.href);
      }
    }
  }
  return { status, linksOf };
}`;

/** Every rtc-* tag in the page's live example is defined (its chunk loaded), or the ones missing. */
const EXAMPLE_UNDEFINED = `[...new Set([...document.querySelectorAll('#live-example *')].map((e) => e.localName).filter((n) => n.startsWith('rtc-')))].filter((n) => !customElements.get(n))`;

async function newPage(browser: Browser): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String((e as Error)?.message ?? e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { page, errors, close: () => context.close().catch(() => undefined) };
}

describe('documentation site at /docs/ (built site and bundle, real server)', () => {
  const site = snapshotSite();
  const e2e = e2eFixture({ firefox: true, server: { docsDir: site, turn: false } });
  after(() => rmSync(site, { recursive: true, force: true }));

  for (const browserName of ['chromium', 'firefox'] as const) {
    it(`${browserName}: the index links a page for every element, every internal link resolves, the rtc-room example joins`, { timeout: 60_000 }, async () => {
      const browser = e2e[browserName].browser;
      const { page, errors, close } = await newPage(browser);
      const peers: Peer[] = [];
      try {
        await page.goto(`${e2e.server.url}/docs/`, { waitUntil: 'load' });
        const index = `${e2e.server.url}/docs/index.html`;
        const linked = await inPage<string[]>(page, `[...document.querySelectorAll('main a[href]')].map((a) => a.href)`);
        for (const tag of TAGS) assert.ok(linked.includes(`${e2e.server.url}/docs/elements/${tag}.html`), `the index links <${tag}>'s page`);

        const { status, linksOf } = await inPage<{ status: Record<string, number>; linksOf: Record<string, string[]> }>(
          page,
          `(${CRAWL})(${JSON.stringify(index)})`,
        );
        const broken = Object.entries(status).filter(([, s]) => s !== 200);
        assert.deepEqual(broken, [], 'every link on the server resolves');
        for (const tag of TAGS) assert.equal(status[`${e2e.server.url}/docs/elements/${tag}.html`], 200, `<${tag}>'s page`);
        const pages = Object.keys(linksOf);
        assert.ok(pages.length >= TAGS.length + 6, `crawled the element pages and the guides (${pages.length} pages)`);
        // In-page anchors point at ids that exist on their page.
        for (const [from, links] of Object.entries(linksOf))
          for (const href of links.filter((h) => h.includes('#') && h.startsWith(`${e2e.server.url}/docs/`))) {
            const [target, id] = href.split('#');
            const html = await (await fetch(target)).text();
            assert.ok(html.includes(`id="${id}"`), `${from} links ${href}: no such id`);
          }
        assert.deepEqual(errors, [], 'no page errors on the index');

        // The rtc-room page's live example is a real call through this server.
        const reader = await openPeer(browser, `${e2e.server.url}/docs/elements/rtc-room.html`, { label: `${browserName} docs rtc-room` });
        peers.push(reader);
        const room = await inPage<string>(reader.page, `document.querySelector('#live-example rtc-room').getAttribute('room')`);
        assert.match(room, /^docs-[a-z0-9]+$/, 'a fresh room name');
        await reader.join('Docs reader');
        assert.equal((await reader.snapshot()).status, 'joined');
        const invite = await inPage<string>(reader.page, `document.getElementById('invite').href`);
        assert.equal(new URL(invite).searchParams.get('room'), room, 'the invite link names the room');
      } finally {
        await Promise.all(peers.map((p) => p.close()));
        await close();
      }
    });
  }

  it('chromium: every live example loads (elements defined, no page errors); a composed example calls its invite link', { timeout: 90_000 }, async () => {
    const browser = e2e.chromium.browser;
    // One page per distinct example (the four call buttons share theirs), a few at a time: each
    // loads its chunks and some open the camera. rtc-room's and rtc-video-tile's run below and above.
    const seen = new Set<string>();
    const queue: string[] = [];
    for (const tag of TAGS.filter((t) => t !== 'rtc-room' && t !== 'rtc-video-tile')) {
      const html = await (await fetch(`${e2e.server.url}/docs/elements/${tag}.html`)).text();
      const example = /<div class="example" id="live-example">([\s\S]*?)<\/div>\s*<details>/.exec(html)?.[1];
      assert.ok(example, `<${tag}>'s page has a live example`);
      if (!seen.has(example)) queue.push(tag);
      seen.add(example);
    }
    const worker = async () => {
      for (let tag = queue.shift(); tag; tag = queue.shift()) {
        const { page, errors, close } = await newPage(browser);
        try {
          await page.goto(`${e2e.server.url}/docs/elements/${tag}.html`, { waitUntil: 'load' });
          await waitFor(async () => (await inPage<string[]>(page, EXAMPLE_UNDEFINED)).length === 0, {
            what: `<${tag}>'s example: its elements defined`,
            describe: async () => `undefined: ${JSON.stringify(await inPage<string[]>(page, EXAMPLE_UNDEFINED))}; errors ${JSON.stringify(errors)}`,
          });
          assert.deepEqual(errors, [], `<${tag}>'s page: no errors`);
        } finally {
          await close();
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);

    // rtc-video-tile's example: a layout of the page's own. Join from its button, open its invite
    // link in another context and join there: each page adds a tile for the other.
    const a = await newPage(browser);
    const b = await newPage(browser);
    try {
      await a.page.goto(`${e2e.server.url}/docs/elements/rtc-video-tile.html`, { waitUntil: 'load' });
      // On a busy machine the example's button may not be laid out yet when the load event fires.
      await a.page.waitForSelector('#join', { visible: true, timeout: 20_000 });
      await a.page.click('#join');
      await waitFor(() => inPage<boolean>(a.page, `document.getElementById('status').textContent === 'joined'`), {
        timeoutMs: 30_000,
        what: 'first page joined',
        describe: async () => `status "${await inPage<string>(a.page, `document.getElementById('status').textContent`)}"; errors ${JSON.stringify(a.errors)}`,
      });
      const invite = await inPage<string>(a.page, `document.getElementById('invite').href`);
      await b.page.goto(invite, { waitUntil: 'load' });
      assert.equal(await inPage<string>(b.page, `document.getElementById('call').getAttribute('room')`), new URL(invite).searchParams.get('room'));
      await b.page.waitForSelector('#join', { visible: true, timeout: 20_000 });
      await b.page.click('#join');
      const remoteTile = `(() => { const t = document.querySelector('#tiles rtc-video-tile[participant-id]'); const v = t?.shadowRoot?.querySelector('video'); return !!v && v.videoWidth > 0; })()`;
      await waitFor(() => inPage<boolean>(a.page, remoteTile), { timeoutMs: 20_000, what: "the first page shows the second's video in a tile it added" });
      await waitFor(() => inPage<boolean>(b.page, remoteTile), { timeoutMs: 20_000, what: "the second page shows the first's video" });
      assert.deepEqual([...a.errors, ...b.errors], [], 'no page errors');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('chromium: axe finds nothing on an element page (WCAG 2.2 A/AA, best practices), light and dark', { timeout: 60_000 }, async () => {
    const { page, close } = await newPage(e2e.chromium.browser);
    try {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        await page.goto(`${e2e.server.url}/docs/elements/rtc-chat.html`, { waitUntil: 'load' });
        await waitFor(async () => (await inPage<string[]>(page, EXAMPLE_UNDEFINED)).length === 0, { what: 'the example loaded' });
        await page.evaluate(AXE);
        const violations = await inPage<string[]>(
          page,
          `(async () => {
            const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
            return r.violations.flatMap((v) => v.nodes.map((n) => v.id + ': ' + n.target.flat().join(' >>> ')));
          })()`,
        );
        assert.deepEqual(violations, [], `axe, ${scheme}`);
      }
    } finally {
      await close();
    }
  });
});
