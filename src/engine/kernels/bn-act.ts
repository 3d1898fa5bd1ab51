/**
 * Batch normalisation on batch statistics fused with its activation (swish or none), as
 * one kernel forward and one backward. It reads the first C entries of the full-size gamma
 * and beta variables in place (no slice) and returns their gradients at full size (zeros
 * past C), so neither a Slice nor its Pad gradient is launched.
 *
 * Forward outputs y, the batch mean and the biased batch variance (tf.moments' convention);
 * the backward kernel recomputes x-hat and the pre-activation from them instead of saving
 * them, so a BN layer keeps only its input alive for the backward pass.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { hostKernel, type HostBackendName } from './host-memory';
import { registerForBackends, registerHostKernel, runKernel, type KernelInputs } from './registry';
import { bnActBackwardWgsl, bnActFixedWgsl, bnActForwardWgsl } from './webgpu/bn-act-wgsl';
import { bnActBackwardComposed, bnActFixedComposed, bnActForwardComposed } from './bn-act-composed';
import type { ComposedKernelFunc } from './composed';
import { registerComposedKernel } from './composed';
import { fusedKernelNames, registerFusedGradient, runFused } from './fused-op';
import { simdKernelsFor, type SimdKernels } from './simd/simd-module';

export const BN_EPSILON = 1e-5;
export type Activation = 'swish' | 'none';

/** the forward kernel's name: batch-norm.ts runs the fused op where a backend has it */
export const BN_ACT = 'NasBnAct';
const FORWARD = BN_ACT;
const BACKWARD = 'NasBnActGrad';
const FIXED = 'NasBnActFixed';
const composed = {
  forward: bnActForwardComposed(BN_EPSILON),
  backward: bnActBackwardComposed(BN_EPSILON),
  fixed: bnActFixedComposed(BN_EPSILON),
};

/**
 * Every kernel name of the op with its composed form (the forward runs under two names, see
 * fused-op.ts): what WebGL registers, and what bench --bn-form composed swaps in elsewhere.
 */
export const bnActComposedKernels: Record<string, ComposedKernelFunc> = {
  ...Object.fromEntries(fusedKernelNames(FORWARD).map((name) => [name, composed.forward])),
  [BACKWARD]: composed.backward,
  [FIXED]: composed.fixed,
};

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function forward(backendName: HostBackendName, inputs: KernelInputs, attrs: NamedAttrMap, backend: unknown) {
  const { x, gamma, beta } = inputs;
  const swish = attrs.act === 'swish';
  const c = x.shape[3];
  const simd = backendName === 'wasm' ? simdKernelsFor(backend) : null;
  if (simd) return simdForward(simd, x, gamma, beta, swish);
  return hostKernel(
    backendName,
    backend,
    [x, gamma, beta],
    [{ shape: x.shape }, { shape: [c] }, { shape: [c] }],
    ([xv, g, b], [y, meanOut, varOut]) => {
      const n = xv.length / c;
      const sum = new Float64Array(c);
      for (let i = 0; i < xv.length; i += c) for (let j = 0; j < c; j++) sum[j] += xv[i + j];
      const mean = sum.map((s) => s / n);
      const sq = new Float64Array(c);
      for (let i = 0; i < xv.length; i += c) {
        for (let j = 0; j < c; j++) {
          const d = xv[i + j] - mean[j];
          sq[j] += d * d;
        }
      }
      const scale = new Float64Array(c);
      const shift = new Float64Array(c);
      for (let j = 0; j < c; j++) {
        const variance = sq[j] / n;
        meanOut[j] = mean[j];
        varOut[j] = variance;
        scale[j] = g[j] / Math.sqrt(variance + BN_EPSILON);
        shift[j] = b[j] - mean[j] * scale[j];
      }
      applyAffine(xv, y, scale, shift, c, swish);
    },
  );
}

/** y = act(x * scale + shift) per channel, for the JavaScript paths. */
export function applyAffine(
  xv: ArrayLike<number>,
  y: Float32Array | Int32Array,
  scale: ArrayLike<number>,
  shift: ArrayLike<number>,
  c: number,
  swish: boolean,
) {
  for (let i = 0; i < xv.length; i += c) {
    for (let j = 0; j < c; j++) {
      const z = xv[i + j] * scale[j] + shift[j];
      y[i + j] = swish ? z * sigmoid(z) : z;
    }
  }
}

/**
 * BN on fixed statistics as a per-channel affine map, x * scale + shift, written to `out`
 * (scale in [0, c), shift from `shiftAt`): the first c entries of full-size gamma and beta.
 */
export function fixedAffine(
  g: ArrayLike<number>,
  b: ArrayLike<number>,
  m: ArrayLike<number>,
  v: ArrayLike<number>,
  c: number,
  out: Float32Array | Float64Array,
  shiftAt: number,
): void {
  for (let j = 0; j < c; j++) {
    out[j] = g[j] / Math.sqrt(v[j] + BN_EPSILON);
    out[shiftAt + j] = b[j] - m[j] * out[j];
  }
}

