/**
 * A whole training run, the same in Node and in the worker: data split, supernet, sandwich
 * steps with the sampler, per-epoch evaluation of the smallest and largest subnets after BN
 * recalibration, and final test accuracy. Progress goes out through hooks; the results are
 * plain JSON.
 */
import { computeNormalisation, defaultAugmentation, noAugmentation, type Normalisation } from '../core/augment';
import type { ImageSet } from '../core/idx';
import { countMacs } from '../core/macs';
import { Rng } from '../core/rng';
import type { RunConfig } from '../core/run-config';
import {
  RESULTS_VERSION,
  stepsPerEpochOf,
  type EpochRecord,
  type RangeEvaluation,
  type RunProgress,
  type RunResults,
  type RunStart,
  type StepRecord,
} from '../core/run-records';
import type { SubnetSampler } from '../core/sampler';
import { binOf, cachedFlopsPrior, type FlopsPrior } from '../core/flops-prior';
import type { PredictorReport } from '../core/online-predictor';
import { distinctSampledArchitectures } from '../core/sampled-architectures';
import { setUpSampler } from '../core/sampler-setup';
import { samplerRng as samplerRngFor } from '../core/noise-floor';
import { flopsPriorOptions } from '../core/range-plan';
import { learningRateAt } from '../core/schedule';
import { splitTrainValidation } from '../core/split';
import { largestSubnet, smallestSubnet, subnetKey } from '../core/subnet';
import type { BackendInfo } from '../core/run-records';
import { resolveConvForm } from './backend';
import { batchTensors, chunkIndices, disposeBatch } from './batches';
import type { EvalData } from './evaluate';
import { minibatchLossScorer } from './loss-scorer';
import { RunEvaluator } from './run-evaluator';
import { Supernet } from './supernet';
import type { Checkpoint } from '../core/checkpoint-format';
import { captureCheckpoint, restoreCheckpoint } from './checkpoint';
import type { RngState } from '../core/rng';
import { sandwich, Trainer, type SubnetRole, type TrainedSubnet } from './trainer';

// the records a run produces are defined once, in core
export { RESULTS_VERSION, type EpochRecord, type RunProgress, type RunResults, type RunStart, type StepRecord } from '../core/run-records';

export interface RunData {
  train: ImageSet;
  test: ImageSet;
}

export interface RunHooks {
  onStart?: (info: RunStart) => void;
  onStep?: (record: StepRecord, progress: RunProgress) => void;
  onEpoch?: (record: EpochRecord) => void;
  onLog?: (message: string) => void;
  onRangeEvaluation?: (evaluation: RangeEvaluation) => void;
  onPredictor?: (report: PredictorReport) => void;
  /** awaited before every step: resolve 'stop' to end the run early (pause by not resolving yet) */
  beforeStep?: () => Promise<'continue' | 'stop'>;
  /** receives a checkpoint at the end of every epoch (and every `checkpointEverySteps`); awaited */
  onCheckpoint?: (checkpoint: Checkpoint) => Promise<void> | void;
}

export interface RunOptions {
  /** replaces the sampler the config describes (tests, benchmarks) */
  sampler?: SubnetSampler;
  /** continue a run from its checkpoint; the config must be the checkpoint's */
  resumeFrom?: Checkpoint;
  /** also checkpoint every this many steps (0: only at epoch ends) */
  checkpointEverySteps?: number;
  /** also checkpoint when this long has passed since the last one (the studio: little is lost to a reload) */
  checkpointEveryMs?: number;
}

export interface PreparedRun extends RunSplit {
  net: Supernet;
  trainer: Trainer;
}

export interface RunSplit {
  trainIndices: Uint32Array;
  validation: Uint32Array;
  norm: Normalisation;
  stepsPerEpoch: number;
}

/** Checks the data fits the space and carves the run's training and validation indices. */
export function splitRunData(config: RunConfig, train: ImageSet): RunSplit {
  const space = config.space;
  if (train.height !== space.input.height || train.width !== space.input.width || train.channels !== space.input.channels) {
    throw new Error(
      `the data set's images are ${train.height}x${train.width}x${train.channels} but the search space "${space.name}" expects ${space.input.height}x${space.input.width}x${space.input.channels}`,
    );
  }
  if (train.numClasses !== space.numClasses) {
    throw new Error(`the data set has ${train.numClasses} classes but the search space has ${space.numClasses}`);
  }
  const split = splitTrainValidation(train.count, Math.min(config.validationSize, train.count - config.batchSize));
  const trainIndices = config.trainSubset > 0 ? split.train.slice(0, config.trainSubset) : split.train;
  if (trainIndices.length < config.batchSize) {
    throw new Error(`only ${trainIndices.length} training images for a batch size of ${config.batchSize}`);
  }
  const stepsPerEpoch = stepsPerEpochOf(config, trainIndices.length);
  return { trainIndices, validation: split.validation, norm: computeNormalisation(train, train.count), stepsPerEpoch };
}

