/**
 * Shared canvas plumbing for the charts. A chart draws in a task of its own, started just
 * after the next frame has laid the page out, rather than in a React effect: store updates from
 * the worker render synchronously inside the message task, and drawing there too (with the
 * forced layout that reading the canvas size costs) made that one task long; drawing inside the
 * frame made the frame long instead. After the frame the layout is clean, so reading sizes costs
 * nothing, and a drawing task that has spent its budget leaves the other charts to the next one
 * (the training view's charts all appear with the first steps, and a canvas's first draw, which
 * allocates its backing store, is the costly one). Several updates of a chart between frames
 * draw once, and a ResizeObserver keeps the width.
 */
import { useCallback, useEffect, useRef, type DependencyList } from 'react';
import { useThemeKey } from './theme-key';

export const CHART_FONT = '11px system-ui, sans-serif';

/**
 * Draws a little text in the chart font on a detached canvas. A page's first canvas text
 * resolves the font, about 25 ms here: done while the page is idle, that cost is out of the way
 * before the first chart appears in the middle of a training run.
 */
export function prewarmCanvasText(): void {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return;
  ctx.font = CHART_FONT;
  ctx.fillText('0.123 step 4M%', 0, 10);
}

export interface CanvasFrame {
  ctx: CanvasRenderingContext2D;
  width: number;
  style: CSSStyleDeclaration;
}

/** Sizes the backing store to `width` × `height` CSS pixels (only when it changed), scales for the pixel ratio, clears it. */
function prepareCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasFrame | null {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  // assigning width/height reallocates the backing store even when unchanged: skip it then
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, style: getComputedStyle(canvas) };
}

/** Milliseconds of drawing a task may start another draw within (one draw always runs). */
const TASK_BUDGET_MS = 8;
const queued = new Set<() => void>();
let drawingRequested = false;

function drawQueued(): void {
  const started = performance.now();
  for (const draw of queued) {
    if (performance.now() - started > TASK_BUDGET_MS) break;
    queued.delete(draw);
    draw();
  }
  if (queued.size > 0) setTimeout(drawQueued, 0);
  else drawingRequested = false;
}

/**
 * Runs `work` in the charts' drawing queue: just after the next frame, within the drawing
 * budget of a task. Queueing the same function again before it runs runs it once.
 */
export function queueChartWork(work: () => void): void {
  queued.add(work);
  requestDrawing();
}

/** Drops work queued and not yet run (a chart that unmounts). */
export function dropChartWork(work: () => void): void {
  queued.delete(work);
}

function requestDrawing(): void {
  if (drawingRequested) return;
  drawingRequested = true;
  requestAnimationFrame(() => setTimeout(drawQueued, 0));
}

/**
 * Returns a ref for a `<canvas>` that `draw` paints, just after the next frame, when any of
 * `deps` changes and whenever the canvas is resized. `draw` may close over the latest props.
 */
export function useCanvasDraw(
  height: number,
  fallbackWidth: number,
  draw: (frame: CanvasFrame) => void,
  deps: DependencyList,
): (canvas: HTMLCanvasElement | null) => void {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const widthRef = useRef(0);
  const drawRef = useRef(draw);
  drawRef.current = draw;
  const observerRef = useRef<ResizeObserver | null>(null);

  // one function per chart, so queueing it twice before a frame draws once
  const paint = useCallback(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    if (!widthRef.current) widthRef.current = canvas.clientWidth;
    const frame = prepareCanvas(canvas, widthRef.current || fallbackWidth, height);
    if (frame) drawRef.current(frame);
  }, [height, fallbackWidth]);
  const schedule = useCallback(() => {
    queued.add(paint);
    requestDrawing();
  }, [paint]);

  const ref = useCallback(
    (canvas: HTMLCanvasElement | null) => {
      observerRef.current?.disconnect();
      observerRef.current = null;
      canvasRef.current = canvas;
      widthRef.current = 0;
      if (!canvas) return;
      if (typeof ResizeObserver !== 'undefined') {
        observerRef.current = new ResizeObserver((entries) => {
          const width = entries[entries.length - 1].contentRect.width;
          if (width > 0 && Math.abs(width - widthRef.current) >= 0.5) {
            widthRef.current = width;
            schedule();
          }
        });
        observerRef.current.observe(canvas);
      }
      schedule();
    },
    [schedule],
  );

  // the caller's deps decide when to redraw, like an effect's; a theme change redraws too,
  // since the colours are read from CSS variables as the chart draws
  const themeKey = useThemeKey();
  useEffect(schedule, [...deps, themeKey]);
  useEffect(
    () => () => {
      queued.delete(paint);
      observerRef.current?.disconnect();
    },
    [paint],
  );
  return ref;
}
