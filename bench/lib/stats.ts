/** Summaries of samples (milliseconds): quantiles by linear interpolation between order statistics. */

export interface Summary {
  n: number;
  median: number;
  p90: number;
  min: number;
  max: number;
  /** Every sample in the order taken, rounded to 0.1. */
  samples: number[];
}

export const round = (x: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(values: number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export function summarize(samples: number[]): Summary | null {
  if (!samples.length) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: samples.length,
    median: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    min: round(sorted[0]!),
    max: round(sorted[sorted.length - 1]!),
    samples: samples.map((s) => round(s)),
  };
}

/**
 * A 95 % interval for median(x) / median(y), by resampling each set with replacement (a
 * percentile bootstrap): how far the ratio of one run may be from the machine's true ratio. A
 * fixed seed, so the same samples always give the same interval.
 */
export function medianRatioInterval(x: number[], y: number[], resamples = 2000, seed = 1): [low: number, high: number] | null {
  if (x.length < 2 || y.length < 2) return null;
  let state = seed >>> 0 || 1;
  // xorshift32: enough for picking indexes, and reproducible.
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const resample = (v: number[]) => median(v.map(() => v[Math.floor(next() * v.length)]!));
  const ratios: number[] = [];
  for (let i = 0; i < resamples; i++) ratios.push(resample(x) / resample(y));
  ratios.sort((a, b) => a - b);
  return [round(quantile(ratios, 0.025), 2), round(quantile(ratios, 0.975), 2)];
}
