/**
 * Chromium ↔ Firefox through the real server and the demo page: whichever joins first, both
 * decode the other's video and receive its audio. Firefox does not gather loopback host
 * candidates (harness.md §2); the call uses the machine's own addresses or the test coturn.
 */
import { describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import assert from 'node:assert/strict';
import { expectDecoding, inPage, openPeer, uniqueRoom, type Peer } from './helpers/call.js';
import { callEvents, recordCallEvents } from './helpers/chat.js';

/**
 * In the page: the first offer this page makes is held back 5 s, so the other side's fallback
 * offer (after 4 s without one) crosses it: the two browsers' first offers collide.
 */
const HOLD_FIRST_OFFER = `(() => {
  const original = RTCPeerConnection.prototype.setLocalDescription;
  let held = false;
  RTCPeerConnection.prototype.setLocalDescription = async function (...args) {
    if (!args.length && this.signalingState === 'stable' && !held) {
      held = true;
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
    return original.apply(this, args);
  };
  return true;
})()`;

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

  // The two browsers' first offers crossing (a newcomer's offer slower than the member's wait):
  // Chromium once refused every later offer on such a connection, and Firefox renegotiated
  // forever, depending on which side was left with transceivers from a rolled-back offer.
  for (const [member, newcomer] of [['firefox', 'chromium'], ['chromium', 'firefox']] as const) {
    it(`first offers crossing: ${member} member, ${newcomer} newcomer with a late offer`, { timeout: 90_000 }, async () => {
      const url = `${e2e.server.url}/?room=${uniqueRoom('cross')}`;
      const browsers = { chromium: e2e.chromium, firefox: e2e.firefox };
      const list: Peer[] = [];
      try {
        const m = await openPeer(browsers[member].browser, url, { label: `${member} member` });
        list.push(m);
        await m.join('Member');
        await recordCallEvents(m);
        const n = await openPeer(browsers[newcomer].browser, url, { label: `${newcomer} newcomer` });
        list.push(n);
        await inPage(n.page, HOLD_FIRST_OFFER);
        await n.join('Newcomer');
        await recordCallEvents(n);
        await Promise.all([expectDecoding(m, { names: ['Newcomer'], timeoutMs: 40_000 }), expectDecoding(n, { names: ['Member'], timeoutMs: 40_000 })]);
        for (const p of list) {
          const log = await callEvents(p);
          assert.doesNotMatch(log, /error/, `no negotiation error: ${log}`);
          assert.deepEqual(await p.messages(), [], `${p.label} shows no error`);
        }
      } finally {
        await Promise.all(list.map((p) => p.close()));
      }
    });
  }
});
