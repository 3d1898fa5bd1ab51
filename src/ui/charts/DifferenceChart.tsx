/**
 * The differences to the baseline with their bootstrap intervals: one group per row (smallest
 * net, each FLOPs range, largest net), one point with an error bar per sampler. Hues name the
 * sampler, never a verdict; a difference within noise is drawn hollow and its bar dashed, so
 * nothing reads as better or worse that the interval cannot tell from 0. Plain SVG.
 */
import type { Verdict } from '../../core/comparison/bootstrap';

export interface DifferencePoint {
  name: string;
  color: string;
  estimate: number;
  lo: number | null;
  hi: number | null;
  verdict: Verdict;
}

export interface DifferenceGroup {
  label: string;
  points: DifferencePoint[];
}

const W = 800;
const PAD = { left: 56, right: 12, top: 12, bottom: 40 };
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;

export function DifferenceChart({ groups, baseline, height = 260 }: { groups: DifferenceGroup[]; baseline: string; height?: number }) {
  const values = groups.flatMap((g) => g.points.flatMap((p) => [p.estimate, p.lo ?? p.estimate, p.hi ?? p.estimate]));
  if (values.length === 0)
    return <p className="empty">The differences appear once a sampler and {baseline} have finished with a common seed.</p>;
  const reach = Math.max(0.005, ...values.map(Math.abs)) * 1.1;
  const plotH = height - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + (1 - (v + reach) / (2 * reach)) * plotH;
  const groupW = (W - PAD.left - PAD.right) / groups.length;
  const ticks = [-reach, -reach / 2, 0, reach / 2, reach].map((t) => Math.round(t * 1000) / 1000);
  const caption = `Difference to ${baseline} in points of accuracy, with 95% bootstrap intervals; hollow: within noise (the interval holds 0)`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={caption} data-testid="difference-chart" data-groups={groups.length}>
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(t)}
              y2={y(t)}
              className={t === 0 ? 'zero-line' : 'grid-line'}
              stroke={t === 0 ? 'currentColor' : undefined}
            />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="axis-label">
              {pts(t)}
            </text>
          </g>
        ))}
        {groups.map((group, gi) => {
          const x0 = PAD.left + gi * groupW;
          const step = Math.min(28, (groupW * 0.8) / Math.max(1, group.points.length));
          const start = x0 + (groupW - step * group.points.length) / 2;
          return (
            <g key={gi} data-row={gi}>
              {group.points.map((p, pi) => {
                const cx = start + step * pi + step / 2;
                const noise = p.verdict === 'within noise' || p.verdict === 'no interval';
                return (
                  <g key={p.name} data-sampler={p.name} data-verdict={p.verdict}>
                    <title>{`${p.name}, ${group.label}: ${pts(p.estimate)} pts${p.lo !== null && p.hi !== null ? ` [${pts(p.lo)}, ${pts(p.hi)}]` : ''}, ${p.verdict === 'better' || p.verdict === 'worse' ? `${p.verdict} than ${baseline}` : p.verdict}`}</title>
                    {p.lo !== null && p.hi !== null && (
                      <>
                        <line
                          x1={cx}
                          x2={cx}
                          y1={y(p.lo)}
                          y2={y(p.hi)}
                          stroke={p.color}
                          strokeWidth={2}
                          strokeDasharray={noise ? '4 3' : undefined}
                        />
                        <line x1={cx - 5} x2={cx + 5} y1={y(p.lo)} y2={y(p.lo)} stroke={p.color} strokeWidth={2} />
                        <line x1={cx - 5} x2={cx + 5} y1={y(p.hi)} y2={y(p.hi)} stroke={p.color} strokeWidth={2} />
                      </>
                    )}
                    <circle cx={cx} cy={y(p.estimate)} r={4.5} stroke={p.color} strokeWidth={2} fill={noise ? 'none' : p.color} />
                  </g>
                );
              })}
              <text x={x0 + groupW / 2} y={height - PAD.bottom + 18} textAnchor="middle" className="axis-label">
                {group.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{caption}.</figcaption>
    </figure>
  );
}
