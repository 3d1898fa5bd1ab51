/**
 * Box plots of subnet accuracy per FLOPs range: one group per range, one box per series
 * (a run, or a sampler in a comparison). Plain SVG: a few dozen boxes need no chart library.
 * Whiskers span min to max, the box q1 to q3, the line is the median; dots are the subnets.
 */
import { scaleLinear } from 'd3-scale';
import type { FiveNumberSummary } from '../../core/comparison/box-stats';

export interface BoxSeries {
  name: string;
  color: string;
  accuracies: number[];
  summary: FiveNumberSummary | null;
}

export interface BoxGroup {
  label: string;
  series: BoxSeries[];
}

const W = 800;
const PAD = { left: 62, right: 12, top: 12, bottom: 40 };

export function BoxPlot({ groups, height = 300, caption }: { groups: BoxGroup[]; height?: number; caption: string }) {
  const values = groups.flatMap((g) => g.series.flatMap((s) => s.accuracies));
  if (values.length === 0)
    return <p className="empty">No accuracies yet: the ranges are evaluated at the end of each epoch (or every N steps if set).</p>;
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const span = Math.max(0.02, hi - lo);
  lo = Math.max(0, lo - span * 0.1);
  hi = Math.min(1, hi + span * 0.1);
  const plotH = height - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo || 1)) * plotH;
  const groupW = (W - PAD.left - PAD.right) / groups.length;
  // nice, even ticks (d3-scale) labelled with as many decimals as their step needs: five
  // equal fifths of a narrow range all read "16%"
  const ticks = scaleLinear().domain([lo, hi]).ticks(5);
  const decimals = Math.max(0, -Math.floor(Math.log10(Math.max(1e-9, ((ticks[1] ?? hi) - (ticks[0] ?? lo)) * 100)) + 1e-9));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={caption} data-testid="boxplot" data-groups={groups.length}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid-line" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="axis-label">
              {(t * 100).toFixed(decimals)}%
            </text>
          </g>
        ))}
        {groups.map((group, gi) => {
          const x0 = PAD.left + gi * groupW;
          const boxW = Math.min(48, (groupW * 0.8) / group.series.length);
          const start = x0 + (groupW - boxW * group.series.length) / 2;
          return (
            <g key={gi} data-range={gi}>
              {group.series.map((s, si) => {
                const cx = start + boxW * si + boxW / 2;
                const half = boxW * 0.35;
                const sum = s.summary;
                return (
                  <g key={s.name} data-sampler={s.name} data-count={s.accuracies.length}>
                    <title>
                      {sum
                        ? `${s.name}, ${group.label} MMACs: median ${(sum.median * 100).toFixed(1)}%, q1-q3 ${(sum.q1 * 100).toFixed(1)}-${(sum.q3 * 100).toFixed(1)}%, min ${(sum.min * 100).toFixed(1)}%, max ${(sum.max * 100).toFixed(1)}% (${sum.count} subnets)`
                        : `${s.name}: no subnets`}
                    </title>
                    {sum && (
                      <>
                        <line x1={cx} x2={cx} y1={y(sum.min)} y2={y(sum.max)} stroke={s.color} />
                        <line x1={cx - half / 2} x2={cx + half / 2} y1={y(sum.min)} y2={y(sum.min)} stroke={s.color} />
                        <line x1={cx - half / 2} x2={cx + half / 2} y1={y(sum.max)} y2={y(sum.max)} stroke={s.color} />
                        <rect
                          x={cx - half}
                          width={half * 2}
                          y={y(sum.q3)}
                          height={Math.max(1, y(sum.q1) - y(sum.q3))}
                          fill={s.color}
                          fillOpacity={0.25}
                          stroke={s.color}
                        />
                        <line x1={cx - half} x2={cx + half} y1={y(sum.median)} y2={y(sum.median)} stroke={s.color} strokeWidth={2.5} />
                      </>
                    )}
                    {s.accuracies.map((a, i) => (
                      <circle key={i} cx={cx + ((i % 5) - 2) * (half / 3)} cy={y(a)} r={2.2} fill={s.color} />
                    ))}
                  </g>
                );
              })}
              <text x={x0 + groupW / 2} y={height - PAD.bottom + 16} textAnchor="middle" className="axis-label">
                {group.label}
              </text>
            </g>
          );
        })}
        <text x={(W + PAD.left) / 2} y={height - 6} textAnchor="middle" className="axis-title">
          FLOPs range (M multiply-adds)
        </text>
        <text transform={`translate(12 ${PAD.top + plotH / 2}) rotate(-90)`} textAnchor="middle" className="axis-title">
          top-1
        </text>
      </svg>
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
