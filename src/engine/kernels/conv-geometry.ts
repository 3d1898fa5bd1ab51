/**
 * The geometry every convolution kernel of ours shares (NHWC, symmetric padding p = k//2,
 * stride s), and the one loop that visits each (output pixel, input pixel, tap) it reads,
 * skipping taps that fall in the padding. The JavaScript loops of the depthwise and stem
 * kernels are this loop with different bodies.
 */
import { convOutSize } from '../../core/space/plan';

export interface ConvGeometry {
  n: number;
  h: number;
  wd: number;
  k: number;
  s: number;
  p: number;
  oh: number;
  ow: number;
}

export function convGeometry(n: number, h: number, wd: number, k: number, s: number): ConvGeometry {
  return { n, h, wd, k, s, p: Math.floor(k / 2), oh: convOutSize(h, k, s), ow: convOutSize(wd, k, s) };
}

/** Calls `visit(outPixel, inPixel, i, j)` for every output pixel and every tap (i, j) inside the input; pixels are flat NHW indices. */
export function forEachTap(g: ConvGeometry, visit: (outPixel: number, inPixel: number, i: number, j: number) => void): void {
  for (let b = 0; b < g.n; b++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++) {
        const out = (b * g.oh + oy) * g.ow + ox;
        for (let i = 0; i < g.k; i++) {
          const iy = oy * g.s + i - g.p;
          if (iy < 0 || iy >= g.h) continue;
          for (let j = 0; j < g.k; j++) {
            const ix = ox * g.s + j - g.p;
            if (ix < 0 || ix >= g.wd) continue;
            visit(out, (b * g.h + iy) * g.wd + ix, i, j);
          }
        }
      }
}
