// Browser tests (wtr) in Debian chromium and firefox-esr, both through puppeteer-core.
// Run through tsx (`npm run test:browser`), so this config can import TypeScript: the harness
// plugins start the real signaling server from server/src/ and a coturn.
//   BROWSERS=chromium npm run test:browser              one browser
//   npm run test:browser -- --files test/x.test.ts      one file
import { fileURLToPath } from 'node:url';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { CHROMIUM_LAUNCHER, FIREFOX_PATH, chromiumArgs, firefoxPrefs } from './test/harness/browser-config.ts';
import { coturnPlugin } from './test/harness/coturn.ts';
import { signalPlugin } from './test/harness/signal-plugin.ts';
import { netPlugin } from './test/harness/net-plugin.ts';
import { litDevPlugin } from './test/harness/lit-dev-plugin.ts';
import { totalsReporter } from './test/harness/totals-reporter.ts';

const launchers = {
  // Passing `puppeteer` names the launcher "Chromium" and lets launchOptions.browser pick Firefox.
  chromium: () =>
    chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: { executablePath: CHROMIUM_LAUNCHER, headless: true, timeout: 60000, args: [...chromiumArgs] },
    }),
  // Firefox through WebDriver BiDi (no geckodriver, no Playwright-patched build).
  firefox: () =>
    chromeLauncher({
      puppeteer: puppeteerCore,
      // puppeteer waits 30 s for a browser to start by default; on a busy machine a Firefox start
      // has taken longer, failing every file of the run. wtr's own limit is 60 s.
      launchOptions: { browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, timeout: 60000, extraPrefsFirefox: { ...firefoxPrefs } },
    }),
};

const wanted = (process.env.BROWSERS || 'chromium,firefox')
  .split(',')
  .map((b) => b.trim().toLowerCase())
  .filter(Boolean);
for (const b of wanted) {
  if (!(b in launchers)) throw new Error(`BROWSERS: unknown browser "${b}" (known: ${Object.keys(launchers).join(', ')})`);
}

const coturn = coturnPlugin();

export default {
  files: ['test/**/*.test.ts', '!test/e2e/**'],
  // `browser` picks engine.io-client's browser transports; `production` is the lit the bundle
  // ships. Chromium's pages get lit's development build instead (litDevPlugin below), so its
  // warnings fail the tests that cause them (test/helpers/lit-warnings.ts).
  nodeResolve: { browser: true, exportConditions: ['browser', 'production'] },
  // '127.0.0.1' or 'localhost' would make wtr listen on all interfaces; '127.1' binds loopback only.
  hostname: '127.1',
  concurrency: 1,
  // Small cameras for every file, loaded before its imports run (test/harness/small-camera.ts).
  testRunnerHtml: (testFramework) =>
    `<!doctype html><html><body><script type="module" src="/test/harness/small-camera.ts"></script><script type="module" src="${testFramework}"></script></body></html>`,
  browsers: wanted.map((b) => launchers[b]()),
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 300000, // per test file; WebRTC-heavy files are slow on 2 busy cores
  testFramework: { config: { timeout: 30000 } },
  plugins: [
    coturn,
    signalPlugin({ coturn: coturn.coturn }),
    netPlugin(),
    litDevPlugin({ userAgent: /Chrome\//, rootDir: fileURLToPath(new URL('.', import.meta.url)) }),
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
  ],
  reporters: [defaultReporter(), totalsReporter(process.env.WTR_TOTALS_FILE || '.test-results/wtr.json')],
};
