/**
 * The quick comparison: the settings a first visit can start with one button, chosen so that
 * Uniform, BestUp-3 and WorstUp-3 all finish in about ten minutes on wasm on a 2-core machine
 * and the largest subnet still passes 80% Fashion-MNIST test top-1.
 *
 * Why each value (docs/recipe.md has the measurements):
 * - the `quick` space: three stages at resolutions 16-24, about a quarter of fashion's MACs;
 * - QUICK_EPOCHS x QUICK_STEPS steps of 128 at lr 0.6 without augmentation: one epoch (429 steps)
 *   of Uniform reached 83.3% (CLI), half an epoch at lr 0.5 77.7%; augmentation pays off only
 *   over several epochs;
 * - a light range evaluation (3 ranges x 4 subnets on 1,000 validation images): enough for the
 *   box plots, a few seconds a run;
 * - no noise-floor control: it would be a fourth run, a third more time.
 */
import { DEFAULT_K } from '../sampling/sampler-registry';
import type { StudioSettings } from '../training/studio-settings';

/**
 * Two epochs of 280 steps of 128 (560 steps, 1.3 epochs of data): 330 steps of WorstUp-3 reached
 * only 79.4% (CLI, seed 1), and one full epoch (429 steps) in the browser 81.3% / 80.5% / 83.2%
 * (Uniform / BestUp-3 / WorstUp-3) in 5.2 min on a loaded machine, too close to 80%. Two epochs
 * also give accuracy over time two points.
 */
export const QUICK_EPOCHS = 2;
export const QUICK_STEPS = 280;

/** What the quick comparison changes; everything else (dataset, seed, backend) stays as set. */
export const quickComparisonChanges = {
  space: 'quick',
  estimator: 'loss',
  k: DEFAULT_K,
  epochs: QUICK_EPOCHS,
  stepsPerEpoch: QUICK_STEPS,
  trainSubset: 0,
  batchSize: 128,
  learningRate: 0.6,
  augment: false,
  seeds: 1,
  noiseFloor: false,
  ranges: 3,
  perRange: 4,
  evalEvery: 0,
  rangeImages: 1000,
  evalImages: 0,
} as const satisfies Partial<StudioSettings>;

/** The quick comparison's settings on top of the current ones, on the built-in Fashion-MNIST. */
export function quickComparisonSettings(current: StudioSettings): StudioSettings {
  return { ...current, ...quickComparisonChanges, dataset: 'fashion-mnist' };
}
