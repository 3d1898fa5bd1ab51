/** Learning rate: linear warm-up (step 0 gets baseLr/warmupSteps) up to the base rate, then cosine decay to `finalFraction` of it. */
export interface LrSchedule {
  baseLr: number;
  warmupSteps: number;
  totalSteps: number;
  finalFraction?: number;
}

export function learningRateAt(schedule: LrSchedule, step: number): number {
  const { baseLr, warmupSteps, totalSteps } = schedule;
  const floor = baseLr * (schedule.finalFraction ?? 0);
  if (step < warmupSteps) return (baseLr * (step + 1)) / warmupSteps;
  const span = Math.max(1, totalSteps - warmupSteps);
  const progress = Math.min(1, (step - warmupSteps) / span);
  return floor + 0.5 * (baseLr - floor) * (1 + Math.cos(Math.PI * progress));
}
