/**
 * startServer() (browsers.ts) on a private copy of the built bundle: others may rebuild the
 * shared checkout while the e2e suite runs (`npm run build` first deletes dist/), which would
 * otherwise turn a page load in the middle of a test file into a 404. The copy is taken when the
 * file's server starts; if the bundle is missing at that moment (a build in progress), wait for it.
 */
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUNDLE_FILE, startServer, type StartServerOptions, type StartedServer } from './browsers.js';

import { sleep } from '../../helpers/wait.js';

/** A copy of the built bundle in `dir`, taken once the file is complete. */
export async function snapshotBundle(dir: string, waitMs: number): Promise<string> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      // A file that is still being written changes size: take it once it is stable.
      const size = statSync(BUNDLE_FILE).size;
      await sleep(200);
      if (size > 0 && statSync(BUNDLE_FILE).size === size) {
        const file = join(dir, 'rtc-widgets.js');
        copyFileSync(BUNDLE_FILE, file);
        if (existsSync(`${BUNDLE_FILE}.map`)) copyFileSync(`${BUNDLE_FILE}.map`, `${file}.map`);
        // The chunks the bundle loads on first use (written before the entry by rollup).
        cpSync(join(dirname(BUNDLE_FILE), 'rtc-widgets-chunks'), join(dir, 'rtc-widgets-chunks'), { recursive: true });
        return file;
      }
    } catch {
      // missing right now (dist/ is cleaned at the start of a build)
    }
    if (Date.now() > deadline) throw new Error(`${BUNDLE_FILE} is missing: run \`npm run build\` first`);
    await sleep(500);
  }
}

/** The real server with its coturn, serving demo/ and a snapshot of dist/cdn/rtc-widgets.js. */
export async function startE2eServer(options: StartServerOptions = {}, { waitForBundleMs = 90_000 } = {}): Promise<StartedServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rtc-widgets-bundle-'));
  try {
    const bundleFile = await snapshotBundle(dir, waitForBundleMs);
    const started = await startServer({ bundleFile, ...options });
    let disposed: Promise<void> | undefined;
    return {
      ...started,
      dispose: () =>
        (disposed ??= (async () => {
          await started.dispose();
          rmSync(dir, { recursive: true, force: true });
        })()),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
