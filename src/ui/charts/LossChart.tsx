/**
 * Training loss of the largest and smallest subnets over steps, on a canvas: it redraws on every
 * progress message, and an SVG chart library re-rendering hundreds of points there cost the main
 * thread long tasks (measured by the browser test's longtask observer).
 */
import { CHART_FONT, useCanvasDraw } from './canvas';
import type { StepPoint } from '../store/runs-slice';
import { roleColors } from './palette';

const HEIGHT = 240;
const PAD = { left: 50, right: 10, top: 10, bottom: 26 };
const MAX_POINTS = 600;

export function LossChart({ steps }: { steps: StepPoint[] }) {
  const canvasRef = useCanvasDraw(HEIGHT, 600, ({ ctx, width, style }) => {
    if (steps.length === 0) return;
    const stride = Math.max(1, Math.ceil(steps.length / MAX_POINTS));
    const shown = steps.filter((_, i) => i % stride === 0 || i === steps.length - 1);
    const series = [
      { color: roleColors.largest, values: shown.map((s) => s.losses[0]) },
      { color: roleColors.smallest, values: shown.map((s) => s.losses[s.losses.length - 1]) },
    ];
    const all = series.flatMap((s) => s.values).filter(Number.isFinite);
    let lo = Math.min(...all);
    let hi = Math.max(...all);
    if (hi - lo < 1e-6) {
      lo -= 0.05;
      hi += 0.05;
    }
    const first = shown[0].step;
    const last = Math.max(first + 1, shown[shown.length - 1].step);
    const x = (step: number) => PAD.left + ((step - first) / (last - first)) * (width - PAD.left - PAD.right);
    const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (HEIGHT - PAD.top - PAD.bottom);
    ctx.font = CHART_FONT;
    ctx.strokeStyle = style.getPropertyValue('--grid').trim() || '#ccc';
    ctx.fillStyle = style.getPropertyValue('--muted').trim() || '#888';
    for (let i = 0; i <= 4; i++) {
      const v = lo + ((hi - lo) * i) / 4;
      ctx.beginPath();
      ctx.moveTo(PAD.left, y(v));
      ctx.lineTo(width - PAD.right, y(v));
      ctx.stroke();
      ctx.fillText(v.toFixed(3), 4, y(v) + 4);
    }
    ctx.fillText(`step ${first + 1}`, PAD.left, HEIGHT - 6);
    ctx.fillText(`step ${last + 1}`, width - PAD.right - 50, HEIGHT - 6);
    ctx.lineWidth = 1.5;
    for (const s of series) {
      ctx.strokeStyle = s.color;
      ctx.beginPath();
      s.values.forEach((v, i) => (i === 0 ? ctx.moveTo(x(shown[i].step), y(v)) : ctx.lineTo(x(shown[i].step), y(v))));
      ctx.stroke();
    }
  }, [steps]);
  if (steps.length === 0) return <p className="empty">The loss curves appear after the first training step.</p>;
  return (
    <figure className="chart">
      <canvas ref={canvasRef} style={{ width: '100%', height: HEIGHT }} data-testid="loss-chart" aria-label="training loss of the largest and smallest subnets" />
      <figcaption>
        <span className="legend-item">
          <span className="swatch" style={{ background: roleColors.largest }} /> largest subnet
        </span>
        <span className="legend-item">
          <span className="swatch" style={{ background: roleColors.smallest }} /> smallest subnet
        </span>
      </figcaption>
    </figure>
  );
}
