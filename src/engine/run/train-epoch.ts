/**
 * The steps of one epoch: the order stream shuffles the training indices, a resumed epoch skips
 * the steps its checkpoint already took, and each step is trained, recorded, checkpointed and
 * measured when due, then reported. Stops early when the caller's `beforeStep` says so.
 */
import type { RunProgress } from '../../core/records/run-records';
import { batchTensors, chunkIndices, disposeBatch } from '../batches';
import { EpochTally } from './epoch-tally';
import type { RunContext } from './run-context';
import { trainStep } from './training-step';

/** Trains epoch `epoch` to its end or until stopped (then `state.stopped` is set). */
export async function trainEpoch(ctx: RunContext, epoch: number): Promise<EpochTally> {
  const { run, hooks, state, checkpointer, measurements } = ctx;
  const { config, resume, rngs, trainIndices, stepsPerEpoch } = run;
  checkpointer.epochStarts();
  const order = rngs.order.shuffle(Uint32Array.from(trainIndices));
  const skip = resume && epoch === resume.progress.epoch ? resume.progress.stepInEpoch : 0;
  const batches = chunkIndices(order, config.batchSize, true).slice(skip, stepsPerEpoch);
  let stepInEpoch = skip;
  const tally = new EpochTally();
  for (const indices of batches) {
    if (hooks.beforeStep && (await hooks.beforeStep()) === 'stop') {
      state.stopped = true;
      break;
    }
    const stepStart = performance.now();
    const batch = batchTensors(run.data.train, indices, run.norm, run.augmentation, rngs.augment);
    // the batch stays alive until the step's checkpoint, measurements and report are done
    try {
      const record = await trainStep(run, batch, state.step, epoch, stepStart);
      state.recordStep(record);
      tally.add(record);
      stepInEpoch++;
      await checkpointer.afterStep(state.step, epoch, stepInEpoch);
      await measurements.afterStep(state.step, epoch);
      hooks.onStep?.(record, progressAt(ctx, epoch));
    } finally {
      disposeBatch(batch);
    }
  }
  return tally;
}

/** Where the run stands after a step, with its pace over the steps this session trained. */
function progressAt({ run, state, clock }: RunContext, epoch: number): RunProgress {
  const { step, trainingMs, firstStep } = state;
  const perStep = trainingMs / (step - firstStep);
  return {
    step,
    totalSteps: run.totalSteps,
    epoch,
    elapsedMs: performance.now() - clock.t0,
    etaMs: perStep * (run.totalSteps - step),
    imagesPerSecond: (run.config.batchSize * 1000) / perStep,
  };
}
