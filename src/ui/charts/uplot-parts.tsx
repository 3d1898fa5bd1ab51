/**
 * The pieces the uPlot line charts (LossChart, RunsLossChart, SubnetStrip) share: axes in the
 * theme's colours, the loss axis's labels, the EMA smoothing slider and the Reset zoom button.
 * One definition each, so the charts look and behave alike.
 */
import type uPlot from 'uplot';
import { CHART_FONT } from './canvas';
import { cssVar } from './theme-key';
import type { UplotHandle } from './use-uplot';

/** An axis in the current theme's colours (read when a plot is built; a theme change rebuilds it). */
export function themedAxis(): uPlot.Axis {
  const grid = cssVar('--grid', '#d8dde3');
  return {
    stroke: cssVar('--muted', '#5d6875'),
    font: CHART_FONT,
    labelFont: CHART_FONT,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
  };
}

/** The y axis of a loss chart: titled, wide enough for "2.31", labels at 3 significant digits. */
export function lossAxis(): uPlot.Axis {
  return {
    ...themedAxis(),
    label: 'cross-entropy loss',
    labelSize: 18,
    size: 52,
    values: (_u, splits) => splits.map((v) => (v === null ? '' : +v.toPrecision(3) + '')),
  };
}

/** TensorBoard's EMA smoothing weight, 0 (raw) to 0.99. */
export function SmoothingSlider({ value, onChange, testId }: { value: number; onChange(weight: number): void; testId?: string }) {
  return (
    <label>
      smoothing{' '}
      <input
        type="range"
        min={0}
        max={0.99}
        step={0.01}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        data-testid={testId}
        aria-label="EMA smoothing weight"
      />{' '}
      {value.toFixed(2)}
    </label>
  );
}

/** Shown only while the chart is zoomed. */
export function ResetZoomButton({ chart }: { chart: Pick<UplotHandle, 'zoomed' | 'resetZoom'> }) {
  if (!chart.zoomed) return null;
  return (
    <button type="button" onClick={chart.resetZoom}>
      Reset zoom
    </button>
  );
}
