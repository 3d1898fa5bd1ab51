/**
 * The subnets being trained: one square per trained subnet per step, MACs (log scale) over
 * steps, coloured by role. uPlot (use-uplot.ts) gives the step axis, hover, zoom and pan; the
 * squares are drawn by a path builder of our own (one Path2D of rectangles per series), since
 * uPlot's round points cost more on the thousands of dots of a long run.
 */
import { useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import { stepsTable } from '../../core/records/run-tables';
import type { StepPoint } from '../store/runs-slice';
import { roleColors } from './palette';
import { ResetZoomButton, themedAxis } from './uplot-parts';
import { useUplot } from './use-uplot';
import { ExportMenu } from '../export/ExportMenu';
import { canvasChartImage } from '../export/chart-image';
import { mmacs } from '../format';
import { logTicks } from '../../core/comparison/log-ticks';

const HEIGHT = 190;

/** A path builder drawing each point as a square `size` CSS pixels wide. */
const squares =
  (size: number): uPlot.Series.PathBuilder =>
  (u, seriesIdx, idx0, idx1) => {
    const path = new Path2D();
    const xs = u.data[0];
    const ys = u.data[seriesIdx];
    const s = size * devicePixelRatio;
    // a long run has far more steps than pixels: one square per occupied cell of a square-sized
    // grid, so drawing costs the plot's area, not the run's length
    const cols = Math.ceil(u.ctx.canvas.width / s) + 1;
    const taken = new Uint8Array(cols * (Math.ceil(u.ctx.canvas.height / s) + 1));
    for (let i = idx0; i <= idx1; i++) {
      const v = ys[i];
      if (v === null || v === undefined) continue;
      const px = u.valToPos(xs[i], 'x', true);
      const py = u.valToPos(v, 'y', true);
      const cell = Math.floor(py / s) * cols + Math.floor(px / s);
      if (cell < 0 || cell >= taken.length || taken[cell]) continue;
      taken[cell] = 1;
      path.rect(px - s / 2, py - s / 2, s, s);
    }
    return { fill: path, clip: undefined, flags: 0 };
  };

export function SubnetStrip({
  steps,
  totalSteps,
  macsRange,
  name = 'run',
}: {
  steps: StepPoint[];
  totalSteps: number;
  macsRange: { smallest: number; largest: number } | null;
  name?: string;
}) {
  const readout = useRef<HTMLParagraphElement>(null);
  const figure = useRef<HTMLElement>(null);
  // one series per slot of the sandwich (largest, the sampled ones, smallest), its role's colour
  const slotRoles = useMemo(() => steps.find((s) => s.roles.length > 0)?.roles ?? [], [steps.length > 0]);
  const data = useMemo(
    (): uPlot.AlignedData => [steps.map((s) => s.step + 1), ...slotRoles.map((_, slot) => steps.map((s) => s.macs[slot] ?? null))],
    [steps, slotRoles],
  );

  const chart = useUplot({
    height: HEIGHT,
    data,
    // the whole run's steps from the start, so the strip fills in from the left
    xRange: () => [1, Math.max(2, totalSteps, (steps[steps.length - 1]?.step ?? 0) + 1)],
    rebuildKey: `${slotRoles.join(',')}:${totalSteps}:${macsRange?.smallest}:${macsRange?.largest}`,
    options: (width) => {
      const axis = themedAxis();
      const size = Math.max(2, Math.min(5, (width - 60) / Math.max(1, totalSteps)));
      return {
        width,
        height: HEIGHT,
        scales: {
          x: { time: false },
          y: { distr: 3, log: 10, range: () => [(macsRange?.smallest ?? 1) * 0.9, (macsRange?.largest ?? 10) * 1.1] },
        },
        axes: [
          { ...axis, label: 'step', labelSize: 18 },
          {
            ...axis,
            label: 'M multiply-adds',
            labelSize: 18,
            size: 52,
            splits: (_u, _i, min, max) => logTicks(min, max, 5),
            filter: (_u, splits) => splits,
            values: (_u, splits) => splits.map((v) => (v === null ? '' : +(v / 1e6).toPrecision(2) + '')),
          },
        ],
        series: [
          { label: 'step' },
          ...slotRoles.map((role): uPlot.Series => ({
            label: role,
            stroke: roleColors[role] ?? '#888888',
            fill: roleColors[role] ?? '#888888',
            paths: squares(size),
            points: { show: false },
          })),
        ],
      };
    },
    onCursor: (plot, index) => {
      if (!readout.current) return;
      if (index === null) {
        readout.current.textContent = 'Hover the strip for a step’s subnets.';
        return;
      }
      const parts = slotRoles.map((role, slot) => {
        const v = plot.data[slot + 1]?.[index];
        return `${role} ${v === null || v === undefined ? '–' : mmacs(v)}M`;
      });
      readout.current.textContent = `step ${plot.data[0][index]} · ${parts.join(' · ')}`;
    },
  });

  if (!macsRange) return <p className="empty">The trained subnets appear here once the run starts.</p>;
  return (
    <figure className="chart" ref={figure}>
      <div className="chart-tools">
        <ResetZoomButton chart={chart} />
        <ExportMenu
          name={`${name}-subnets-trained`}
          what="subnet strip and the steps"
          table={() => stepsTable(steps)}
          image={canvasChartImage(() => figure.current?.querySelector('.uplot') ?? null)}
        />
      </div>
      <div
        ref={chart.ref}
        data-testid="subnet-strip"
        data-points={steps.length}
        role="img"
        aria-label="MACs of the subnets trained at each step"
      />
      <p className="chart-readout" ref={readout} data-testid="strip-readout" />
      <figcaption>
        MACs of the subnets trained at each step (log scale):{' '}
        {Object.entries(roleColors).map(([role, color]) => (
          <span key={role} className="legend-item">
            <span className="swatch" style={{ background: color }} /> {role}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
