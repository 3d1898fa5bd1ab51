/**
 * The records a training run produces, defined once: the engine builds them, the worker sends
 * them, the UI shows and persists them, the CLI writes them to JSON. Each is a zod schema and
 * its TypeScript type is `z.infer` of it, so a field added here reaches every layer at once.
 *
 * The schemas double as validators of outside data (IndexedDB, run files, results JSON): bounds
 * are generous for real runs and there to refuse hostile files, every number is finite. Fields
 * newer than the first stored runs are optional, so old databases and files still read.
 */
import { z } from 'zod';
import { runConfigSchema, type RunConfig } from '../training/run-config';
import { predictorKinds } from '../predictor/predictor';

export const text = (max: number) => z.string().max(max);
export const count = z.number().int().min(0);
export const nonNegative = z.number().min(0);
export const accuracySchema = z.number().min(0).max(1);
/** milliseconds since 1970 (Date.now()) */
export const timestamp = z.number().min(0);
/**
 * A number the engine may leave NaN (a mean over no steps, Kendall tau of a constant list).
 * JSON writes NaN as null, so null reads back as NaN; the type stays `number`.
 */
export const numberOrNaN = z.union([z.number(), z.nan(), z.null().transform(() => NaN)]);

// a sandwich step trains 4 subnets; the stages of a space are at most 12 (width has 2 more)
const perStep = <T extends z.ZodType>(item: T) => z.array(item).max(64);
const subnetGenes = z.array(z.number().int().positive()).max(14);
/** a subnet's encoding as records keep it (core/space/subnet's Subnet, bounded) */
export const persistedSubnetSchema = z.object({
  resolution: z.number().int().positive(),
  width: subnetGenes,
  depth: subnetGenes,
  kernel_size: subnetGenes,
  expand_ratio: subnetGenes,
});
export const subnetKeyText = text(1000);

export const backendNames = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export const backendNameSchema = z.enum(backendNames);
export const backendPreferenceSchema = z.enum(['auto', ...backendNames]);
export type BackendName = z.infer<typeof backendNameSchema>;
export type BackendPreference = z.infer<typeof backendPreferenceSchema>;

/** The tfjs backend a run or search used, and why. */
export const backendInfoSchema = z.object({
  name: backendNameSchema,
  requested: backendPreferenceSchema,
  /** GPU adapter or device description where the backend has one */
  adapter: text(1000),
  /** backends tried before this one, and why each was not used */
  fallbacks: z.array(z.object({ name: backendNameSchema, reason: text(2000) })).max(10),
  /** why this backend, in words (newer than the first stored runs, which have none) */
  reason: text(4000).optional(),
  /** wasm: the threads tfjs-backend-wasm reports it uses (as new as `reason`) */
  threads: z.number().int().min(1).max(1024).optional(),
});
export type BackendInfo = z.infer<typeof backendInfoSchema>;

/** How the engine runs its convolutions (engine/conv-forms implements each). */
export const convFormSchema = z.enum(['native', 'matmul', 'portable']);
export type ConvForm = z.infer<typeof convFormSchema>;

/** The place of a subnet in a sandwich step. */
export const subnetRoleSchema = z.enum(['largest', 'sampled', 'smallest']);
export type SubnetRole = z.infer<typeof subnetRoleSchema>;

/** Top-1 of one subnet after BN recalibration. */
export const subnetEvaluationSchema = z.object({
  accuracy: accuracySchema,
  correct: count,
  total: count,
  calibrationBatches: count,
  ms: nonNegative,
});
export type SubnetEvaluation = z.infer<typeof subnetEvaluationSchema>;
export const evaluationPairSchema = z.object({ largest: subnetEvaluationSchema, smallest: subnetEvaluationSchema });
export type EvaluationPair = z.infer<typeof evaluationPairSchema>;

