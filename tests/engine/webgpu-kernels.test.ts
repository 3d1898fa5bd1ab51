/**
 * Our WGSL kernels (src/engine/kernels/webgpu/) against the same kernels on the cpu backend:
 * BN + activation forward, its gradients, BN on fixed statistics, the fused SGD update with
 * several gradients, a mask, decay on and off, and more gradients than fit one program, and
 * the squeeze-excite pool and gate with their gradients.
 * Runs on whatever Vulkan adapter Dawn finds (SwiftShader here); skipped outside CI without one.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerNodeWebGpu } from '../../src/cli/node-webgpu';
import { initNodeBackend } from '../../src/cli/node-runtime';
import { bnActFixedKernel, bnActKernel, type Activation } from '../../src/engine/kernels/bn-act';
import { sgdUpdateKernel, type SgdVariable } from '../../src/engine/kernels/sgd-update';
import { innerKernelCalls } from '../../src/engine/kernels/inner-calls';
import { channelGate, spatialMean } from '../../src/engine/kernels/pool-gate';

const unavailable = await registerNodeWebGpu().then(
  () => null,
  (error: Error) => error.message,
);
if (unavailable && process.env.CI) throw new Error(`CI has no WebGPU adapter in Node: ${unavailable}`);

/** deterministic values in [-1, 1) */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Runs `f` on a backend and returns every output as plain arrays. */
async function on(backend: 'cpu' | 'webgpu', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await initNodeBackend(backend);
  const outs = f();
  const data = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outs);
  return data;
}

function expectClose(gpu: Float32Array[], cpu: Float32Array[], tolerance: number) {
  expect(gpu.length).toBe(cpu.length);
  gpu.forEach((g, k) => {
    expect(g.length, `output ${k}`).toBe(cpu[k].length);
    let worst = 0;
    for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i] - cpu[k][i]) / Math.max(1, Math.abs(cpu[k][i])));
    expect(worst, `output ${k}`).toBeLessThan(tolerance);
  });
}

const bnCase = (act: Activation, shape: [number, number, number, number], full: number) => () => {
  const [n, h, w, c] = shape;
  const x = tf.tensor4d(
    values(n * h * w * c, 1).map((v, i) => v * 2 + (i % c) * 0.1),
    shape,
  );
  const gamma = tf.tensor1d(values(full, 2).map((v) => 1 + 0.5 * v));
  const beta = tf.tensor1d(values(full, 3).map((v) => 0.3 * v));
  const dy = tf.tensor4d(values(n * h * w * c, 4), shape);
  const { value, grads } = tf.valueAndGrads((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { y } = bnActKernel(xx as tf.Tensor4D, g, b, act);
    return tf.sum(tf.mul(y, dy));
  })([x, gamma, beta]);
  const { y, mean, variance } = bnActKernel(x, gamma, beta, act);
  const fixed = bnActFixedKernel(x, gamma, beta, mean, variance, act);
  tf.dispose([x, gamma, beta, dy]);
  return [y, mean, variance, fixed, value, ...grads];
};

function sgdCase(gradCount: number, masked: boolean, decay: boolean) {
  return () => {
    const shape = [3, 5, 7];
    const size = 105;
    const variable: SgdVariable = {
      weight: tf.tensor(values(size, 5), shape),
      velocity: tf.tensor(
        values(size, 6).map((v) => 0.1 * v),
        shape,
      ),
      grads: Array.from({ length: gradCount }, (_, j) =>
        tf.tensor(
          values(size, 10 + j).map((v) => 1.5 * v),
          shape,
        ),
      ),
      decay,
      mask: masked ? values(size, 7).map((v) => (v > 0 ? 1 : 0)) : null,
    };
    const other: SgdVariable = { ...variable, weight: tf.mul(variable.weight, 2), decay: !decay, mask: null };
    const out = sgdUpdateKernel([variable, other], { lr: 0.3, momentum: 0.9, weightDecay: 0.01, gradClip: 1 });
    tf.dispose([variable.weight, variable.velocity, other.weight, ...variable.grads]);
    return out;
  };
}

describe.skipIf(unavailable !== null)(`WGSL kernels against the cpu backend${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  for (const act of ['swish', 'none'] as const) {
    it(`BN + ${act}: forward, moments, fixed statistics and the gradients of x, gamma and beta (gamma and beta longer than C)`, async () => {
      const f = bnCase(act, [3, 5, 4, 6], 9);
      const gpu = await on('webgpu', f);
      const cpu = await on('cpu', f);
      expectClose(gpu, cpu, 2e-4);
      // past C the parameter gradients are zeros
      expect(Array.from(gpu[6].slice(6))).toEqual([0, 0, 0]);
      expect(Array.from(gpu[7].slice(6))).toEqual([0, 0, 0]);
    }, 120_000);
  }
  it('BN over more rows than a workgroup has invocations, with one channel', async () => {
    const f = bnCase('swish', [4, 9, 9, 1], 1);
    expectClose(await on('webgpu', f), await on('cpu', f), 2e-4);
  }, 120_000);
  for (const [grads, masked, decay] of [
    [1, false, true],
    [4, true, false],
    [6, true, true],
  ] as const) {
    it(`SGD update with ${grads} gradient(s), ${masked ? 'a mask' : 'no mask'}, decay ${decay ? 'on' : 'off'}`, async () => {
      const f = sgdCase(grads, masked, decay);
      const before = innerKernelCalls.count;
      const gpu = await on('webgpu', f);
      // per variable (two here): two programs, plus one addition per gradient past four
      expect(innerKernelCalls.count - before).toBe(2 * (2 + Math.max(0, grads - 4)));
      expectClose(gpu, await on('cpu', f), 1e-5);
    }, 120_000);
  }
});

const poolGateCase = () => {
  const shape: [number, number, number, number] = [3, 5, 4, 6];
  const x = tf.tensor4d(values(360, 21), shape);
  const g = tf.tensor4d(values(18, 22), [3, 1, 1, 6]);
  const dy = tf.tensor4d(values(360, 23), shape);
  const { value, grads } = tf.valueAndGrads((xx: tf.Tensor, gg: tf.Tensor) => {
    const gated = channelGate(xx as tf.Tensor4D, gg as tf.Tensor4D);
    return tf.add(tf.sum(tf.mul(gated, dy)), tf.sum(tf.mul(spatialMean(xx as tf.Tensor4D), tf.reshape(gg, [3, 6]))));
  })([x, g]);
  const pooled = spatialMean(x);
  const kept = spatialMean(x, true);
  const gated = channelGate(x, g);
  tf.dispose([x, g, dy]);
  return [pooled, kept, gated, value, ...grads];
};

describe.skipIf(unavailable !== null)(`WGSL pool and gate against the cpu backend${unavailable ? ` (skipped)` : ''}`, () => {
  it('the spatial mean (with and without kept dims), the channel gate and the gradients of both', async () => {
    const gpu = await on('webgpu', poolGateCase);
    expectClose(gpu, await on('cpu', poolGateCase), 1e-5);
    expect(gpu[1].length).toBe(18);
  }, 120_000);
});
