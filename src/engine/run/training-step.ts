/**
 * One sandwich step and its record: the sampler picks the middle subnets (scoring candidates by
 * their loss on this batch when it wants to), the trainer updates the supernet on the largest,
 * the picks and the smallest, and the record keeps what the charts and the results need.
 */
import { binOf } from '../../core/sampling/flops-prior';
import { countMacs } from '../../core/space/macs';
import type { StepRecord } from '../../core/records/run-records';
import { learningRateAt } from '../../core/training/schedule';
import { subnetKey } from '../../core/space/subnet';
import { minibatchLossScorer } from '../loss-scorer';
import { sandwich, type Batch } from '../trainer';
import type { RunSetup } from './run-setup';

/**
 * Trains `batch` as step `step`; `startedAt` is when the step began (before its batch was
 * assembled), so the record's time covers the batch too. Throws when a loss is not finite: the
 * run cannot recover from it.
 */
export async function trainStep(run: RunSetup, batch: Batch, step: number, epoch: number, startedAt: number): Promise<StepRecord> {
  const { net, trainer, config, convForm, sampler, rngs, schedule, largest, smallest, prior } = run;
  const space = config.space;
  const scoreByLoss = minibatchLossScorer(net, batch, convForm, config.labelSmoothing);
  const decision = await sampler.sample(2, { rng: rngs.sampler, step, scoreByLoss });
  const trained = sandwich(largest, decision.subnets, smallest);
  const lr = learningRateAt(schedule, step);
  const losses = await trainer.step(batch, trained, lr, config.seed * 100003 + step);
  if (losses.some((l) => !Number.isFinite(l))) throw new Error(`loss became ${losses.join(', ')} at step ${step}; lower the learning rate`);
  const ms = performance.now() - startedAt;
  const macs = trained.map((t) => countMacs(space, t.subnet));
  return {
    step,
    epoch,
    lr,
    roles: trained.map((t) => t.role),
    subnets: trained.map((t) => subnetKey(t.subnet)),
    macs,
    bins: macs.map((m) => binOf(prior, m)),
    losses,
    targetBins: decision.targets?.map((t) => t.bin),
    candidates: decision.candidates?.map((c) => ({ subnet: subnetKey(c.subnet), macs: countMacs(space, c.subnet), score: c.score })),
    ms,
  };
}
