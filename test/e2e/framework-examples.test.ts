/**
 * The framework examples (examples/react, vue, svelte, angular), each built with its own toolchain
 * from the packed rtc-widgets as a user installs it (helpers/examples.ts), then two pages of the
 * same example in one room through the real signaling server: both join, each decodes the
 * other's video, the app's own `rtc-*` listeners show the other person (and their leaving), and
 * the `strings` property set through the framework renames Leave to "Hang up". The React example
 * composes its own layout from rtc-video-tile, rtc-controls and rtc-chat; the others use the
 * room's default UI. The builds run two at a time while the first calls already run.
 *
 * Needs the npm registry, or an npm cache that has every example's packages: without either the
 * builds fail with a message that says so.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'puppeteer-core';
import { e2eFixture } from './helpers/fixture.js';
import { inPage, openPeer, uniqueRoom, waitFor, type Peer } from './helpers/call.js';
import { buildExample, packRoot, pool, serveDir, type BuiltExample, type ExampleName, type Site } from './helpers/examples.js';

/** Build order, two at a time: Angular (the longest by far) from the start, beside the others in the order the calls need them. */
const ORDER: ExampleName[] = ['react', 'angular', 'vue', 'svelte'];
/** The order of the calls. */
const NAMES: ExampleName[] = ['react', 'vue', 'svelte', 'angular'];

/** What the example's own UI shows, and what the call does, as seen from one page. */
interface Seen {
  /** The app's status line (from rtc-status). */
  status: string;
  /** The app's "In the call" list (from rtc-peer-join / rtc-peer-leave). */
  people: string[];
  /** A shown, enabled button reads "Hang up" (the `strings` property reached the room). */
  hangUp: boolean;
  remotes: { name: string; pc: string | null; framesDecoded: number; videoWidth: number; tileInPage: boolean }[];
}

/** In the page (plain JavaScript: runs in Chromium and Firefox). */
const SEEN = `(async () => {
  const text = (el) => (el?.textContent ?? '').replace(/\\s+/g, ' ').trim();
  const session = document.querySelector('rtc-room')?.session;
  const remotes = [];
  for (const p of session?.participants.get() ?? []) {
    if (p.isLocal) continue;
    const pc = session.peerConnection(p.id);
    let framesDecoded = 0;
    if (pc && pc.connectionState !== 'closed') {
      const stats = await Promise.race([pc.getStats(), new Promise((resolve) => setTimeout(resolve, 3000, null))]);
      stats?.forEach((r) => { if (r.type === 'inbound-rtp' && (r.kind ?? r.mediaType) === 'video') framesDecoded += r.framesDecoded ?? 0; });
    }
    // The room's own tile (in its shadow root), or one the page put in its own layout.
    const tile = __e2e.deepAll('rtc-video-tile[participant-id]').find((t) => t.getAttribute('participant-id') === p.id && t.getAttribute('source') !== 'screen');
    remotes.push({
      name: p.name,
      pc: pc?.connectionState ?? null,
      framesDecoded,
      videoWidth: tile?.shadowRoot?.querySelector('video')?.videoWidth ?? 0,
      tileInPage: !!tile && tile.getRootNode() === document,
    });
  }
  return {
    status: text(document.querySelector('[data-testid="status"]')),
    people: [...document.querySelectorAll('[data-testid="people"] li')].map(text),
    hangUp: !!__e2e.button('Hang up'),
    remotes,
  };
})()`;

const seen = (peer: Peer) => inPage<Seen>(peer.page, SEEN);

/**
 * Wait until `peer`'s app shows status "joined", lists exactly `other`, renames Leave to "Hang up",
 * and keeps decoding `other`'s video (framesDecoded grows between two looks, the tile has a size).
 */
async function expectInCallWith(peer: Peer, other: string, { tileInPage }: { tileInPage: boolean }): Promise<void> {
  let previous: Seen | undefined;
  let problems: string[] = [];
  await waitFor(
    async () => {
      const now = await seen(peer);
      problems = [];
      if (now.status !== 'joined') problems.push(`status "${now.status}"`);
      if (JSON.stringify(now.people) !== JSON.stringify([other])) problems.push(`people list ${JSON.stringify(now.people)}`);
      if (!now.hangUp) problems.push('no "Hang up" button');
      const remote = now.remotes.find((r) => r.name === other);
      const before = previous?.remotes.find((r) => r.name === other);
      if (now.remotes.length !== 1 || !remote) problems.push(`remote participants ${JSON.stringify(now.remotes.map((r) => r.name))}`);
      else {
        if (remote.pc !== 'connected') problems.push(`peer connection ${remote.pc}`);
        if (!(remote.framesDecoded > (before?.framesDecoded ?? Infinity))) problems.push(`framesDecoded ${before?.framesDecoded} → ${remote.framesDecoded}`);
        if (!(remote.videoWidth > 0)) problems.push(`tile videoWidth ${remote.videoWidth}`);
        if (remote.tileInPage !== tileInPage) problems.push(tileInPage ? "the tile is not in the page's own layout" : "the tile is not the room's own");
      }
      previous = now;
      return problems.length === 0;
    },
    { timeoutMs: 40_000, intervalMs: 700, what: `${peer.label} in the call with ${other}`, describe: () => `problems: ${problems.join('; ')}` },
  );
}

