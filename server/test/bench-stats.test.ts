/** The benchmarks' summaries (bench/lib/stats.ts): quantiles and the interval around a ratio of medians. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median, medianRatioInterval, quantile } from '../../bench/lib/stats.js';

describe('bench stats', () => {
  it('interpolates quantiles between order statistics', () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(median([5, 1, 3]), 3);
  });

  it('puts the ratio of medians inside its interval, and narrows it as samples agree', () => {
    const raw = [170, 150, 180, 160, 175, 165, 155, 185, 172, 168, 158, 178];
    const noisy = raw.map((v, i) => v * 1.8 + (i % 2 ? 60 : -60));
    const steady = raw.map((v) => v * 1.8);
    const wide = medianRatioInterval(noisy, raw)!;
    const narrow = medianRatioInterval(steady, raw)!;
    const ratio = median(noisy) / median(raw);
    assert.ok(wide[0] <= ratio && ratio <= wide[1], `${ratio} in ${wide.join('–')}`);
    assert.ok(narrow[1] - narrow[0] < wide[1] - wide[0], `${narrow.join('–')} narrower than ${wide.join('–')}`);
    // The same samples, the same interval.
    assert.deepEqual(medianRatioInterval(noisy, raw), wide);
  });

  it('gives no interval from fewer than two samples a side', () => {
    assert.equal(medianRatioInterval([1], [1, 2]), null);
  });
});