function fixed(backendName: HostBackendName, inputs: KernelInputs, attrs: NamedAttrMap, backend: unknown) {
  const { x, gamma, beta, mean, variance } = inputs;
  const c = x.shape[3];
  const simd = backendName === 'wasm' ? simdKernelsFor(backend) : null;
  if (simd) {
    const y = simd.output(x.shape);
    const c4 = (c + 3) & ~3;
    const { ptr, buffer } = simd.scratch(c4 * 8);
    const [g, b, m, v] = [gamma, beta, mean, variance].map((t) => simd.view(t));
    fixedAffine(g, b, m, v, c, new Float32Array(buffer, ptr, 2 * c4), c4);
    simd.kernels.affineAct(
      simd.address(x),
      simd.address(y),
      x.shape[0] * x.shape[1] * x.shape[2],
      c,
      ptr,
      ptr + 4 * c4,
      attrs.act === 'swish' ? 1 : 0,
    );
    return y;
  }
  return hostKernel(backendName, backend, [x, gamma, beta, mean, variance], [{ shape: x.shape }], ([xv, g, b, m, v], [y]) => {
    const coef = new Float64Array(2 * c);
    fixedAffine(g, b, m, v, c, coef, c);
    applyAffine(xv, y, coef, coef.subarray(c), c, attrs.act === 'swish');
  });
}

function backward(backendName: HostBackendName, inputs: KernelInputs, attrs: NamedAttrMap, backend: unknown) {
  const { dy, x, gamma, beta, mean, variance } = inputs;
  const swish = attrs.act === 'swish';
  const c = x.shape[3];
  const full = gamma.shape[0];
  const simd = backendName === 'wasm' ? simdKernelsFor(backend) : null;
  if (simd) return simdBackward(simd, inputs, swish);
  return hostKernel(
    backendName,
    backend,
    [dy, x, gamma, beta, mean, variance],
    [{ shape: x.shape }, { shape: [full] }, { shape: [full] }],
    ([dyv, xv, g, b, m, v], [dx, dgamma, dbeta]) => {
      const n = xv.length / c;
      const invstd = new Float64Array(c);
      for (let j = 0; j < c; j++) invstd[j] = 1 / Math.sqrt(v[j] + BN_EPSILON);
      const sumDz = new Float64Array(c);
      const sumDzXhat = new Float64Array(c);
      // pass 1: dz = dy * act'(z), kept in dx, and the two channel sums
      for (let i = 0; i < xv.length; i += c) {
        for (let j = 0; j < c; j++) {
          const xhat = (xv[i + j] - m[j]) * invstd[j];
          let dz = dyv[i + j];
          if (swish) {
            const z = xhat * g[j] + b[j];
            const s = sigmoid(z);
            dz *= s * (1 + z * (1 - s));
          }
          dx[i + j] = dz;
          sumDz[j] += dz;
          sumDzXhat[j] += dz * xhat;
        }
      }
      // pass 2: dx = gamma * invstd * (dz - mean(dz) - xhat * mean(dz * xhat))
      for (let i = 0; i < xv.length; i += c) {
        for (let j = 0; j < c; j++) {
          const xhat = (xv[i + j] - m[j]) * invstd[j];
          dx[i + j] = g[j] * invstd[j] * (dx[i + j] - sumDz[j] / n - (xhat * sumDzXhat[j]) / n);
        }
      }
      dgamma.fill(0);
      dbeta.fill(0);
      for (let j = 0; j < c; j++) {
        dgamma[j] = sumDzXhat[j];
        dbeta[j] = sumDz[j];
      }
    },
  );
}

/** Forward on wasm: one SIMD pass for the channel moments, one for the affine map and swish. */
function simdForward(simd: SimdKernels, x: TensorInfo, gamma: TensorInfo, beta: TensorInfo, swish: boolean): TensorInfo[] {
  const c = x.shape[3];
  const rows = x.shape[0] * x.shape[1] * x.shape[2];
  const outs = [simd.output(x.shape), simd.output([c]), simd.output([c])];
  // layout: shift f32[c4] | scale f32[c4] | offset f32[c4] | sum f64[c4] | sq f64[c4]
  const c4 = (c + 3) & ~3;
  const { ptr, buffer } = simd.scratch(c4 * 28);
  const f32 = new Float32Array(buffer, ptr, 3 * c4);
  const f64 = new Float64Array(buffer, ptr + 12 * c4, 2 * c4);
  const xv = simd.view(x);
  for (let j = 0; j < c; j++) f32[j] = xv[j]; // the first row: a shift that keeps the squares small
  simd.kernels.channelMoments(simd.address(x), rows, c, ptr, ptr + 12 * c4, ptr + 20 * c4);
  const g = simd.view(gamma);
  const b = simd.view(beta);
  const meanOut = simd.view(outs[1]);
  const varOut = simd.view(outs[2]);
  for (let j = 0; j < c; j++) {
    const d = f64[j] / rows;
    const mean = f32[j] + d;
    const variance = Math.max(0, f64[c4 + j] / rows - d * d);
    const scale = g[j] / Math.sqrt(variance + BN_EPSILON);
    meanOut[j] = mean;
    varOut[j] = variance;
    f32[c4 + j] = scale;
    f32[2 * c4 + j] = b[j] - mean * scale;
  }
  simd.kernels.affineAct(simd.address(x), simd.address(outs[0]), rows, c, ptr + 4 * c4, ptr + 8 * c4, swish ? 1 : 0);
  return outs;
}

