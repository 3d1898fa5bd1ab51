/**
 * Depthwise k x k convolution (symmetric padding k//2, stride 1 or 2) reading the centre
 * crop and channel prefix of the full-size supernet kernel [K, K, cMax, 1] in place, with
 * both gradients in one backward kernel and the filter gradient at full size. On wasm the
 * loops are our SIMD kernels (wasm/depthwise.ts); on cpu the same loops in JavaScript.
 * Other backends use the portable composite form (conv-forms.ts).
 *
 * Replaces, per layer and subnet, the crop Slice, the forward, and a backward of about a
 * dozen launches (zero-upsampling, pads, a reversed kernel, a transposed input with the
 * batch folded into channels, and a sum), which also held a padded copy of the input.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { convGeometry, forEachTap, type ConvGeometry } from './conv-geometry';
import { applyAffine, fixedAffine, type Activation } from './bn-act';
import { hostKernel, type HostBackendName } from './host-memory';
import { registerHostKernel, runKernel, type KernelInputs } from './registry';
import { registerFusedGradient, runFused } from './fused-op';
import { simdKernelsFor } from './simd/simd-module';

export const DEPTHWISE = 'NasDepthwise';
const BACKWARD = 'NasDepthwiseGrad';
/** forward only: the conv, then BN on fixed statistics and an activation, in one pass (evaluation) */
export const DEPTHWISE_BN_FIXED = 'NasDepthwiseBnFixed';

interface Geometry extends ConvGeometry {
  c: number;
  bigK: number;
  off: number;
  cMax: number;
}

function geometry(x: TensorInfo, w: TensorInfo, attrs: NamedAttrMap): Geometry {
  const [n, h, wd, c] = x.shape;
  const [bigK, , cMax] = w.shape;
  const k = attrs.k as number;
  return { ...convGeometry(n, h, wd, k, attrs.stride as number), c, bigK, off: (bigK - k) / 2, cMax };
}

const args = (g: Geometry) => [g.n, g.h, g.wd, g.c, g.k, g.s, g.p, g.oh, g.ow, g.bigK, g.off, g.cMax] as const;
const tap = (g: Geometry, i: number, j: number) => ((i + g.off) * g.bigK + (j + g.off)) * g.cMax;

// scalar versions of wasm/depthwise.ts, for the cpu backend and channel counts SIMD does not take;
// outputs start zeroed and accumulate over taps
function forwardLoops(x: Float32Array, w: Float32Array, y: Float32Array, g: Geometry) {
  y.fill(0);
  forEachTap(g, (o, xi, i, j) => {
    const t = tap(g, i, j);
    for (let ch = 0; ch < g.c; ch++) y[o * g.c + ch] += x[xi * g.c + ch] * w[t + ch];
  });
}

function inputGradLoops(dy: Float32Array, w: Float32Array, dx: Float32Array, g: Geometry) {
  dx.fill(0);
  forEachTap(g, (o, xi, i, j) => {
    const t = tap(g, i, j);
    for (let ch = 0; ch < g.c; ch++) dx[xi * g.c + ch] += dy[o * g.c + ch] * w[t + ch];
  });
}

function filterGradLoops(x: Float32Array, dy: Float32Array, dw: Float32Array, g: Geometry) {
  dw.fill(0);
  forEachTap(g, (o, xi, i, j) => {
    const t = tap(g, i, j);
    for (let ch = 0; ch < g.c; ch++) dw[t + ch] += x[xi * g.c + ch] * dy[o * g.c + ch];
  });
}

function forward(backendName: HostBackendName, { x, w }: KernelInputs, attrs: NamedAttrMap, backend: unknown) {
  const g = geometry(x, w, attrs);
  const outShape = [g.n, g.oh, g.ow, g.c];
  const simd = backendName === 'wasm' && g.c % 4 === 0 ? simdKernelsFor(backend) : null;
  if (simd) {
    const y = simd.output(outShape);
    simd.kernels.depthwiseForward(simd.address(x), simd.address(w), simd.address(y), ...args(g), 0, 0, -1);
    return y;
  }
  return hostKernel(backendName, backend, [x, w], [{ shape: outShape }], ([xv, wv], [y]) =>
    forwardLoops(xv as Float32Array, wv as Float32Array, y as Float32Array, g),
  )[0];
}

