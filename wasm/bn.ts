// AssemblyScript source of our SIMD kernels for the wasm backend (built by
// `npm run build:kernels` into src/engine/kernels/simd/kernels-wasm.ts). They run on
// tfjs-backend-wasm's own memory (imported), on tensors laid out [pixels, channels]:
// every pointer is a byte address in that memory. No allocation, no data segments:
// nothing here may write outside the buffers it is given.

import { sigmoid1, sigmoid4, swish4 } from './activation';

/**
 * Per-channel sums of (x - shift) and (x - shift)^2 over `rows` rows of `c` channels, added
 * into f64 accumulators `sum` and `sq`; `shift` (f32 per channel) keeps the squares small.
 */
export function channelMoments(x: usize, rows: i32, c: i32, shift: usize, sum: usize, sq: usize): void {
  const c4 = c & ~3;
  for (let r = 0; r < rows; r++) {
    const row = x + (<usize>r * <usize>c) * 4;
    for (let j = 0; j < c4; j += 4) {
      const d = f32x4.sub(v128.load(row + (<usize>j << 2)), v128.load(shift + (<usize>j << 2)));
      const lo = f64x2.promote_low_f32x4(d);
      const hi = f64x2.promote_low_f32x4(i32x4.shuffle(d, d, 2, 3, 0, 1));
      const s = sum + (<usize>j << 3);
      const q = sq + (<usize>j << 3);
      v128.store(s, f64x2.add(v128.load(s), lo));
      v128.store(s + 16, f64x2.add(v128.load(s + 16), hi));
      v128.store(q, f64x2.add(v128.load(q), f64x2.mul(lo, lo)));
      v128.store(q + 16, f64x2.add(v128.load(q + 16), f64x2.mul(hi, hi)));
    }
    for (let j = c4; j < c; j++) {
      const d = <f64>(load<f32>(row + (<usize>j << 2)) - load<f32>(shift + (<usize>j << 2)));
      store<f64>(sum + (<usize>j << 3), load<f64>(sum + (<usize>j << 3)) + d);
      store<f64>(sq + (<usize>j << 3), load<f64>(sq + (<usize>j << 3)) + d * d);
    }
  }
}

/** y = act(x * scale + shift) per channel; act is swish when `swish` is 1, else identity. */
export function affineAct(x: usize, y: usize, rows: i32, c: i32, scale: usize, shift: usize, swish: i32): void {
  const c4 = c & ~3;
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>c) * 4;
    for (let j = 0; j < c4; j += 4) {
      const jb = <usize>j << 2;
      let z = f32x4.add(f32x4.mul(v128.load(x + off + jb), v128.load(scale + jb)), v128.load(shift + jb));
      if (swish) z = swish4(z);
      v128.store(y + off + jb, z);
    }
    for (let j = c4; j < c; j++) {
      const jb = <usize>j << 2;
      let z = load<f32>(x + off + jb) * load<f32>(scale + jb) + load<f32>(shift + jb);
      if (swish) z = z * sigmoid1(z);
      store<f32>(y + off + jb, z);
    }
  }
}

/**
 * Backward pass 1: dz = dy * act'(z) with z = xhat * gamma + beta, xhat = (x - mean) * invstd,
 * written to `dz`; per-channel sums of dz and dz * xhat added into f64 `sumDz`, `sumDzXhat`.
 */
