/**
 * Every evaluated subnet as a point (MACs against accuracy), the Pareto front as a step line,
 * other runs' fronts overlaid in their sampler's colour, the budget as a vertical line and its
 * best subnet ringed. Canvas: thousands of points redraw in a few milliseconds.
 */
import { scaleLinear } from 'd3-scale';
import { CHART_FONT, useCanvasDraw } from './canvas';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { EvaluatedSubnet } from '../../core/search/evolution';
import { describePoint, nextPointKey } from './scatter-keys';
import { paretoBest } from './palette';

export interface OverlayFront {
  name: string;
  color: string;
  front: EvaluatedSubnet[];
}

interface Props {
  points: EvaluatedSubnet[];
  front: EvaluatedSubnet[];
  color: string;
  overlays: OverlayFront[];
  budgetMacs: number | null;
  best: EvaluatedSubnet | null;
  focusKey: string | null;
  selectedKeys: string[];
  latestGeneration: number;
  onPick(key: string | null): void;
}

const HEIGHT = 360;
const PAD = { left: 62, right: 14, top: 12, bottom: 36 };

export function ParetoScatter({
  points,
  front,
  color,
  overlays,
  budgetMacs,
  best,
  focusKey,
  selectedKeys,
  latestGeneration,
  onPick,
}: Props) {
  const [hover, setHover] = useState<{ entry: EvaluatedSubnet; x: number; y: number } | null>(null);
  const geometry = useRef<{ sx: (m: number) => number; sy: (a: number) => number } | null>(null);
  const [view, setView] = useState<{ mLo: number; mHi: number; aLo: number; aHi: number } | null>(null);
  const shown = useRef<{ mLo: number; mHi: number; aLo: number; aHi: number; plotW: number } | null>(null);

  const canvasRef = useCanvasDraw(
    HEIGHT,
    700,
    ({ ctx, width, style }) => {
      const all = [...points, ...overlays.flatMap((o) => o.front)];
      if (all.length === 0) return;
      const macs = all.map((p) => p.macs);
      const accs = all.map((p) => p.accuracy);
      // the zoomed view, or all points
      const { mLo, mHi, aLo, aHi } = view ?? {
        mLo: Math.min(...macs) * 0.95,
        mHi: Math.max(...macs) * 1.03,
        aLo: Math.max(0, Math.min(...accs) - 0.01),
        aHi: Math.min(1, Math.max(...accs) + 0.01),
      };
      shown.current = { mLo, mHi, aLo, aHi, plotW: width - PAD.left - PAD.right };
      const sx = (m: number) => PAD.left + ((m - mLo) / (mHi - mLo || 1)) * (width - PAD.left - PAD.right);
      const sy = (a: number) => PAD.top + (1 - (a - aLo) / (aHi - aLo || 1)) * (HEIGHT - PAD.top - PAD.bottom);
      geometry.current = { sx, sy };
      const muted = style.getPropertyValue('--muted').trim() || '#888';
      const grid = style.getPropertyValue('--grid').trim() || '#ccc';
      const text = style.getPropertyValue('--text').trim() || '#000';
      ctx.font = CHART_FONT;
      ctx.strokeStyle = grid;
      ctx.fillStyle = muted;
      // nice, even ticks (d3-scale); labels right-aligned to the axis and kept inside the canvas
      const aTicks = scaleLinear().domain([aLo, aHi]).ticks(5);
      const aDecimals = Math.max(0, -Math.floor(Math.log10(((aTicks[1] ?? aHi) - (aTicks[0] ?? aLo)) * 100 || 1) + 1e-9));
      ctx.textAlign = 'right';
      for (const a of aTicks) {
        ctx.beginPath();
        ctx.moveTo(PAD.left, sy(a));
        ctx.lineTo(width - PAD.right, sy(a));
        ctx.stroke();
        ctx.fillText(`${(a * 100).toFixed(aDecimals)}%`, PAD.left - 4, sy(a) + 4);
      }
      const mTicks = scaleLinear()
        .domain([mLo / 1e6, mHi / 1e6])
        .ticks(Math.max(2, Math.floor((width - PAD.left - PAD.right) / 80)));
      const mDecimals = Math.max(0, -Math.floor(Math.log10((mTicks[1] ?? 1) - (mTicks[0] ?? 0) || 1) + 1e-9));
      for (const m of mTicks) {
        const x = sx(m * 1e6);
        const label = m.toFixed(mDecimals);
        ctx.textAlign = x + ctx.measureText(label).width / 2 > width ? 'right' : 'center';
        ctx.fillText(label, ctx.textAlign === 'right' ? width - 2 : x, HEIGHT - PAD.bottom + 16);
      }
      ctx.textAlign = 'center';
      ctx.fillText('M multiply-adds', PAD.left + (width - PAD.left - PAD.right) / 2, HEIGHT - 6);
      ctx.save();
      ctx.translate(10, PAD.top + (HEIGHT - PAD.top - PAD.bottom) / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText('validation top-1', 0, 0);
      ctx.restore();
      ctx.textAlign = 'left';
      // marks stay inside the plot when zoomed
      ctx.save();
      ctx.beginPath();
      ctx.rect(PAD.left, PAD.top, width - PAD.left - PAD.right, HEIGHT - PAD.top - PAD.bottom);
      ctx.clip();
      // older generations fade so the search's progress reads at a glance
      for (const p of points) {
        ctx.globalAlpha = 0.25 + 0.6 * (latestGeneration > 0 ? p.generation / latestGeneration : 1);
        ctx.fillStyle = color;
        ctx.beginPath();
        ctx.arc(sx(p.macs), sy(p.accuracy), 3, 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
      const step = (f: EvaluatedSubnet[], stroke: string, dash: number[]) => {
        if (f.length === 0) return;
        ctx.strokeStyle = stroke;
        ctx.setLineDash(dash);
        ctx.lineWidth = 2;
        ctx.beginPath();
        const sorted = [...f].sort((a, b) => a.macs - b.macs);
        ctx.moveTo(sx(sorted[0].macs), sy(sorted[0].accuracy));
        for (let i = 1; i < sorted.length; i++) {
          ctx.lineTo(sx(sorted[i].macs), sy(sorted[i - 1].accuracy));
          ctx.lineTo(sx(sorted[i].macs), sy(sorted[i].accuracy));
        }
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.lineWidth = 1;
      };
      for (const o of overlays) step(o.front, o.color, [6, 4]);
      step(front, color, []);
      if (budgetMacs !== null) {
        ctx.strokeStyle = text;
        ctx.setLineDash([2, 3]);
        ctx.beginPath();
        ctx.moveTo(sx(budgetMacs), PAD.top);
        ctx.lineTo(sx(budgetMacs), HEIGHT - PAD.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      const ring = (p: EvaluatedSubnet, r: number, stroke: string, width = 2) => {
        ctx.strokeStyle = stroke;
        ctx.lineWidth = width;
        ctx.beginPath();
        ctx.arc(sx(p.macs), sy(p.accuracy), r, 0, Math.PI * 2);
        ctx.stroke();
        ctx.lineWidth = 1;
      };
      for (const p of points) if (selectedKeys.includes(p.key)) ring(p, 6, text);
      if (best) ring(best, 8, paretoBest, 3);
      const focus = points.find((p) => p.key === focusKey);
      if (focus) ring(focus, 10, text, 1.5);
      ctx.restore();
    },
    [points, front, color, overlays, budgetMacs, best, focusKey, selectedKeys, latestGeneration, view],
  );

  // zoom and pan as on the line charts: ctrl/alt+wheel zooms around the pointer, shift+drag
  // pans, double-click resets; a plain click still picks a subnet
  const zoomAt = (event: WheelEvent, canvas: HTMLCanvasElement) => {
    const d = shown.current;
    if (!d || !(event.ctrlKey || event.altKey || event.metaKey)) return;
    event.preventDefault();
    const rect = canvas.getBoundingClientRect();
    const fx = (event.clientX - rect.left - PAD.left) / d.plotW;
    const fy = 1 - (event.clientY - rect.top - PAD.top) / (HEIGHT - PAD.top - PAD.bottom);
    const k = event.deltaY < 0 ? 0.8 : 1.25;
    const m = d.mLo + fx * (d.mHi - d.mLo);
    const a = d.aLo + fy * (d.aHi - d.aLo);
    setView({ mLo: m - (m - d.mLo) * k, mHi: m + (d.mHi - m) * k, aLo: a - (a - d.aLo) * k, aHi: a + (d.aHi - a) * k });
  };
  const wheelTarget = useRef<HTMLCanvasElement | null>(null);
  const zoomAtRef = useRef(zoomAt);
  zoomAtRef.current = zoomAt;
  // stable, so React does not detach and reattach the canvas on every render
  const setCanvas = useCallback(
    (canvas: HTMLCanvasElement | null) => {
      canvasRef(canvas);
      if (canvas && canvas !== wheelTarget.current)
        canvas.addEventListener('wheel', (e) => zoomAtRef.current(e, canvas), { passive: false });
      wheelTarget.current = canvas;
    },
    [canvasRef],
  );
  const onPanStart = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const d = shown.current;
    if (!event.shiftKey || !d) return;
    event.preventDefault();
    const x0 = event.clientX;
    const y0 = event.clientY;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const move = (e: MouseEvent) => {
      const dm = ((e.clientX - x0) / d.plotW) * (d.mHi - d.mLo);
      const da = ((e.clientY - y0) / plotH) * (d.aHi - d.aLo);
      setView({ mLo: d.mLo - dm, mHi: d.mHi - dm, aLo: d.aLo + da, aHi: d.aHi + da });
    };
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  };

  const nearest = (event: React.MouseEvent<HTMLCanvasElement>): { entry: EvaluatedSubnet; x: number; y: number } | null => {
    const g = geometry.current;
    if (!g) return null;
    const rect = event.currentTarget.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    let best: EvaluatedSubnet | null = null;
    let bestD = 64; // within 8 px
    for (const p of points) {
      const d = (g.sx(p.macs) - x) ** 2 + (g.sy(p.accuracy) - y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = p;
      }
    }
    return best ? { entry: best, x, y } : null;
  };

  const byMacs = useMemo(() => [...points].sort((a, b) => a.macs - b.macs || a.accuracy - b.accuracy), [points]);
  const frontByMacs = useMemo(() => [...front].sort((a, b) => a.macs - b.macs), [front]);
  const focused = points.find((p) => p.key === focusKey) ?? null;
  const frontKeys = useMemo(() => new Set(front.map((p) => p.key)), [front]);
  const onKeyDown = (event: React.KeyboardEvent<HTMLCanvasElement>) => {
    if (event.key === 'Escape' && focusKey !== null) {
      // the studio's Escape closes its overlay; here it only leaves the point
      event.stopPropagation();
      onPick(null);
      return;
    }
    const key = nextPointKey(event.key, focusKey, byMacs, frontByMacs);
    if (key === undefined) return;
    event.preventDefault();
    onPick(key);
  };

  if (points.length === 0 && overlays.length === 0)
    return <p className="empty">Run a search: every subnet it evaluates appears here as a point, and the Pareto front as a line.</p>;
  return (
    <div className="scatter-wrap">
      <canvas
        ref={setCanvas}
        style={{ width: '100%', height: HEIGHT, cursor: hover ? 'pointer' : 'default' }}
        data-testid="pareto-scatter"
        data-points={points.length}
        data-front={front.length}
        tabIndex={0}
        role="group"
        aria-roledescription="scatter plot"
        aria-label="evaluated subnets: MACs against validation accuracy. Left and Right arrows step through the subnets by MACs, Up and Down along the Pareto front, Home and End to the ends; the chosen subnet's details open below."
        aria-describedby="pareto-focus-readout"
        onKeyDown={onKeyDown}
        onMouseDown={onPanStart}
        onDoubleClick={() => setView(null)}
        onMouseMove={(e) => setHover(nearest(e))}
        onMouseLeave={() => setHover(null)}
        onClick={(e) => onPick(nearest(e)?.entry.key ?? null)}
      />
      <p id="pareto-focus-readout" className="visually-hidden" aria-live="polite" data-testid="pareto-readout">
        {focused ? describePoint(focused, byMacs.indexOf(focused), byMacs.length, frontKeys.has(focused.key)) : ''}
      </p>
      {hover && (
        <div className="tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }} role="tooltip">
          {(hover.entry.macs / 1e6).toFixed(3)} M MACs · {(hover.entry.accuracy * 100).toFixed(2)}% · gen {hover.entry.generation} (
          {hover.entry.origin})
        </div>
      )}
      <p className="chart-tools">
        ctrl+wheel to zoom, shift+drag to pan, double-click to reset
        {view && (
          <button type="button" onClick={() => setView(null)}>
            Reset zoom
          </button>
        )}
      </p>
    </div>
  );
}
