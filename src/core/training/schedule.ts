/**
 * Learning rate per iteration, as the reference's WarmupCosineLR computes it: a linear warm-up
 * factor that rises from WARMUP_START_FACTOR at step 0 to 1 at `warmupSteps`, multiplied into ONE
 * cosine 0.5 (1 + cos(pi step / totalSteps)) that runs over all steps, warm-up included. The
 * cosine does not restart after the warm-up, so the rate at the end of warm-up is already a
 * little below the base (docs/recipe.md). `finalFraction` clamps the rate from below, like the
 * reference's clamp_lr (0 there and by default here).
 */
export interface LrSchedule {
  baseLr: number;
  warmupSteps: number;
  totalSteps: number;
  finalFraction?: number;
}

/** the reference's warmup_factor: the first step trains at 0.001x the base rate */
export const WARMUP_START_FACTOR = 0.001;

/** linear warm-up factor: WARMUP_START_FACTOR at step 0, 1 from `warmupSteps` on */
export function warmupFactorAt(step: number, warmupSteps: number): number {
  if (step >= warmupSteps) return 1;
  const alpha = step / warmupSteps;
  return WARMUP_START_FACTOR * (1 - alpha) + alpha;
}

export function learningRateAt(schedule: LrSchedule, step: number): number {
  const { baseLr, warmupSteps, totalSteps } = schedule;
  const floor = baseLr * (schedule.finalFraction ?? 0);
  const progress = Math.min(1, step / Math.max(1, totalSteps));
  const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
  return Math.max(floor, baseLr * warmupFactorAt(step, warmupSteps) * cosine);
}
