/**
 * Batch norm on batch statistics fused with its activation (bn-act.ts) on WebGPU. Forward,
 * three programs: the channel means, the biased variances (two passes, as tf.moments), then
 * y = act((x - mean) * gamma / sqrt(var + eps) + beta). Backward, four: the channel sums of dz
 * and dz * x-hat in one buffer, its two halves copied out as beta's and gamma's gradients (full
 * size, zeros past C), and dx from the sums. Composed of tfjs ops a BN layer cost about 30
 * launches a step.
 *
 * The reductions run one workgroup per channel over the rows of an NHWC tensor seen as
 * [rows, C]; C and the row count are uniforms, so a new layer shape compiles nothing.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { KernelInputs } from '../registry';
import { channelSum, runWgsl, SUMS_DECLARATION, WORKGROUP } from './wgsl-program';

/** the uniforms of an NHWC tensor seen as [rows, C] */
const shape = { rows: 'rows : i32, c : i32,' };
const dims = (x: TensorInfo) => {
  const c = x.shape[3];
  const rows = x.shape[0] * x.shape[1] * x.shape[2];
  return {
    c,
    rows,
    uniformData: [
      { type: 'int32' as const, data: [rows] },
      { type: 'int32' as const, data: [c] },
    ],
  };
};

/** a channel reduction's main: `term` sums over rows r of channel ch; `finish` maps the total */
const reduction = (helpers: string, term: string, finish: string) => `
  ${SUMS_DECLARATION}
  ${helpers}
  fn main(index : i32) {
    let ch = index / ${WORKGROUP};
    let valid = ch < uniforms.c;
    ${channelSum(`select(0.0, ${term}, valid)`)}
    if (localId.x == 0u && ch < uniforms.size) {
      setOutputAtIndex(ch, ${finish});
    }
  }`;

/** WGSL for the activation and its derivative, as functions of the pre-activation z */
const activation = (swish: boolean) =>
  swish
    ? `fn act(z : f32) -> f32 { return z / (1.0 + exp(-z)); }
       fn actGrad(z : f32) -> f32 { let s = 1.0 / (1.0 + exp(-z)); return s * (1.0 + z * (1.0 - s)); }`
    : `fn act(z : f32) -> f32 { return z; }
       fn actGrad(z : f32) -> f32 { return 1.0; }`;

/** `epsilon`: BN's (bn-act.ts passes it, so the two stay one constant) */
export function bnActForwardWgsl(inputs: KernelInputs, attrs: NamedAttrMap, backend: unknown, epsilon: number): TensorInfo[] {
  const EPS = epsilon.toExponential();
  const { x, gamma, beta } = inputs;
  const swish = attrs.act === 'swish';
  const { c, uniformData } = dims(x);
  const at = 'x[r * uniforms.c + ch]';
  const common = { uniforms: shape.rows, uniformData, layout: 'channel' as const };
  const mean = runWgsl(backend, {
    ...common,
    key: 'bn_mean',
    inputs: [x],
    names: ['x'],
    outputShape: [c],
    code: reduction('', at, 'total / f32(uniforms.rows)'),
  });
  const variance = runWgsl(backend, {
    ...common,
    key: 'bn_variance',
    inputs: [x, mean],
    names: ['x', 'mean'],
    outputShape: [c],
    code: reduction('', `(${at} - mean[ch]) * (${at} - mean[ch])`, 'total / f32(uniforms.rows)'),
  });
  const y = applyAffine(backend, { x, gamma, beta, mean, variance }, swish, EPS);
  return [y, mean, variance];
}

/** y = act((x - mean) * gamma / sqrt(variance + eps) + beta), one invocation per element */
function applyAffine(backend: unknown, t: KernelInputs, swish: boolean, EPS: string): TensorInfo {
  return runWgsl(backend, {
    uniforms: shape.rows,
    uniformData: dims(t.x).uniformData,
    layout: 'element',
    key: `bn_apply_${swish ? 'swish' : 'none'}`,
    inputs: [t.x, t.gamma, t.beta, t.mean, t.variance],
    names: ['x', 'gamma', 'beta', 'mean', 'variance'],
    outputShape: t.x.shape,
    code: `
      ${activation(swish)}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let ch = index % uniforms.c;
          let scale = gamma[ch] * inverseSqrt(variance[ch] + ${EPS});
          setOutputAtIndex(index, act((x[index] - mean[ch]) * scale + beta[ch]));
        }
      }`,
  });
}