describe('framework examples built from the packed package', () => {
  let dir: string;
  const builds = new Map<ExampleName, Promise<BuiltExample>>();
  const sites = new Map<ExampleName, Promise<Site>>();
  const startedAt = performance.now();
  let packSeconds = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rtc-widgets-examples-'));
    const t = performance.now();
    const tarball = await packRoot(dir);
    packSeconds = Math.round((performance.now() - t) / 100) / 10;
    const lanes = Math.min(2, availableParallelism());
    const started = pool(
      ORDER.map((name) => () => buildExample(name, tarball, dir)),
      lanes,
    );
    ORDER.forEach((name, i) => {
      builds.set(name, started[i]!);
      sites.set(
        name,
        started[i]!.then((b) => serveDir(b.dist)),
      );
    });
    for (const s of sites.values()) s.catch(() => undefined);
  });

  // Registered before the fixture's, so this runs first: the sites close while the browsers are still open (their pages are closed by then).
  after(async () => {
    const lines = [`pack ${packSeconds} s`];
    for (const name of NAMES) {
      const b = await builds.get(name)?.catch(() => undefined);
      if (b) lines.push(`${name}: lockfile check ${b.timings.lock} s, install ${b.timings.install} s, build ${b.timings.build} s`);
    }
    lines.push(`${Math.round((performance.now() - startedAt) / 1000)} s until the cleanup`);
    console.log(`framework examples: ${lines.join('; ')}`);
    await Promise.all([...sites.values()].map((s) => s.then((x) => x.close()).catch(() => undefined)));
    // Four node_modules: removed while the browsers close (awaited by the last after()).
    if (dir) removing = rm(dir, { recursive: true, force: true, maxRetries: 3 });
  });

  const e2e = e2eFixture({ firefox: true });
  let removing: Promise<void> | undefined;
  after(async () => {
    const t = performance.now();
    await removing;
    console.log(
      `framework examples: temporary directory removed in ${Math.round((performance.now() - t) / 100) / 10} s more; ${Math.round((performance.now() - startedAt) / 1000)} s in all`,
    );
  });

  /** The built example's URL for `room` on the test server (once it is built: a failed build fails the test with its output). */
  async function exampleUrl(name: ExampleName, room: string): Promise<string> {
    await builds.get(name)!;
    const site = await sites.get(name)!;
    return `${site.url}/?room=${encodeURIComponent(room)}&server=${encodeURIComponent(e2e.server.url)}`;
  }

  /** Two pages of example `name` (in `first` and `second`) join one room and see each other; then the first hangs up. */
  async function twoPages(name: ExampleName, first: Browser, second: Browser, { ownLayout = false } = {}): Promise<void> {
    const url = await exampleUrl(name, uniqueRoom(`example-${name}`));
    const list: Peer[] = [];
    try {
      const ada = await openPeer(first, url, { label: `${name} page 1` });
      list.push(ada);
      const bo = await openPeer(second, url, { label: `${name} page 2` });
      list.push(bo);
      await ada.join('Ada');
      await bo.join('Bo');
      await Promise.all([expectInCallWith(ada, 'Bo', { tileInPage: ownLayout }), expectInCallWith(bo, 'Ada', { tileInPage: ownLayout })]);
      if (ownLayout) {
        // Our layout, not the room's: the room renders only its slot, and every part is defined.
        const parts = await inPage<{ base: boolean; defined: string[] }>(
          ada.page,
          `({ base: !!document.querySelector('rtc-room').shadowRoot.querySelector('[part~="base"]'), defined: ['rtc-video-tile', 'rtc-controls', 'rtc-chat'].filter((t) => customElements.get(t) && document.querySelector('rtc-room ' + t)) })`,
        );
        assert.deepEqual(parts, { base: false, defined: ['rtc-video-tile', 'rtc-controls', 'rtc-chat'] });
      }
      // Ada hangs up (the renamed Leave button): Bo's list hears rtc-peer-leave.
      await ada.click('Hang up');
      await waitFor(async () => (await seen(bo)).people.length === 0, { what: `${name}: Bo's list after Ada left`, timeoutMs: 20_000 });
      await waitFor(async () => (await seen(ada)).status === 'left', { what: `${name}: Ada's status after hanging up` });
    } finally {
      await Promise.all(list.map((p) => p.close()));
    }
  }

  it('React (own layout): two Chromium pages', { timeout: 600_000 }, () => twoPages('react', e2e.chromium.browser, e2e.chromium.browser, { ownLayout: true }));
  it('Vue: two Chromium pages', { timeout: 600_000 }, () => twoPages('vue', e2e.chromium.browser, e2e.chromium.browser));
  it('React (own layout): Chromium and Firefox', { timeout: 600_000 }, () => twoPages('react', e2e.chromium.browser, e2e.firefox.browser, { ownLayout: true }));
  it('Svelte: Firefox and Chromium', { timeout: 600_000 }, () => twoPages('svelte', e2e.firefox.browser, e2e.chromium.browser));
  it('Angular: two Chromium pages', { timeout: 600_000 }, () => twoPages('angular', e2e.chromium.browser, e2e.chromium.browser));
});
