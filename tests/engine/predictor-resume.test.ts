/**
 * A run whose sampler picks by an online predictor (BestUp-1M (acc)) resumed from a checkpoint
 * taken after the predictor's first fits ends as the run that never stopped: the checkpoint
 * carries the predictor's examples and the step of its last refit, and the resumed run refits
 * on them before its first step.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../src/core/records/checkpoint-format';
import type { RunConfig } from '../../src/core/training/run-config';
import { initNodeBackend, loadFashionMnistFromDisk } from '../../src/cli/node-runtime';
import type { BackendInfo } from '../../src/engine/backend';
import { trainSupernet, type RunData, type RunOptions } from '../../src/engine/training-run';
import { maxAbsDiff, predictorRunConfig } from './helpers';

let backend: BackendInfo;
let data: RunData;
const config = predictorRunConfig({
  stepsPerEpoch: 10,
  rangeEval: { ranges: 2, perRange: 2, calibrationBatches: 1, images: 32, everySteps: 3 },
  predictor: { kind: 'ridge', refreshEvery: 2, probes: 4 },
});

/** trains `run` and keeps every checkpoint it hands out */
async function trainKeepingCheckpoints(run: RunConfig, options: RunOptions = {}) {
  const checkpoints: Checkpoint[] = [];
  const results = await trainSupernet(run, data, backend, { onCheckpoint: (c) => void checkpoints.push(c) }, options);
  return { results, checkpoints };
}

beforeAll(async () => {
  backend = await initNodeBackend('wasm');
  data = await loadFashionMnistFromDisk();
});

describe('a predictor-sampled run resumed from a checkpoint', () => {
  it('ends with the weights and predictor refits of the run that never stopped', async () => {
    const { results: whole, checkpoints } = await trainKeepingCheckpoints(config, { checkpointEverySteps: 7 });
    const taken = checkpoints.find((c) => c.header.progress.step === 7)!;
    expect(taken, `checkpoints at ${checkpoints.map((c) => c.header.progress.step)}`).toBeDefined();
    // through its bytes, as a checkpoint read back from storage or a file
    const mid = decodeCheckpoint(encodeCheckpoint(taken));
    expect(mid.header.predictor!.examples.length).toBeGreaterThanOrEqual(8);
    expect(mid.header.predictor!.refitAt).toBe(6);
    const fitsBefore = whole.predictorReports.filter((r) => r.step <= 7);
    expect(fitsBefore.length, 'the predictor was fitted before the checkpoint').toBeGreaterThan(0);
    const { results: resumed, checkpoints: resumedCheckpoints } = await trainKeepingCheckpoints(config, { resumeFrom: mid });
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
    const { checkpoints } = await trainKeepingCheckpoints({ ...config, stepsPerEpoch: 7 });
    const header = structuredClone(checkpoints.at(-1)!.header);
    expect(header.predictor!.examples.length).toBeGreaterThan(2);
    header.predictor!.examples[2].subnet.width[0] = 7;
    const bytes = encodeCheckpoint({ header, values: checkpoints.at(-1)!.values });
    expect(() => decodeCheckpoint(bytes, 'run.ckpt')).toThrow(
      /^run\.ckpt is not a valid NAS Studio checkpoint: predictor\.examples\[2\]\.subnet is not a subnet of its space: .*width\[0\]/,
    );
  });
});
