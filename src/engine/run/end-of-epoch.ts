/**
 * What follows a fully trained epoch: the largest and smallest subnets on validation, the
 * accuracy per FLOPs range, the epoch's record, and the epoch-end checkpoint, taken last so that
 * a resume from it begins the next epoch and never repeats this one's evaluation.
 */
import type { EpochRecord } from '../../core/records/run-records';
import type { EpochTally } from './epoch-tally';
import type { RunContext } from './run-context';

export async function endEpoch(ctx: RunContext, epoch: number, tally: EpochTally): Promise<void> {
  const { run, hooks, log, state, checkpointer, measurements } = ctx;
  log(
    `epoch ${epoch + 1} trained; evaluating the largest and smallest subnets and ${run.config.rangeEval.ranges} FLOPs ranges on validation`,
  );
  const pair = await run.evaluator.validatePair();
  await measurements.ranges(state.step, epoch);
  const record: EpochRecord = {
    epoch,
    steps: state.step,
    seconds: (performance.now() - tally.startedAt) / 1000,
    meanLoss: tally.meanLoss(),
    validation: pair,
  };
  state.epochs.push(record);
  hooks.onEpoch?.(record);
  await checkpointer.take(state.step, epoch + 1, 0);
  log(
    `epoch ${epoch + 1}: loss largest ${record.meanLoss.largest.toFixed(4)} smallest ${record.meanLoss.smallest.toFixed(4)}; validation top-1 largest ${(pair.largest.accuracy * 100).toFixed(2)}% smallest ${(pair.smallest.accuracy * 100).toFixed(2)}%`,
  );
}
