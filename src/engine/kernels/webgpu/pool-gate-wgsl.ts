/**
 * The squeeze-excite pool and gate (pool-gate.ts) on WebGPU: the mean over the spatial axes
 * (one workgroup per sample and channel), its gradient (dy / pixels, spread back), the gate
 * x * g per sample and channel, and the gate's gradients (dx per element, dg one workgroup per
 * sample and channel). As fused ops they also save their inputs without the tape's copies.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { KernelInputs } from '../registry';
import { channelSum, runWgsl, SUMS_DECLARATION, WORKGROUP } from './wgsl-program';

/** uniforms of an NHWC tensor seen as [n, pixels, c]: `rows` (the pixels of one sample) and `c` */
function pixelsAndChannels(x: TensorInfo) {
  const pixels = x.shape[1] * x.shape[2];
  return {
    uniforms: 'rows : i32, c : i32,',
    uniformData: [
      { type: 'int32' as const, data: [pixels] },
      { type: 'int32' as const, data: [x.shape[3]] },
    ],
  };
}

/** WGSL main summing `term` over the pixels r of sample b, channel j (o = b * c + j), then `finish(total)` */
const perSampleChannel = (term: string, finish: string) => `
  ${SUMS_DECLARATION}
  fn main(index : i32) {
    let o = index / ${WORKGROUP};
    let b = o / uniforms.c;
    let j = o % uniforms.c;
    let valid = o < uniforms.size;
    ${channelSum(`select(0.0, ${term}, valid)`)}
    if (localId.x == 0u && valid) {
      setOutputAtIndex(o, ${finish});
    }
  }`;

/** the flat index of pixel r of sample b, channel j */
const at = '(b * uniforms.rows + r) * uniforms.c + j';

export function spatialMeanWgsl({ x }: KernelInputs, attrs: NamedAttrMap, backend: unknown): TensorInfo {
  const [n, , , c] = x.shape;
  return runWgsl(backend, {
    ...pixelsAndChannels(x),
    key: 'spatial_mean',
    layout: 'channel',
    inputs: [x],
    names: ['x'],
    outputShape: attrs.keepDims ? [n, 1, 1, c] : [n, c],
    code: perSampleChannel(`x[${at}]`, 'total / f32(uniforms.rows)'),
  });
}

/** an element-wise program over x's shape; `value` may use i (flat index) and s (its sample-channel index) */
function perElement(backend: unknown, key: string, x: TensorInfo, inputs: TensorInfo[], names: string[], value: string): TensorInfo {
  return runWgsl(backend, {
    ...pixelsAndChannels(x),
    key,
    layout: 'element',
    inputs,
    names,
    outputShape: x.shape,
    code: `
      fn main(i : i32) {
        if (i < uniforms.size) {
          let s = (i / (uniforms.rows * uniforms.c)) * uniforms.c + i % uniforms.c;
          setOutputAtIndex(i, ${value});
        }
      }`,
  });
}

export function spatialMeanGradWgsl({ dy, x }: KernelInputs, backend: unknown): TensorInfo {
  return perElement(backend, 'spatial_mean_grad', x, [dy], ['dy'], 'dy[s] / f32(uniforms.rows)');
}

export function channelGateWgsl({ x, g }: KernelInputs, backend: unknown): TensorInfo {
  return perElement(backend, 'channel_gate', x, [x, g], ['x', 'g'], 'x[i] * g[s]');
}

export function channelGateGradWgsl({ dy, x, g }: KernelInputs, backend: unknown): TensorInfo[] {
  const dx = perElement(backend, 'channel_gate_grad_x', x, [dy, g], ['dy', 'g'], 'dy[i] * g[s]');
  const dg = runWgsl(backend, {
    ...pixelsAndChannels(x),
    key: 'channel_gate_grad_g',
    layout: 'channel',
    inputs: [dy, x],
    names: ['dy', 'x'],
    outputShape: g.shape,
    code: perSampleChannel(`dy[${at}] * x[${at}]`, 'total'),
  });
  return [dx, dg];
}
