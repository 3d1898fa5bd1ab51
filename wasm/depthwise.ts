// Depthwise k x k convolution (NHWC, symmetric padding p, stride s) and both its gradients,
// on tfjs-backend-wasm's memory. The weight is read in place from the full-size supernet
// variable [K, K, cMax, 1]: tap (i, j) of the centre k x k crop starts at
// w + ((i + off) * K + (j + off)) * cMax floats, with its first c channels used; the filter
// gradient is written into a zeroed full-size [K, K, cMax, 1] output the same way.
// Channels go 8 at a time (two f32x4 accumulators), then 4: c must be a multiple of 4
// (the caller checks). Tap ranges are clipped once per output pixel, so the inner loops
// have no bounds checks.

import { swish4 } from './activation';

@inline function imax(a: i32, b: i32): i32 {
  return a > b ? a : b;
}
@inline function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

/**
 * The forward pass. With `act` >= 0 each output is mapped per channel to z * scale + shift, and
 * through swish when `act` is 1, before it is stored: BN on fixed statistics and its activation
 * fused in (evaluation), which saves a pass over the layer's output. `act` -1 stores the sums.
 */
export function depthwiseForward(x: usize, w: usize, y: usize, n: i32, h: i32, wd: i32, c: i32, k: i32, s: i32, p: i32, oh: i32, ow: i32, bigK: i32, off: i32, cMax: i32, scale: usize, shift: usize, act: i32): void {
  const xRow = <usize>wd * <usize>c * 4; // bytes per input row
  const xPix = <usize>c * 4;
  const wRow = <usize>bigK * <usize>cMax * 4;
  const wPix = <usize>cMax * 4;
  const w0 = w + (<usize>off * <usize>bigK + <usize>off) * wPix;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * s - p;
      const iLo = imax(0, -iy0);
      const iHi = imin(k, h - iy0);
      for (let ox = 0; ox < ow; ox++) {
        const ix0 = ox * s - p;
        const jLo = imax(0, -ix0);
        const jHi = imin(k, wd - ix0);
        const out = y + (<usize>((b * oh + oy) * ow + ox)) * xPix;
        // address of tap (i, j) at channel 0: base + i * row + j * pixel
        const xBase = x + (<usize>(b * h + iy0) * <usize>wd + <usize>ix0) * xPix;
        let ch = 0;
        for (; ch + 8 <= c; ch += 8) {
          const cb = <usize>ch << 2;
          let a0 = f32x4.splat(0);
          let a1 = f32x4.splat(0);
          for (let i = iLo; i < iHi; i++) {
            let xp = xBase + <usize>i * xRow + <usize>jLo * xPix + cb;
            let wp = w0 + <usize>i * wRow + <usize>jLo * wPix + cb;
            for (let j = jLo; j < jHi; j++) {
              a0 = f32x4.add(a0, f32x4.mul(v128.load(xp), v128.load(wp)));
              a1 = f32x4.add(a1, f32x4.mul(v128.load(xp, 16), v128.load(wp, 16)));
              xp += xPix;
              wp += wPix;
            }
          }
          if (act >= 0) {
            a0 = f32x4.add(f32x4.mul(a0, v128.load(scale + cb)), v128.load(shift + cb));
            a1 = f32x4.add(f32x4.mul(a1, v128.load(scale + cb, 16)), v128.load(shift + cb, 16));
            if (act == 1) {
              a0 = swish4(a0);
              a1 = swish4(a1);
            }
          }
          v128.store(out + cb, a0);
          v128.store(out + cb, a1, 16);
        }
        for (; ch < c; ch += 4) {
          const cb = <usize>ch << 2;
          let a0 = f32x4.splat(0);
          for (let i = iLo; i < iHi; i++) {
            let xp = xBase + <usize>i * xRow + <usize>jLo * xPix + cb;
            let wp = w0 + <usize>i * wRow + <usize>jLo * wPix + cb;
            for (let j = jLo; j < jHi; j++) {
              a0 = f32x4.add(a0, f32x4.mul(v128.load(xp), v128.load(wp)));
              xp += xPix;
              wp += wPix;
            }
          }
          if (act >= 0) {
            a0 = f32x4.add(f32x4.mul(a0, v128.load(scale + cb)), v128.load(shift + cb));
            if (act == 1) a0 = swish4(a0);
          }
          v128.store(out + cb, a0);
        }
      }
    }
  }
}

/**
 * dx[b, iy, ix] = sum of dy[b, oy, ox] * w[i, j] over the taps with oy * s + i - p = iy and
 * ox * s + j - p = ix: i and j step by s from the first tap that lands on a whole output,
 * so every tap visited is used; dy is walked backwards as the tap index grows.
 */
