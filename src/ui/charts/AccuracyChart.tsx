/** Validation top-1 of the largest (solid) and smallest (dashed) subnets over steps, one colour per run. */
import { memo } from 'react';
import { scaleLinear } from 'd3-scale';
import { Brush, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunRecord } from '../store/runs-slice';
import { samplersOf } from './sampler-colors';

export const AccuracyChart = memo(function AccuracyChart({ runs }: { runs: RunRecord[] }) {
  const byStep = new Map<number, Record<string, number>>();
  for (const run of runs) {
    for (const e of run.epochs) {
      const row = byStep.get(e.steps) ?? { step: e.steps };
      row[`${run.id}:largest`] = e.validation.largest.accuracy * 100;
      row[`${run.id}:smallest`] = e.validation.smallest.accuracy * 100;
      byStep.set(e.steps, row);
    }
  }
  const data = [...byStep.values()].sort((a, b) => a.step - b.step);
  // a comparison over seeds has one run per sampler and seed: the names say which seed
  const severalSeeds = new Set(runs.map((r) => r.config.seed)).size > 1;
  const name = (run: RunRecord) => (severalSeeds ? `${run.label} seed ${run.config.seed}` : run.label);
  const colors = new Map(samplersOf(runs).map((s) => [s.name, s.color]));
  const color = (run: RunRecord) => colors.get(run.label)!;
  // nice 1-2-5 ticks (d3-scale) rather than recharts' even fifths of the data's span (14%, 21%, 28%)
  const values = data.flatMap((row) => Object.entries(row).flatMap(([k, v]) => (k === 'step' ? [] : [v])));
  const yTicks = values.length
    ? scaleLinear()
        .domain([Math.min(...values), Math.max(...values)])
        .nice(5)
        .ticks(5)
    : [];
  if (data.length === 0) return <p className="empty">Accuracy over time appears after the first epoch of each run.</p>;
  return (
    <div data-testid="accuracy-chart" data-points={data.length}>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis
            dataKey="step"
            stroke="var(--muted)"
            // the title centred under the ticks, inside a taller axis: at the bottom right it sat on the brush
            height={44}
            label={{ value: 'step', position: 'insideBottom', offset: 2, fill: 'var(--muted)' }}
          />
          <YAxis
            stroke="var(--muted)"
            domain={yTicks.length > 1 ? [yTicks[0], yTicks[yTicks.length - 1]] : ['auto', 'auto']}
            ticks={yTicks.length > 1 ? yTicks : undefined}
            unit="%"
            label={{
              value: 'validation top-1',
              angle: -90,
              position: 'insideLeft',
              offset: 10,
              fill: 'var(--muted)',
              style: { textAnchor: 'middle' },
            }}
          />
          <Tooltip
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--grid)', color: 'var(--text)' }}
            formatter={(v) => `${Number(v).toFixed(1)}%`}
          />
          {/* legend text in the text colour: a series hue is 3:1 for a line, not the 4.5:1 text needs */}
          <Legend formatter={(value) => <span style={{ color: 'var(--text)' }}>{value}</span>} />
          {/* zoom and pan over the steps once there are several evaluations (recharts' brush) */}
          {data.length >= 4 && <Brush dataKey="step" height={18} stroke="var(--muted)" fill="var(--panel)" travellerWidth={8} />}
          {runs.flatMap((run) => [
            <Line
              key={`${run.id}:largest`}
              dataKey={`${run.id}:largest`}
              name={`${name(run)} largest`}
              stroke={color(run)}
              dot
              isAnimationActive={false}
              connectNulls
            />,
            <Line
              key={`${run.id}:smallest`}
              dataKey={`${run.id}:smallest`}
              name={`${name(run)} smallest`}
              stroke={color(run)}
              strokeDasharray="5 4"
              dot
              isAnimationActive={false}
              connectNulls
            />,
          ])}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});
