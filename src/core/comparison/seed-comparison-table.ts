/**
 * The comparison over seeds as a table, in plain text for the terminal or Markdown for a
 * results page: one line per row (smallest net, each FLOPs range, largest net), each sampler's
 * mean of medians, then each difference to the baseline with its interval and verdict.
 */
import type { Difference, SeedComparison, StatRow } from './seed-comparison';

const pct = (x: number | null) => (x !== null && Number.isFinite(x) ? (x * 100).toFixed(1) : '-');
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;

export function rowLabel(row: Pick<StatRow, 'kind' | 'loMacs' | 'hiMacs'>): string {
  if (row.kind === 'smallest') return 'smallest net';
  if (row.kind === 'largest') return 'largest net';
  return `${((row.loMacs ?? NaN) / 1e6).toFixed(2)}-${((row.hiMacs ?? NaN) / 1e6).toFixed(2)} MMACs`;
}

/** "+1.2 [-0.4, +2.9] within noise": points, percentile interval, and the verdict when it is not a side */
export function differenceText(d: Difference | null): string {
  if (!d) return '-';
  const interval = d.lo === null || d.hi === null ? '' : ` [${pts(d.lo)}, ${pts(d.hi)}]`;
  const verdict = d.verdict === 'better' || d.verdict === 'worse' ? '' : ` ${d.verdict}`;
  return `${pts(d.estimate)}${interval}${verdict}`;
}

function cells(c: SeedComparison): { header: string[]; lines: string[][] } {
  const others = c.samplers.filter((s) => s !== c.baseline);
  const header = ['row', 'subnets', ...c.samplers.map((s) => `${s} %`), ...others.map((s) => `Δ ${s} (pts)`)];
  const lines = c.rows.map((row) => {
    const bySampler = new Map(row.cells.map((cell) => [cell.sampler, cell]));
    return [
      rowLabel(row),
      String(row.subnets),
      ...c.samplers.map((s) => pct(bySampler.get(s)?.mean ?? null)),
      ...others.map((s) => differenceText(bySampler.get(s)?.vsBaseline ?? null)),
    ];
  });
  return { header, lines };
}

/** What the numbers are, in one paragraph: printed above the table and kept with it. */
export function comparisonCaption(c: SeedComparison): string {
  return (
    `Validation top-1 after BN recalibration, final evaluation. Per row: each sampler's mean over seeds (${c.seeds.join(', ')}) of the median accuracy of the row's subnets ` +
    `(the same subnets in every run); Δ: paired difference to ${c.baseline} (by seed, and by subnet within a range) with a ${Math.round(c.bootstrap.level * 100)}% bootstrap interval ` +
    `resampling seeds and subnets (${c.bootstrap.resamples} resamples, seed ${c.bootstrap.seed}); "within noise": the interval holds 0.`
  );
}

export function formatSeedComparison(c: SeedComparison, style: 'text' | 'markdown' = 'text'): string {
  const { header, lines } = cells(c);
  if (style === 'markdown') {
    const row = (r: string[]) => `| ${r.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
    return [row(header), row(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...lines.map(row)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(fmt)].join('\n');
}
