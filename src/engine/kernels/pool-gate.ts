/**
 * The global average pool (squeeze-excite's squeeze, the head's pool) and squeeze-excite's
 * channel gate, each one kernel forward and one backward on the host backends and on WebGPU
 * (WGSL, webgpu/pool-gate-wgsl.ts).
 *
 * tfjs-backend-wasm reduces over the spatial axes of an NHWC tensor by transposing it first
 * (a full copy) and its Mean gradient is a broadcast Div plus a Reshape; the gate's gradient
 * is a Multiply and a Sum over the same axes (another transpose). Here each is one pass over
 * the tensor in pixel order. WebGL runs the same ops composed of tfjs ops.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { hostKernel, type HostBackendName } from './host-memory';
import { hasKernel, registerForBackends, registerHostKernel, runKernel, type KernelInputs } from './registry';
import { channelGateGradWgsl, channelGateWgsl, spatialMeanGradWgsl, spatialMeanWgsl } from './webgpu/pool-gate-wgsl';
import { registerFusedGradient, runFused } from './fused-op';
import { simdKernelsFor } from './simd/simd-module';

const MEAN = 'NasSpatialMean';
const MEAN_GRAD = 'NasSpatialMeanGrad';
const GATE = 'NasChannelGate';
const GATE_GRAD = 'NasChannelGateGrad';

/** [n, pixels, c] of an NHWC shape */
const dims = (shape: number[]) => [shape[0], shape[1] * shape[2], shape[3]] as const;

function mean(backendName: HostBackendName, { x }: KernelInputs, attrs: NamedAttrMap, backend: unknown): TensorInfo[] {
  const [n, hw, c] = dims(x.shape);
  const shape = attrs.keepDims ? [n, 1, 1, c] : [n, c];
  const simd = backendName === 'wasm' ? simdKernelsFor(backend) : null;
  if (simd) {
    const y = simd.output(shape);
    simd.kernels.spatialMean(simd.address(x), simd.address(y), n, hw, c, 1 / hw);
    return [y];
  }
  return hostKernel(backendName, backend, [x], [{ shape }], ([xv], [y]) => {
    y.fill(0);
    for (let b = 0; b < n; b++) for (let p = 0; p < hw; p++) for (let j = 0; j < c; j++) y[b * c + j] += xv[(b * hw + p) * c + j];
    for (let i = 0; i < y.length; i++) y[i] /= hw;
  });
}

function meanGrad(backendName: HostBackendName, { dy, x }: KernelInputs, _attrs: NamedAttrMap, backend: unknown): TensorInfo[] {
  const [n, hw, c] = dims(x.shape);
  const simd = backendName === 'wasm' ? simdKernelsFor(backend) : null;
  if (simd) {
    const dx = simd.output(x.shape);
    simd.kernels.spatialBroadcast(simd.address(dy), simd.address(dx), n, hw, c, 1 / hw);
    return [dx];
  }
  return hostKernel(backendName, backend, [dy], [{ shape: x.shape }], ([d], [dx]) => {
    for (let b = 0; b < n; b++) for (let p = 0; p < hw; p++) for (let j = 0; j < c; j++) dx[(b * hw + p) * c + j] = d[b * c + j] / hw;
  });
}

function gate(backendName: HostBackendName, { x, g }: KernelInputs, _attrs: NamedAttrMap, backend: unknown): TensorInfo[] {
  const [n, hw, c] = dims(x.shape);
  const simd = backendName === 'wasm' ? simdKernelsFor(backend) : null;
  if (simd) {
    const y = simd.output(x.shape);
    simd.kernels.channelGate(simd.address(x), simd.address(g), simd.address(y), n, hw, c);
    return [y];
  }
  return hostKernel(backendName, backend, [x, g], [{ shape: x.shape }], ([xv, gv], [y]) => {
    for (let b = 0; b < n; b++)
      for (let p = 0; p < hw; p++) for (let j = 0; j < c; j++) y[(b * hw + p) * c + j] = xv[(b * hw + p) * c + j] * gv[b * c + j];
  });
}

function gateGrad(backendName: HostBackendName, { dy, x, g }: KernelInputs, _attrs: NamedAttrMap, backend: unknown): TensorInfo[] {
  const [n, hw, c] = dims(x.shape);
  const simd = backendName === 'wasm' ? simdKernelsFor(backend) : null;
  if (simd) {
    const dx = simd.output(x.shape);
    const dg = simd.output(g.shape);
    simd.kernels.channelGateGrad(simd.address(dy), simd.address(x), simd.address(g), simd.address(dx), simd.address(dg), n, hw, c);
    return [dx, dg];
  }
  return hostKernel(backendName, backend, [dy, x, g], [{ shape: x.shape }, { shape: g.shape }], ([d, xv, gv], [dx, dg]) => {
    dg.fill(0);
    for (let b = 0; b < n; b++) {
      for (let p = 0; p < hw; p++) {
        for (let j = 0; j < c; j++) {
          const i = (b * hw + p) * c + j;
          dx[i] = d[i] * gv[b * c + j];
          dg[b * c + j] += d[i] * xv[i];
        }
      }
    }
  });
}

registerHostKernel(MEAN_GRAD, meanGrad);
registerHostKernel(GATE_GRAD, gateGrad);
registerForBackends(MEAN_GRAD, ['webgpu'], (_, inputs, _attrs, backend) => spatialMeanGradWgsl(inputs, backend));
registerForBackends(GATE_GRAD, ['webgpu'], (_, inputs, _attrs, backend) => channelGateGradWgsl(inputs, backend));
const meanSaving = { inputsToSave: ['x'] };
registerFusedGradient(
  {
    kernelName: MEAN,
    ...meanSaving,
    gradFunc: (dy, [x]) => {
      const [dx] = runKernel(MEAN_GRAD, { dy: dy as tf.Tensor, x });
      return { x: () => dx };
    },
  },
  (name) => {
    registerHostKernel(name, mean);
    registerForBackends(name, ['webgpu'], (_, inputs, attrs, backend) => spatialMeanWgsl(inputs, attrs, backend));
  },
);
const gateSaving = { inputsToSave: ['x', 'g'] };
registerFusedGradient(
  {
    kernelName: GATE,
    ...gateSaving,
    gradFunc: (dy, [x, g]) => {
      const [dx, dg] = runKernel(GATE_GRAD, { dy: dy as tf.Tensor, x, g });
      return { x: () => dx, g: () => dg };
    },
  },
  (name) => {
    registerHostKernel(name, gate);
    registerForBackends(name, ['webgpu'], (_, inputs, _attrs, backend) => channelGateWgsl(inputs, backend));
  },
);

/** Mean over the spatial axes of x [n, h, w, c]: [n, c], or [n, 1, 1, c] with `keepDims`. */
export function spatialMean(x: tf.Tensor4D, keepDims: true): tf.Tensor4D;
export function spatialMean(x: tf.Tensor4D, keepDims?: false): tf.Tensor2D;
export function spatialMean(x: tf.Tensor4D, keepDims = false): tf.Tensor {
  if (!hasKernel(MEAN)) return tf.mean(x, [1, 2], keepDims);
  return runFused(MEAN, { x }, { keepDims }, meanSaving)[0];
}

/** x [n, h, w, c] times a per-sample, per-channel gate g [n, 1, 1, c]. */
export function channelGate(x: tf.Tensor4D, g: tf.Tensor4D): tf.Tensor4D {
  if (!hasKernel(GATE)) return tf.mul(x, g);
  return runFused(GATE, { x, g }, {}, gateSaving)[0] as tf.Tensor4D;
}
