/**
 * BN on batch statistics fused with its activation, composed of a backend's own kernels:
 * the form WebGL runs (cpu and wasm have host loops, WebGPU has WGSL). Its worth there is
 * memory, not launches: composed of tfjs ops on the tape, a BN + swish layer kept about five
 * tensors of its input's size alive until the backward pass (x - mean, x-hat, z, sigmoid(z)
 * and the product), and at batch 128 on the fashion space a step's live textures passed the
 * 1 GB at which tfjs's WebGL backend warns "High memory usage in GPU ... most likely due to a
 * memory leak". As one kernel it keeps x and two per-channel vectors; the backward recomputes
 * x-hat and z from them, and frees each temporary as soon as it is used.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { ComposedKernelFunc } from './composed';
import type { InnerKernels } from './inner-calls';

const AXES = [0, 1, 2];

/** the first c entries of a full-size per-channel variable (itself when it has c) */
function prefix(k: InnerKernels, v: TensorInfo, c: number): TensorInfo {
  return v.shape[0] === c ? v : k.run('Slice', { x: v }, { begin: [0], size: [c] });
}

/** 1 / sqrt(variance + eps), per channel */
function inverseStd(k: InnerKernels, variance: TensorInfo, epsilon: number): TensorInfo {
  return k.run('Rsqrt', { x: k.run('Add', { a: variance, b: k.scalar(epsilon) }) });
}

/** a per-channel sum over the batch and pixels; kept when it leaves the kernel as it is */
const channelSum = (k: InnerKernels, t: TensorInfo, keep: boolean) => k.run('Sum', { x: t }, { axis: AXES, keepDims: false }, keep);

/** `sum` (c entries) as a gradient of a full-size variable: itself when c is the full size, else zero-padded; kept */
function atFullSize(k: InnerKernels, sum: TensorInfo, full: number): TensorInfo {
  const c = sum.shape[0];
  return c === full ? sum : k.run('PadV2', { x: sum }, { paddings: [[0, full - c]], constantValue: 0 }, true);
}

/** y = act(x * scale + shift) with scale = gamma / sqrt(variance + eps), shift = beta - mean * scale; kept */
function affineAct(k: InnerKernels, t: Record<string, TensorInfo>, act: unknown, epsilon: number): TensorInfo {
  const { x, gamma, beta, mean, variance } = t;
  const c = x.shape[3];
  const scale = k.run('Multiply', { a: prefix(k, gamma, c), b: inverseStd(k, variance, epsilon) });
  const shift = k.run('Sub', { a: prefix(k, beta, c), b: k.run('Multiply', { a: mean, b: scale }) });
  const scaled = k.run('Multiply', { a: x, b: scale });
  const z = k.run('Add', { a: scaled, b: shift }, {}, act !== 'swish');
  k.release(scaled);
  if (act !== 'swish') return z;
  const s = k.run('Sigmoid', { x: z });
  const y = k.run('Multiply', { a: z, b: s }, {}, true);
  k.release(z, s);
  return y;
}

/** forward: [y, batch mean, biased batch variance], as the host kernels */
export const bnActForwardComposed =
  (epsilon: number): ComposedKernelFunc =>
  (k, { x, gamma, beta }, attrs: NamedAttrMap) => {
    const mean = k.run('Mean', { x }, { axis: AXES, keepDims: false }, true);
    const squares = k.run('SquaredDifference', { a: x, b: mean });
    const variance = k.run('Mean', { x: squares }, { axis: AXES, keepDims: false }, true);
    k.release(squares);
    return [affineAct(k, { x, gamma, beta, mean, variance }, attrs.act, epsilon), mean, variance];
  };

/** BN on given statistics + activation (evaluation after recalibration) */
export const bnActFixedComposed =
  (epsilon: number): ComposedKernelFunc =>
  (k, inputs, attrs) =>
    affineAct(k, inputs, attrs.act, epsilon);

/**
 * backward: [dx, dgamma, dbeta] with the gradients of gamma and beta at full size.
 * dz = dy * act'(z); dx = gamma * invstd * (dz - mean(dz) - x-hat * mean(dz * x-hat)).
 */
export const bnActBackwardComposed =
  (epsilon: number): ComposedKernelFunc =>
  (k, { dy, x, gamma, beta, mean, variance }, attrs) => {
    const c = x.shape[3];
    const rows = x.shape[0] * x.shape[1] * x.shape[2];
    const g = prefix(k, gamma, c);
    const invstd = inverseStd(k, variance, epsilon);
    const centred = k.run('Sub', { a: x, b: mean });
    const xhat = k.run('Multiply', { a: centred, b: invstd });
    k.release(centred);
    let dz = dy;
    if (attrs.act === 'swish') {
      // act'(z) = s * (1 + z * (1 - s)), s = sigmoid(z)
      const scaled = k.run('Multiply', { a: xhat, b: g });
      const z = k.run('Add', { a: scaled, b: prefix(k, beta, c) });
      const s = k.run('Sigmoid', { x: z });
      const one = k.scalar(1);
      const notS = k.run('Sub', { a: one, b: s });
      const zNotS = k.run('Multiply', { a: z, b: notS });
      const onePlus = k.run('Add', { a: one, b: zNotS });
      k.release(scaled, z, notS, zNotS);
      const slope = k.run('Multiply', { a: s, b: onePlus });
      k.release(s, onePlus);
      dz = k.run('Multiply', { a: dy, b: slope });
      k.release(slope);
    }
    const dzXhat = k.run('Multiply', { a: dz, b: xhat });
    const sumDzXhat = channelSum(k, dzXhat, c === gamma.shape[0]);
    const sumDz = channelSum(k, dz, c === beta.shape[0]);
    k.release(dzXhat);
    const dgamma = atFullSize(k, sumDzXhat, gamma.shape[0]);
    const dbeta = atFullSize(k, sumDz, beta.shape[0]);
    // dx = a * dz + xhat * bx + cx per channel: a = gamma * invstd, bx = -a * sum(dz * xhat) / n, cx = -a * sum(dz) / n
    const a = k.run('Multiply', { a: g, b: invstd });
    const minusAOverN = k.run('Multiply', { a, b: k.scalar(-1 / rows) });
    const bx = k.run('Multiply', { a: minusAOverN, b: sumDzXhat });
    const cx = k.run('Multiply', { a: minusAOverN, b: sumDz });
    const aDz = k.run('Multiply', { a: dz, b: a });
    if (dz !== dy) k.release(dz);
    const xhatB = k.run('Multiply', { a: xhat, b: bx });
    k.release(xhat);
    const partial = k.run('Add', { a: aDz, b: xhatB });
    k.release(aDz, xhatB);
    const dx = k.run('Add', { a: partial, b: cx }, {}, true);
    return [dx, dgamma, dbeta];
  };
