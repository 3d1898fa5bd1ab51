/**
 * uPlot in React, for the line and scatter charts that update on every training step: uPlot
 * draws thousands of points on a canvas in a millisecond or two and comes with hover (its
 * cursor), box zoom and the nice 1-2-5 ticks, which the hand-made canvas charts lacked.
 *
 * The plot is built once and fed with setData; both run in the charts' drawing queue (after the
 * next frame, canvas.ts) rather than inside React's render or the worker's message task, to keep
 * the 50 ms main-thread budget. It is rebuilt when `rebuildKey` changes (a log-scale switch) or
 * the theme does, since its axis and series colours are read from CSS variables when built.
 *
 * Interaction, as in the tools people know: drag to zoom into steps, shift+drag to pan,
 * ctrl/alt+wheel to zoom around the pointer, double-click to reset. Once zoomed, new data keeps
 * the zoom (setData without rescaling); a reset follows the data again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { dropChartWork, queueChartWork } from './canvas';
import { useThemeKey } from './theme-key';

export interface UplotSetup {
  height: number;
  /** the options for a plot this wide (called when it is built) */
  options(width: number): uPlot.Options;
  data: uPlot.AlignedData;
  /** rebuilds the plot when it changes (a scale's kind, the number of series) */
  rebuildKey: string;
  /** the x range to show while not zoomed, when it is not the data's (a run's whole length) */
  xRange?(): [number, number];
  /** hover: the index of the point under the cursor, or null when the cursor leaves */
  onCursor?(plot: uPlot, index: number | null): void;
}

export interface UplotHandle {
  ref(element: HTMLDivElement | null): void;
  /** the plot, once built (for exports) */
  plot(): uPlot | null;
  zoomed: boolean;
  resetZoom(): void;
}

export function useUplot(setup: UplotSetup): UplotHandle {
  const container = useRef<HTMLDivElement | null>(null);
  const plotRef = useRef<uPlot | null>(null);
  const setupRef = useRef(setup);
  setupRef.current = setup;
  const zoomedRef = useRef(false);
  const [zoomed, setZoomedState] = useState(false);
  const setZoomed = useCallback((z: boolean) => {
    zoomedRef.current = z;
    setZoomedState(z);
  }, []);
  const themeKey = useThemeKey();

  // the plot's data, after a build or a change (a build queues it)
  const update = useCallback(() => {
    const plot = plotRef.current;
    if (!plot) return;
    plot.setData(setupRef.current.data, !zoomedRef.current);
    if (!zoomedRef.current) applyRange(plot);
  }, []);

  const build = useCallback(() => {
    const element = container.current;
    plotRef.current?.destroy();
    plotRef.current = null;
    if (!element) return;
    // a new plot starts unzoomed
    if (zoomedRef.current) setZoomed(false);
    const { options, height, data, onCursor } = setupRef.current;
    // built empty, filled by the next task: building (DOM, canvas backing store, axis layout)
    // and the first draw of thousands of points each stay well under the 50 ms budget
    const empty = data.map(() => []) as unknown as uPlot.AlignedData;
    const base = options(element.clientWidth || 600);
    const plot = new uPlot(
      {
        ...base,
        height,
        legend: { show: false },
        cursor: { drag: { x: true, y: false, setScale: true }, ...base.cursor },
        hooks: {
          ...base.hooks,
          setSelect: [(u) => u.select.width > 0 && setZoomed(true)],
          setCursor: [(u) => setupRef.current.onCursor?.(u, u.cursor.idx ?? null)],
        },
      },
      empty,
      element,
    );
    if (onCursor) onCursor(plot, null);
    addPanAndWheel(plot, () => setZoomed(true));
    // after uPlot's own double-click, which rescales to the data
    plot.over.addEventListener('dblclick', () => {
      setZoomed(false);
      applyRange(plot);
    });
    plotRef.current = plot;
    queueChartWork(update);
  }, [setZoomed, update]);

  function applyRange(plot: uPlot) {
    const range = setupRef.current.xRange?.();
    if (range) plot.setScale('x', { min: range[0], max: range[1] });
  }

  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback(
    (element: HTMLDivElement | null) => {
      observer.current?.disconnect();
      observer.current = null;
      container.current = element;
      if (!element) {
        plotRef.current?.destroy();
        plotRef.current = null;
        return;
      }
      if (typeof ResizeObserver !== 'undefined') {
        let width = element.clientWidth;
        observer.current = new ResizeObserver((entries) => {
          const w = entries[entries.length - 1].contentRect.width;
          if (w > 0 && Math.abs(w - width) >= 0.5) {
            width = w;
            queueChartWork(() => plotRef.current?.setSize({ width: w, height: setupRef.current.height }));
          }
        });
        observer.current.observe(element);
      }
      queueChartWork(build);
    },
    [build],
  );

  // a rebuild (new scale kind, theme) or a data update, after the next frame
  useEffect(() => {
    if (container.current) queueChartWork(build);
  }, [setup.rebuildKey, themeKey, build]);
  useEffect(() => {
    if (plotRef.current) queueChartWork(update);
  }, [setup.data, update]);

  useEffect(
    () => () => {
      dropChartWork(build);
      dropChartWork(update);
      plotRef.current?.destroy();
      plotRef.current = null;
    },
    [build, update],
  );

  const resetZoom = useCallback(() => {
    setZoomed(false);
    const plot = plotRef.current;
    if (plot) {
      plot.setData(plot.data, true);
      applyRange(plot);
    }
  }, [setZoomed]);

  return { ref, plot: () => plotRef.current, zoomed, resetZoom };
}

/** Shift+drag pans the x scale; ctrl/alt/meta+wheel zooms it around the pointer. */
function addPanAndWheel(plot: uPlot, onZoom: () => void): void {
  const over = plot.over;
  over.addEventListener(
    'mousedown',
    (down) => {
      if (!down.shiftKey) return;
      // before uPlot's own handler, which would start a box zoom
      down.stopPropagation();
      down.preventDefault();
      const { min, max } = plot.scales.x;
      if (min === undefined || max === undefined) return;
      const perPixel = ((max - min) / plot.bbox.width) * devicePixelRatio;
      const startX = down.clientX;
      const move = (e: MouseEvent) => {
        const shift = (e.clientX - startX) * perPixel;
        plot.setScale('x', { min: min - shift, max: max - shift });
      };
      const up = () => {
        window.removeEventListener('mousemove', move);
        window.removeEventListener('mouseup', up);
      };
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
      onZoom();
    },
    { capture: true },
  );
  over.addEventListener(
    'wheel',
    (e) => {
      if (!(e.ctrlKey || e.altKey || e.metaKey)) return;
      e.preventDefault();
      const { min, max } = plot.scales.x;
      if (min === undefined || max === undefined) return;
      const at = plot.posToVal(e.offsetX, 'x');
      const factor = e.deltaY < 0 ? 0.8 : 1.25;
      plot.setScale('x', { min: at - (at - min) * factor, max: at + (max - at) * factor });
      onZoom();
    },
    { passive: false },
  );
}
