import { describe, expect, it } from 'vitest';
import { learningRateAt, type LrSchedule } from '../../src/core/schedule';

describe('learningRateAt', () => {
  const schedule: LrSchedule = { baseLr: 0.1, warmupSteps: 10, totalSteps: 110, finalFraction: 0.05 };

  it('warms up linearly and reaches baseLr at the end of warm-up', () => {
    const lrs = Array.from({ length: 10 }, (_, s) => learningRateAt(schedule, s));
    lrs.forEach((lr, s) => expect(lr).toBeCloseTo((0.1 * (s + 1)) / 10, 12));
    // equal increments
    for (let s = 1; s < lrs.length; s++) expect(lrs[s] - lrs[s - 1]).toBeCloseTo(0.01, 12);
    expect(lrs[0]).toBeGreaterThan(0);
    expect(lrs[9]).toBeCloseTo(0.1, 12);
    expect(learningRateAt(schedule, 10)).toBeCloseTo(0.1, 12);
  });

  it('decays by cosine to finalFraction * baseLr at totalSteps and stays there', () => {
    expect(learningRateAt(schedule, 110)).toBeCloseTo(0.005, 12);
    expect(learningRateAt(schedule, 500)).toBeCloseTo(0.005, 12);
    // half-way through the decay: floor + (base - floor) / 2
    expect(learningRateAt(schedule, 60)).toBeCloseTo(0.005 + 0.5 * 0.095, 12);
    // quarter: floor + (base - floor) * (1 + cos(pi / 4)) / 2
    expect(learningRateAt(schedule, 35)).toBeCloseTo(0.005 + 0.095 * (1 + Math.SQRT1_2) / 2, 12);
  });

  it('is monotone non-increasing after warm-up and never below the floor', () => {
    let prev = Infinity;
    for (let s = 10; s <= 150; s++) {
      const lr = learningRateAt(schedule, s);
      expect(lr).toBeLessThanOrEqual(prev + 1e-15);
      expect(lr).toBeGreaterThanOrEqual(0.005 - 1e-15);
      prev = lr;
    }
  });

  it('defaults finalFraction to 0 and works without warm-up', () => {
    const plain: LrSchedule = { baseLr: 1, warmupSteps: 0, totalSteps: 100 };
    expect(learningRateAt(plain, 0)).toBe(1);
    expect(learningRateAt(plain, 100)).toBeCloseTo(0, 12);
    expect(learningRateAt(plain, 50)).toBeCloseTo(0.5, 12);
  });

  it('does not divide by zero when totalSteps <= warmupSteps', () => {
    const short: LrSchedule = { baseLr: 0.2, warmupSteps: 5, totalSteps: 5, finalFraction: 0.1 };
    for (let s = 0; s < 10; s++) expect(Number.isFinite(learningRateAt(short, s))).toBe(true);
    expect(learningRateAt(short, 6)).toBeCloseTo(0.02, 12);
  });
});
