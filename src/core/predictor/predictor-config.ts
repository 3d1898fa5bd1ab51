/**
 * The accuracy predictor's settings in a run config (estimator 'predictor'). Every field has
 * a default, so configs saved before a field existed parse unchanged.
 */
import { z } from 'zod';
import { predictorKinds } from './predictor';

/**
 * The model fitted by default. On 200 measured subnets of a trained fashion supernet
 * (docs/results/predictor-fashion.md) both tree ensembles rank held-out subnets better than
 * ridge (tau 0.441 boosted, 0.453 forest, 0.389 ridge over 20 splits; boosted above ridge on
 * 18 of 20); forest and boosted cannot be told apart (forest - boosted 0.012 +- 0.056, higher
 * on 11 of 20), and boosted depth-2 trees score the 10^6-member pool about 6x faster than the
 * forest's deep trees, which every refit pays.
 */
export const DEFAULT_PREDICTOR_KIND = 'boosted' as const;

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
    refreshEvery: z.number().int().min(0).default(25),
    /**
     * subnets measured per refresh: the pool's current picks once a predictor exists, random
     * members before. 2 every 25 steps measures as much as 4 every 50 and halves the run of
     * steps that train the same per-bin picks.
     */
    probes: z.number().int().min(1).max(64).default(2),
  })
  .prefault({});

export type PredictorConfig = z.infer<typeof predictorConfigSchema>;
