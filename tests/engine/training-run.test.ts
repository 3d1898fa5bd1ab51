/** A whole (tiny) run through the same entry point the CLI and the worker use. */
import { beforeAll, expect, it } from 'vitest';
import { presetSpace } from '../../src/core/space/presets';
import { parseRunConfig } from '../../src/core/training/run-config';
import { initNodeBackend, loadFashionMnistFromDisk } from '../../src/cli/node-runtime';
import { trainSupernet } from '../../src/engine/training-run';
import type { BackendInfo } from '../../src/engine/backend';

let backend: BackendInfo;
beforeAll(async () => {
  backend = await initNodeBackend('wasm');
});

it('trains, evaluates smallest and largest after each epoch and on test, and returns plain JSON', async () => {
  const data = await loadFashionMnistFromDisk();
  expect(data.train.count).toBe(60000);
  expect(data.test.count).toBe(10000);
  expect([data.train.height, data.train.width, data.train.channels]).toEqual([28, 28, 1]);
  const config = parseRunConfig({
    space: presetSpace('tiny'),
    seed: 3,
    epochs: 2,
    stepsPerEpoch: 3,
    batchSize: 16,
    learningRate: 0.05,
    calibrationBatches: 2,
    evalSubset: 200,
  });
  const seenSteps: number[] = [];
  const results = await trainSupernet(config, data, backend, { onStep: (_, p) => seenSteps.push(p.step) });
  expect(seenSteps).toEqual([1, 2, 3, 4, 5, 6]);
  expect(results.epochs).toHaveLength(2);
  expect(results.steps).toHaveLength(6);
  for (const step of results.steps) {
    expect(step.roles).toEqual(['largest', 'sampled', 'sampled', 'smallest']);
    expect(step.macs[0]).toBe(results.subnets.largest.macs);
    expect(step.macs[3]).toBe(results.subnets.smallest.macs);
    expect(step.losses.every(Number.isFinite)).toBe(true);
  }
  for (const e of results.epochs) {
    expect(e.validation.largest.total).toBe(200);
    expect(e.validation.largest.calibrationBatches).toBe(2);
    expect(e.validation.smallest.accuracy).toBeGreaterThanOrEqual(0);
  }
  expect(results.test!.largest.total).toBe(200);
  expect(results.backend.name).toBe('wasm');
  expect(results.convForm).toBe('portable');
  const roundTrip = JSON.parse(JSON.stringify(results));
  expect(roundTrip.config.space.name).toBe('tiny');
  expect(roundTrip.data.trainImages).toBe(55000);
});

it('stops cleanly when asked before a step', async () => {
  const data = await loadFashionMnistFromDisk();
  const config = parseRunConfig({
    space: presetSpace('tiny'),
    seed: 1,
    epochs: 1,
    stepsPerEpoch: 5,
    batchSize: 8,
    learningRate: 0.05,
    calibrationBatches: 1,
    evalSubset: 50,
  });
  let steps = 0;
  const results = await trainSupernet(config, data, backend, { beforeStep: async () => (steps++ >= 2 ? 'stop' : 'continue') });
  expect(results.stopped).toBe(true);
  expect(results.steps).toHaveLength(2);
});

it('rejects data whose shape does not match the space, naming both', async () => {
  const data = await loadFashionMnistFromDisk();
  const config = parseRunConfig({ space: presetSpace('cifar'), seed: 1, epochs: 1, batchSize: 8, learningRate: 0.05 });
  await expect(trainSupernet(config, data, backend)).rejects.toThrow(/28x28x1 but the search space "cifar" expects 32x32x3/);
});

it('frees the supernet and trainer when the run fails before its first step (onStart throws, or the sampler cannot be built)', async () => {
  const tf = await import('@tensorflow/tfjs');
  const data = await loadFashionMnistFromDisk();
  const config = parseRunConfig({
    space: presetSpace('tiny'),
    seed: 2,
    epochs: 1,
    stepsPerEpoch: 2,
    batchSize: 8,
    learningRate: 0.05,
    evalSubset: 50,
  });
  const before = tf.memory().numTensors;
  await expect(
    trainSupernet(config, data, backend, {
      onStart: () => {
        throw new Error('the page went away');
      },
    }),
  ).rejects.toThrow('the page went away');
  expect(tf.memory().numTensors).toBe(before);
  // a sampler kind the registry does not know gets past no config check here: setUpSampler refuses it
  const broken = { ...config, sampler: { ...config.sampler, kind: 'sideways' } } as unknown as typeof config;
  await expect(trainSupernet(broken, data, backend)).rejects.toThrow(/sideways/);
  expect(tf.memory().numTensors).toBe(before);
});
