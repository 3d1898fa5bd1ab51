/**
 * Training loss of the largest and smallest subnets over steps, with uPlot (use-uplot.ts): it
 * updates on every progress message, and uPlot draws thousands of points in a millisecond or
 * two where an SVG chart library re-rendering them cost the main thread long tasks. Hover reads
 * out the step's losses; drag zooms, shift+drag pans, double-click resets; a log-scale switch
 * and TensorBoard's EMA smoothing (raw values dashed behind the smoothed line).
 */
import { useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { emaSmooth } from '../../core/comparison/smoothing';
import { stepsTable } from '../../core/records/run-tables';
import { logTicks } from '../../core/comparison/log-ticks';
import type { StepPoint } from '../store/runs-slice';
import { roleColors } from './palette';
import { lossAxis, ResetZoomButton, SmoothingSlider, themedAxis } from './uplot-parts';
import { useUplot } from './use-uplot';
import { ExportMenu } from '../export/ExportMenu';
import { canvasChartImage } from '../export/chart-image';

const HEIGHT = 240;
const finite = (v: number) => (Number.isFinite(v) ? v : null);

export function LossChart({ steps, name = 'run' }: { steps: StepPoint[]; name?: string }) {
  const [logScale, setLogScale] = useState(false);
  const [smoothing, setSmoothing] = useState(0.6);
  const readout = useRef<HTMLParagraphElement>(null);
  const figure = useRef<HTMLElement>(null);

  const data = useMemo((): uPlot.AlignedData => {
    const xs = steps.map((s) => s.step + 1);
    const largest = steps.map((s) => s.losses[0]);
    const smallest = steps.map((s) => s.losses[s.losses.length - 1]);
    const raw = [largest.map(finite), smallest.map(finite)];
    if (smoothing <= 0) return [xs, ...raw];
    return [xs, ...raw, emaSmooth(largest, smoothing).map(finite), emaSmooth(smallest, smoothing).map(finite)];
  }, [steps, smoothing]);
  const smoothed = smoothing > 0;

  const chart = useUplot({
    height: HEIGHT,
    data,
    rebuildKey: `${logScale}:${smoothed}`,
    options: (width) => {
      const axis = themedAxis();
      const line = (label: string, color: string, dashed: boolean): uPlot.Series => ({
        label,
        stroke: color,
        width: dashed ? 1 : 1.75,
        dash: dashed ? [3, 3] : undefined,
        points: { show: false },
      });
      return {
        width,
        height: HEIGHT,
        // the log scale spans the data, not whole decades, so a loss from 1.6 to 2.3 fills the chart
        scales: {
          x: { time: false },
          y: logScale ? { distr: 3, log: 10, range: (_u, min, max) => [min * 0.97, max * 1.03] } : { auto: true },
        },
        axes: [
          { ...axis, label: 'step', labelSize: 18 },
          {
            ...lossAxis(),
            ...(logScale
              ? {
                  splits: (_u: uPlot, _i: number, min: number, max: number) => logTicks(min, max, 5),
                  filter: (_u: uPlot, splits: number[]) => splits,
                }
              : {}),
          },
        ],
        series: [
          { label: 'step' },
          line('largest', roleColors.largest, smoothed),
          line('smallest', roleColors.smallest, smoothed),
          ...(smoothed
            ? [line('largest (smoothed)', roleColors.largest, false), line('smallest (smoothed)', roleColors.smallest, false)]
            : []),
        ],
      };
    },
    onCursor: (plot, index) => {
      if (!readout.current) return;
      if (index === null) {
        readout.current.textContent = 'Hover the chart for a step’s losses.';
        return;
      }
      const value = (i: number) => {
        const v = plot.data[i]?.[index];
        return v === null || v === undefined ? '–' : v.toFixed(4);
      };
      const both = (raw: number, smooth: number) => (smoothed ? `${value(smooth)} (raw ${value(raw)})` : value(raw));
      readout.current.textContent = `step ${plot.data[0][index]} · largest ${both(1, 3)} · smallest ${both(2, 4)}`;
    },
  });

  if (steps.length === 0) return <p className="empty">The loss curves appear after the first training step.</p>;
  return (
    <figure className="chart" ref={figure}>
      <div className="chart-tools">
        <label>
          <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} data-testid="loss-log" /> log scale
        </label>
        <SmoothingSlider value={smoothing} onChange={setSmoothing} testId="loss-smoothing" />
        <ResetZoomButton chart={chart} />
        <ExportMenu
          name={`${name}-steps`}
          what="loss chart and the steps"
          table={() => stepsTable(steps)}
          image={canvasChartImage(() => figure.current?.querySelector('.uplot') ?? null)}
        />
      </div>
      <div
        ref={chart.ref}
        data-testid="loss-chart"
        data-log={logScale}
        data-points={steps.length}
        aria-label="training loss of the largest and smallest subnets"
        role="img"
      />
      <p className="chart-readout" ref={readout} data-testid="loss-readout" aria-live="off" />
      <figcaption>
        <span className="legend-item">
          <span className="swatch" style={{ background: roleColors.largest }} /> largest subnet
        </span>
        <span className="legend-item">
          <span className="swatch" style={{ background: roleColors.smallest }} /> smallest subnet
        </span>
        {smoothed && <span> · dashed: raw, solid: EMA-smoothed</span>} · drag to zoom, shift+drag to pan, double-click to reset
      </figcaption>
    </figure>
  );
}
