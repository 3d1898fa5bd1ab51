// AssemblyScript SIMD kernels for the global average pool (squeeze-excite's squeeze and the
// head's pool) and squeeze-excite's channel gate, on [n, pixels, c] tensors in
// tfjs-backend-wasm's memory (byte addresses). No allocation, no data segments.

/** y[b, j] = scale * sum over p of x[b, p, j]; y is written, never read first. Rows are read in order. */
export function spatialMean(x: usize, y: usize, n: i32, hw: i32, c: i32, scale: f32): void {
  const c4 = c & ~3;
  const s = f32x4.splat(scale);
  for (let b = 0; b < n; b++) {
    const xb = x + (<usize>b * <usize>hw * <usize>c) * 4;
    const yb = y + (<usize>b * <usize>c) * 4;
    for (let j = 0; j < c; j++) store<f32>(yb + (<usize>j << 2), 0);
    for (let p = 0; p < hw; p++) {
      const row = xb + (<usize>p * <usize>c) * 4;
      for (let j = 0; j < c4; j += 4) {
        const jb = <usize>j << 2;
        v128.store(yb + jb, f32x4.add(v128.load(yb + jb), v128.load(row + jb)));
      }
      for (let j = c4; j < c; j++) store<f32>(yb + (<usize>j << 2), load<f32>(yb + (<usize>j << 2)) + load<f32>(row + (<usize>j << 2)));
    }
    for (let j = 0; j < c4; j += 4) v128.store(yb + (<usize>j << 2), f32x4.mul(v128.load(yb + (<usize>j << 2)), s));
    for (let j = c4; j < c; j++) store<f32>(yb + (<usize>j << 2), load<f32>(yb + (<usize>j << 2)) * scale);
  }
}

/** dx[b, p, j] = scale * dy[b, j]: the pool's gradient. */
export function spatialBroadcast(dy: usize, dx: usize, n: i32, hw: i32, c: i32, scale: f32): void {
  const c4 = c & ~3;
  const s = f32x4.splat(scale);
  for (let b = 0; b < n; b++) {
    const db = dy + (<usize>b * <usize>c) * 4;
    const xb = dx + (<usize>b * <usize>hw * <usize>c) * 4;
    for (let p = 0; p < hw; p++) {
      const row = xb + (<usize>p * <usize>c) * 4;
      for (let j = 0; j < c4; j += 4) v128.store(row + (<usize>j << 2), f32x4.mul(v128.load(db + (<usize>j << 2)), s));
      for (let j = c4; j < c; j++) store<f32>(row + (<usize>j << 2), load<f32>(db + (<usize>j << 2)) * scale);
    }
  }
}

/** y[b, p, j] = x[b, p, j] * g[b, j]: squeeze-excite's gate on every pixel. */
export function channelGate(x: usize, g: usize, y: usize, n: i32, hw: i32, c: i32): void {
  const c4 = c & ~3;
  for (let b = 0; b < n; b++) {
    const gb = g + (<usize>b * <usize>c) * 4;
    const base = (<usize>b * <usize>hw * <usize>c) * 4;
    for (let p = 0; p < hw; p++) {
      const off = base + (<usize>p * <usize>c) * 4;
      for (let j = 0; j < c4; j += 4) {
        const jb = <usize>j << 2;
        v128.store(y + off + jb, f32x4.mul(v128.load(x + off + jb), v128.load(gb + jb)));
      }
      for (let j = c4; j < c; j++) {
        const jb = <usize>j << 2;
        store<f32>(y + off + jb, load<f32>(x + off + jb) * load<f32>(gb + jb));
      }
    }
  }
}

/** The gate's gradients in one pass: dx = dy * g, dg[b, j] = sum over p of dy * x (dg written, not read first). */
export function channelGateGrad(dy: usize, x: usize, g: usize, dx: usize, dg: usize, n: i32, hw: i32, c: i32): void {
  const c4 = c & ~3;
  for (let b = 0; b < n; b++) {
    const gb = g + (<usize>b * <usize>c) * 4;
    const dgb = dg + (<usize>b * <usize>c) * 4;
    const base = (<usize>b * <usize>hw * <usize>c) * 4;
    for (let j = 0; j < c; j++) store<f32>(dgb + (<usize>j << 2), 0);
    for (let p = 0; p < hw; p++) {
      const off = base + (<usize>p * <usize>c) * 4;
      for (let j = 0; j < c4; j += 4) {
        const jb = <usize>j << 2;
        const d = v128.load(dy + off + jb);
        v128.store(dx + off + jb, f32x4.mul(d, v128.load(gb + jb)));
        v128.store(dgb + jb, f32x4.add(v128.load(dgb + jb), f32x4.mul(d, v128.load(x + off + jb))));
      }
      for (let j = c4; j < c; j++) {
        const jb = <usize>j << 2;
        const d = load<f32>(dy + off + jb);
        store<f32>(dx + off + jb, d * load<f32>(gb + jb));
        store<f32>(dgb + jb, load<f32>(dgb + jb) + d * load<f32>(x + off + jb));
      }
    }
  }
}
