/**
 * A run trained by `npm run train` as the studio's run record, so its results JSON and checkpoint
 * can become a run file (`npm run export-run`) that the studio imports like one of its own: the
 * charts, the range box plots, resume and search all work on it.
 *
 * The record's config is the checkpoint's, exactly (a run file checks the two agree, and a resume
 * or a search uses it). The settings describe the run as well as the studio's form can; what the
 * form cannot express (augmentation off, 32 calibration batches, ...) stays in the config only and
 * is listed in `notes` and in the run's log.
 *
 * Pure: no tfjs, no file system.
 */
import type { CheckpointHeader } from './checkpoint-format';
import { presetNames, presetSpace } from '../space/presets';
import { hashString32 } from '../training/rng';
import { parseRunConfig, type RunConfig } from '../training/run-config';
import { MAX_LOG_LINES, recordIdSchema, type PersistedRun } from './run-record-schema';
import { stepsPerEpochOf, toStepPoint, type RunResults } from './run-records';
import { samplerLabel } from '../sampling/sampler-registry';
import {
  defaultSettings,
  runConfigFromSettings,
  settingKeys,
  studioSettingsSchema,
  type StudioSettings,
} from '../training/studio-settings';

export interface RunFromResultsInput {
  /** the results JSON `npm run train` wrote (already parsed) */
  results: RunResults;
  /** the run's checkpoint: its header and the length of its file in bytes; null: a record without weights */
  checkpoint: { header: CheckpointHeader; bytes: number } | null;
  /** the run's name in the studio (default: sampler, space, dataset and epochs) */
  name?: string;
  /** file names to mention in the log */
  source?: { results?: string; checkpoint?: string };
}

export interface RunFromResults {
  run: PersistedRun;
  /** what the record cannot say as the studio would (also in its log) */
  notes: string[];
}

const DATASET_NAME = 'Fashion-MNIST';
const MAX_LOG_LINE = 2000;
/** per-epoch lines in the log; a longer run keeps its last ones */
const MAX_EPOCH_LINES = 50;

