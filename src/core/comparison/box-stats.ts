/**
 * Box-plot statistics for the accuracy-per-FLOPs-range plots. Quantiles interpolate linearly
 * between order statistics (numpy's default, "linear" / type 7): the p-quantile of n sorted
 * values sits at position p * (n - 1).
 */
export interface FiveNumberSummary {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  count: number;
}

function checked(values: readonly number[], what: string): void {
  if (values.length === 0) throw new Error(`${what} of an empty list`);
  for (const v of values) if (Number.isNaN(v)) throw new Error(`${what}: the list holds NaN`);
}

/** The p-quantile (0 <= p <= 1) of values already sorted ascending. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('quantile of an empty list');
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile p must be in [0, 1], got ${p}`);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi) return sorted[lo];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** min, quartiles, max and count; the input is not modified. Throws on an empty list or NaN. */
export function fiveNumberSummary(values: readonly number[]): FiveNumberSummary {
  checked(values, 'fiveNumberSummary');
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0],
    q1: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q3: quantileSorted(sorted, 0.75),
    max: sorted[sorted.length - 1],
    count: sorted.length,
  };
}

/** Arithmetic mean; throws on an empty list (there is no sensible value to return). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean of an empty list');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
