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

export function e2eFixture(options: E2eFixtureOptions = {}): E2eFixture {
  const fx: Partial<E2eFixture> = {};
  before(async () => {
    if (options.tmpDir) fx.dir = mkdtempSync(join(tmpdir(), options.tmpDir));
    await settleAll([
      startE2eServer(options.server).then((s) => (fx.server = s)),
      launchChromium(options.chromium?.extraArgs, options.chromium?.without).then((b) => (fx.chromium = b)),
      ...(options.firefox ? [launchFirefox().then((b) => (fx.firefox = b))] : []),
    ]);
  });
  after(async () => {
    await Promise.all([fx.chromium?.dispose(), fx.firefox?.dispose()]);
    await fx.server?.dispose();
    if (fx.dir) rmSync(fx.dir, { recursive: true, force: true });
  });
  return fx as E2eFixture;
}
