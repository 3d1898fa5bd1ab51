/**
 * A run whose sampler picks by an online predictor (BestUp-1M (acc)) resumed from a checkpoint
 * taken after the predictor's first fits ends as the run that never stopped: the checkpoint
 * carries the predictor's examples and the step of its last refit, and the resumed run refits
 * on them before its first step.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../src/core/records/checkpoint-format';
import { presetSpace } from '../../src/core/space/presets';
import { parseRunConfig } from '../../src/core/training/run-config';
import { initNodeBackend, loadFashionMnistFromDisk } from '../../src/cli/node-runtime';
import type { BackendInfo } from '../../src/engine/backend';
import { trainSupernet, type RunData } from '../../src/engine/training-run';
import { maxAbsDiff } from './helpers';

let backend: BackendInfo;
let data: RunData;
const config = parseRunConfig({
  space: presetSpace('tiny'),
  seed: 4,
  epochs: 1,
  stepsPerEpoch: 10,
  batchSize: 8,
  learningRate: 0.05,
  calibrationBatches: 1,
  evalSubset: 64,
  sampler: { kind: 'bestup', k: 1_000_000, estimator: 'predictor' },
  prior: { samples: 20_000 },
  rangeEval: { ranges: 2, perRange: 2, calibrationBatches: 1, images: 32, everySteps: 3 },
  predictor: { kind: 'ridge', refreshEvery: 2, probes: 4 },
});

beforeAll(async () => {
  backend = await initNodeBackend('wasm');
  data = await loadFashionMnistFromDisk();
});

describe('a predictor-sampled run resumed from a checkpoint', () => {
  it('ends with the weights and predictor refits of the run that never stopped', async () => {
    const checkpoints: Checkpoint[] = [];
    const whole = await trainSupernet(
      config,
      data,
      backend,
      { onCheckpoint: (c) => void checkpoints.push(c) },
      { checkpointEverySteps: 7 },
    );
    const taken = checkpoints.find((c) => c.header.progress.step === 7)!;
    expect(taken, `checkpoints at ${checkpoints.map((c) => c.header.progress.step)}`).toBeDefined();
    // through its bytes, as a checkpoint read back from storage or a file
    const mid = decodeCheckpoint(encodeCheckpoint(taken));
    expect(mid.header.predictor!.examples.length).toBeGreaterThanOrEqual(8);
    expect(mid.header.predictor!.refitAt).toBe(6);
    const fitsBefore = whole.predictorReports.filter((r) => r.step <= 7);
    expect(fitsBefore.length, 'the predictor was fitted before the checkpoint').toBeGreaterThan(0);
    const resumedCheckpoints: Checkpoint[] = [];
    const resumed = await trainSupernet(
      config,
      data,
      backend,
      { onCheckpoint: (c) => void resumedCheckpoints.push(c) },
      { resumeFrom: mid },
    );
    const strip = (r: { step: number; trainedOn: number; heldOut: number; kendallTau: number }) => [
      r.step,
      r.trainedOn,
      r.heldOut,
      r.kendallTau,
    ];
    expect(resumed.predictorReports.map(strip)).toEqual(whole.predictorReports.filter((r) => r.step > 7).map(strip));
    expect(maxAbsDiff(resumedCheckpoints.at(-1)!.values, checkpoints.at(-1)!.values)).toBe(0);
  });

  it('refuses a checkpoint whose predictor examples are not subnets of its space, and says which', async () => {
    const checkpoints: Checkpoint[] = [];
    await trainSupernet({ ...config, stepsPerEpoch: 7 }, data, backend, { onCheckpoint: (c) => void checkpoints.push(c) });
    const header = structuredClone(checkpoints.at(-1)!.header);
    expect(header.predictor!.examples.length).toBeGreaterThan(2);
    header.predictor!.examples[2].subnet.width[0] = 7;
    const bytes = encodeCheckpoint({ header, values: checkpoints.at(-1)!.values });
    expect(() => decodeCheckpoint(bytes, 'run.ckpt')).toThrow(
      /^run\.ckpt is not a valid NAS Studio checkpoint: predictor\.examples\[2\]\.subnet is not a subnet of its space: .*width\[0\]/,
    );
  });
});
