/**
 * How many distinct architectures a run's sampler trained in the middle of the sandwich: the
 * measure of whether BestUp-1M / WorstUp-1M (acc) collapse onto a few per-bin favourites
 * between predictor refits (one per FLOPs bin and refit at most).
 */
export function distinctSampledArchitectures(steps: readonly { roles: readonly string[]; subnets: readonly string[] }[]): {
  distinct: number;
  sampled: number;
} {
  const keys = new Set<string>();
  let sampled = 0;
  for (const step of steps) {
    step.roles.forEach((role, i) => {
      if (role !== 'sampled') return;
      sampled++;
      keys.add(step.subnets[i]);
    });
  }
  return { distinct: keys.size, sampled };
}
