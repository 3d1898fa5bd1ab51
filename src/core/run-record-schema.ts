/**
 * Schemas for a run record, its search and a comparison group as they are persisted and
 * imported (IndexedDB, run files). They mirror `RunRecord`, `SearchState` and `ComparisonGroup`
 * in src/ui/store field for field (a type test keeps them equal both ways) without importing
 * the UI or the engine, so core stays free of tfjs and React.
 *
 * Bounds are generous for real runs and there to refuse hostile files: every string and array
 * has a maximum, every number is finite. Unknown keys are dropped.
 */
import { z } from 'zod';
import { runConfigSchema } from './run-config';
import { searchConfigSchema } from './search-config';
import { studioSettingsSchema } from './studio-settings';

const text = (max: number) => z.string().max(max);
const count = z.number().int().min(0);
const nonNegative = z.number().min(0);
const accuracy = z.number().min(0).max(1);
/** milliseconds since 1970 (Date.now()) */
const timestamp = z.number().min(0);
/**
 * A number the engine may leave NaN (a mean over no steps, Kendall tau of a constant list).
 * JSON writes NaN as null, so null reads back as NaN; the type stays `number`.
 */
const numberOrNaN = z.union([z.number(), z.nan(), z.null().transform(() => NaN)]);

export const recordIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'ids are 1-100 letters, digits, ".", "_" or "-"');

/** The input's own keys that the schema kept, recursively: unknown keys go, defaults are not added. */
function keepKnownKeys(input: unknown, parsed: unknown): unknown {
  if (Array.isArray(input) && Array.isArray(parsed)) return input.map((item, i) => keepKnownKeys(item, parsed[i]));
  if (isRecord(input) && isRecord(parsed)) {
    return Object.fromEntries(Object.keys(input).filter((k) => Object.hasOwn(parsed, k)).map((k) => [k, keepKnownKeys(input[k], parsed[k])]));
  }
  return input;
}
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * A config kept as the input it was given (a run resumes with exactly it), accepted when the
 * config schema accepts it; that schema's problems are reported at their own paths.
 */
function validInput<S extends z.ZodType>(schema: S) {
  return z.custom<z.input<S>>().transform((value, ctx) => {
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return keepKnownKeys(value, result.data) as z.input<S>;
  });
}

// a sandwich step trains 4 subnets; the stages of a space are at most 12 (width has 2 more)
const perStep = <T extends z.ZodType>(item: T) => z.array(item).max(64);
const subnetGenes = z.array(z.number().int().positive()).max(14);
export const persistedSubnetSchema = z.object({
  resolution: z.number().int().positive(),
  width: subnetGenes,
  depth: subnetGenes,
  kernel_size: subnetGenes,
  expand_ratio: subnetGenes,
});
const subnetKeyText = text(1000);

const backendName = z.enum(['webgpu', 'webgl', 'wasm', 'cpu']);
export const backendInfoSchema = z.object({
  name: backendName,
  requested: z.enum(['auto', 'webgpu', 'webgl', 'wasm', 'cpu']),
  adapter: text(1000),
  fallbacks: z.array(z.object({ name: backendName, reason: text(2000) })).max(10),
  // both newer than the first stored runs, which have neither
  reason: text(4000).optional(),
  threads: z.number().int().min(1).max(1024).optional(),
});

const convForm = z.enum(['native', 'matmul', 'portable']);
const priorSchema = z.object({ samples: count, edges: z.array(z.number()).max(1000), frequencies: z.array(nonNegative).max(1000) });
const runStartSchema = z.object({
  totalSteps: count,
  stepsPerEpoch: count,
  firstStep: count,
  prior: priorSchema,
  macs: z.object({ smallest: nonNegative, largest: nonNegative }),
  convForm,
});

const stepPointSchema = z.object({
  step: count,
  lr: nonNegative,
  roles: perStep(text(20)),
  macs: perStep(nonNegative),
  losses: perStep(z.number()),
  targetBins: perStep(z.number().int().min(-1)).optional(),
  // -1: outside the prior's range
  bins: perStep(z.number().int().min(-1)),
});

const subnetEvaluationSchema = z.object({ accuracy, correct: count, total: count, calibrationBatches: count, ms: nonNegative });
const evaluationPair = z.object({ largest: subnetEvaluationSchema, smallest: subnetEvaluationSchema });

const epochRecordSchema = z.object({
  epoch: count,
  steps: count,
  seconds: nonNegative,
  meanLoss: z.object({ largest: numberOrNaN, sampled: numberOrNaN, smallest: numberOrNaN }),
  validation: evaluationPair,
});

const fiveNumberSummarySchema = z.object({ min: z.number(), q1: z.number(), median: z.number(), q3: z.number(), max: z.number(), count });
/** a subnet of a range evaluation (the engine's EvaluatedSubnet, not evolution's) */
const rangeSubnetSchema = z.object({ key: subnetKeyText, encoding: persistedSubnetSchema, macs: nonNegative, accuracy });
const rangeResultSchema = z.object({
  index: count,
  loMacs: nonNegative,
  hiMacs: nonNegative,
  subnets: z.array(rangeSubnetSchema).max(500),
  accuracies: z.array(accuracy).max(500),
  summary: fiveNumberSummarySchema.nullable(),
});
const rangeEvaluationSchema = z.object({
  step: count,
  epoch: count,
  split: z.literal('validation'),
  calibrationBatches: count,
  images: count,
  ranges: z.array(rangeResultSchema).max(40),
  ms: nonNegative,
});

