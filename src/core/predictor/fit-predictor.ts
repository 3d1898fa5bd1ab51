/**
 * One entry point for fitting the accuracy predictor a config names, so the online
 * predictor, the search and the measurement fit the same model the same way.
 */
import { DEFAULT_RIDGE_LAMBDA, fitRidgePredictor, type AccuracyPredictor, type PredictorKind } from './predictor';
import type { SearchSpace } from '../space/space';
import type { Subnet } from '../space/subnet';
import { fitTreeEnsemble } from './tree-ensemble';

export interface PredictorFitOptions {
  kind: PredictorKind;
  /** ridge only */
  lambda?: number;
  /** tree ensembles: the seed of their bootstrap / subsampling draws */
  seed?: number;
}

export function fitAccuracyPredictor(
  space: SearchSpace,
  examples: { subnet: Subnet; accuracy: number }[],
  options: PredictorFitOptions,
): AccuracyPredictor {
  switch (options.kind) {
    case 'ridge':
      return fitRidgePredictor(space, examples, options.lambda ?? DEFAULT_RIDGE_LAMBDA);
    case 'forest':
    case 'boosted':
      return fitTreeEnsemble(space, examples, options.kind, { seed: options.seed ?? 0 });
    default:
      throw new Error(`fitAccuracyPredictor: unknown predictor kind "${String(options.kind)}"`);
  }
}