export function bnBackwardSums(dy: usize, x: usize, dz: usize, rows: i32, c: i32, mean: usize, invstd: usize, gamma: usize, beta: usize, swish: i32, sumDz: usize, sumDzXhat: usize): void {
  const c4 = c & ~3;
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>c) * 4;
    for (let j = 0; j < c4; j += 4) {
      const jb = <usize>j << 2;
      const xhat = f32x4.mul(f32x4.sub(v128.load(x + off + jb), v128.load(mean + jb)), v128.load(invstd + jb));
      let g = v128.load(dy + off + jb);
      if (swish) {
        const z = f32x4.add(f32x4.mul(xhat, v128.load(gamma + jb)), v128.load(beta + jb));
        const s = sigmoid4(z);
        // d/dz z*s(z) = s * (1 + z * (1 - s))
        g = f32x4.mul(g, f32x4.mul(s, f32x4.add(f32x4.splat(1.0), f32x4.mul(z, f32x4.sub(f32x4.splat(1.0), s)))));
      }
      v128.store(dz + off + jb, g);
      const gx = f32x4.mul(g, xhat);
      const s1 = sumDz + (<usize>j << 3);
      const s2 = sumDzXhat + (<usize>j << 3);
      v128.store(s1, f64x2.add(v128.load(s1), f64x2.promote_low_f32x4(g)));
      v128.store(s1 + 16, f64x2.add(v128.load(s1 + 16), f64x2.promote_low_f32x4(i32x4.shuffle(g, g, 2, 3, 0, 1))));
      v128.store(s2, f64x2.add(v128.load(s2), f64x2.promote_low_f32x4(gx)));
      v128.store(s2 + 16, f64x2.add(v128.load(s2 + 16), f64x2.promote_low_f32x4(i32x4.shuffle(gx, gx, 2, 3, 0, 1))));
    }
    for (let j = c4; j < c; j++) {
      const jb = <usize>j << 2;
      const xhat = (load<f32>(x + off + jb) - load<f32>(mean + jb)) * load<f32>(invstd + jb);
      let g = load<f32>(dy + off + jb);
      if (swish) {
        const z = xhat * load<f32>(gamma + jb) + load<f32>(beta + jb);
        const s = sigmoid1(z);
        g = g * s * (f32(1.0) + z * (f32(1.0) - s));
      }
      store<f32>(dz + off + jb, g);
      store<f64>(sumDz + (<usize>j << 3), load<f64>(sumDz + (<usize>j << 3)) + <f64>g);
      store<f64>(sumDzXhat + (<usize>j << 3), load<f64>(sumDzXhat + (<usize>j << 3)) + <f64>(g * xhat));
    }
  }
}

/** In place: d = d * a + x * b + k per channel (backward pass 2 of BN, folded into three coefficients). */
export function scaleAddChannels(d: usize, x: usize, rows: i32, c: i32, a: usize, b: usize, k: usize): void {
  const c4 = c & ~3;
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>c) * 4;
    for (let j = 0; j < c4; j += 4) {
      const jb = <usize>j << 2;
      const v = f32x4.add(f32x4.add(f32x4.mul(v128.load(d + off + jb), v128.load(a + jb)), f32x4.mul(v128.load(x + off + jb), v128.load(b + jb))), v128.load(k + jb));
      v128.store(d + off + jb, v);
    }
    for (let j = c4; j < c; j++) {
      const jb = <usize>j << 2;
      store<f32>(d + off + jb, load<f32>(d + off + jb) * load<f32>(a + jb) + load<f32>(x + off + jb) * load<f32>(b + jb) + load<f32>(k + jb));
    }
  }
}

/** dst[c][r] = src[r][c] for a rows x cols matrix of f32; 4x4 blocks in SIMD registers. */
export function transpose2d(src: usize, dst: usize, rows: i32, cols: i32): void {
  const r4 = rows & ~3;
  const c4 = cols & ~3;
  const rs = <usize>cols << 2;
  const ds = <usize>rows << 2;
  for (let r = 0; r < r4; r += 4) {
    for (let c = 0; c < c4; c += 4) {
      const s0 = src + (<usize>r * <usize>cols + <usize>c) * 4;
      const a = v128.load(s0);
      const b = v128.load(s0 + rs);
      const e = v128.load(s0 + 2 * rs);
      const f = v128.load(s0 + 3 * rs);
      const ab0 = i32x4.shuffle(a, b, 0, 4, 1, 5);
      const ab1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
      const ef0 = i32x4.shuffle(e, f, 0, 4, 1, 5);
      const ef1 = i32x4.shuffle(e, f, 2, 6, 3, 7);
      const d0 = dst + (<usize>c * <usize>rows + <usize>r) * 4;
      v128.store(d0, i64x2.shuffle(ab0, ef0, 0, 2));
      v128.store(d0 + ds, i64x2.shuffle(ab0, ef0, 1, 3));
      v128.store(d0 + 2 * ds, i64x2.shuffle(ab1, ef1, 0, 2));
      v128.store(d0 + 3 * ds, i64x2.shuffle(ab1, ef1, 1, 3));
    }
    for (let c = c4; c < cols; c++) {
      for (let i = 0; i < 4; i++) store<f32>(dst + (<usize>c * <usize>rows + <usize>(r + i)) * 4, load<f32>(src + (<usize>(r + i) * <usize>cols + <usize>c) * 4));
    }
  }
  for (let r = r4; r < rows; r++) {
    for (let c = 0; c < cols; c++) store<f32>(dst + (<usize>c * <usize>rows + <usize>r) * 4, load<f32>(src + (<usize>r * <usize>cols + <usize>c) * 4));
  }
}
