/** Settings of one search on a trained supernet, validated like every other config. */
import { z } from 'zod';
import { evolutionConfigSchema } from './evolution';
import { predictorKinds } from '../predictor/predictor';
import { DEFAULT_PREDICTOR_KIND } from '../predictor/predictor-config';
import { parseWithSchema } from '../space/space';

export const searchConfigSchema = z.object({
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  evolution: evolutionConfigSchema.prefault({}),
  /** 'supernet': real validation accuracy per subnet; 'predictor': an accuracy predictor fitted on real evaluations, then the front re-measured */
  fitness: z.enum(['supernet', 'predictor']).default('supernet'),
  /** predictor mode: the model (absent in configs from before tree ensembles: the default) */
  predictorKind: z.enum(predictorKinds).default(DEFAULT_PREDICTOR_KIND),
  /** predictor mode: uniform subnets of the window measured for real to fit it (20% held out for Kendall tau) */
  predictorSamples: z.number().int().min(5).max(5000).default(60),
  /** BN recalibration batches per evaluated subnet */
  calibrationBatches: z.number().int().min(1).max(1000).default(8),
  /** validation images per evaluated subnet; 0 = the whole validation split */
  validationImages: z.number().int().min(0).default(2000),
  /** also measure the final front on the test set (final numbers only) */
  testFront: z.boolean().default(false),
});

export type SearchConfig = z.infer<typeof searchConfigSchema>;
export type SearchConfigInput = z.input<typeof searchConfigSchema>;
export const parseSearchConfig = (data: unknown): SearchConfig => parseWithSchema(searchConfigSchema, data, 'search config');
