/**
 * Which runs a comparison queues: every sampler with each seed (seed by seed, so a comparison
 * stopped part way holds whole seeds), and per seed the noise-floor control, the baseline again
 * with another sampler stream. The studio's Compare and the CLI queue the same set.
 */
import { NOISE_FLOOR_STREAM } from './noise-floor';

export interface ComparisonRunSpec<K extends string> {
  sampler: K;
  seed: number;
  /** set on the noise-floor control only */
  samplerStream?: number;
}

export const MAX_COMPARISON_SEEDS = 20;

/** kinds: the comparison set, baseline first; seeds firstSeed, firstSeed + 1, ... (count of them) */
export function comparisonRuns<K extends string>(
  kinds: readonly K[],
  firstSeed: number,
  count: number,
  noiseFloor = true,
): ComparisonRunSpec<K>[] {
  if (kinds.length === 0) throw new Error('a comparison needs at least one sampler');
  if (!Number.isInteger(count) || count < 1 || count > MAX_COMPARISON_SEEDS)
    throw new Error(`seeds must be an integer from 1 to ${MAX_COMPARISON_SEEDS}, got ${count}`);
  if (firstSeed + count - 1 > 2 ** 31 - 1) throw new Error(`seeds ${firstSeed} to ${firstSeed + count - 1} pass the largest seed, 2^31-1`);
  const runs: ComparisonRunSpec<K>[] = [];
  for (let i = 0; i < count; i++) {
    const seed = firstSeed + i;
    for (const sampler of kinds) runs.push({ sampler, seed });
    if (noiseFloor) runs.push({ sampler: kinds[0], seed, samplerStream: NOISE_FLOOR_STREAM });
  }
  return runs;
}
