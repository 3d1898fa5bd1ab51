/**
 * How long a run (or a comparison) will take, shown before Start. One speed figure drives it:
 * milliseconds per training image of a Uniform sandwich step (largest, two middle, smallest,
 * forward and backward), from a short probe or from the last run measured on the same backend,
 * space and batch size. Everything else is counted from the settings:
 * - BestUp/WorstUp with the loss estimator score 2k candidates per step by a forward pass;
 * - evaluations are forward passes (range subnets, the largest and smallest on validation each
 *   epoch and on test at the end), each after its BN recalibration batches;
 * - a fixed cost per run (setup, the FLOPs prior, checkpoints) and once per session (worker and
 *   data loading).
 * FORWARD_SHARE came from CLI runs of the quick space on wasm: a BestUp-3 (loss) step took 1.47x
 * a Uniform one (6 scoring passes: 0.078 each), and 52k evaluated images took 7.4 s at 1.81 ms
 * per training image (0.078 each); the two agree.
 */
import { DEFAULT_VALIDATION_SIZE } from './run-config';
import { stepsPerEpochOf } from '../records/run-records';
import { samplerRegistry } from '../sampling/sampler-registry';
import type { StudioSettings } from './studio-settings';

/** one subnet's forward pass of an image, as a share of a Uniform sandwich step's time per image */
export const FORWARD_SHARE = 0.078;
/** seconds every run spends outside steps and evaluations (setup, prior, checkpoints) */
export const RUN_OVERHEAD_S = 3;
/** seconds a session spends once before its first run (worker start, reading the data) */
export const SESSION_OVERHEAD_S = 5;
/** the studio's BN recalibration batches (runConfigFromSettings): the pair's and a range subnet's */
const PAIR_CALIBRATION = 8;
const RANGE_CALIBRATION = 4;

export interface DataSizes {
  trainCount: number;
  testCount: number;
}
export const FASHION_SIZES: DataSizes = { trainCount: 60_000, testCount: 10_000 };

/** The cost of one step relative to a Uniform step: scoring candidates by loss adds forward passes. */
export function stepFactor(settings: Pick<StudioSettings, 'sampler' | 'k' | 'estimator'>): number {
  if (!samplerRegistry[settings.sampler].k || settings.estimator !== 'loss') return 1;
  return 1 + 2 * settings.k * FORWARD_SHARE;
}

/** Training steps and evaluated images (forward passes of one subnet) of one run. */
export function runWork(
  settings: StudioSettings,
  data: DataSizes = FASHION_SIZES,
): { steps: number; trainImages: number; forwardImages: number } {
  const validation = Math.max(0, Math.min(DEFAULT_VALIDATION_SIZE, data.trainCount - settings.batchSize));
  const trainSplit = data.trainCount - validation;
  const usable = settings.trainSubset > 0 ? Math.min(settings.trainSubset, trainSplit) : trainSplit;
  const perEpoch = stepsPerEpochOf(settings, usable);
  const steps = perEpoch * settings.epochs;
  const rangeImages = settings.rangeImages > 0 ? Math.min(settings.rangeImages, validation) : validation;
  const rangeEvaluations = settings.epochs + (settings.evalEvery > 0 ? Math.floor(steps / settings.evalEvery) : 0);
  const perRangeEvaluation = settings.ranges * settings.perRange * (rangeImages + RANGE_CALIBRATION * settings.batchSize);
  const limit = (n: number) => (settings.evalImages > 0 ? Math.min(settings.evalImages, n) : n);
  const pair = (n: number) => 2 * (limit(n) + PAIR_CALIBRATION * settings.batchSize);
  const forwardImages = rangeEvaluations * perRangeEvaluation + settings.epochs * pair(validation) + pair(data.testCount);
  return { steps, trainImages: steps * settings.batchSize * stepFactor(settings), forwardImages };
}

/** Seconds one run takes at `msPerImage` (a Uniform step's time per image), its fixed cost included. */
export function runSeconds(settings: StudioSettings, msPerImage: number, data?: DataSizes): number {
  const work = runWork(settings, data);
  return ((work.trainImages + work.forwardImages * FORWARD_SHARE) * msPerImage) / 1000 + RUN_OVERHEAD_S;
}

/**
 * The speed a finished run measured, as ms per image of a Uniform step: its training time less
 * the scoring passes. null when it trained too little to say.
 */
export function measuredMsPerImage(settings: StudioSettings, trainingSeconds: number, steps: number): number | null {
  if (steps < 5 || !(trainingSeconds > 0)) return null;
  return (trainingSeconds * 1000) / (steps * settings.batchSize * stepFactor(settings));
}

/** Seconds for a list of runs done one after another (a comparison), with the session's start. */
export function queueSeconds(runs: StudioSettings[], msPerImage: number, data?: DataSizes): number {
  return SESSION_OVERHEAD_S + runs.reduce((sum, run) => sum + runSeconds(run, msPerImage, data), 0);
}

/** "about 7 min", "about 40 s", "about 1 h 20 min" */
export function durationText(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
