/**
 * Several finished runs' training loss overlaid on one step axis (the Runs view's comparison),
 * one colour per run, with uPlot like the single run's LossChart: hover reads out every run's
 * loss at the step, drag zooms, double-click resets, EMA smoothing by default since raw
 * sandwich losses of several runs on top of each other are hard to tell apart.
 */
import { useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { emaSmooth } from '../../core/comparison/smoothing';
import { lossOverlayTable, overlayLosses } from '../../core/comparison/loss-overlay';
import { lossAxis, ResetZoomButton, SmoothingSlider, themedAxis } from './uplot-parts';
import { useUplot } from './use-uplot';
import { ExportMenu } from '../export/ExportMenu';
import { canvasChartImage } from '../export/chart-image';
import type { StepPoint } from '../store/runs-slice';

const HEIGHT = 260;
const STEP_INCREMENTS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10_000, 100_000].map((p) => m * p)).sort((a, b) => a - b);

export interface OverlaidRun {
  name: string;
  color: string;
  steps: StepPoint[];
}

/** EMA over the points a run has, leaving its gaps (steps other runs have) empty. */
function smoothGaps(values: (number | null)[], weight: number): (number | null)[] {
  const present = values.flatMap((v) => (v === null ? [] : [v]));
  const smooth = emaSmooth(present, weight);
  let i = 0;
  return values.map((v) => (v === null ? null : smooth[i++]));
}

export function RunsLossChart({ runs }: { runs: OverlaidRun[] }) {
  const [role, setRole] = useState<'largest' | 'smallest'>('largest');
  const [smoothing, setSmoothing] = useState(0.6);
  const readout = useRef<HTMLParagraphElement>(null);
  const figure = useRef<HTMLElement>(null);
  const overlay = useMemo(() => overlayLosses(runs, role), [runs, role]);
  const data = useMemo(
    (): uPlot.AlignedData => [overlay.steps, ...overlay.losses.map((l) => (smoothing > 0 ? smoothGaps(l, smoothing) : l))],
    [overlay, smoothing],
  );

  const chart = useUplot({
    height: HEIGHT,
    data,
    rebuildKey: runs.map((r) => r.name + r.color).join('|'),
    options: (width) => {
      const axis = themedAxis();
      return {
        width,
        height: HEIGHT,
        scales: { x: { time: false }, y: { auto: true } },
        axes: [
          // whole steps only: uPlot's default increments label 1.1, 1.2, ... on a short run
          { ...axis, label: 'step', labelSize: 18, incrs: STEP_INCREMENTS },
          lossAxis(),
        ],
        // spanGaps: a run's line continues over the steps only other runs have
        series: [
          { label: 'step' },
          ...runs.map((r): uPlot.Series => ({ label: r.name, stroke: r.color, width: 1.75, spanGaps: true, points: { show: false } })),
        ],
      };
    },
    onCursor: (plot, index) => {
      if (!readout.current) return;
      if (index === null) {
        readout.current.textContent = 'Hover the chart for each run’s loss at a step.';
        return;
      }
      const values = runs.map((r, i) => {
        const v = plot.data[i + 1]?.[index];
        return `${r.name} ${v === null || v === undefined ? '–' : v.toFixed(4)}`;
      });
      readout.current.textContent = `step ${plot.data[0][index]} · ${values.join(' · ')}`;
    },
  });

  return (
    <figure className="chart" ref={figure}>
      <div className="chart-tools">
        <label>
          subnet{' '}
          <select name="overlay-role" value={role} onChange={(e) => setRole(e.target.value as 'largest' | 'smallest')}>
            <option value="largest">largest</option>
            <option value="smallest">smallest</option>
          </select>
        </label>
        <SmoothingSlider value={smoothing} onChange={setSmoothing} />
        <ResetZoomButton chart={chart} />
        <ExportMenu
          name="compared-runs-loss"
          what="overlaid loss curves"
          table={() =>
            lossOverlayTable(
              overlayLosses(runs, role),
              runs.map((r) => r.name),
            )
          }
          image={canvasChartImage(() => figure.current?.querySelector('.uplot') ?? null)}
        />
      </div>
      <div
        ref={chart.ref}
        data-testid="runs-loss-chart"
        data-series={runs.length}
        data-points={overlay.steps.length}
        role="img"
        aria-label={`training loss of the ${role} subnet of each compared run`}
      />
      <p className="chart-readout" ref={readout} aria-live="off" />
      <figcaption>
        {runs.map((r) => (
          <span key={`${r.name}-${r.color}`} className="legend-item">
            <span className="swatch" style={{ background: r.color }} /> {r.name}
          </span>
        ))}{' '}
        · {smoothing > 0 ? 'EMA-smoothed' : 'raw'} loss of the {role} subnet · drag to zoom, double-click to reset
      </figcaption>
    </figure>
  );
}
