// exp, sigmoid and swish for the SIMD kernels (bn.ts, depthwise.ts), inlined where used.

// exp(x) for 4 lanes: 2^(x log2 e) split into 2^n * 2^f, f in [-0.5, 0.5], with a
// degree-5 polynomial for 2^f (least squares on Chebyshev nodes: relative error 1.04e-7,
// below float32's resolution; degree 6 cost one more multiply-add for no visible gain)
@inline export function exp4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const t = f32x4.mul(x, f32x4.splat(1.4426950408889634));
  const n = f32x4.nearest(t);
  const f = f32x4.sub(t, n);
  let p = f32x4.splat(1.340043216678455e-3);
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(9.676037097822438e-3));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(5.550327214204628e-2));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(2.402210735583172e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(6.931472067106227e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.0000000754953484));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

@inline export function sigmoid4(z: v128): v128 {
  return f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), exp4(f32x4.neg(z))));
}

// the scalar tails use the same polynomial (Mathf.exp would bring a table in a data segment)
@inline export function sigmoid1(z: f32): f32 {
  return f32x4.extract_lane(sigmoid4(f32x4.splat(z)), 0);
}

/** z * sigmoid(z) = z / (1 + exp(-z)): one division, no multiply. */
@inline export function swish4(z: v128): v128 {
  return f32x4.div(z, f32x4.add(f32x4.splat(1.0), exp4(f32x4.neg(z))));
}
