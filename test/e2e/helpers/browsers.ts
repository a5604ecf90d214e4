/**
 * End-to-end helpers: Debian chromium / firefox-esr through puppeteer-core, and the real
 * signaling server serving demo/ and the built CDN bundle (run `npm run build` first; `npm test`
 * does) with its own coturn. Everything hands back a `dispose()` that ends only what it started.
 *
 *   const server = await startServer();
 *   const chromium = await launchChromium();
 *   try {
 *     const page = await chromium.browser.newPage();
 *     await page.goto(`${server.url}/?room=e2e-1`);
 *   } finally {
 *     await chromium.dispose();
 *     await server.dispose();
 *   }
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { createSignalServer, type SignalServer, type SignalServerOptions } from '../../../server/src/signal-server.js';
import { CHROMIUM_LAUNCHER, FIREFOX_PATH, chromiumArgs, firefoxPrefs } from '../../harness/browser-config.js';
import { startCoturn, type Coturn } from '../../harness/coturn.js';
import { TEST_LIMITS } from '../../harness/limits.js';
import { processTree } from '../../harness/proc-tree.js';

export { chromiumArgs, firefoxPrefs } from '../../harness/browser-config.js';
export { startRedis, type Redis } from '../../harness/redis.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
export const DEMO_DIR = join(repo, 'demo');
export const BUNDLE_FILE = join(repo, 'dist/cdn/rtc-widgets.js');

export interface LaunchedBrowser {
  browser: Browser;
  /** Close the browser (and remove its profile directory); safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * Chromium runs some of its renderers at nice 5 (backgrounded) even with
 * --disable-renderer-backgrounding: with many pages and a Firefox on two busy cores, those pages
 * got a third of the CPU of the rest, lost their sockets and links for 20–60 s at a time, and a
 * call that works between people, each on their own machine, failed here. Put every thread of
 * them back at the priority of everything else, every second, while the browser runs (nice is
 * per thread: renicing a process id moves its main thread only).
 */
function keepAtNormalPriority(root: number | undefined): () => void {
  if (!root || process.platform !== 'linux') return () => undefined;
  const timer = setInterval(() => {
    for (const { pid } of processTree(root)) {
      let threads: string[];
      try {
        threads = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue; // gone meanwhile
      }
      for (const tid of threads) {
        try {
          if (getPriority(Number(tid)) > 0) setPriority(Number(tid), 0);
        } catch {
          /* gone meanwhile */
        }
      }
    }
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

async function closeBrowser(browser: Browser): Promise<void> {
  // close() can hang on a wedged browser: fall back to killing our own child by its handle.
  const proc = browser.process();
  const timer = setTimeout(() => proc?.kill('SIGKILL'), 10_000);
  try {
    await browser.close();
  } catch {
    proc?.kill('SIGKILL');
  } finally {
    clearTimeout(timer);
  }
}

export interface LaunchOptions {
  /**
   * How long one CDP / BiDi call may take (puppeteer's default: 180 s). The bench awaits a whole
   * file transfer in one `page.evaluate` and bounds it with its own timeout.
   */
  protocolTimeoutMs?: number;
}

/**
 * Debian chromium, headless, fake camera/microphone, loopback ICE, a fresh profile. `without`
 * drops default flags (each must be one), e.g. --use-fake-ui-for-media-stream so that the
 * page's permission settings, not an automatic "Allow", decide.
 */
export async function launchChromium(extraArgs: string[] = [], without: string[] = [], options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  for (const flag of without) if (!chromiumArgs.includes(flag)) throw new Error(`${flag} is not one of the default Chromium flags`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'rtc-widgets-chromium-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM_LAUNCHER,
      headless: true,
      userDataDir,
      args: [...chromiumArgs.filter((a) => !without.includes(a)), ...extraArgs],
      protocolTimeout: options.protocolTimeoutMs,
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const stopPriority = keepAtNormalPriority(browser.process()?.pid);
  let disposed: Promise<void> | undefined;
  return {
    browser,
    dispose: () =>
      (disposed ??= (async () => {
        stopPriority();
        await closeBrowser(browser);
        rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      })()),
  };
}

/** Debian firefox-esr over WebDriver BiDi, headless, fake media (puppeteer makes and removes the profile). */
export async function launchFirefox(extraPrefs: Record<string, unknown> = {}, options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: { ...firefoxPrefs, ...extraPrefs },
    protocolTimeout: options.protocolTimeoutMs,
  });
  let disposed: Promise<void> | undefined;
  return { browser, dispose: () => (disposed ??= closeBrowser(browser)) };
}

export interface StartServerOptions extends Omit<SignalServerOptions, 'port' | 'host' | 'turn'> {
  /** Start a coturn and hand its secret to the server (default true). */
  turn?: boolean;
}

export interface StartedServer {
  /** e.g. http://127.0.0.1:41234: the demo page at `/`, the bundle at `/rtc-widgets.js`. */
  url: string;
  server: SignalServer;
  coturn?: Coturn;
  dispose(): Promise<void>;
}

/** The real signaling server on 127.0.0.1 (random port) serving demo/ and dist/cdn/rtc-widgets.js, with a coturn. */
export async function startServer(options: StartServerOptions = {}): Promise<StartedServer> {
  const { turn = true, ...rest } = options;
  if (!existsSync(BUNDLE_FILE)) throw new Error(`${BUNDLE_FILE} is missing: run \`npm run build\` first`);
  const coturn = turn ? await startCoturn() : undefined;
  let server: SignalServer;
  try {
    server = await createSignalServer({
      staticDir: DEMO_DIR,
      bundleFile: BUNDLE_FILE,
      log: () => {},
      limits: TEST_LIMITS,
      ...rest,
      port: 0,
      host: '127.0.0.1',
      ...(coturn ? { turn: { urls: coturn.urls, secret: coturn.secret, ttlSeconds: 3600 } } : {}),
    });
  } catch (e) {
    await coturn?.stop();
    throw e;
  }
  let disposed: Promise<void> | undefined;
  return {
    url: server.url,
    server,
    coturn,
    dispose: () =>
      (disposed ??= (async () => {
        await server.close();
        await coturn?.stop();
      })()),
  };
}
