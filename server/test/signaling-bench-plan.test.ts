/** The pure parts of the signaling bench (bench/signaling/plan.ts, sdp.ts): layout, pacing, summaries. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { due, latencySummary, layout, maxSustained, pairOf, paces, sustained, type StepResult } from '../../bench/signaling/plan.js';
import { offerSdp, offerSeq, signalFrame } from '../../bench/signaling/sdp.js';

describe('signaling bench plan', () => {
  it('lays whole rooms out over processes, each room in one process, members round the nodes', () => {
    const plans = layout(1003, 6, 2, 2);
    const rooms = plans.flatMap((p) => p.rooms);
    assert.equal(rooms.length, 167); // 1003 clients make 167 whole rooms of 6
    assert.equal(new Set(rooms.map((r) => r.name)).size, 167);
    for (const p of plans) {
      // Client indexes are the process's own, 0..n-1, each used once.
      const used = p.rooms.flatMap((r) => r.members.map((m) => m.client)).sort((a, b) => a - b);
      assert.deepEqual(used, [...used.keys()]);
      for (const r of p.rooms) for (const m of r.members) assert.equal(p.clientNodes[m.client], m.node);
    }
    assert.deepEqual(
      plans.map((p) => p.rooms.length),
      [84, 83],
    );
    // Every room of 6 on 2 nodes has 3 members on each; rooms of 2 have one on each.
    for (const r of rooms) assert.equal(r.members.filter((m) => m.node === 0).length, 3);
    for (const r of layout(10, 2, 1, 2)[0]!.rooms) assert.deepEqual(r.members.map((m) => m.node).sort(), [0, 1]);
    // One node: everyone on node 0.
    assert.ok(layout(12, 2, 3, 1).every((p) => p.clientNodes.every((n) => n === 0)));
    assert.throws(() => layout(10, 1, 1, 1), RangeError);
  });

  it('takes rooms in turn, and every member of a room sends to every other', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 3 * 6 * 5; n++) {
      const { room, from, to } = pairOf(n, 3, 6);
      assert.equal(room, n % 3);
      assert.notEqual(from, to);
      seen.add(`${room}:${from}>${to}`);
    }
    assert.equal(seen.size, 3 * 6 * 5); // each ordered pair once per 90 signals
    assert.deepEqual(
      [0, 1, 2, 3].map((n) => pairOf(n, 1, 2)),
      [
        { room: 0, from: 0, to: 1 },
        { room: 0, from: 1, to: 0 },
        { room: 0, from: 0, to: 1 },
        { room: 0, from: 1, to: 0 },
      ],
    );
  });

  it('paces: the first signal at 0, then one every 1000/rate ms', () => {
    assert.equal(due(-1, 100), 0);
    assert.equal(due(0, 100), 1);
    assert.equal(due(9.99, 100), 1);
    assert.equal(due(10, 100), 2);
    assert.equal(due(1000, 100), 101);
    assert.equal(due(1000, 0), 0);
    assert.deepEqual(paces(1000, 1.5, 4), [1000, 1500, 2250, 3375]);
  });

  it('summarises latencies with interpolated quantiles', () => {
    assert.equal(latencySummary([]), null);
    const s = latencySummary(Array.from({ length: 101 }, (_, i) => 100 - i));
    assert.deepEqual(s, { n: 101, p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('a rate is sustained when it arrives whole and p99 stays under the limit; the search stops at the first miss', () => {
    const step = (target: number, carried: number, p99: number | null, lost = 0): StepResult => ({ target, carried, p99, lost });
    assert.ok(sustained(step(1000, 960, 20), 50));
    assert.ok(!sustained(step(1000, 940, 20), 50));
    assert.ok(!sustained(step(1000, 1000, 51), 50));
    assert.ok(!sustained(step(1000, 1000, 20, 1), 50));
    assert.ok(!sustained(step(1000, 1000, null), 50));
    assert.equal(maxSustained([step(1000, 1000, 5), step(1400, 1390, 9), step(1960, 1500, 80), step(2744, 2744, 5)], 50), 1390);
    assert.equal(maxSustained([step(1000, 100, 5000)], 50), 0);
  });

  it('numbers offers, and pre-encodes the frame socket.io would send', () => {
    const sdp = offerSdp(123456);
    assert.ok(sdp.length > 4000 && sdp.length < 6000, `offer of ${sdp.length} characters`);
    assert.equal(offerSeq(sdp), 123456);
    assert.equal(offerSeq('v=0\r\no=- x 2 IN'), -1);
    assert.equal(offerSeq(42), -1);
    const frame = signalFrame('peer-1', 9);
    assert.equal(frame[0], '2');
    assert.deepEqual(JSON.parse(frame.slice(1)), ['signal', { to: 'peer-1', data: { description: { type: 'offer', sdp: offerSdp(9) } } }]);
  });
});
