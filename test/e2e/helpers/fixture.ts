/**
 * The servers and browsers of one e2e describe(): `before()` starts the e2e server (a snapshot of
 * the bundle, with its coturn), Chromium and, if asked, Firefox, all at once; `after()` disposes
 * of the browsers, then the server, then removes the temporary directory. Read the fields inside
 * the tests (they are set in before()):
 *
 *   describe('…', () => {
 *     const e2e = e2eFixture({ firefox: true });
 *     it('…', async () => {
 *       const peer = await openPeer(e2e.firefox.browser, `${e2e.server.url}/?room=…`);
 *     });
 *   });
 *
 * node:test runs `after()` hooks in the order they were added: one that must run while the
 * browsers are still open (closing pages) is added before calling e2eFixture().
 *
 * `npm run test:e2e` runs every file in one process (run-all.ts), which calls shareBrowsers()
 * first: fixtures with the default flags then borrow one Chromium and one Firefox for the whole
 * run instead of starting their own. A Firefox start costs about 5 s of a busy machine's CPU, and
 * most files need one. Each page lives in its own browser context (openPeer), so nothing a file
 * did is seen by the next; a borrowed browser's `dispose()` closes the contexts left open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { launchChromium, launchFirefox, type LaunchedBrowser, type StartServerOptions, type StartedServer } from './browsers.js';
import { startE2eServer } from './server.js';
import { settleAll } from './call.js';

export interface E2eFixtureOptions {
  /** For startE2eServer(), e.g. `{ turn: false }`. */
  server?: StartServerOptions;
  /** launchChromium()'s extra flags, and default flags to drop. */
  chromium?: { extraArgs?: string[]; without?: string[] };
  /** Launch Firefox too. */
  firefox?: boolean;
  /** Start browsers of its own even when the run shares them (shareBrowsers()). */
  ownBrowsers?: boolean;
  /** Make a temporary directory with this name prefix (`dir`). */
  tmpDir?: string;
}

export interface E2eFixture {
  server: StartedServer;
  chromium: LaunchedBrowser;
  /** Only with `firefox: true`. */
  firefox: LaunchedBrowser;
  /** Only with `tmpDir`. */
  dir: string;
}

type Kind = 'chromium' | 'firefox';
let shared: Partial<Record<Kind, Promise<LaunchedBrowser>>> | undefined;

/** Share browsers between the files of this process; returns what closes them at the end. */
export function shareBrowsers(): () => Promise<void> {
  const pool: Partial<Record<Kind, Promise<LaunchedBrowser>>> = (shared = {});
  return async () => {
    shared = undefined;
    await Promise.all(
      Object.values(pool).map((p) =>
        p.then(
          (b) => b.dispose(),
          () => undefined,
        ),
      ),
    );
  };
}

/** A Chromium with the default flags: the shared one when there is one, else a new one. */
export function defaultChromium(): Promise<LaunchedBrowser> {
  return borrow('chromium', () => launchChromium());
}

/** A Firefox with the default prefs: the shared one when there is one, else a new one. */
export function defaultFirefox(): Promise<LaunchedBrowser> {
  return borrow('firefox', () => launchFirefox());
}

async function borrow(kind: Kind, launch: () => Promise<LaunchedBrowser>): Promise<LaunchedBrowser> {
  if (!shared) return launch();
  const pool = shared;
  let own = await pool[kind]?.catch(() => undefined);
  // A browser that crashed or was closed under an earlier file is started again.
  if (!own?.browser.connected) {
    const started = (pool[kind] = launch());
    own = await started;
  }
  const { browser } = own;
  return {
    browser,
    // Lent, not ours to close: close what the file left open; a browser that will not close its
    // contexts is ended, and the next file starts a new one.
    dispose: async () => {
      const contexts = browser.browserContexts().filter((c) => c !== browser.defaultBrowserContext());
      const closed = await Promise.race([
        Promise.all(contexts.map((c) => c.close())).then(() => true),
        new Promise<false>((resolve) => setTimeout(resolve, 15_000, false)),
      ]).catch(() => false);
      if (!closed) await own.dispose();
    },
  };
}

export function e2eFixture(options: E2eFixtureOptions = {}): E2eFixture {
  const fx: Partial<E2eFixture> = {};
  before(async () => {
    if (options.tmpDir) fx.dir = mkdtempSync(join(tmpdir(), options.tmpDir));
    await settleAll([
      startE2eServer(options.server).then((s) => (fx.server = s)),
      (options.chromium || options.ownBrowsers ? launchChromium(options.chromium?.extraArgs, options.chromium?.without) : defaultChromium()).then(
        (b) => (fx.chromium = b),
      ),
      ...(options.firefox ? [(options.ownBrowsers ? launchFirefox() : defaultFirefox()).then((b) => (fx.firefox = b))] : []),
    ]);
  });
  after(async () => {
    await Promise.all([fx.chromium?.dispose(), fx.firefox?.dispose()]);
    await fx.server?.dispose();
    if (fx.dir) rmSync(fx.dir, { recursive: true, force: true });
  });
  return fx as E2eFixture;
}
