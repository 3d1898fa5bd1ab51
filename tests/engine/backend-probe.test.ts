/** `auto`'s probe on a real backend in Node: it times steps within its budget, frees all it made, and `auto` without a GPU says why. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/cli/node-runtime';
import { probeCurrentBackend } from '../../src/engine/backend-probe';
import { useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

it('times warm-up and steps on wasm and leaves no tensor behind', async () => {
  const before = tf.memory().numTensors;
  const result = await probeCurrentBackend('wasm', 'portable', { shareMs: 2000, hardMs: 5000 }, { space: 'tiny', batch: 8 });
  expect(result.error).toBeUndefined();
  expect(result.name).toBe('wasm');
  expect(result.steps).toBeGreaterThanOrEqual(1);
  expect(result.steps).toBeLessThanOrEqual(3);
  expect(result.msPerStep).toBeGreaterThan(0);
  expect(result.warmupMs).toBeGreaterThan(0);
  expect(tf.memory().numTensors).toBe(before);
});

it('a warm-up longer than the hard limit leaves the backend without a time', async () => {
  const result = await probeCurrentBackend('wasm', 'portable', { shareMs: 0, hardMs: 0 }, { space: 'tiny', batch: 8 });
  expect(result.msPerStep).toBeNull();
  expect(result.error).toMatch(/warm-up step took/);
});

it('a failing probe is a result, not an exception', async () => {
  // tfjs-backend-wasm has no Conv2DBackpropFilter: the native conv form cannot train there
  const result = await probeCurrentBackend('wasm', 'native', { shareMs: 1000, hardMs: 5000 }, { space: 'tiny', batch: 8 });
  expect(result.msPerStep).toBeNull();
  expect(result.error).toMatch(/the probe failed/);
});

it('auto in Node (no GPU backend) chooses wasm and says why; a named backend says it was chosen', async () => {
  const auto = await initNodeBackend('auto');
  expect(auto).toMatchObject({ name: 'wasm', requested: 'auto', reason: 'no GPU backend here' });
  expect(auto.adapter).toMatch(/^WebAssembly \(/);
  const cpu = await initNodeBackend('cpu');
  expect(cpu).toMatchObject({ name: 'cpu', reason: 'chosen in the settings' });
  await initNodeBackend('wasm');
});
