/** Shared set-up for engine tests: a tfjs backend in Node and small deterministic inputs. */
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../src/cli/node-runtime';
import type { BackendName } from '../../src/engine/backend';
import { Rng } from '../../src/core/training/rng';
import { presetSpace } from '../../src/core/space/presets';
import { parseRunConfig, type RunConfig } from '../../src/core/training/run-config';

export async function useBackend(name: BackendName): Promise<void> {
  const info = await initNodeBackend(name);
  if (info.name !== name) throw new Error(`wanted backend ${name}, got ${info.name}`);
}

/** Seeded normal images [n, size, size, channels], the same on every backend. */
export function seededImages(n: number, size: number, channels: number, seed = 7): tf.Tensor4D {
  const rng = new Rng(seed);
  const values = Float32Array.from({ length: n * size * size * channels }, () => rng.normal());
  return tf.tensor4d(values, [n, size, size, channels]);
}

/** A seeded standard-normal tensor of any shape. */
export function seededTensor(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
}

export function seededLabels(n: number, classes: number, seed = 8): tf.Tensor1D {
  const rng = new Rng(seed);
  return tf.tensor1d(
    Int32Array.from({ length: n }, () => rng.int(classes)),
    'int32',
  );
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/**
 * A short BestUp-1M (acc) run on the tiny space: the sampler picks by the online predictor, which
 * range evaluations and probes refit. `overrides` replaces top-level fields.
 */
export function predictorRunConfig(overrides: Record<string, unknown>): RunConfig {
  return parseRunConfig({
    space: presetSpace('tiny'),
    seed: 4,
    epochs: 1,
    stepsPerEpoch: 8,
    batchSize: 8,
    learningRate: 0.05,
    calibrationBatches: 1,
    evalSubset: 64,
    sampler: { kind: 'bestup', k: 1_000_000, estimator: 'predictor' },
    prior: { samples: 20_000 },
    rangeEval: { ranges: 2, perRange: 2, calibrationBatches: 1, images: 32 },
    ...overrides,
  });
}
