/**
 * Three people in one room form a full mesh; one clicks Leave and another closes the tab: each
 * vanishes from the others' tiles and participants within seconds, and the rest keep decoding.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import { expectDecoding, expectParticipants, openPeer, uniqueRoom, type Peer } from './helpers/call.js';

/**
 * "Within a few seconds": peer-left is sent at once for a leave or a closed socket (docs/protocol.md
 * §9); a lost socket found only by the heartbeat would take ~8 s, so the bound stays below that
 * while leaving a loaded machine room to run the pages' own checks.
 */
const GONE_WITHIN_MS = 7_000;

describe('a three-way mesh', () => {
  const e2e = e2eFixture();

  it('everyone decodes everyone; Leave and a closed tab both remove that person from the others', { timeout: 120_000 }, async (t) => {
    const url = `${e2e.server.url}/?room=${uniqueRoom('mesh')}`;
    const names = ['Ada', 'Bo', 'Cy'];
    const list: Peer[] = [];
    try {
      list.push(...(await Promise.all(names.map((name) => openPeer(e2e.chromium.browser, url, { label: name })))));
      const [ada, bo, cy] = list;
      for (const [i, p] of list.entries()) await p.join(names[i]);
      await Promise.all(list.map((p, i) => expectDecoding(p, { names: names.filter((_, j) => j !== i), timeoutMs: 40_000 })));

      // Cy clicks Leave.
      const cyId = (await cy.snapshot()).localId;
      await cy.click('Leave');
      const t0 = Date.now();
      await Promise.all([expectParticipants(ada, ['Bo'], GONE_WITHIN_MS), expectParticipants(bo, ['Ada'], GONE_WITHIN_MS)]);
      const leftAfter = Date.now() - t0;
      for (const p of [ada, bo]) assert.ok(!(await p.snapshot()).remotes.some((r) => r.id === cyId));
      await Promise.all([expectDecoding(ada, { names: ['Bo'] }), expectDecoding(bo, { names: ['Ada'] })]);

      // Cy joins again; then Bo closes the tab.
      await cy.click('Rejoin');
      await cy.joined();
      await Promise.all(list.map((p, i) => expectDecoding(p, { names: names.filter((_, j) => j !== i), timeoutMs: 40_000 })));
      await bo.page.close();
      const t1 = Date.now();
      await Promise.all([expectParticipants(ada, ['Cy'], GONE_WITHIN_MS), expectParticipants(cy, ['Ada'], GONE_WITHIN_MS)]);
      const closedAfter = Date.now() - t1;
      await Promise.all([expectDecoding(ada, { names: ['Cy'] }), expectDecoding(cy, { names: ['Ada'] })]);
      for (const p of [ada, cy]) assert.deepEqual(await p.messages(), [], `${p.label} sees no error`);
      t.diagnostic(`gone from the others ${leftAfter} ms after Leave, ${closedAfter} ms after the tab closed`);
    } finally {
      await Promise.all(list.map((p) => p.close()));
    }
  });
});