function backward(backendName: HostBackendName, { dy, x, w }: KernelInputs, attrs: NamedAttrMap, backend: unknown) {
  const g = geometry(x, w, attrs);
  const simd = backendName === 'wasm' && g.c % 4 === 0 ? simdKernelsFor(backend) : null;
  if (simd) {
    const dx = simd.output(x.shape);
    const dw = simd.output(w.shape);
    simd.view(dw).fill(0);
    simd.kernels.depthwiseInputGrad(simd.address(dy), simd.address(w), simd.address(dx), ...args(g));
    simd.kernels.depthwiseFilterGrad(simd.address(x), simd.address(dy), simd.address(dw), ...args(g));
    return [dx, dw];
  }
  return hostKernel(backendName, backend, [dy, x, w], [{ shape: x.shape }, { shape: w.shape }], ([dyv, xv, wv], [dx, dw]) => {
    inputGradLoops(dyv as Float32Array, wv as Float32Array, dx as Float32Array, g);
    filterGradLoops(xv as Float32Array, dyv as Float32Array, dw as Float32Array, g);
  });
}

/** The conv with BN on fixed statistics and its activation applied to each output as it is stored. */
function forwardBnFixed(backendName: HostBackendName, inputs: KernelInputs, attrs: NamedAttrMap, backend: unknown) {
  const { x, w, gamma, beta, mean, variance } = inputs;
  const g = geometry(x, w, attrs);
  const outShape = [g.n, g.oh, g.ow, g.c];
  const swish = attrs.act === 'swish';
  const simd = backendName === 'wasm' && g.c % 4 === 0 ? simdKernelsFor(backend) : null;
  if (simd) {
    const y = simd.output(outShape);
    const { ptr, buffer } = simd.scratch(8 * g.c);
    const [gv, bv, mv, vv] = [gamma, beta, mean, variance].map((t) => simd.view(t));
    fixedAffine(gv, bv, mv, vv, g.c, new Float32Array(buffer, ptr, 2 * g.c), g.c);
    simd.kernels.depthwiseForward(simd.address(x), simd.address(w), simd.address(y), ...args(g), ptr, ptr + 4 * g.c, swish ? 1 : 0);
    return y;
  }
  return hostKernel(backendName, backend, [x, w, gamma, beta, mean, variance], [{ shape: outShape }], ([xv, wv, gv, bv, mv, vv], [y]) => {
    forwardLoops(xv as Float32Array, wv as Float32Array, y as Float32Array, g);
    const coef = new Float64Array(2 * g.c);
    fixedAffine(gv, bv, mv, vv, g.c, coef, g.c);
    applyAffine(y, y, coef, coef.subarray(g.c), g.c, swish);
  })[0];
}

registerHostKernel(BACKWARD, backward);
registerHostKernel(DEPTHWISE_BN_FIXED, forwardBnFixed);
const saving = { inputsToSave: ['x', 'w'] };
registerFusedGradient(
  {
    kernelName: DEPTHWISE,
    ...saving,
    gradFunc: (dy, saved, attrs) => {
      const [x, w] = saved;
      const [dx, dw] = runKernel(BACKWARD, { dy: dy as tf.Tensor, x, w }, { k: attrs.k, stride: attrs.stride });
      return { x: () => dx, w: () => dw };
    },
  },
  (name) => registerHostKernel(name, forward),
);

/** BN on fixed statistics: full-size gamma and beta (first C entries used), the layer's mean and variance. */
export interface FixedBn {
  gamma: tf.Tensor;
  beta: tf.Tensor;
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/**
 * The depthwise conv followed by BN on fixed statistics (first C entries of full-size gamma and
 * beta) and an activation, as one forward-only kernel: evaluation after recalibration.
 */
export function depthwiseBnFixedKernel(x: tf.Tensor4D, w: tf.Tensor, stride: number, k: number, bn: FixedBn, act: Activation): tf.Tensor4D {
  return runKernel(DEPTHWISE_BN_FIXED, { x, w, ...bn }, { k, stride, act })[0] as tf.Tensor4D;
}

/** Depthwise k x k conv of x with the centre crop (first C channels) of a full-size kernel [K, K, cMax, 1]. */
export function depthwiseKernel(x: tf.Tensor4D, w: tf.Tensor, k: number, stride: number): tf.Tensor4D {
  return runFused(DEPTHWISE, { x, w }, { k, stride }, saving)[0] as tf.Tensor4D;
}
