/**
 * A whole training run, the same in Node and in the worker: data split, supernet, sandwich
 * steps with the sampler, per-epoch evaluation of the smallest and largest subnets after BN
 * recalibration, and final test accuracy. Progress goes out through hooks; the results are
 * plain JSON.
 *
 * This file only orders the run's steps; each step lives in run/ with the reason it exists:
 * setting up (run-setup), announcing (run-start), an epoch of steps (train-epoch, training-step),
 * the epoch's evaluation (end-of-epoch), checkpoints (run-checkpointer), range evaluations and
 * predictor probes (mid-run-measurements), and the final test with the results (final-test).
 */
import type { BackendInfo } from '../core/records/run-records';
import type { RunConfig } from '../core/training/run-config';
import type { RunResults } from '../core/records/run-records';
import { endEpoch } from './run/end-of-epoch';
import { finishRun } from './run/final-test';
import { MidRunMeasurements } from './run/mid-run-measurements';
import type { RunData } from './run/prepare-run';
import { RunCheckpointer } from './run/run-checkpointer';
import { RunState, type RunContext } from './run/run-context';
import type { RunHooks, RunOptions } from './run/run-hooks';
import { setUpRun } from './run/run-setup';
import { announceStart } from './run/run-start';
import { trainEpoch } from './run/train-epoch';

// the records a run produces are defined once, in core
export {
  RESULTS_VERSION,
  type EpochRecord,
  type RunProgress,
  type RunResults,
  type RunStart,
  type StepRecord,
} from '../core/records/run-records';
// the pieces callers use besides the run itself
export { prepareRun, splitRunData, type PreparedRun, type RunData, type RunSplit } from './run/prepare-run';
export type { RunHooks, RunOptions } from './run/run-hooks';

export async function trainSupernet(
  config: RunConfig,
  data: RunData,
  backend: BackendInfo,
  hooks: RunHooks = {},
  options: RunOptions = {},
): Promise<RunResults> {
  const clock = { startedAt: new Date(), t0: performance.now() };
  const log = hooks.onLog ?? (() => {});
  const run = setUpRun(config, data, backend, options);
  const ctx: RunContext = {
    run,
    hooks,
    log,
    clock,
    measurements: new MidRunMeasurements(run, hooks, log),
    state: new RunState(run.resume?.progress.step ?? 0),
    checkpointer: new RunCheckpointer(run, hooks.onCheckpoint, options),
  };
  try {
    announceStart(ctx);
    for (let epoch = run.resume?.progress.epoch ?? 0; epoch < config.epochs && !ctx.state.stopped; epoch++) {
      const tally = await trainEpoch(ctx, epoch);
      if (ctx.state.stopped) break; // a partial epoch is not evaluated; the test evaluation below still runs
      await endEpoch(ctx, epoch, tally);
    }
    return await finishRun(ctx);
  } finally {
    run.trainer.dispose();
    run.net.dispose();
  }
}
