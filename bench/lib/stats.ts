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
