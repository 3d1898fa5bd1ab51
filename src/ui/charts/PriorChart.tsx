/**
 * The FLOPs prior (how the space's subnets spread over MACs bins) next to where this run's
 * sampled subnets landed, and for attentive samplers the target bins they were asked for.
 */
import { scaleLinear } from 'd3-scale';
import type { StepPoint } from '../store/runs-slice';
import { priorShares } from '../../core/records/run-tables';
import { roleColors, samplerColors } from './palette';

const W = 800;
const H = 200;
const PAD = { left: 58, right: 22, top: 10, bottom: 34 };

export function PriorChart({ prior, steps }: { prior: { edges: number[]; frequencies: number[] } | null; steps: StepPoint[] }) {
  if (!prior) return <p className="empty">The FLOPs prior is built when the run starts.</p>;
  const bins = prior.frequencies.length;
  const { sampled, targets } = priorShares(prior, steps);
  const series = [
    { name: 'prior', values: prior.frequencies, color: 'var(--muted)' },
    { name: 'sampled subnets', values: sampled, color: roleColors.sampled },
    ...(targets ? [{ name: 'target bins', values: targets, color: samplerColors.bestup }] : []),
  ];
  const top = Math.max(0.01, ...series.flatMap((s) => s.values).filter(Number.isFinite));
  const yTicks = scaleLinear().domain([0, top]).nice(4).ticks(4);
  const yTop = yTicks[yTicks.length - 1] || top;
  const yDecimals = Math.max(0, -Math.floor(Math.log10((yTicks[1] - yTicks[0]) * 100 || 1) + 1e-9));
  const bw = (W - PAD.left - PAD.right) / bins;
  const barW = (bw * 0.85) / series.length;
  const y = (v: number) => PAD.top + (1 - (Number.isFinite(v) ? v : 0) / yTop) * (H - PAD.top - PAD.bottom);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="FLOPs prior and sampled subnets" data-testid="prior-chart" data-bins={bins}>
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid-line" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="axis-label">
              {(t * 100).toFixed(yDecimals)}%
            </text>
          </g>
        ))}
        <text
          transform={`translate(12 ${PAD.top + (H - PAD.top - PAD.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
          className="axis-title"
        >
          share
        </text>
        {series.map((s, si) =>
          s.values.map((v, b) => (
            <rect
              key={`${si}-${b}`}
              x={PAD.left + b * bw + bw * 0.075 + si * barW}
              width={barW}
              y={y(v)}
              height={Math.max(0, H - PAD.bottom - y(v))}
              fill={s.color}
            >
              <title>{`${s.name}: ${(v * 100).toFixed(1)}% in ${(prior.edges[b] / 1e6).toFixed(2)}-${(prior.edges[b + 1] / 1e6).toFixed(2)} M MACs`}</title>
            </rect>
          )),
        )}
        {[0, Math.floor(bins / 2), bins].map((b) => (
          <text
            key={b}
            x={PAD.left + b * bw}
            y={H - PAD.bottom + 14}
            textAnchor={b === 0 ? 'start' : b === bins ? 'end' : 'middle'}
            className="axis-label"
          >
            {(prior.edges[Math.min(b, prior.edges.length - 1)] / 1e6).toFixed(2)}
          </text>
        ))}
        <text x={(W + PAD.left) / 2} y={H - 4} textAnchor="middle" className="axis-title">
          M multiply-adds
        </text>
      </svg>
      <figcaption>
        {series.map((s) => (
          <span key={s.name} className="legend-item">
            <span className="swatch" style={{ background: s.color }} /> {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
