/**
 * Join / Leave cycles of one page while a peer stays in the room: nothing may pile up. After each
 * Leave every peer connection is closed and every camera and microphone track ended; the server
 * is back to one member; and (Chromium, where the page's live event listeners can be counted
 * after a forced garbage collection) the listener count does not grow per cycle. Firefox, with
 * nothing counted across cycles, runs fewer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CDPSession } from 'puppeteer-core';
import { e2eFixture } from './helpers/fixture.js';
import { inPage, openPeer, uniqueRoom, waitFor, type Peer } from './helpers/call.js';

/** Chromium's: fifteen counted after five to warm up, so a leak of one listener per cycle shows. */
const CYCLES = { chromium: 20, firefox: 10 };
const WARM_UP = 5;

async function liveListeners(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSEventListeners')!.value;
}

describe('join / leave cycles', () => {
  const e2e = e2eFixture({ server: { turn: false }, firefox: true });

  const members = async () => ((await (await fetch(`${e2e.server.url}/healthz`)).json()) as { sockets: number }).sockets;

  for (const which of ['chromium', 'firefox'] as const) {
    it(`${which}: no peer connection, track, server member or event listener is left behind`, { timeout: 300_000 }, async (t) => {
      const url = `${e2e.server.url}/?room=${uniqueRoom(`cycles-${which}`)}`;
      const list: Peer[] = [];
      try {
        const stay = await openPeer(e2e.chromium.browser, url, { label: 'stays' });
        list.push(stay);
        await stay.join('Stays');
        const baseline = await members();
        const cycler = await openPeer(e2e[which].browser, url, { label: 'cycles', instrument: true });
        list.push(cycler);
        const cdp = which === 'chromium' ? await cycler.page.createCDPSession() : undefined;
        await cdp?.send('Performance.enable');
        const listeners: number[] = [];

        const cycles = CYCLES[which];
        for (let cycle = 1; cycle <= cycles; cycle++) {
          if (cycle === 1) await cycler.join('Cycles');
          else {
            await cycler.click('Rejoin');
            await cycler.joined();
          }
          await waitFor(async () => (await cycler.snapshot()).remotes.some((r) => r.pcState === 'connected'), {
            timeoutMs: 30_000,
            what: `cycle ${cycle}: connected to the one who stays`,
          });
          await cycler.click('Leave');
          const rec = await waitFor(
            async () => {
              const r = await inPage<{ pcs: string[]; tracks: string[] }>(cycler.page, '__e2e.recorded()');
              return (await cycler.snapshot()).status === 'left' && r.pcs.every((s) => s === 'closed') && r.tracks.every((s) => s.endsWith(':ended'))
                ? r
                : undefined;
            },
            {
              timeoutMs: 10_000,
              what: `cycle ${cycle}: every peer connection closed and every track ended`,
              describe: async () => JSON.stringify(await inPage(cycler.page, '__e2e.recorded()')),
            },
          );
          assert.equal(rec.pcs.length, cycle, 'one peer connection per cycle, all closed');
          await waitFor(async () => (await members()) === baseline, { timeoutMs: 10_000, what: `cycle ${cycle}: the server back to ${baseline} member(s)` });
          if (cdp && (cycle === WARM_UP || cycle === cycles)) listeners.push(await liveListeners(cdp));
        }
        if (cdp) {
          const perCycle = (listeners[1] - listeners[0]) / (cycles - WARM_UP);
          t.diagnostic(
            `live event listeners after cycle ${WARM_UP}: ${listeners[0]}, after cycle ${cycles}: ${listeners[1]} (${perCycle.toFixed(2)} per cycle)`,
          );
          assert.ok(perCycle < 0.5, `event listeners grow by ${perCycle.toFixed(2)} per cycle (${listeners.join(' → ')})`);
        }
        assert.deepEqual(await stay.messages(), [], 'the one who stays sees no error');
      } finally {
        await Promise.all(list.map((p) => p.close()));
      }
    });
  }
});
