/**
 * The subnets being trained: one dot per trained subnet per step, MACs on a log scale over
 * steps, coloured by role. Canvas, because a long run has thousands of dots.
 */
import { CHART_FONT, useCanvasDraw } from './canvas';
import type { StepPoint } from '../store/runs-slice';
import { roleColors } from './palette';

const HEIGHT = 180;

export function SubnetStrip({ steps, totalSteps, macsRange }: { steps: StepPoint[]; totalSteps: number; macsRange: { smallest: number; largest: number } | null }) {
  const canvasRef = useCanvasDraw(HEIGHT, 600, ({ ctx, width, style }) => {
    if (!macsRange) return;
    const left = 44;
    const lo = Math.log(macsRange.smallest * 0.9);
    const hi = Math.log(macsRange.largest * 1.1);
    const x = (step: number) => left + ((step + 0.5) / Math.max(1, totalSteps)) * (width - left - 8);
    const y = (macs: number) => 8 + (1 - (Math.log(macs) - lo) / (hi - lo)) * (HEIGHT - 24);
    ctx.fillStyle = style.getPropertyValue('--muted') || '#888';
    ctx.font = CHART_FONT;
    for (const m of [macsRange.smallest, Math.sqrt(macsRange.smallest * macsRange.largest), macsRange.largest]) {
      ctx.fillText(`${(m / 1e6).toFixed(2)}M`, 2, y(m) + 4);
    }
    const size = Math.max(1.5, Math.min(4, (width - left) / Math.max(1, totalSteps)));
    for (const point of steps) {
      point.macs.forEach((macs, i) => {
        ctx.fillStyle = roleColors[point.roles[i]] ?? '#888';
        ctx.fillRect(x(point.step) - size / 2, y(macs) - size / 2, size, size);
      });
    }
  }, [steps, totalSteps, macsRange]);
  if (!macsRange) return <p className="empty">The trained subnets appear here once the run starts.</p>;
  return (
    <figure className="chart">
      <canvas ref={canvasRef} style={{ width: '100%', height: HEIGHT }} data-testid="subnet-strip" data-points={steps.length} aria-label="MACs of the subnets trained at each step" />
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
