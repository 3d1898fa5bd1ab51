/**
 * The paper's comparison, as numbers: per FLOPs range, the median and minimum accuracy of
 * each sampler's subnets (the same subnets for every sampler), and differences to a baseline.
 */
export interface RangeSummaryInput {
  index: number;
  loMacs: number;
  hiMacs: number;
  accuracies: number[];
  summary: { min: number; median: number } | null;
}

export interface SamplerRanges {
  sampler: string;
  ranges: RangeSummaryInput[];
}

export interface ComparisonRow {
  range: number;
  loMacs: number;
  hiMacs: number;
  count: number;
  perSampler: { sampler: string; median: number; min: number; medianDelta: number; minDelta: number }[];
}

/** Rows per range; deltas are against the first sampler (the baseline, Uniform). */
export function compareSamplers(runs: SamplerRanges[]): ComparisonRow[] {
  if (runs.length === 0) return [];
  const base = runs[0];
  return base.ranges.map((range, i) => {
    const baseSummary = range.summary;
    return {
      range: range.index,
      loMacs: range.loMacs,
      hiMacs: range.hiMacs,
      count: range.accuracies.length,
      perSampler: runs.map((run) => {
        const s = run.ranges[i]?.summary;
        const median = s ? s.median : NaN;
        const min = s ? s.min : NaN;
        return { sampler: run.sampler, median, min, medianDelta: median - (baseSummary?.median ?? NaN), minDelta: min - (baseSummary?.min ?? NaN) };
      }),
    };
  });
}

const pct = (x: number) => (Number.isFinite(x) ? (x * 100).toFixed(1) : '-');
const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}` : '-');

/** A plain-text table: one line per range, median / min per sampler, and deltas to the baseline. */
export function formatComparisonTable(rows: ComparisonRow[]): string {
  if (rows.length === 0) return '(no ranges)';
  const samplers = rows[0].perSampler.map((p) => p.sampler);
  const header = ['MFLOPs range', 'n', ...samplers.map((s) => `${s} med/min`), ...samplers.slice(1).map((s) => `${s} Δmed/Δmin`)];
  const lines = rows.map((r) => [
    `${(r.loMacs / 1e6).toFixed(2)}-${(r.hiMacs / 1e6).toFixed(2)}`,
    String(r.count),
    ...r.perSampler.map((p) => `${pct(p.median)} / ${pct(p.min)}`),
    ...r.perSampler.slice(1).map((p) => `${signed(p.medianDelta)} / ${signed(p.minDelta)}`),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const fmt = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(fmt)].join('\n');
}
