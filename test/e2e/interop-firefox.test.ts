/**
 * Chromium ↔ Firefox through the real server and the demo page: whichever joins first, both
 * decode the other's video and receive its audio. Firefox does not gather loopback host
 * candidates (harness.md §2); the call uses the machine's own addresses or the test coturn.
 */
import { describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import { expectDecoding, openPeer, uniqueRoom, type Peer } from './helpers/call.js';

describe('Chromium and Firefox in one call', () => {
  const e2e = e2eFixture({ firefox: true });

  for (const order of [['chromium', 'firefox'], ['firefox', 'chromium']] as const) {
    it(`${order[0]} joins first, ${order[1]} second: both decode`, { timeout: 90_000 }, async () => {
      const url = `${e2e.server.url}/?room=${uniqueRoom(`x-${order[0]}`)}`;
      const browsers = { chromium: e2e.chromium, firefox: e2e.firefox };
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
