/**
 * The random streams a training run draws from: the batch order, the augmentation, the sampler
 * and the predictor probes. Each is its own stream so that one consumer drawing more or fewer
 * numbers never shifts another; a resumed run takes them from its checkpoint, which is what makes
 * a resume reproduce the uninterrupted run exactly.
 */
import type { CheckpointHeader } from '../../core/records/checkpoint-format';
import { samplerRng } from '../../core/comparison/noise-floor';
import { Rng } from '../../core/training/rng';
import type { RunConfig } from '../../core/training/run-config';

export interface RunRngs {
  /** shuffles the training indices at the start of each epoch */
  order: Rng;
  /** crops and flips each training batch */
  augment: Rng;
  /** the sampler's draws of middle subnets */
  sampler: Rng;
  /** the subnets measured to refit a predictor between range evaluations (BestUp-1M, WorstUp-1M) */
  probes: Rng;
}

/** Fresh streams derived from the seed, or the streams saved in the checkpoint being resumed. */
export function runRngs(config: RunConfig, resume: CheckpointHeader | undefined): RunRngs {
  return {
    order: resume ? new Rng(resume.rng.orderAtEpochStart) : Rng.derive(config.seed, 'batch-order'),
    augment: resume ? new Rng(resume.rng.augment) : Rng.derive(config.seed, 'augment'),
    sampler: resume ? new Rng(resume.rng.sampler) : samplerRng(config),
    // a checkpoint from before the probes' stream was saved resumes it from the seed, as then
    probes: resume?.rng.probes ? new Rng(resume.rng.probes) : Rng.derive(config.seed, 'predictor-probes'),
  };
}
