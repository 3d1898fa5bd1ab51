/**
 * The studio's run settings: one schema drives the form, the URL (so a link reproduces a run)
 * and the run config sent to the engine. A bad value in a link is reported and replaced by its
 * default instead of breaking the page.
 */
import { z } from 'zod';
import { comparisonRuns, MAX_COMPARISON_SEEDS, type ComparisonRunSpec } from '../comparison/comparison-runs';
import { presetNames, presetSpace } from '../space/presets';
import { backendPreferences, type RunConfigInput } from './run-config';
import {
  comparisonKinds,
  DEFAULT_K,
  estimatorKinds,
  samplerKinds,
  samplerSettingProblems,
  WHOLE_BIN_K,
  type SamplerKind,
} from '../sampling/sampler-registry';
import { describeZodError } from '../space/space';
import { REFERENCE_DROP_CONNECT } from '../space/drop-connect';
import { predictorKinds } from '../predictor/predictor';
import { DEFAULT_PREDICTOR_KIND } from '../predictor/predictor-config';

/** 'user': files the person loaded from disk (a link cannot carry them; they load them again) */
export const datasetNames = ['fashion-mnist', 'user'] as const;

export const studioSettingsSchema = z.object({
  dataset: z.enum(datasetNames).default('fashion-mnist'),
  space: z.enum(presetNames as [string, ...string[]]).default('fashion'),
  sampler: z.enum(samplerKinds).default('uniform'),
  estimator: z.enum(estimatorKinds).default('loss'),
  /** the form stops at the whole bin: a larger k ranks the same candidates */
  k: z.number().int().min(1).max(WHOLE_BIN_K).default(DEFAULT_K),
  /** the accuracy predictor's model (estimator 'predictor') */
  predictorKind: z.enum(predictorKinds).default(DEFAULT_PREDICTOR_KIND),
  epochs: z.number().int().min(1).max(1000).default(1),
  /** 0: the whole training split each epoch */
  stepsPerEpoch: z.number().int().min(0).max(1_000_000).default(0),
  /** 0: every training image */
  trainSubset: z.number().int().min(0).max(1_000_000).default(0),
  batchSize: z.number().int().min(2).max(1024).default(128),
  learningRate: z.number().positive().max(10).default(0.2),
  /** random crops and flips of the training images; off for short runs, which they slow to converge */
  augment: z.boolean().default(true),
  /** drop-connect rate on the largest net's last two stages (the reference's 0.2); 0 turns it off */
  dropConnect: z.number().min(0).max(0.9).default(REFERENCE_DROP_CONNECT),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  /** Compare: how many seeds each sampler trains with (seed, seed + 1, ...) */
  seeds: z.number().int().min(1).max(MAX_COMPARISON_SEEDS).default(1),
  /** Compare: also train the noise-floor control (Uniform on another sampler stream); a quick comparison skips it */
  noiseFloor: z.boolean().default(true),
  ranges: z.number().int().min(1).max(40).default(5),
  perRange: z.number().int().min(1).max(500).default(8),
  /** evaluate the ranges every N steps too; 0: at the end of each epoch only */
  evalEvery: z.number().int().min(0).max(1_000_000).default(0),
  rangeImages: z.number().int().min(0).max(60_000).default(1000),
  /** images for the largest/smallest evaluation each epoch (validation) and at the end (test); 0 = all */
  evalImages: z.number().int().min(0).max(60_000).default(0),
  backend: z.enum(backendPreferences).default('auto'),
});

export type StudioSettings = z.infer<typeof studioSettingsSchema>;
export type SettingKey = keyof StudioSettings;
export const defaultSettings: StudioSettings = studioSettingsSchema.parse({});
export const settingKeys = Object.keys(defaultSettings) as SettingKey[];

const isNumeric = (key: SettingKey) => typeof defaultSettings[key] === 'number';
const isBoolean = (key: SettingKey) => typeof defaultSettings[key] === 'boolean';
/** a link's text for a switch: only "true" and "false" (anything else fails the schema and is reported) */
const booleanText = (raw: string): unknown => (raw === 'true' ? true : raw === 'false' ? false : raw);

/** Reads settings from a URL query; every value that fails is named and left at its default. */
export function settingsFromQuery(query: string): { settings: StudioSettings; problems: string[] } {
  const params = new URLSearchParams(query);
  const settings: Record<string, unknown> = { ...defaultSettings };
  const problems: string[] = [];
  for (const key of settingKeys) {
    const raw = params.get(key);
    if (raw === null) continue;
    const value = isNumeric(key) ? (raw.trim() === '' ? NaN : Number(raw)) : isBoolean(key) ? booleanText(raw) : raw;
    const parsed = studioSettingsSchema.shape[key].safeParse(value);
    if (parsed.success) settings[key] = parsed.data;
    else
      problems.push(
        `${key}=${JSON.stringify(raw.slice(0, 40))} in the link: ${describeZodError(parsed.error)}; using ${defaultSettings[key]}`,
      );
  }
  const checked = checkSettings(settings as StudioSettings);
  return { settings: settings as StudioSettings, problems: [...problems, ...checked] };
}

export function settingsToQuery(settings: StudioSettings): string {
  const params = new URLSearchParams();
  for (const key of settingKeys) params.set(key, String(settings[key]));
  return params.toString();
}

/** Problems that involve more than one field (the form shows them and blocks Start). */
export function checkSettings(settings: StudioSettings): string[] {
  const problems: string[] = [];
  for (const key of settingKeys) {
    const error = validateSettingValue(key, settings[key]);
    if (error) problems.push(`${key}: ${error}`);
  }
  if (problems.length) return problems;
  for (const problem of samplerSettingProblems({ kind: settings.sampler, k: settings.k, estimator: settings.estimator }))
    problems.push(problem.message);
  if (settings.trainSubset > 0 && settings.trainSubset < settings.batchSize) {
    problems.push(`training images (${settings.trainSubset}) must be at least one batch (${settings.batchSize})`);
  }
  return problems;
}

export function validateSettingValue(key: SettingKey, value: unknown): string | null {
  const parsed = studioSettingsSchema.shape[key].safeParse(value);
  return parsed.success ? null : describeZodError(parsed.error);
}

/** The engine's run config for these settings, optionally with another sampler (comparisons). */
export function runConfigFromSettings(settings: StudioSettings, sampler: StudioSettings['sampler'] = settings.sampler): RunConfigInput {
  return {
    space: presetSpace(settings.space),
    seed: settings.seed,
    epochs: settings.epochs,
    stepsPerEpoch: settings.stepsPerEpoch,
    trainSubset: settings.trainSubset,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    augment: settings.augment,
    dropConnect: settings.dropConnect,
    backend: settings.backend,
    calibrationBatches: 8,
    evalSubset: settings.evalImages,
    sampler: { kind: sampler, k: settings.k, estimator: settings.estimator },
    predictor: { kind: settings.predictorKind },
    rangeEval: {
      ranges: settings.ranges,
      perRange: settings.perRange,
      everySteps: settings.evalEvery,
      images: settings.rangeImages,
      calibrationBatches: 4,
    },
  };
}

/** The comparison set (the registry's): the same settings and budget under each sampler, Uniform first (the baseline). */
export const comparisonSamplers: readonly SamplerKind[] = comparisonKinds;

/** The runs Compare queues for these settings (every sampler per seed, and the noise floor unless it is off). */
export function comparisonQueue(settings: StudioSettings): ComparisonRunSpec<SamplerKind>[] {
  return comparisonRuns(comparisonSamplers, settings.seed, settings.seeds, settings.noiseFloor);
}
