/**
 * Chromium ↔ Firefox through the real server and the demo page: whichever joins first, both
 * decode the other's video and receive its audio. Firefox does not gather loopback host
 * candidates (harness.md §2); the call uses the machine's own addresses or the test coturn.
 */
import { after, before, describe, it } from 'node:test';
import { launchChromium, launchFirefox, type LaunchedBrowser, type StartedServer } from './helpers/browsers.js';
import { startE2eServer } from './helpers/server.js';
import { expectDecoding, openPeer, uniqueRoom, settleAll, type Peer } from './helpers/call.js';

describe('Chromium and Firefox in one call', () => {
  let server: StartedServer;
  let chromium: LaunchedBrowser;
  let firefox: LaunchedBrowser;

  before(async () => {
    await settleAll([
      startE2eServer().then((s) => (server = s)),
      launchChromium().then((b) => (chromium = b)),
      launchFirefox().then((b) => (firefox = b)),
    ]);
  });
  after(async () => {
    await Promise.all([chromium?.dispose(), firefox?.dispose()]);
    await server?.dispose();
  });

  for (const order of [['chromium', 'firefox'], ['firefox', 'chromium']] as const) {
    it(`${order[0]} joins first, ${order[1]} second: both decode`, { timeout: 90_000 }, async () => {
      const url = `${server.url}/?room=${uniqueRoom(`x-${order[0]}`)}`;
      const browsers = { chromium, firefox };
      const names = { chromium: 'Chromium user', firefox: 'Firefox user' };
      const list: Peer[] = [];
      try {
        for (const which of order) list.push(await openPeer(browsers[which].browser, url, { label: which }));
        const [first, second] = list;
        await first.join(names[order[0]]);
        await second.join(names[order[1]]);
        await Promise.all([
          expectDecoding(first, { names: [names[order[1]]], timeoutMs: 40_000 }),
          expectDecoding(second, { names: [names[order[0]]], timeoutMs: 40_000 }),
        ]);
      } finally {
        await Promise.all(list.map((p) => p.close()));
      }
    });
  }
});
