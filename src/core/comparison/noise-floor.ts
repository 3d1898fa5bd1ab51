/**
 * The noise-floor control of a comparison: the baseline (Uniform) trained again with only its
 * sampler stream changed. Its distance from the baseline is what one run moves by chance, so a
 * sampler's difference is only worth reading next to it.
 */
import { Rng } from '../training/rng';

/** the stream the control takes (any value other than 0 would do; 1 is the first other one) */
export const NOISE_FLOOR_STREAM = 1;
export const NOISE_FLOOR_SUFFIX = ' (noise floor)';

/** The sampler's random stream: the seed's own, or another one of the same seed. */
export function samplerRng(config: { seed: number; samplerStream?: number }): Rng {
  const stream = config.samplerStream ?? 0;
  return Rng.derive(config.seed, stream === 0 ? 'sampler' : `sampler/${stream}`);
}

/** The name a run goes by in a comparison: its sampler's label, marked when it is a control. */
export function comparisonName(label: string, config: { samplerStream?: number }): string {
  return (config.samplerStream ?? 0) === 0 ? label : `${label}${NOISE_FLOOR_SUFFIX}`;
}

export const isNoiseFloor = (name: string): boolean => name.endsWith(NOISE_FLOOR_SUFFIX);