export function depthwiseInputGrad(dy: usize, w: usize, dx: usize, n: i32, h: i32, wd: i32, c: i32, k: i32, s: i32, p: i32, oh: i32, ow: i32, bigK: i32, off: i32, cMax: i32): void {
  const pix = <usize>c * 4;
  const gRowBytes = <usize>ow * pix;
  const wRow = <usize>bigK * <usize>cMax * 4;
  const wPix = <usize>cMax * 4;
  const wStep = <usize>s * wPix;
  const w0 = w + (<usize>off * <usize>bigK + <usize>off) * wPix;
  for (let b = 0; b < n; b++) {
    for (let iy = 0; iy < h; iy++) {
      // oy = (iy + p - i) / s must be an integer in [0, oh)
      const ty = iy + p;
      let iLo = ty - (oh - 1) * s;
      if (iLo < 0) iLo = ty % s;
      const iHi = imin(k - 1, ty);
      for (let ix = 0; ix < wd; ix++) {
        const tx = ix + p;
        let jLo = tx - (ow - 1) * s;
        if (jLo < 0) jLo = tx % s;
        const jHi = imin(k - 1, tx);
        const out = dx + (<usize>((b * h + iy) * wd + ix)) * pix;
        const gFirstCol = <usize>((tx - jLo) / s) * pix;
        let ch = 0;
        for (; ch + 8 <= c; ch += 8) {
          const cb = <usize>ch << 2;
          let a0 = f32x4.splat(0);
          let a1 = f32x4.splat(0);
          for (let i = iLo; i <= iHi; i += s) {
            let gp = dy + <usize>(b * oh + (ty - i) / s) * gRowBytes + gFirstCol + cb;
            let wp = w0 + <usize>i * wRow + <usize>jLo * wPix + cb;
            for (let j = jLo; j <= jHi; j += s) {
              a0 = f32x4.add(a0, f32x4.mul(v128.load(gp), v128.load(wp)));
              a1 = f32x4.add(a1, f32x4.mul(v128.load(gp, 16), v128.load(wp, 16)));
              gp -= pix;
              wp += wStep;
            }
          }
          v128.store(out + cb, a0);
          v128.store(out + cb, a1, 16);
        }
        for (; ch < c; ch += 4) {
          const cb = <usize>ch << 2;
          let a0 = f32x4.splat(0);
          for (let i = iLo; i <= iHi; i += s) {
            let gp = dy + <usize>(b * oh + (ty - i) / s) * gRowBytes + gFirstCol + cb;
            let wp = w0 + <usize>i * wRow + <usize>jLo * wPix + cb;
            for (let j = jLo; j <= jHi; j += s) {
              a0 = f32x4.add(a0, f32x4.mul(v128.load(gp), v128.load(wp)));
              gp -= pix;
              wp += wStep;
            }
          }
          v128.store(out + cb, a0);
        }
      }
    }
  }
}

/**
 * dw[tap] += x[b, iy, ix] * dy[b, oy, ox] over every output; dw must be zeroed. For each
 * output row and tap, 8 channels accumulate in registers along the row.
 */
export function depthwiseFilterGrad(x: usize, dy: usize, dw: usize, n: i32, h: i32, wd: i32, c: i32, k: i32, s: i32, p: i32, oh: i32, ow: i32, bigK: i32, off: i32, cMax: i32): void {
  const pix = <usize>c * 4;
  const xRow = <usize>wd * pix;
  const wRow = <usize>bigK * <usize>cMax * 4;
  const wPix = <usize>cMax * 4;
  const dw0 = dw + (<usize>off * <usize>bigK + <usize>off) * wPix;
  const xStep = <usize>s * pix;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * s - p;
      const iLo = imax(0, -iy0);
      const iHi = imin(k, h - iy0);
      const gRow = dy + (<usize>((b * oh + oy) * ow)) * pix;
      for (let i = iLo; i < iHi; i++) {
        const xr = x + (<usize>(b * h + iy0 + i)) * xRow;
        for (let j = 0; j < k; j++) {
          // outputs ox whose tap j lands inside the row: 0 <= ox * s + j - p < wd
          let oxLo = 0;
          while (oxLo * s + j - p < 0) oxLo++;
          let oxHi = ow;
          while (oxHi > oxLo && (oxHi - 1) * s + j - p >= wd) oxHi--;
          const tp = dw0 + <usize>i * wRow + <usize>j * wPix;
          let ch = 0;
          for (; ch + 8 <= c; ch += 8) {
            const cb = <usize>ch << 2;
            let a0 = v128.load(tp + cb);
            let a1 = v128.load(tp + cb, 16);
            let xp = xr + <usize>(oxLo * s + j - p) * pix + cb;
            let gp = gRow + <usize>oxLo * pix + cb;
            for (let ox = oxLo; ox < oxHi; ox++) {
              a0 = f32x4.add(a0, f32x4.mul(v128.load(xp), v128.load(gp)));
              a1 = f32x4.add(a1, f32x4.mul(v128.load(xp, 16), v128.load(gp, 16)));
              xp += xStep;
              gp += pix;
            }
            v128.store(tp + cb, a0);
            v128.store(tp + cb, a1, 16);
          }
          for (; ch < c; ch += 4) {
            const cb = <usize>ch << 2;
            let acc = v128.load(tp + cb);
            let xp = xr + <usize>(oxLo * s + j - p) * pix + cb;
            let gp = gRow + <usize>oxLo * pix + cb;
            for (let ox = oxLo; ox < oxHi; ox++) {
              acc = f32x4.add(acc, f32x4.mul(v128.load(xp), v128.load(gp)));
              xp += xStep;
              gp += pix;
            }
            v128.store(tp + cb, acc);
          }
        }
      }
    }
  }
}