export const fiveNumberSummarySchema = z.object({
  min: z.number(),
  q1: z.number(),
  median: z.number(),
  q3: z.number(),
  max: z.number(),
  count,
});
/** a subnet of a range evaluation (not evolution's EvaluatedSubnet) */
export const rangeSubnetSchema = z.object({
  key: subnetKeyText,
  encoding: persistedSubnetSchema,
  macs: nonNegative,
  accuracy: accuracySchema,
});
export type RangeSubnet = z.infer<typeof rangeSubnetSchema>;
export const rangeResultSchema = z.object({
  index: count,
  loMacs: nonNegative,
  hiMacs: nonNegative,
  subnets: z.array(rangeSubnetSchema).max(500),
  accuracies: z.array(accuracySchema).max(500),
  summary: fiveNumberSummarySchema.nullable(),
});
export type RangeResult = z.infer<typeof rangeResultSchema>;
/** Accuracy per FLOPs range at one step. */
export const rangeEvaluationSchema = z.object({
  step: count,
  epoch: count,
  split: z.literal('validation'),
  calibrationBatches: count,
  images: count,
  ranges: z.array(rangeResultSchema).max(40),
  ms: nonNegative,
});
export type RangeEvaluation = z.infer<typeof rangeEvaluationSchema>;

/** Per step, what the charts draw and a run record keeps. */
export const stepPointSchema = z.object({
  step: count,
  lr: nonNegative,
  /** a SubnetRole each; stored runs are read as any short text, as they always were */
  roles: perStep(text(20)),
  macs: perStep(nonNegative),
  losses: perStep(z.number()),
  /** attentive samplers: the FLOPs bin tau drawn for each middle subnet */
  targetBins: perStep(z.number().int().min(-1)).optional(),
  /** prior bin of each trained subnet (-1 outside the prior's range) */
  bins: perStep(z.number().int().min(-1)),
});
export type StepPoint = z.infer<typeof stepPointSchema>;

/** One sandwich step as the engine reports it: the step point and what only the results JSON keeps. */
export const stepRecordSchema = stepPointSchema.extend({
  roles: perStep(subnetRoleSchema),
  epoch: count,
  subnets: perStep(subnetKeyText),
  /** attentive samplers: every candidate they scored this step, and its score */
  candidates: z
    .array(z.object({ subnet: subnetKeyText, macs: nonNegative, score: z.number() }))
    .max(100_000)
    .optional(),
  ms: nonNegative,
});
export type StepRecord = z.infer<typeof stepRecordSchema>;

/** The step point of a step record: the one place a record becomes what a run record keeps. */
export function toStepPoint(record: StepRecord): StepPoint {
  const point: StepPoint = {
    step: record.step,
    lr: record.lr,
    roles: [...record.roles],
    macs: [...record.macs],
    losses: [...record.losses],
    bins: [...record.bins],
  };
  if (record.targetBins) point.targetBins = [...record.targetBins];
  return point;
}

export const epochRecordSchema = z.object({
  epoch: count,
  /** steps done at the epoch's end */
  steps: count,
  seconds: nonNegative,
  meanLoss: z.object({ largest: numberOrNaN, sampled: numberOrNaN, smallest: numberOrNaN }),
  validation: evaluationPairSchema,
});
export type EpochRecord = z.infer<typeof epochRecordSchema>;

export const priorSummarySchema = z.object({
  samples: count,
  edges: z.array(z.number()).max(1000),
  frequencies: z.array(nonNegative).max(1000),
});
/** What a run tells its watchers before the first step. */
export const runStartSchema = z.object({
  totalSteps: count,
  stepsPerEpoch: count,
  firstStep: count,
  prior: priorSummarySchema,
  macs: z.object({ smallest: nonNegative, largest: nonNegative }),
  convForm: convFormSchema,
});
export type RunStart = z.infer<typeof runStartSchema>;

export const runProgressSchema = z.object({
  step: count,
  totalSteps: count,
  epoch: count,
  elapsedMs: nonNegative,
  etaMs: nonNegative,
  imagesPerSecond: nonNegative,
});
export type RunProgress = z.infer<typeof runProgressSchema>;

/** What the run ended with: test accuracy of the largest and smallest subnets, whether it was stopped early. */
export const runOutcomeSchema = z.object({
  stopped: z.boolean(),
  test: evaluationPairSchema.nullable(),
  trainingSeconds: nonNegative,
  /** the predictor's last refit (predictor samplers; absent in older records) */
  predictor: z
    .object({ kind: z.enum(predictorKinds).optional(), kendallTau: numberOrNaN, heldOut: count, trainedOn: count })
    .nullable()
    .optional(),
  /** distinct architectures trained as middle subnets (absent in older records) */
  sampledArchitectures: z.object({ distinct: count, sampled: count }).optional(),
});
export type RunOutcome = z.infer<typeof runOutcomeSchema>;

