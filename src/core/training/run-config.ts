/**
 * Everything a training run needs, as one validated schema: the CLI flags, the worker's
 * start message and (later) the URL all go through it, so a bad value gets a message that
 * names the field.
 */
import { z } from 'zod';
import { REFERENCE_DROP_CONNECT } from '../space/drop-connect';
import { DEFAULT_PRIOR_SAMPLES, MAX_PRIOR_SAMPLES, MIN_PRIOR_SAMPLES } from '../sampling/flops-prior';
import { DEFAULT_K, estimatorKinds, MAX_K, samplerKinds, samplerSettingProblems } from '../sampling/sampler-registry';
import { predictorConfigSchema } from '../predictor/predictor-config';
import { parseWithSchema, searchSpaceSchema } from '../space/space';

export const backendPreferences = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export { samplerKinds };
export const convFormChoices = ['auto', 'native', 'matmul', 'portable'] as const;

/** images held out of the training set for validation (and the search's fitness) */
export const DEFAULT_VALIDATION_SIZE = 5000;

export const runConfigSchema = z.object({
  space: searchSpaceSchema,
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  /**
   * Which stream of sampler draws the run takes; unset or 0: the seed's own. Another value
   * changes the sampled subnets and nothing else (same init, data order and augmentation):
   * the comparison's noise-floor control is Uniform run again with stream 1.
   */
  samplerStream: z.number().int().min(0).max(1_000_000).optional(),
  epochs: z.number().int().min(1).max(1000),
  /** stop an epoch after this many steps (tiny runs, tests); 0 = the whole training split */
  stepsPerEpoch: z.number().int().min(0).default(0),
  /** use only the first N training images (after the validation split); 0 = all */
  trainSubset: z.number().int().min(0).default(0),
  batchSize: z.number().int().min(2).max(4096),
  learningRate: z.number().positive().max(10),
  warmupEpochs: z.number().min(0).max(100).default(0.25),
  momentum: z.number().min(0).max(0.999).default(0.9),
  weightDecay: z.number().min(0).max(0.1).default(1e-5),
  labelSmoothing: z.number().min(0).max(0.5).default(0.1),
  gradClip: z.number().min(0).default(1),
  /**
   * drop-connect on the largest net's identity blocks of the last two stages, p = rate x block
   * index / block count (the reference: 0.2); 0 turns it off. docs/recipe.md
   */
  dropConnect: z.number().min(0).max(0.9).default(REFERENCE_DROP_CONNECT),
  augment: z.boolean().default(true),
  validationSize: z.number().int().min(1).default(DEFAULT_VALIDATION_SIZE),
  /** training batches averaged to recalibrate BN before each evaluation (reference: 64) */
  calibrationBatches: z.number().int().min(1).max(1000).default(32),
  evalBatchSize: z.number().int().min(1).max(10000).default(500),
  /** limit evaluation to the first N images of the split; 0 = all */
  evalSubset: z.number().int().min(0).default(0),
  convForm: z.enum(convFormChoices).default('auto'),
  /** what picks the two middle subnets of each sandwich step */
  sampler: z
    .object({
      kind: z.enum(samplerKinds).default('uniform'),
      /** candidates per sampled subnet (BestUp-k / WorstUp-k); >= 1e6 means the whole pool bin */
      k: z.number().int().min(1).max(MAX_K).default(DEFAULT_K),
      estimator: z.enum(estimatorKinds).default('loss'),
      priorMode: z.enum(['empirical', 'uniform']).default('empirical'),
    })
    .prefault({})
    .superRefine((sampler, ctx) => {
      for (const problem of samplerSettingProblems(sampler))
        ctx.addIssue({ code: 'custom', path: [problem.option], message: problem.message });
    }),
  /** the FLOPs prior: Monte Carlo samples and binning (bins derived from the space when unset) */
  prior: z
    .object({
      samples: z.number().int().min(MIN_PRIOR_SAMPLES).max(MAX_PRIOR_SAMPLES).default(DEFAULT_PRIOR_SAMPLES),
      bins: z.number().int().min(2).max(200).optional(),
    })
    .prefault({}),
  /** accuracy per FLOPs range: N subnets in each of B ranges, after BN recalibration, on validation */
  rangeEval: z
    .object({
      ranges: z.number().int().min(1).max(40).default(5),
      perRange: z.number().int().min(1).max(500).default(8),
      /** also every this many steps during training; 0 = only at the end of each epoch */
      everySteps: z.number().int().min(0).default(0),
      calibrationBatches: z.number().int().min(1).max(1000).default(8),
      /** validation images per subnet; 0 = the whole validation split */
      images: z.number().int().min(0).default(2000),
    })
    .prefault({}),
  /** the accuracy predictor (estimator 'predictor'): its kind, and how often it is refreshed (predictor-config.ts) */
  predictor: predictorConfigSchema,
  backend: z.enum(backendPreferences).default('auto'),
});

export type RunConfig = z.infer<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;

export const parseRunConfig = (data: unknown): RunConfig => parseWithSchema(runConfigSchema, data, 'run config');
