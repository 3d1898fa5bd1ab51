/**
 * The FLOPs prior (how the space's subnets spread over MACs bins) next to where this run's
 * sampled subnets landed, and for attentive samplers the target bins they were asked for.
 */
import type { StepPoint } from '../store/runs-slice';
import { roleColors, samplerColors } from './palette';

const W = 800;
const H = 200;
const PAD = { left: 40, right: 8, top: 10, bottom: 34 };

export function PriorChart({ prior, steps }: { prior: { edges: number[]; frequencies: number[] } | null; steps: StepPoint[] }) {
  if (!prior) return <p className="empty">The FLOPs prior is built when the run starts.</p>;
  const bins = prior.frequencies.length;
  const sampled = new Array(bins).fill(0);
  const targets = new Array(bins).fill(0);
  let sampledTotal = 0;
  let targetTotal = 0;
  for (const s of steps) {
    s.roles.forEach((role, i) => {
      if (role === 'sampled' && s.bins[i] >= 0) {
        sampled[s.bins[i]]++;
        sampledTotal++;
      }
    });
    for (const t of s.targetBins ?? []) {
      if (t >= 0) {
        targets[t]++;
        targetTotal++;
      }
    }
  }
  const share = (xs: number[], total: number) => xs.map((v) => (total ? v / total : 0));
  const series = [
    { name: 'prior', values: prior.frequencies, color: 'var(--muted)' },
    { name: 'sampled subnets', values: share(sampled, sampledTotal), color: roleColors.sampled },
    ...(targetTotal ? [{ name: 'target bins', values: share(targets, targetTotal), color: samplerColors.bestup }] : []),
  ];
  const top = Math.max(0.01, ...series.flatMap((s) => s.values));
  const bw = (W - PAD.left - PAD.right) / bins;
  const barW = (bw * 0.85) / series.length;
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="FLOPs prior and sampled subnets" data-testid="prior-chart" data-bins={bins}>
        {series.map((s, si) =>
          s.values.map((v, b) => (
            <rect key={`${si}-${b}`} x={PAD.left + b * bw + bw * 0.075 + si * barW} width={barW} y={y(v)} height={Math.max(0, H - PAD.bottom - y(v))} fill={s.color}>
              <title>{`${s.name}: ${(v * 100).toFixed(1)}% in ${(prior.edges[b] / 1e6).toFixed(2)}-${(prior.edges[b + 1] / 1e6).toFixed(2)} M MACs`}</title>
            </rect>
          )),
        )}
        {[0, Math.floor(bins / 2), bins].map((b) => (
          <text key={b} x={PAD.left + b * bw} y={H - PAD.bottom + 14} textAnchor="middle" className="axis-label">
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