/** The run's latest supernet checkpoint (its bytes live in IndexedDB beside the record). */
export const checkpointInfoSchema = z.object({
  /** steps done when it was taken */
  step: count,
  epoch: count,
  stepInEpoch: count,
  savedAt: timestamp,
  bytes: count,
  /** the IndexedDB key of its bytes (absent in records from before keyed checkpoints: the run id) */
  key: z.string().min(1).max(400).optional(),
});
export type CheckpointInfo = z.infer<typeof checkpointInfoSchema>;

/** The online accuracy predictor after one refit (core/predictor/online-predictor). */
export const predictorReportSchema = z.object({
  step: count,
  /** the model fitted (absent in runs from before tree ensembles: ridge) */
  kind: z.enum(predictorKinds).optional(),
  /** subnets measured for this refit between range evaluations (absent after a range evaluation) */
  probed: count.optional(),
  trainedOn: count,
  heldOut: count,
  /** rank correlation on held-out evaluated subnets (NaN with fewer than 3 held out) */
  kendallTau: numberOrNaN,
  fitMs: nonNegative,
  poolScoreMs: nonNegative,
});
export type PredictorReport = z.infer<typeof predictorReportSchema>;

export const RESULTS_VERSION = 1;
const MAX_RESULT_STEPS = 2_000_000;

/** The results JSON of a training run (`npm run train`, and what the worker resolves with). */
export const runResultsSchema = z.object({
  type: z.literal('nas-studio/run-results'),
  // the type says number (a `v === 1` predicate would narrow it to 1); this format knows version 1 only
  version: z.number().refine((v): boolean => v === RESULTS_VERSION, `only run results version ${RESULTS_VERSION} are known`),
  config: runConfigSchema,
  backend: backendInfoSchema,
  convForm: convFormSchema,
  sampler: text(200),
  data: z.object({
    trainImages: count,
    validationImages: count,
    testImages: count,
    normalisation: z.object({ mean: z.array(z.number()).max(16), std: z.array(z.number()).max(16) }),
  }),
  supernetParameters: count,
  subnets: z.object({
    largest: z.object({ encoding: persistedSubnetSchema, macs: nonNegative }),
    smallest: z.object({ encoding: persistedSubnetSchema, macs: nonNegative }),
  }),
  prior: priorSummarySchema.extend({ buildMs: nonNegative }),
  epochs: z.array(epochRecordSchema).max(1000),
  steps: z.array(stepRecordSchema).max(MAX_RESULT_STEPS),
  rangeEvaluations: z.array(rangeEvaluationSchema).max(100_000),
  predictorReports: z.array(predictorReportSchema).max(100_000),
  /** distinct architectures the sampler trained as middle subnets, of how many (absent in older results) */
  sampledArchitectures: z.object({ distinct: count, sampled: count }).optional(),
  /** conditional sampler: draws, and how often it gave up after 101 tries */
  conditionalSampling: z.object({ draws: count, giveUps: count, giveUpRate: z.number().min(0).max(1) }).nullable(),
  test: evaluationPairSchema.nullable(),
  timing: z.object({
    startedAt: text(100),
    trainingSeconds: nonNegative,
    evaluationSeconds: nonNegative,
    totalSeconds: nonNegative,
    msPerStep: nonNegative,
    imagesPerSecond: nonNegative,
  }),
  stopped: z.boolean(),
});
export type RunResults = z.infer<typeof runResultsSchema>;

/**
 * Steps in one epoch: a full pass over the training images in whole batches, or the config's
 * shorter `stepsPerEpoch`. The engine plans with it and a run made from results re-derives it.
 */
export function stepsPerEpochOf(config: Pick<RunConfig, 'batchSize' | 'stepsPerEpoch'>, trainImages: number): number {
  const fullEpoch = Math.floor(trainImages / config.batchSize);
  return config.stepsPerEpoch > 0 ? Math.min(config.stepsPerEpoch, fullEpoch) : fullEpoch;
}
