/**
 * Tick values for a log axis that show a few readable numbers: 1-2-5 multiples of powers of ten
 * within [min, max], thinned to at most `maxCount` (keeping 1s, then 1s and 5s, ...). A range
 * under one decade (a loss from 1.6 to 2.3, MACs from 0.02M to 0.3M) gets its 1-2-5 values, or
 * if it holds fewer than two of those, evenly spaced nice linear values, instead of the nine
 * unlabeled lines per decade a plain log axis draws.
 */
const nice = [1, 2, 5];

function linearTicks(min: number, max: number, count: number): number[] {
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

export function logTicks(min: number, max: number, maxCount = 6): number[] {
  if (!(min > 0) || !(max > min)) return [];
  const all: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of nice) {
      const v = +(m * 10 ** e).toPrecision(12);
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) all.push(v);
    }
  }
  let ticks = all;
  for (const keep of [[1, 2, 5], [1, 5], [1]]) {
    ticks = all.filter((v) => keep.includes(Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9))));
    if (ticks.length <= maxCount) break;
  }
  if (ticks.length > maxCount) ticks = ticks.filter((_, i) => i % Math.ceil(ticks.length / maxCount) === 0);
  return ticks.length >= 2 ? ticks : linearTicks(min, max, Math.min(4, maxCount));
}
