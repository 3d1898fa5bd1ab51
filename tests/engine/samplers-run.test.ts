/** Short runs with every sampler: they complete, record what they trained, and evaluate per FLOPs range. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { presetSpace } from '../../src/core/space/presets';
import { parseRunConfig, type RunConfigInput } from '../../src/core/training/run-config';
import { initNodeBackend, loadFashionMnistFromDisk } from '../../src/cli/node-runtime';
import { trainSupernet, type RunData } from '../../src/engine/training-run';
import type { BackendInfo } from '../../src/engine/backend';

let backend: BackendInfo;
let data: RunData;
beforeAll(async () => {
  backend = await initNodeBackend('wasm');
  data = await loadFashionMnistFromDisk();
});

const base = (sampler: RunConfigInput['sampler'], ranges = 3, perRange = 3): RunConfigInput => ({
  space: presetSpace('tiny'),
  seed: 4,
  epochs: 1,
  stepsPerEpoch: 4,
  batchSize: 8,
  learningRate: 0.05,
  calibrationBatches: 1,
  evalSubset: 64,
  sampler,
  prior: { samples: 20_000 },
  rangeEval: { ranges, perRange, everySteps: 2, calibrationBatches: 1, images: 64 },
});

describe('samplers in a run', () => {
  const variants: [string, RunConfigInput['sampler']][] = [
    ['Uniform', { kind: 'uniform' }],
    ['BestUp-3 (loss)', { kind: 'bestup', k: 3, estimator: 'loss' }],
    ['WorstUp-3 (loss)', { kind: 'worstup', k: 3, estimator: 'loss' }],
    ['BestUp-1M (acc)', { kind: 'bestup', k: 1_000_000, estimator: 'predictor' }],
    ['WorstUp-1M (acc)', { kind: 'worstup', k: 1_000_000, estimator: 'predictor' }],
  ];
  const planned: string[][] = [];
  for (const [label, sampler] of variants) {
    it(`${label}: completes, records its candidates, and evaluates B ranges of N subnets`, async () => {
      const tensorsBefore = tf.memory().numTensors;
      const results = await trainSupernet(parseRunConfig(base(sampler)), data, backend);
      // every tensor the run made (supernet, optimizer state, BN statistics, batches) is released
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(results.steps).toHaveLength(4);
      // everySteps 2 within a 4-step epoch: at step 2, and at the end of the epoch
      expect(results.rangeEvaluations.map((e) => e.step)).toEqual([2, 4]);
      for (const evaluation of results.rangeEvaluations) {
        expect(evaluation.ranges).toHaveLength(3);
        for (const range of evaluation.ranges) {
          expect(range.accuracies).toHaveLength(3);
          expect(range.summary!.min).toBeLessThanOrEqual(range.summary!.median);
          expect(range.summary!.median).toBeLessThanOrEqual(range.summary!.max);
          for (const s of range.subnets) expect(s.macs).toBeGreaterThanOrEqual(range.loMacs);
        }
      }
      planned.push(results.rangeEvaluations[0].ranges.flatMap((r) => r.subnets.map((s) => s.key)));
      if (sampler?.estimator === 'loss') {
        for (const step of results.steps) {
          expect(step.candidates).toHaveLength(6); // k = 3 for each of the 2 middle subnets
          expect(step.targetBins).toHaveLength(2);
        }
      }
      if (sampler?.estimator === 'predictor') {
        expect(results.predictorReports.length).toBeGreaterThan(0);
        expect(results.predictorReports[0].trainedOn).toBeGreaterThan(0);
      }
      // the registry's one label, Uniform included
      expect(results.sampler).toBe(label);
    });
  }

  it('measures every sampler on the same subnets (same space and seed)', () => {
    expect(planned).toHaveLength(variants.length);
    for (const keys of planned) expect(keys).toEqual(planned[0]);
  });
});