/** BN on given statistics + activation (evaluation after recalibration) */
export function bnActFixedWgsl(inputs: KernelInputs, attrs: NamedAttrMap, backend: unknown, epsilon: number): TensorInfo {
  return applyAffine(backend, inputs, attrs.act === 'swish', epsilon.toExponential());
}

export function bnActBackwardWgsl(inputs: KernelInputs, attrs: NamedAttrMap, backend: unknown, epsilon: number): TensorInfo[] {
  const EPS = epsilon.toExponential();
  const { dy, x, gamma, beta, mean, variance } = inputs;
  const swish = attrs.act === 'swish';
  const { uniformData } = dims(x);
  const full = gamma.shape[0];
  // x-hat and dz (dy through the activation) at flat index i of channel ch
  const helpers = `
    ${activation(swish)}
    fn xhat(i : i32, ch : i32) -> f32 { return (x[i] - mean[ch]) * inverseSqrt(variance[ch] + ${EPS}); }
    fn dz(i : i32, ch : i32) -> f32 { return dy[i] * actGrad(xhat(i, ch) * gamma[ch] + beta[ch]); }`;
  const names = ['dy', 'x', 'gamma', 'beta', 'mean', 'variance'];
  const tensors = [dy, x, gamma, beta, mean, variance];
  const i = 'r * uniforms.c + ch';
  // both channel sums in one output, [sum of dz | sum of dz * x-hat], each `full` long: with
  // its two halves as separate inputs the dx program would bind 9 storage buffers, one past
  // WebGPU's default limit of 8 per stage
  const sums = runWgsl(backend, {
    uniforms: shape.rows,
    uniformData,
    layout: 'channel',
    inputs: tensors,
    names,
    outputShape: [2 * full],
    key: `bn_grad_sums_${attrs.act}`,
    code: `
      ${SUMS_DECLARATION}
      ${helpers}
      fn main(index : i32) {
        let o = index / ${WORKGROUP};
        let full = uniforms.size / 2;
        let second = o >= full;
        let ch = select(o, o - full, second);
        let valid = ch < uniforms.c;
        ${channelSum(`select(0.0, select(dz(${i}, ch), dz(${i}, ch) * xhat(${i}, ch), second), valid)`)}
        if (localId.x == 0u && o < uniforms.size) {
          setOutputAtIndex(o, total);
        }
      }`,
  });
  const half = (offset: number) =>
    runWgsl(backend, {
      uniforms: 'offset : i32,',
      uniformData: [{ type: 'int32', data: [offset] }],
      layout: 'element',
      inputs: [sums],
      names: ['sums'],
      outputShape: [full],
      key: 'bn_grad_half',
      code: `
        fn main(index : i32) {
          if (index < uniforms.size) { setOutputAtIndex(index, sums[index + uniforms.offset]); }
        }`,
    });
  const dbeta = half(0);
  const dgamma = half(full);
  const dx = runWgsl(backend, {
    uniforms: 'rows : i32, c : i32, full : i32,',
    uniformData: [...uniformData, { type: 'int32', data: [full] }],
    layout: 'element',
    key: `bn_grad_x_${attrs.act}`,
    inputs: [...tensors, sums],
    names: [...names, 'sums'],
    outputShape: x.shape,
    code: `
      ${helpers}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let ch = index % uniforms.c;
          let n = f32(uniforms.rows);
          let invstd = inverseSqrt(variance[ch] + ${EPS});
          let value = gamma[ch] * invstd * (dz(index, ch) - sums[ch] / n - xhat(index, ch) * sums[uniforms.full + ch] / n);
          setOutputAtIndex(index, value);
        }
      }`,
  });
  (backend as { disposeData(dataId: object): void }).disposeData(sums.dataId);
  return [dx, dgamma, dbeta];
}