export function runFromResults(input: RunFromResultsInput): RunFromResults {
  const { results, checkpoint } = input;
  if (results?.type !== 'nas-studio/run-results')
    throw new Error(`this is not a results file of npm run train (type ${JSON.stringify(results?.type)})`);
  if (results.version !== 1) throw new Error(`results version ${results.version} is not known; this tool reads version 1`);
  const config: RunConfig = checkpoint ? checkpoint.header.config : results.config;
  if (checkpoint) {
    const difference = firstDifference(parseRunConfig(results.config), parseRunConfig(checkpoint.header.config), 'config');
    if (difference) throw new Error(`the checkpoint was not taken by the run of these results (${difference})`);
  }
  const notes: string[] = [];
  const settings = settingsFor(config, notes);
  const label = samplerLabel(config.sampler);

  const steps = results.steps.map(toStepPoint);
  const firstStep = steps[0]?.step ?? 0;
  const stepsPerEpoch = stepsPerEpochOf(config, results.data.trainImages);
  const totalSteps = stepsPerEpoch * config.epochs;
  const last = results.steps[results.steps.length - 1];
  const stepsDone = last ? last.step + 1 : firstStep;

  if (firstStep > 0) notes.push(`the results start at step ${firstStep} (a resumed run): the steps before it are not in this record`);
  const at = checkpoint?.header.progress;
  if (at && at.step !== stepsDone)
    notes.push(
      `the checkpoint holds the weights after step ${at.step}, not after the last step ${stepsDone} of the results: a search uses those weights`,
    );
  const startedAt = Date.parse(results.timing.startedAt);
  if (!Number.isFinite(startedAt)) throw new Error(`the results' start time ${JSON.stringify(results.timing.startedAt)} is not a date`);
  const savedAt = checkpoint ? Date.parse(checkpoint.header.createdAt) : NaN;
  if (checkpoint && !Number.isFinite(savedAt))
    throw new Error(`the checkpoint's creation time ${JSON.stringify(checkpoint.header.createdAt)} is not a date`);

  const b = results.backend;
  const log = [
    `trained by \`npm run train\` in Node on ${b.name} (${b.adapter}), conv form ${results.convForm}: ${stepsDone - firstStep} steps of ${config.batchSize} in ${results.epochs.length} epoch(s), ${results.timing.trainingSeconds.toFixed(0)} s of training (${results.timing.msPerStep.toFixed(0)} ms/step)`,
    ...results.epochs
      .slice(-MAX_EPOCH_LINES)
      .map(
        (e) =>
          `epoch ${e.epoch + 1}: loss largest ${e.meanLoss.largest.toFixed(4)} smallest ${e.meanLoss.smallest.toFixed(4)}; validation top-1 largest ${pct(e.validation.largest.accuracy)} smallest ${pct(e.validation.smallest.accuracy)}`,
      ),
    ...(results.test ? [`test top-1: largest ${pct(results.test.largest.accuracy)}, smallest ${pct(results.test.smallest.accuracy)}`] : []),
    ...(results.stopped ? [`stopped after step ${stepsDone}`] : []),
    ...notes,
    `made into a studio run with \`npm run export-run\`${input.source?.results ? ` from ${input.source.results}` : ''}${input.source?.checkpoint ? ` and ${input.source.checkpoint}` : ''}`,
  ].map((line) => (line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE - 1)}…` : line));

  const id = `cli-${config.seed}-${hashString32(
    `${results.timing.startedAt}|${checkpoint?.header.createdAt ?? ''}|${config.space.name}|${config.sampler.kind}`,
  )
    .toString(16)
    .padStart(8, '0')}`;
  if (!recordIdSchema.safeParse(id).success) throw new Error(`internal: run id ${id} is not a valid id`);
  const name =
    (input.name ?? `${label} · ${settings.space} · ${DATASET_NAME} · ${config.epochs} epoch${config.epochs === 1 ? '' : 's'} (CLI)`)
      .trim()
      .slice(0, 200) || 'CLI run';

  const run: PersistedRun = {
    id,
    name,
    label,
    sampler: settings.sampler,
    groupId: null,
    settings,
    config,
    datasetId: null,
    datasetName: DATASET_NAME,
    phase: results.stopped ? 'stopped' : 'done',
    backend: {
      name: b.name,
      requested: b.requested,
      adapter: b.adapter,
      fallbacks: b.fallbacks.map((f) => ({ name: f.name, reason: f.reason })),
    },
    start: {
      totalSteps,
      stepsPerEpoch,
      firstStep,
      prior: { samples: results.prior.samples, edges: [...results.prior.edges], frequencies: [...results.prior.frequencies] },
      macs: { smallest: results.subnets.smallest.macs, largest: results.subnets.largest.macs },
      convForm: results.convForm,
    },
    steps,
    epochs: results.epochs.map((e) => ({
      epoch: e.epoch,
      steps: e.steps,
      seconds: e.seconds,
      meanLoss: { largest: e.meanLoss.largest, sampled: e.meanLoss.sampled, smallest: e.meanLoss.smallest },
      validation: e.validation,
    })),
    rangeHistory: results.rangeEvaluations,
    progress: last
      ? {
          step: stepsDone,
          totalSteps,
          epoch: last.epoch,
          elapsedMs: results.timing.totalSeconds * 1000,
          etaMs: results.stopped ? results.timing.msPerStep * Math.max(0, totalSteps - stepsDone) : 0,
          imagesPerSecond: results.timing.imagesPerSecond,
        }
      : null,
    outcome: { stopped: results.stopped, test: results.test, trainingSeconds: results.timing.trainingSeconds },
    log: log.slice(-MAX_LOG_LINES),
    error: null,
    checkpoint: checkpoint && at ? { step: at.step, epoch: at.epoch, stepInEpoch: at.stepInEpoch, savedAt, bytes: checkpoint.bytes } : null,
    resumes: firstStep > 0 ? [firstStep] : [],
    createdAt: startedAt,
  };
  return { run, notes };
}

/**
 * The studio settings closest to a config: every field the form has, taken from the config when
 * the form allows its value (else the form's default, noted); then every part of the config the
 * settings would not reproduce, noted.
 */
function settingsFor(config: RunConfig, notes: string[]): StudioSettings {
  if (!presetNames.includes(config.space.name as (typeof presetNames)[number])) {
    throw new Error(
      `the run's search space "${config.space.name}" is not one of the studio's presets (${presetNames.join(', ')}); the studio cannot show it`,
    );
  }
  const spaceDifference = firstDifference(presetSpace(config.space.name), config.space, 'space');
  if (spaceDifference)
    notes.push(`the run's space differs from the studio's "${config.space.name}" preset (${spaceDifference}); the run keeps its own`);
  const wanted: Record<string, unknown> = {
    dataset: 'fashion-mnist',
    space: config.space.name,
    sampler: config.sampler.kind,
    estimator: config.sampler.estimator,
    k: config.sampler.k,
    epochs: config.epochs,
    stepsPerEpoch: config.stepsPerEpoch,
    trainSubset: config.trainSubset,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    augment: config.augment,
    seed: config.seed,
    ranges: config.rangeEval.ranges,
    perRange: config.rangeEval.perRange,
    evalEvery: config.rangeEval.everySteps,
    rangeImages: config.rangeEval.images,
    evalImages: config.evalSubset,
    backend: config.backend,
  };
  const settings: Record<string, unknown> = { ...defaultSettings };
  for (const key of settingKeys) {
    const parsed = studioSettingsSchema.shape[key].safeParse(wanted[key]);
    if (parsed.success) settings[key] = parsed.data;
    else
      notes.push(
        `setting ${key}: the run's ${JSON.stringify(wanted[key])} is outside the form's range; the form shows ${JSON.stringify(defaultSettings[key])}`,
      );
  }
  const result = settings as StudioSettings;
  const fromSettings = parseRunConfig(runConfigFromSettings(result)) as unknown as Record<string, unknown>;
  const actual = parseRunConfig(config) as unknown as Record<string, unknown>;
  const configOnly = differences(fromSettings, actual, '').filter((d) => !d.startsWith('space'));
  if (configOnly.length)
    notes.push(`kept in the run's config only (the studio's settings would give other values): ${configOnly.join(', ')}`);
  return result;
}

/** Every leaf path where `actual` differs from `expected`, as "path actual (settings: expected)". */
function differences(expected: unknown, actual: unknown, path: string): string[] {
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])];
    return keys.flatMap((key) => differences(expected[key], actual[key], path ? `${path}.${key}` : key));
  }
  return JSON.stringify(expected) === JSON.stringify(actual)
    ? []
    : [`${path} ${JSON.stringify(actual) ?? 'unset'} (settings: ${JSON.stringify(expected) ?? 'unset'})`];
}

/** The first path where two JSON values differ, with both values; null when equal. */
function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      const found = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : `${path}: ${short(a)} vs ${short(b)}`;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const short = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
