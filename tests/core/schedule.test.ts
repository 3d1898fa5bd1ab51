import { describe, expect, it } from 'vitest';
import { learningRateAt, warmupFactorAt, WARMUP_START_FACTOR, type LrSchedule } from '../../src/core/training/schedule';

/** the reference's formula, written out independently: base * warmup * 0.5 (1 + cos(pi it / max_it)) */
const reference = (base: number, warmup: number, total: number, it: number): number => {
  const factor = it >= warmup ? 1 : 0.001 * (1 - it / warmup) + it / warmup;
  return base * factor * 0.5 * (1 + Math.cos((Math.PI * it) / total));
};

describe('learningRateAt', () => {
  const schedule: LrSchedule = { baseLr: 0.1, warmupSteps: 10, totalSteps: 110 };

  it('starts the warm-up at 0.001x the base rate, not at base / warmupSteps', () => {
    expect(WARMUP_START_FACTOR).toBe(0.001);
    expect(learningRateAt(schedule, 0)).toBeCloseTo(0.1 * 0.001, 15);
  });

  it('matches the reference formula at every step, warm-up included', () => {
    for (let s = 0; s <= 110; s++) expect(learningRateAt(schedule, s)).toBeCloseTo(reference(0.1, 10, 110, s), 14);
  });

  it('runs ONE cosine over all steps: it does not restart after the warm-up', () => {
    // a restarted cosine would give exactly the base rate at the end of warm-up
    expect(learningRateAt(schedule, 10)).toBeCloseTo(0.1 * 0.5 * (1 + Math.cos((Math.PI * 10) / 110)), 14);
    expect(learningRateAt(schedule, 10)).toBeLessThan(0.1);
    // half-way through all steps the cosine is at one half
    expect(learningRateAt(schedule, 55)).toBeCloseTo(0.05, 14);
  });

  it('is monotone non-increasing after warm-up and reaches 0 at totalSteps, staying there', () => {
    let prev = Infinity;
    for (let s = 10; s <= 150; s++) {
      const lr = learningRateAt(schedule, s);
      expect(lr).toBeLessThanOrEqual(prev + 1e-15);
      prev = lr;
    }
    expect(learningRateAt(schedule, 110)).toBeCloseTo(0, 14);
    expect(learningRateAt(schedule, 500)).toBeCloseTo(0, 14);
  });

  it('clamps from below at finalFraction * baseLr', () => {
    const clamped: LrSchedule = { ...schedule, finalFraction: 0.05 };
    expect(learningRateAt(clamped, 110)).toBeCloseTo(0.005, 14);
    expect(learningRateAt(clamped, 0)).toBeCloseTo(0.005, 14);
    expect(learningRateAt(clamped, 30)).toBeCloseTo(reference(0.1, 10, 110, 30), 14);
  });

  it('works without warm-up', () => {
    const plain: LrSchedule = { baseLr: 1, warmupSteps: 0, totalSteps: 100 };
    expect(learningRateAt(plain, 0)).toBe(1);
    expect(learningRateAt(plain, 50)).toBeCloseTo(0.5, 12);
    expect(warmupFactorAt(0, 0)).toBe(1);
  });

  it('does not divide by zero when totalSteps is 0 or below warmupSteps', () => {
    for (const s of [0, 1, 5, 9]) {
      expect(Number.isFinite(learningRateAt({ baseLr: 0.2, warmupSteps: 5, totalSteps: 3 }, s))).toBe(true);
      expect(Number.isFinite(learningRateAt({ baseLr: 0.2, warmupSteps: 0, totalSteps: 0 }, s))).toBe(true);
    }
  });
});
