/**
 * The accuracy predictor's settings in a run config (estimator 'predictor'). Every field has
 * a default, so configs saved before a field existed parse unchanged.
 */
import { z } from 'zod';
import { predictorKinds } from './predictor';

/**
 * The model fitted by default: the one with the highest held-out Kendall tau in
 * docs/results/predictor-fashion.json (npm run measure:predictor).
 */
export const DEFAULT_PREDICTOR_KIND = 'ridge' as const;

export const predictorConfigSchema = z
  .object({
    /** ridge on one-hot choices, or a tree ensemble on choice indices (random forest, boosted trees) */
    kind: z.enum(predictorKinds).default(DEFAULT_PREDICTOR_KIND),
    /** ridge penalty */
    lambda: z.number().positive().max(1e6).default(1),
    /** fraction of evaluated subnets held out to report Kendall tau */
    holdOut: z.number().min(0).max(0.9).default(0.2),
    /**
     * Refit every this many steps (besides after each range evaluation) on `probes` more
     * measured subnets, so BestUp-1M / WorstUp-1M do not train the same per-bin extremes
     * until the next range evaluation; 0 = refit only after range evaluations.
     */
    refreshEvery: z.number().int().min(0).default(50),
    /** subnets measured per refresh: the pool's current picks once a predictor exists, random members before */
    probes: z.number().int().min(1).max(64).default(4),
  })
  .prefault({});

export type PredictorConfig = z.infer<typeof predictorConfigSchema>;