/** Backward on wasm: one SIMD pass for dz and its channel sums, one for dx; gamma and beta grads from the sums. */
function simdBackward(simd: SimdKernels, inputs: KernelInputs, swish: boolean): TensorInfo[] {
  const { dy, x, gamma, beta, mean, variance } = inputs;
  const c = x.shape[3];
  const full = gamma.shape[0];
  const rows = x.shape[0] * x.shape[1] * x.shape[2];
  const outs = [simd.output(x.shape), simd.output([full]), simd.output([full])];
  // layout: invstd f32[c4] | a f32[c4] | b f32[c4] | k f32[c4] | sumDz f64[c4] | sumDzXhat f64[c4]
  const c4 = (c + 3) & ~3;
  const { ptr, buffer } = simd.scratch(c4 * 32);
  const f32 = new Float32Array(buffer, ptr, 4 * c4);
  const f64 = new Float64Array(buffer, ptr + 16 * c4, 2 * c4);
  const v = simd.view(variance);
  for (let j = 0; j < c; j++) f32[j] = 1 / Math.sqrt(v[j] + BN_EPSILON);
  const dx = simd.address(outs[0]);
  simd.kernels.bnBackwardSums(
    simd.address(dy),
    simd.address(x),
    dx,
    rows,
    c,
    simd.address(mean),
    ptr,
    simd.address(gamma),
    simd.address(beta),
    swish ? 1 : 0,
    ptr + 16 * c4,
    ptr + 24 * c4,
  );
  // dx = gamma * invstd * (dz - sumDz / n - xhat * sumDzXhat / n), xhat = (x - mean) * invstd
  const g = simd.view(gamma);
  const m = simd.view(mean);
  for (let j = 0; j < c; j++) {
    const a = g[j] * f32[j];
    const bx = (-a * f64[c4 + j] * f32[j]) / rows;
    f32[c4 + j] = a;
    f32[2 * c4 + j] = bx;
    f32[3 * c4 + j] = (-a * f64[j]) / rows - bx * m[j];
  }
  simd.kernels.scaleAddChannels(dx, simd.address(x), rows, c, ptr + 4 * c4, ptr + 8 * c4, ptr + 12 * c4);
  const dgamma = simd.view(outs[1]);
  const dbeta = simd.view(outs[2]);
  dgamma.fill(0);
  dbeta.fill(0);
  for (let j = 0; j < c; j++) {
    dgamma[j] = f64[c4 + j];
    dbeta[j] = f64[j];
  }
  return outs;
}

// WebGL runs the op composed of its own kernels (bn-act-composed.ts): for memory, not launches
const composedOn = ['webgl'];
registerHostKernel(BACKWARD, backward);
registerForBackends(BACKWARD, ['webgpu'], (_, inputs, attrs, backend) => bnActBackwardWgsl(inputs, attrs, backend, BN_EPSILON));
registerComposedKernel(BACKWARD, composed.backward, composedOn);
registerHostKernel(FIXED, fixed);
registerForBackends(FIXED, ['webgpu'], (_, inputs, attrs, backend) => bnActFixedWgsl(inputs, attrs, backend, BN_EPSILON));
registerComposedKernel(FIXED, composed.fixed, composedOn);
const saving = { inputsToSave: ['x', 'gamma', 'beta'], outputsToSave: [false, true, true] };
registerFusedGradient(
  {
    kernelName: FORWARD,
    ...saving,
    gradFunc: (dys, saved, attrs) => {
      const [x, gamma, beta, mean, variance] = saved;
      const dy = (dys as tf.Tensor[])[0];
      const [dx, dgamma, dbeta] = runKernel(BACKWARD, { dy, x, gamma, beta, mean, variance }, { act: attrs.act });
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  },
  (name) => {
    registerHostKernel(name, forward);
    registerForBackends(name, ['webgpu'], (_, inputs, attrs, backend) => bnActForwardWgsl(inputs, attrs, backend, BN_EPSILON));
    registerComposedKernel(name, composed.forward, composedOn);
  },
);

export interface BnActResult {
  y: tf.Tensor4D;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Fused BN on batch statistics + activation; gamma and beta are full-size, the first C entries are used. */
export function bnActKernel(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor, act: Activation): BnActResult {
  const [y, mean, variance] = runFused(FORWARD, { x, gamma, beta }, { act }, saving);
  return { y: y as tf.Tensor4D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/** Fused BN on given statistics + activation (evaluation after recalibration). */
export function bnActFixedKernel(
  x: tf.Tensor4D,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  act: Activation,
): tf.Tensor4D {
  return runKernel(FIXED, { x, gamma, beta, mean, variance }, { act })[0] as tf.Tensor4D;
}
