/**
 * Everything a training run builds before its first step, in one place and in a fixed order:
 * the data split, the supernet and trainer (restored from a checkpoint when resuming), the random
 * streams, the FLOPs prior, the sampler with its predictor, and the evaluator. The steps of the
 * run read what they need from the result instead of from a dozen locals of one long function.
 */
import { defaultAugmentation, noAugmentation, type Augmentation } from '../../core/data/augment';
import type { CheckpointHeader } from '../../core/records/checkpoint-format';
import { cachedFlopsPrior, type FlopsPrior } from '../../core/sampling/flops-prior';
import { flopsPriorOptions } from '../../core/sampling/range-plan';
import type { RunConfig } from '../../core/training/run-config';
import type { BackendInfo } from '../../core/records/run-records';
import type { SubnetSampler } from '../../core/sampling/sampler';
import { setUpSampler, type SamplerSetup } from '../../core/sampling/sampler-setup';
import type { LrSchedule } from '../../core/training/schedule';
import { largestSubnet, smallestSubnet, type Subnet } from '../../core/space/subnet';
import { restoreCheckpoint } from '../checkpoint';
import type { ConvForm } from '../conv-forms';
import type { EvalData } from '../evaluate';
import { RunEvaluator } from '../run-evaluator';
import { prepareRun, type PreparedRun, type RunData } from './prepare-run';
import type { RunOptions } from './run-hooks';
import { runRngs, type RunRngs } from './run-rngs';

export interface RunSetup extends PreparedRun {
  config: RunConfig;
  data: RunData;
  backend: BackendInfo;
  /** the header of the checkpoint being resumed, if any */
  resume: CheckpointHeader | undefined;
  convForm: ConvForm;
  /** the sandwich rule's fixed ends, trained at every step */
  largest: Subnet;
  smallest: Subnet;
  totalSteps: number;
  schedule: LrSchedule;
  rngs: RunRngs;
  augmentation: Augmentation;
  prior: FlopsPrior;
  /** what the config's sampler kind built: its conditional sampler and online predictor, if any */
  sampling: SamplerSetup;
  /** the sampler the run uses: the config's, or the one the options substitute */
  sampler: SubnetSampler;
  evaluator: RunEvaluator;
}

/** Builds a run; the caller owns `net` and `trainer` from here on and must dispose them. */
export function setUpRun(config: RunConfig, data: RunData, backend: BackendInfo, options: RunOptions): RunSetup {
  const resume = options.resumeFrom?.header;
  if (resume && JSON.stringify(resume.config) !== JSON.stringify(config)) {
    throw new Error('the checkpoint was taken with a different run config; resume it with its own config');
  }
  const prepared = prepareRun(config, data, backend);
  const { net, trainer, trainIndices, validation, norm, stepsPerEpoch } = prepared;
  const convForm = trainer.config.convForm;
  const space = config.space;
  const totalSteps = stepsPerEpoch * config.epochs;
  const schedule: LrSchedule = {
    baseLr: config.learningRate,
    warmupSteps: Math.round(config.warmupEpochs * stepsPerEpoch),
    totalSteps,
  };
  // until the run is handed back, a failure here (a checkpoint of the wrong shape, a sampler
  // that cannot be built) frees the variables it created (GPU memory in the worker) before it is reported
  try {
    const rngs = runRngs(config, resume);
    if (options.resumeFrom) restoreCheckpoint(options.resumeFrom, net, trainer.optimizer);
    const trainData: EvalData = { set: data.train, norm };
    const prior = cachedFlopsPrior(space, flopsPriorOptions(config));
    const sampling = setUpSampler(config, prior);
    if (resume?.predictor && sampling.online) sampling.online.restore(resume.predictor);
    const evaluator = new RunEvaluator(net, config, trainData, trainIndices, validation, prior, convForm, sampling.online);
    return {
      ...prepared,
      config,
      data,
      backend,
      resume,
      convForm,
      largest: largestSubnet(space),
      smallest: smallestSubnet(space),
      totalSteps,
      schedule,
      rngs,
      augmentation: config.augment ? defaultAugmentation : noAugmentation,
      prior,
      sampling,
      sampler: options.sampler ?? sampling.sampler,
      evaluator,
    };
  } catch (error) {
    trainer.dispose();
    net.dispose();
    throw error;
  }
}
