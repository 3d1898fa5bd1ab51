/**
 * The statistics over seeds as a table: per row each sampler's mean of medians, then each
 * difference to the baseline with its interval. Only a difference whose interval excludes 0 is
 * coloured better or worse; one within noise says so and stays uncoloured.
 */
import type { SeedComparison } from '../../core/comparison/seed-comparison';
import { comparisonCaption, differenceText, rowLabel } from '../../core/comparison/seed-comparison-table';
import { pct } from '../format';

export function SeedStatsTable({ stats }: { stats: SeedComparison }) {
  const others = stats.samplers.filter((s) => s !== stats.baseline);
  return (
    <>
      <table data-testid="compare-table" data-seeds={stats.seeds.length}>
        <thead>
          <tr>
            <th>Subnets</th>
            {stats.samplers.map((s) => (
              <th key={s}>{s}</th>
            ))}
            {others.map((s) => (
              <th key={s}>Δ {s} (pts)</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {stats.rows.map((row) => {
            const bySampler = new Map(row.cells.map((c) => [c.sampler, c]));
            return (
              <tr key={`${row.kind}${row.range}`} data-row={row.kind}>
                <td>{rowLabel(row)}</td>
                {stats.samplers.map((s) => (
                  <td key={s}>{pct(bySampler.get(s)?.mean ?? null)}</td>
                ))}
                {others.map((s) => {
                  const d = bySampler.get(s)?.vsBaseline ?? null;
                  const verdict = d?.verdict ?? 'none';
                  return (
                    <td key={s} data-verdict={verdict} className={verdict === 'better' || verdict === 'worse' ? verdict : 'noise'}>
                      {differenceText(d)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">{comparisonCaption(stats)}</p>
    </>
  );
}