/** Splits the data and builds the supernet and trainer for a config. */
export function prepareRun(config: RunConfig, data: RunData, backend: BackendInfo): PreparedRun {
  const split = splitRunData(config, data.train);
  const net = Supernet.create(config.space, config.seed);
  const convForm = resolveConvForm(config.convForm, backend.name);
  const trainer = new Trainer(net, {
    momentum: config.momentum,
    weightDecay: config.weightDecay,
    gradClip: config.gradClip,
    labelSmoothing: config.labelSmoothing,
    convForm,
    dropout: config.space.dropout,
    dropConnect: config.dropConnect,
  });
  return { net, trainer, ...split };
}

export async function trainSupernet(
  config: RunConfig,
  data: RunData,
  backend: BackendInfo,
  hooks: RunHooks = {},
  options: RunOptions = {},
): Promise<RunResults> {
  const startedAt = new Date();
  const t0 = performance.now();
  const log = hooks.onLog ?? (() => {});
  const resume = options.resumeFrom?.header;
  if (resume && JSON.stringify(resume.config) !== JSON.stringify(config)) {
    throw new Error('the checkpoint was taken with a different run config; resume it with its own config');
  }
  const prepared = prepareRun(config, data, backend);
  const { net, trainer, trainIndices, validation, norm, stepsPerEpoch } = prepared;
  const convForm = trainer.config.convForm;
  const space = config.space;
  const largest = largestSubnet(space);
  const smallest = smallestSubnet(space);
  const totalSteps = stepsPerEpoch * config.epochs;
  const schedule = {
    baseLr: config.learningRate,
    warmupSteps: Math.round(config.warmupEpochs * stepsPerEpoch),
    totalSteps,
  };
  const orderRng = resume ? new Rng(resume.rng.orderAtEpochStart) : Rng.derive(config.seed, 'batch-order');
  const augmentRng = resume ? new Rng(resume.rng.augment) : Rng.derive(config.seed, 'augment');
  const samplerRng = resume ? new Rng(resume.rng.sampler) : samplerRngFor(config);
  if (options.resumeFrom) {
    try {
      restoreCheckpoint(options.resumeFrom, net, trainer.optimizer);
    } catch (error) {
      // the run never starts: free its variables (GPU memory in the worker) before reporting
      trainer.dispose();
      net.dispose();
      throw error;
    }
  }
  const augmentation = config.augment ? defaultAugmentation : noAugmentation;
  const trainData: EvalData = { set: data.train, norm };
  const prior: FlopsPrior = cachedFlopsPrior(space, flopsPriorOptions(config));
  const setup = setUpSampler(config, prior);
  const sampler = options.sampler ?? setup.sampler;
  const evaluator = new RunEvaluator(net, config, trainData, trainIndices, validation, prior, convForm, setup.online);
  const runRangeEvaluation = async (atStep: number, epoch: number) => {
    const { evaluation, report } = await evaluator.ranges(atStep, epoch);
    hooks.onRangeEvaluation?.(evaluation);
    log(
      `accuracy per FLOPs range at step ${atStep}: ${evaluation.ranges
        .map((r) => `${(r.loMacs / 1e6).toFixed(2)}-${(r.hiMacs / 1e6).toFixed(2)}M median ${r.summary ? (r.summary.median * 100).toFixed(1) : '-'}%`)
        .join(', ')} (${(evaluation.ms / 1000).toFixed(1)} s)`,
    );
    if (report) {
      hooks.onPredictor?.(report);
      log(`${report.kind ?? 'ridge'} predictor refit on ${report.trainedOn} subnets, Kendall tau ${report.kendallTau.toFixed(3)} on ${report.heldOut} held out; pool re-scored in ${report.poolScoreMs.toFixed(0)} ms`);
    }
  };
  // BestUp-1M / WorstUp-1M train each bin's predicted extreme: between range evaluations the
  // predictor is refitted on a few measured picks, so they do not train the same handful of
  // architectures until the next range evaluation
  const probeRng = Rng.derive(config.seed, 'predictor-probes');
  const probeEvery = setup.online ? config.predictor.refreshEvery : 0;
  const runProbe = async (atStep: number) => {
    const report = await evaluator.probe(atStep, config.sampler.kind === 'worstup' ? 'worst' : 'best', config.predictor.probes, probeRng);
    if (!report) return;
    hooks.onPredictor?.(report);
    log(`step ${atStep}: ${report.kind} predictor refit with ${report.probed ?? 0} probed subnets on ${report.trainedOn}, Kendall tau ${report.kendallTau.toFixed(3)} on ${report.heldOut} held out`);
  };

  const steps: StepRecord[] = [];
  const epochs: EpochRecord[] = [];
  let trainingMs = 0;
  let stopped = false;
  let step = resume?.progress.step ?? 0;
  const firstStep = step;
  let orderAtEpochStart: RngState = orderRng.getState();
  let lastCheckpointAt = performance.now();
  const checkpoint = async (epoch: number, stepInEpoch: number) => {
    if (!hooks.onCheckpoint) return;
    lastCheckpointAt = performance.now();
    const taken = await captureCheckpoint(net, trainer.optimizer, {
      config,
      progress: { step, epoch, stepInEpoch },
      normalisation: norm,
      rng: { orderAtEpochStart: stepInEpoch === 0 ? orderRng.getState() : orderAtEpochStart, augment: augmentRng.getState(), sampler: samplerRng.getState() },
    });
    await hooks.onCheckpoint(taken);
  };
  hooks.onStart?.({
    totalSteps,
    stepsPerEpoch,
    firstStep,
    prior: { samples: prior.samples, edges: prior.edges, frequencies: prior.frequencies },
    macs: { smallest: countMacs(space, smallest), largest: countMacs(space, largest) },
    convForm,
  });
  if (resume) log(`resuming from step ${resume.progress.step} (epoch ${resume.progress.epoch + 1}, step ${resume.progress.stepInEpoch} of it)`);
  log(`training ${space.name} on ${backend.name} (${backend.adapter}), conv form ${convForm}, ${totalSteps} steps of ${config.batchSize}`);
  try {
    for (let epoch = resume?.progress.epoch ?? 0; epoch < config.epochs && !stopped; epoch++) {
      orderAtEpochStart = orderRng.getState();
      const order = orderRng.shuffle(Uint32Array.from(trainIndices));
      const skip = resume && epoch === resume.progress.epoch ? resume.progress.stepInEpoch : 0;
      const batches = chunkIndices(order, config.batchSize, true).slice(skip, stepsPerEpoch);
      let stepInEpoch = skip;
      const epochStart = performance.now();
      const lossSums: Record<SubnetRole, { sum: number; n: number }> = { largest: { sum: 0, n: 0 }, sampled: { sum: 0, n: 0 }, smallest: { sum: 0, n: 0 } };
      for (const indices of batches) {
        if (hooks.beforeStep && (await hooks.beforeStep()) === 'stop') {
          stopped = true;
          break;
        }
        const stepStart = performance.now();
        const batch = batchTensors(data.train, indices, norm, augmentation, augmentRng);
        let trained: TrainedSubnet[];
        let losses: number[];
        try {
          const scoreByLoss = minibatchLossScorer(net, batch, convForm, config.labelSmoothing);
          const decision = await sampler.sample(2, { rng: samplerRng, step, scoreByLoss });
          trained = sandwich(largest, decision.subnets, smallest);
          const lr = learningRateAt(schedule, step);
          losses = await trainer.step(batch, trained, lr, config.seed * 100003 + step);
          if (losses.some((l) => !Number.isFinite(l))) throw new Error(`loss became ${losses.join(', ')} at step ${step}; lower the learning rate`);
          const ms = performance.now() - stepStart;
          trainingMs += ms;
          const macs = trained.map((t) => countMacs(space, t.subnet));
          const record: StepRecord = {
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
          steps.push(record);
          trained.forEach((t, i) => {
            lossSums[t.role].sum += losses[i];
            lossSums[t.role].n += 1;
          });
          step++;
          stepInEpoch++;
          const everyCheckpoint = options.checkpointEverySteps ?? 0;
          const everyMs = options.checkpointEveryMs ?? 0;
          const due = (everyCheckpoint > 0 && step % everyCheckpoint === 0) || (everyMs > 0 && performance.now() - lastCheckpointAt >= everyMs);
          if (due && stepInEpoch < stepsPerEpoch) await checkpoint(epoch, stepInEpoch);
          if (config.rangeEval.everySteps > 0 && step % config.rangeEval.everySteps === 0 && step % stepsPerEpoch !== 0) await runRangeEvaluation(step, epoch);
          else if (probeEvery > 0 && step % probeEvery === 0 && step % stepsPerEpoch !== 0) await runProbe(step);
          const perStep = trainingMs / (step - firstStep);
          hooks.onStep?.(record, {
            step,
            totalSteps,
            epoch,
            elapsedMs: performance.now() - t0,
            etaMs: perStep * (totalSteps - step),
            imagesPerSecond: (config.batchSize * 1000) / perStep,
          });
        } finally {
          disposeBatch(batch);
        }
      }
      if (stopped) break; // a partial epoch is not evaluated; the test evaluation below still runs
      log(`epoch ${epoch + 1} trained; evaluating the largest and smallest subnets and ${config.rangeEval.ranges} FLOPs ranges on validation`);
      const pair = await evaluator.validatePair();
      await runRangeEvaluation(step, epoch);
      const mean = (r: SubnetRole) => (lossSums[r].n ? lossSums[r].sum / lossSums[r].n : NaN);
      const record: EpochRecord = {
        epoch,
        steps: step,
        seconds: (performance.now() - epochStart) / 1000,
        meanLoss: { largest: mean('largest'), sampled: mean('sampled'), smallest: mean('smallest') },
        validation: pair,
      };
      epochs.push(record);
      hooks.onEpoch?.(record);
      await checkpoint(epoch + 1, 0);
      log(
        `epoch ${epoch + 1}: loss largest ${record.meanLoss.largest.toFixed(4)} smallest ${record.meanLoss.smallest.toFixed(4)}; validation top-1 largest ${(pair.largest.accuracy * 100).toFixed(2)}% smallest ${(pair.smallest.accuracy * 100).toFixed(2)}%`,
      );
    }
    if (step > 0) log('measuring the largest and smallest subnets on the test set');
    const test = step > 0 ? await evaluator.testPair({ set: data.test, norm }) : null;
    if (test) log(`test top-1: largest ${(test.largest.accuracy * 100).toFixed(2)}%, smallest ${(test.smallest.accuracy * 100).toFixed(2)}%`);
    const sampledArchitectures = distinctSampledArchitectures(steps);
    log(`the sampler trained ${sampledArchitectures.distinct} distinct architectures in ${sampledArchitectures.sampled} middle subnets`);
    return {
      type: 'nas-studio/run-results',
      version: RESULTS_VERSION,
      config,
      backend,
      convForm,
      sampler: sampler.name,
      data: { trainImages: trainIndices.length, validationImages: evaluator.validationIndices.length, testImages: data.test.count, normalisation: norm },
      supernetParameters: net.parameterCount(),
      subnets: {
        largest: { encoding: largest, macs: countMacs(space, largest) },
        smallest: { encoding: smallest, macs: countMacs(space, smallest) },
      },
      prior: { samples: prior.samples, edges: prior.edges, frequencies: prior.frequencies, buildMs: prior.buildMs },
      epochs,
      steps,
      rangeEvaluations: evaluator.rangeEvaluations,
      predictorReports: evaluator.predictorReports,
      sampledArchitectures,
      conditionalSampling: setup.conditional
        ? { draws: setup.conditional.stats.draws, giveUps: setup.conditional.stats.giveUps, giveUpRate: setup.conditional.giveUpRate() }
        : null,
      test,
      timing: {
        startedAt: startedAt.toISOString(),
        trainingSeconds: trainingMs / 1000,
        evaluationSeconds: evaluator.evaluationMs / 1000,
        totalSeconds: (performance.now() - t0) / 1000,
        msPerStep: step > firstStep ? trainingMs / (step - firstStep) : 0,
        imagesPerSecond: step > firstStep ? (config.batchSize * (step - firstStep) * 1000) / trainingMs : 0,
      },
      stopped,
    };
  } finally {
    trainer.dispose();
    net.dispose();
  }
}
