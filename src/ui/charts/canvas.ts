/** Shared canvas set-up for the charts: size the backing store to the element (only when it changed) and scale for the pixel ratio. */
export function prepareCanvas(canvas: HTMLCanvasElement, height: number, fallbackWidth = 600): { ctx: CanvasRenderingContext2D; width: number; style: CSSStyleDeclaration } | null {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || fallbackWidth;
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
