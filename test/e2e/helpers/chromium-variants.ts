/**
 * Chromium launched with a different flag set than launchChromium() (which always adds the
 * default flags): e.g. without --use-fake-ui-for-media-stream, so permission prompts are not
 * answered "Allow" automatically and the page's permission settings decide.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROMIUM_PATH, chromiumArgs } from '../../harness/browser-config.js';
import type { LaunchedBrowser } from './browsers.js';

/** Debian chromium with the default flags minus `without` (each must be one of them), plus `extra`. */
export async function launchChromiumWithout(without: string[], extra: string[] = []): Promise<LaunchedBrowser> {
  for (const flag of without) assert.ok(chromiumArgs.includes(flag), `${flag} is not one of the default Chromium flags`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'rtc-widgets-chromium-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      userDataDir,
      args: [...chromiumArgs.filter((a) => !without.includes(a)), ...extra],
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  let disposed: Promise<void> | undefined;
  return {
    browser,
    dispose: () =>
      (disposed ??= (async () => {
        // close() can hang on a wedged browser: then kill our own child by its handle.
        const proc = browser.process();
        const timer = setTimeout(() => proc?.kill('SIGKILL'), 10_000);
        try {
          await browser.close();
        } catch {
          proc?.kill('SIGKILL');
        } finally {
          clearTimeout(timer);
        }
        rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      })()),
  };
}
