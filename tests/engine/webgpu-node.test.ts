/**
 * The engine on tfjs's WebGPU backend in Node, through Dawn (the `webgpu` package) on
 * whatever Vulkan adapter is found: here Chromium's SwiftShader, a CPU emulation. A few
 * sandwich steps of the tiny space give the wasm backend's losses, and leak no tensors.
 * Skipped outside CI when no adapter can be had; in CI (CI=true) a missing adapter fails.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { largestSubnet, smallestSubnet } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';
import type { BackendName } from '../../src/engine/backend';
import type { ConvForm } from '../../src/engine/conv-forms';
import { Supernet } from '../../src/engine/supernet';
import { sandwich, Trainer } from '../../src/engine/trainer';
import { initNodeBackend } from '../../src/cli/node-runtime';
import { registerNodeWebGpu } from '../../src/cli/node-webgpu';
import { seededImages, seededLabels } from './helpers';

const unavailable = await registerNodeWebGpu().then(
  () => null,
  (error: Error) => error.message,
);
if (unavailable && process.env.CI) throw new Error(`CI has no WebGPU adapter in Node: ${unavailable}`);

async function train(backend: BackendName, form: ConvForm, steps: number) {
  const info = await initNodeBackend(backend);
  const space = presetSpace('tiny');
  const net = Supernet.create(space, 3);
  const trainer = new Trainer(net, { momentum: 0.9, weightDecay: 1e-5, gradClip: 1, labelSmoothing: 0.1, convForm: form, dropout: 0 });
  const batch = { images: seededImages(8, 28, 1), labels: seededLabels(8, 10) };
  const rng = new Rng(4);
  const losses: number[][] = [];
  const tensors: number[] = [];
  for (let i = 0; i < steps; i++) {
    losses.push(
      await trainer.step(
        batch,
        sandwich(largestSubnet(space), [sampleUniform(space, rng), sampleUniform(space, rng)], smallestSubnet(space)),
        0.05,
        i,
      ),
    );
    tensors.push(tf.memory().numTensors);
  }
  tf.dispose([batch.images, batch.labels]);
  trainer.dispose();
  net.dispose();
  return { info, losses, tensors };
}

describe.skipIf(unavailable !== null)(`webgpu in Node${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('trains the tiny space: the same losses as wasm within 1e-3, and a flat tensor count', async () => {
    const gpu = await train('webgpu', 'native', 3);
    expect(gpu.info.name).toBe('webgpu');
    expect(gpu.info.adapter.length).toBeGreaterThan(0);
    const wasm = await train('wasm', 'portable', 3);
    gpu.losses.forEach((row, s) =>
      row.forEach((loss, i) => expect(Math.abs(loss - wasm.losses[s][i]), `step ${s} subnet ${i}`).toBeLessThan(1e-3)),
    );
    expect(gpu.tensors[2]).toBe(gpu.tensors[0]);
    // the losses moved: a step that did nothing would also agree
    expect(gpu.losses[2][0]).toBeLessThan(gpu.losses[0][0]);
  }, 300_000);
});
