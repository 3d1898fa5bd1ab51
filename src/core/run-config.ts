/**
 * Everything a training run needs, as one validated schema: the CLI flags, the worker's
 * start message and (later) the URL all go through it, so a bad value gets a message that
 * names the field.
 */
import { z } from 'zod';
import { describeZodError, searchSpaceSchema } from './space';

export const backendPreferences = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export const convFormChoices = ['auto', 'native', 'matmul', 'portable'] as const;

export const runConfigSchema = z.object({
  space: searchSpaceSchema,
  seed: z.number().int().min(0).max(2 ** 31 - 1),
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
  augment: z.boolean().default(true),
  validationSize: z.number().int().min(1).default(5000),
  /** training batches averaged to recalibrate BN before each evaluation (reference: 64) */
  calibrationBatches: z.number().int().min(1).max(1000).default(32),
  evalBatchSize: z.number().int().min(1).max(10000).default(500),
  /** limit evaluation to the first N images of the split; 0 = all */
  evalSubset: z.number().int().min(0).default(0),
  convForm: z.enum(convFormChoices).default('auto'),
  backend: z.enum(backendPreferences).default('auto'),
});

export type RunConfig = z.infer<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;

export function parseRunConfig(data: unknown): RunConfig {
  const result = runConfigSchema.safeParse(data);
  if (!result.success) throw new Error(`Invalid run config: ${describeZodError(result.error)}`);
  return result.data;
}