const runProgressSchema = z.object({ step: count, totalSteps: count, epoch: count, elapsedMs: nonNegative, etaMs: nonNegative, imagesPerSecond: nonNegative });
const runOutcomeSchema = z.object({ stopped: z.boolean(), test: evaluationPair.nullable(), trainingSeconds: nonNegative });
const checkpointInfoSchema = z.object({ step: count, epoch: count, stepInEpoch: count, savedAt: timestamp, bytes: count, key: z.string().min(1).max(400).optional() });

export const runPhases = ['queued', 'starting', 'running', 'paused', 'stopping', 'done', 'stopped', 'failed', 'interrupted'] as const;
export const MAX_RUN_STEPS = 2_000_000;
export const MAX_LOG_LINES = 500;

export const persistedRunSchema = z.object({
  id: recordIdSchema,
  name: text(200),
  label: text(200),
  sampler: studioSettingsSchema.shape.sampler,
  groupId: recordIdSchema.nullable(),
  settings: studioSettingsSchema,
  config: validInput(runConfigSchema),
  datasetId: recordIdSchema.nullable(),
  datasetName: text(200),
  phase: z.enum(runPhases),
  backend: backendInfoSchema.nullable(),
  start: runStartSchema.nullable(),
  steps: z.array(stepPointSchema).max(MAX_RUN_STEPS),
  epochs: z.array(epochRecordSchema).max(1000),
  rangeHistory: z.array(rangeEvaluationSchema).max(100_000),
  progress: runProgressSchema.nullable(),
  outcome: runOutcomeSchema.nullable(),
  log: z.array(text(2000)).max(MAX_LOG_LINES),
  error: text(10_000).nullable(),
  checkpoint: checkpointInfoSchema.nullable(),
  resumes: z.array(count).max(100_000),
  createdAt: timestamp,
});

/** evolution's EvaluatedSubnet: accuracy is a predictor's estimate in predictor mode, so it may leave [0, 1] */
const evaluatedSubnetSchema = z.object({
  subnet: persistedSubnetSchema,
  key: subnetKeyText,
  hash: z.string().regex(/^[0-9a-f]{8}$/, 'a subnet hash is 8 hex digits'),
  macs: nonNegative,
  params: count,
  accuracy: z.number(),
  generation: count,
  origin: z.enum(['smallest', 'seed', 'mutation', 'crossover']),
});
const MAX_EVALUATED = 1_000_000;
const evaluatedList = z.array(evaluatedSubnetSchema).max(MAX_EVALUATED);
const frontList = z.array(evaluatedSubnetSchema).max(100_000);

const searchResultsSchema = z.object({
  type: z.literal('nas-studio/search-results'),
  // the type says number (a `v === 1` predicate would narrow it to 1); this format knows version 1 only
  version: z.number().refine((v): boolean => v === 1, 'only search results version 1 are known'),
  config: searchConfigSchema,
  backend: backendInfoSchema,
  supernet: z.object({ space: text(64), sampler: text(200), step: count, epoch: count, seed: count }),
  window: z.object({ minMacs: nonNegative, maxMacs: nonNegative }),
  evaluated: evaluatedList,
  front: frontList,
  refinedFront: frontList,
  testAccuracy: z.record(z.string().regex(/^[a-z0-9.-]{1,1000}$/, 'not a subnet key'), accuracy).nullable(),
  generations: z
    .array(z.object({ generation: count, evaluated: count, frontSize: count, hypervolume: nonNegative, totalEvaluations: count, seconds: nonNegative, giveUps: count }))
    .max(1001),
  predictor: z.object({ trainedOn: count, heldOut: count, kendallTau: numberOrNaN }).nullable(),
  hypervolume: nonNegative,
  timing: z.object({ seconds: nonNegative, realEvaluations: count, msPerRealEvaluation: nonNegative }),
  stopped: z.boolean(),
});

export const persistedSearchSchema = z.object({
  runId: recordIdSchema,
  phase: z.enum(['running', 'done', 'stopped', 'failed']),
  config: validInput(searchConfigSchema),
  generations: z.array(z.object({ generation: count, hypervolume: nonNegative, totalEvaluations: count, frontSize: count })).max(1001),
  evaluated: evaluatedList,
  front: frontList,
  progress: z.object({ done: count, total: count }).nullable(),
  results: searchResultsSchema.nullable(),
  error: text(10_000).nullable(),
  startedAt: timestamp,
});

export const comparisonGroupSchema = z.object({
  id: recordIdSchema,
  runIds: z.array(recordIdSchema).max(100),
  settings: studioSettingsSchema,
  createdAt: timestamp,
});

export type PersistedRun = z.infer<typeof persistedRunSchema>;
export type PersistedSearch = z.infer<typeof persistedSearchSchema>;
export type PersistedComparisonGroup = z.infer<typeof comparisonGroupSchema>;
