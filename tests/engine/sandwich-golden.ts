/**
 * The reference outcome of two sandwich steps on the fashion space from a fixed seed, used
 * by sandwich-golden.test.ts to check that kernel rewrites change nothing that is computed.
 * `npx tsx tests/engine/sandwich-golden.ts write` regenerates the fixture (only do that
 * when a change is meant to alter the numbers, and say so in the commit).
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { largestSubnet, smallestSubnet } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';
import type { ConvForm } from '../../src/engine/conv-forms';
import { Supernet } from '../../src/engine/supernet';
import { sandwich, Trainer } from '../../src/engine/trainer';
import { seededImages, seededLabels, useBackend } from './helpers';
import type { BackendName } from '../../src/engine/backend';
import { captureCheckpoint, restoreCheckpoint } from '../../src/engine/checkpoint';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/core/records/checkpoint-format';
import { parseRunConfig } from '../../src/core/training/run-config';

export const goldenCases: { backend: BackendName; form: ConvForm }[] = [
  { backend: 'wasm', form: 'portable' },
  { backend: 'cpu', form: 'native' },
];
export const goldenPath = new URL('./fixtures/sandwich-golden.json', import.meta.url);
/** a tiny-space checkpoint (weights and velocity after one step) written by the unfused engine */
export const oldCheckpointPath = new URL('./fixtures/tiny-step1-unfused.ckpt', import.meta.url);

export interface VariableDigest {
  sum: number;
  sumSquares: number;
  /** values at fixed, evenly spread indices */
  samples: number[];
}
export interface GoldenRun {
  losses: number[][];
  weights: Record<string, VariableDigest>;
  velocity: Record<string, VariableDigest>;
}

export function digest(values: Float32Array): VariableDigest {
  let sum = 0;
  let sumSquares = 0;
  for (const v of values) {
    sum += v;
    sumSquares += v * v;
  }
  const count = Math.min(8, values.length);
  const samples = Array.from({ length: count }, (_, i) => values[Math.floor((i * values.length) / count)]);
  return { sum, sumSquares, samples };
}

export async function goldenRun(backend: BackendName, form: ConvForm): Promise<GoldenRun> {
  await useBackend(backend);
  const space = presetSpace('fashion');
  const net = Supernet.create(space, 11);
  const trainer = new Trainer(net, { momentum: 0.9, weightDecay: 1e-5, gradClip: 1, labelSmoothing: 0.1, convForm: form, dropout: 0.2 });
  const batch = { images: seededImages(8, 28, 1, 5), labels: seededLabels(8, 10, 6) };
  const rng = new Rng(12);
  const losses: number[][] = [];
  for (let step = 0; step < 2; step++) {
    const subnets = sandwich(largestSubnet(space), [sampleUniform(space, rng), sampleUniform(space, rng)], smallestSubnet(space));
    losses.push(await trainer.step(batch, subnets, 0.1, step + 1));
  }
  const weights = Object.fromEntries([...(await net.read())].map(([name, v]) => [name, digest(v)]));
  const velocity = Object.fromEntries([...(await trainer.optimizer.read())].map(([name, v]) => [name, digest(v)]));
  tf.dispose([batch.images, batch.labels]);
  trainer.dispose();
  net.dispose();
  return { losses, weights, velocity };
}

const tinyStep = (space: ReturnType<typeof presetSpace>, rng: Rng) =>
  sandwich(largestSubnet(space), [sampleUniform(space, rng), sampleUniform(space, rng)], smallestSubnet(space));

/**
 * Resumes training from a checkpoint: `bytes` (when given) are restored into a fresh tiny
 * supernet and optimizer, else one step is trained from seed 21 first and its checkpoint
 * returned. Then one more step; its losses, weights and velocity are the result.
 */
export async function resumedStep(bytes?: Uint8Array): Promise<{ checkpoint: Uint8Array; run: GoldenRun }> {
  await useBackend('wasm');
  const space = presetSpace('tiny');
  const net = Supernet.create(space, 21);
  const trainer = new Trainer(net, {
    momentum: 0.9,
    weightDecay: 1e-5,
    gradClip: 1,
    labelSmoothing: 0.1,
    convForm: 'portable',
    dropout: 0,
  });
  const batch = { images: seededImages(8, 28, 1, 22), labels: seededLabels(8, 10, 23) };
  const rng = new Rng(24);
  const first = tinyStep(space, rng);
  if (bytes) restoreCheckpoint(decodeCheckpoint(bytes), net, trainer.optimizer);
  else await trainer.step(batch, first, 0.1, 1);
  const meta = {
    config: parseRunConfig({ space, seed: 21, epochs: 1, stepsPerEpoch: 2, batchSize: 8, learningRate: 0.1 }),
    progress: { step: 1, epoch: 0, stepInEpoch: 1 },
    normalisation: { mean: [0], std: [1] },
    rng: { orderAtEpochStart: new Rng(1).getState(), augment: new Rng(2).getState(), sampler: rng.getState() },
  };
  const checkpoint = encodeCheckpoint(await captureCheckpoint(net, trainer.optimizer, meta));
  const losses = [await trainer.step(batch, tinyStep(space, rng), 0.1, 2)];
  const weights = Object.fromEntries([...(await net.read())].map(([name, v]) => [name, digest(v)]));
  const velocity = Object.fromEntries([...(await trainer.optimizer.read())].map(([name, v]) => [name, digest(v)]));
  tf.dispose([batch.images, batch.labels]);
  trainer.dispose();
  net.dispose();
  return { checkpoint, run: { losses, weights, velocity } };
}

if (process.argv[2] === 'write') {
  const out: Record<string, GoldenRun> = {};
  for (const { backend, form } of goldenCases) out[`${backend}/${form}`] = await goldenRun(backend, form);
  const resumed = await resumedStep();
  out['wasm/portable resumed'] = resumed.run;
  writeFileSync(oldCheckpointPath, resumed.checkpoint);
  writeFileSync(goldenPath, JSON.stringify(out));
  console.log(`wrote ${goldenPath.pathname}`);
}
