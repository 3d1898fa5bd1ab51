/**
 * The noise-floor control and the seed-independent range plan, in real runs: another sampler
 * stream changes the sampled subnets and nothing else, and runs of other seeds and streams are
 * measured on the same subnets.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NOISE_FLOOR_STREAM } from '../../src/core/comparison/noise-floor';
import { presetSpace } from '../../src/core/space/presets';
import { parseRunConfig } from '../../src/core/training/run-config';
import { initNodeBackend, loadFashionMnistFromDisk } from '../../src/cli/node-runtime';
import { trainSupernet, type RunData, type RunResults } from '../../src/engine/training-run';
import type { BackendInfo } from '../../src/core/records/run-records';

let backend: BackendInfo;
let data: RunData;
beforeAll(async () => {
  backend = await initNodeBackend('wasm');
  data = await loadFashionMnistFromDisk();
});

const run = (seed: number, samplerStream?: number): Promise<RunResults> =>
  trainSupernet(
    parseRunConfig({
      space: presetSpace('tiny'),
      seed,
      samplerStream,
      epochs: 1,
      stepsPerEpoch: 3,
      batchSize: 8,
      learningRate: 0.05,
      calibrationBatches: 1,
      evalSubset: 32,
      prior: { samples: 20_000 },
      rangeEval: { ranges: 2, perRange: 3, calibrationBatches: 1, images: 32 },
    }),
    data,
    backend,
  );

const planned = (r: RunResults) => r.rangeEvaluations[r.rangeEvaluations.length - 1].ranges.map((g) => g.subnets.map((s) => s.key));

describe('the noise-floor control in a run', () => {
  it('changes only the sampled subnets, and every run is measured on the same subnets', async () => {
    const own = await run(4);
    const floor = await run(4, NOISE_FLOOR_STREAM);
    const other = await run(5);
    // same init and data: the largest net's first loss is the same to the bit
    expect(floor.steps[0].losses[0]).toBe(own.steps[0].losses[0]);
    expect(floor.steps[0].subnets[0]).toBe(own.steps[0].subnets[0]);
    // the middle (sampled) subnets are another draw
    const middles = (r: RunResults) => r.steps.map((s) => s.subnets.slice(1, 3).join()).join(';');
    expect(middles(floor)).not.toBe(middles(own));
    // another seed starts elsewhere ...
    expect(other.steps[0].losses[0]).not.toBe(own.steps[0].losses[0]);
    // ... and all three measure the same planned subnets
    expect(planned(own).flat().length).toBeGreaterThan(0);
    expect(planned(floor)).toEqual(planned(own));
    expect(planned(other)).toEqual(planned(own));
  }, 120_000);
});
