/**
 * Exponential moving average of a series, as TensorBoard's smoothing slider draws it: each point
 * is weight × the previous average + (1 − weight) × the value, divided by 1 − weight^n so the
 * first points are not pulled towards zero (Adam's bias correction). Non-finite values are
 * passed through as NaN and skipped by the average, so one diverged step leaves a gap, not a
 * curve bent towards infinity.
 */
export function emaSmooth(values: ArrayLike<number>, weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  const out = new Array<number>(values.length);
  let average = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    average = average * w + (1 - w) * v;
    seen++;
    out[i] = w === 0 ? v : average / (1 - w ** seen);
  }
  return out;
}
