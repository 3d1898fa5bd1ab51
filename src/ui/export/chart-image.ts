/**
 * A chart as an image file: a canvas chart as PNG, an SVG chart as SVG (with the colours its
 * CSS classes and variables give it written in, so the file looks the same outside the page)
 * and as PNG. The PNG is drawn on the panel's colour: a transparent PNG of dark-theme text is
 * unreadable on a white slide.
 */
import { cssVar } from '../charts/theme-key';

export interface ChartImage {
  png(): Promise<Uint8Array>;
  /** only for SVG charts */
  svg?(): string;
}

async function canvasPng(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the chart as PNG');
  return new Uint8Array(await blob.arrayBuffer());
}

/** The canvases (one, or uPlot's) under `root` drawn onto one, over the panel's colour. */
export function flattenCanvases(root: Element): HTMLCanvasElement {
  const canvases = [...root.querySelectorAll('canvas')];
  if (canvases.length === 0) throw new Error('the chart has not been drawn yet');
  const origin = root.getBoundingClientRect();
  const ratio = canvases[0].width / Math.max(1, canvases[0].getBoundingClientRect().width);
  const out = document.createElement('canvas');
  out.width = Math.round(origin.width * ratio);
  out.height = Math.round(origin.height * ratio);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = cssVar('--panel', '#ffffff');
  ctx.fillRect(0, 0, out.width, out.height);
  for (const c of canvases) {
    const r = c.getBoundingClientRect();
    ctx.drawImage(c, (r.left - origin.left) * ratio, (r.top - origin.top) * ratio, r.width * ratio, r.height * ratio);
  }
  return out;
}

export function canvasChartImage(root: () => Element | null): ChartImage {
  return {
    png: () => {
      const element = root();
      if (!element) throw new Error('the chart is not on the page');
      return canvasPng(flattenCanvases(element));
    },
  };
}

const STYLED = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-size', 'font-family', 'opacity', 'fill-opacity'] as const;

/** The SVG as a standalone file: computed colours inlined, a background rect behind it. */
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((el, i) => {
    const style = getComputedStyle(el);
    const target = copies[i] as SVGElement;
    for (const p of STYLED) {
      const v = style.getPropertyValue(p);
      if (v) target.style.setProperty(p, v);
    }
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const box = svg.viewBox.baseVal;
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('x', String(box?.x ?? 0));
  bg.setAttribute('y', String(box?.y ?? 0));
  bg.setAttribute('width', String(box?.width || svg.clientWidth));
  bg.setAttribute('height', String(box?.height || svg.clientHeight));
  bg.setAttribute('fill', cssVar('--panel', '#ffffff'));
  copy.insertBefore(bg, copy.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/** Rasterises the SVG at twice its on-page size. */
async function svgPng(svg: SVGSVGElement): Promise<Uint8Array> {
  const text = svgText(svg);
  const rect = svg.getBoundingClientRect();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round((rect.width || 800) * 2);
    canvas.height = Math.round((rect.height || 300) * 2);
    canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await canvasPng(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function svgChartImage(svg: () => SVGSVGElement | null): ChartImage {
  const get = () => {
    const el = svg();
    if (!el) throw new Error('the chart is not on the page');
    return el;
  };
  return { png: () => svgPng(get()), svg: () => svgText(get()) };
}
