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
import { hostKernel, type HostBackendName } from './host-memory';
import { registerHostKernel, runKernel, type KernelInputs } from './registry';
import { registerFusedGradient, runFused } from './fused-op';
import { simdKernelsFor } from './simd/simd-module';

export const DEPTHWISE = 'NasDepthwise';
const BACKWARD = 'NasDepthwiseGrad';

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
    simd.kernels.depthwiseForward(simd.address(x), simd.address(w), simd.address(y), ...args(g));
    return y;
  }
  return hostKernel(backendName, backend, [x, w], [{ shape: outShape }], ([xv, wv], [y]) => forwardLoops(xv as Float32Array, wv as Float32Array, y as Float32Array, g))[0];
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

registerHostKernel(BACKWARD, backward);
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

/** Depthwise k x k conv of x with the centre crop (first C channels) of a full-size kernel [K, K, cMax, 1]. */
export function depthwiseKernel(x: tf.Tensor4D, w: tf.Tensor, k: number, stride: number): tf.Tensor4D {
  return runFused(DEPTHWISE, { x, w }, { k, stride }, saving)[0] as tf.Tensor4D;
}
