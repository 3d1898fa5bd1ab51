import { describe, expect, it } from 'vitest';
import { pairedBootstrap, verdictOf } from '../../src/core/comparison/bootstrap';
import { Rng } from '../../src/core/training/rng';

/** accuracies[s][j] = base + seed effect + subnet effect + noise, like a range of a real comparison */
function grid(rng: Rng, seeds: number, subnets: number, { seedSpread = 0, subnetSpread = 0, noise = 0 } = {}): number[][] {
  const subnetEffect = Array.from({ length: subnets }, () => subnetSpread * rng.normal());
  return Array.from({ length: seeds }, () => {
    const seedEffect = seedSpread * rng.normal();
    return subnetEffect.map((e) => 0.7 + seedEffect + e + noise * rng.normal());
  });
}

const shift = (rows: number[][], by: number, rng: Rng, noise = 0) => rows.map((row) => row.map((v) => v + by + noise * rng.normal()));

describe('pairedBootstrap', () => {
  it('a constant shift gives a zero-width interval at the shift, whatever the seed and subnet spread', () => {
    const rng = new Rng(1);
    const base = grid(rng, 3, 8, { seedSpread: 0.05, subnetSpread: 0.1, noise: 0.02 });
    const result = pairedBootstrap(shift(base, 0.03, rng), base);
    expect(result.estimate).toBeCloseTo(0.03, 12);
    expect(result.lo).toBeCloseTo(0.03, 12);
    expect(result.hi).toBeCloseTo(0.03, 12);
    expect(verdictOf(result)).toBe('better');
    expect(verdictOf(pairedBootstrap(shift(base, -0.03, rng), base))).toBe('worse');
  });

  it('a shift under small noise gives a tight interval around it that excludes 0', () => {
    const rng = new Rng(2);
    const base = grid(rng, 3, 8, { seedSpread: 0.05, subnetSpread: 0.1, noise: 0.01 });
    const result = pairedBootstrap(shift(base, 0.02, rng, 0.003), base);
    expect(result.lo!).toBeGreaterThan(0.01);
    expect(result.hi!).toBeLessThan(0.03);
    expect(result.lo!).toBeLessThanOrEqual(result.estimate);
    expect(result.hi!).toBeGreaterThanOrEqual(result.estimate);
    expect(verdictOf(result)).toBe('better');
  });

  it('pairs by subnet and by seed: large shared effects do not hide a small shift', () => {
    // subnets differ by ~15 points and seeds by ~5, the sampler moves every one by 1 point:
    // unpaired, that shift would be lost in the spread
    const rng = new Rng(3);
    const base = grid(rng, 3, 8, { seedSpread: 0.05, subnetSpread: 0.15 });
    const result = pairedBootstrap(shift(base, 0.01, rng, 0.001), base);
    expect(result.hi! - result.lo!).toBeLessThan(0.005);
    expect(verdictOf(result)).toBe('better');
  });

  it('pure noise gives intervals that hold 0', () => {
    let holding = 0;
    for (let d = 0; d < 20; d++) {
      const rng = new Rng(100 + d);
      const a = grid(rng, 3, 8, { subnetSpread: 0.1, noise: 0.02 });
      const b = shift(a, 0, rng, 0); // same subnets ...
      const noisyA = shift(a, 0, rng, 0.02); // ... each measured with its own noise
      const result = pairedBootstrap(noisyA, b, { seed: d });
      expect(result.hi! - result.lo!).toBeGreaterThan(0.005);
      if (verdictOf(result) === 'within noise') holding++;
    }
    expect(holding).toBeGreaterThanOrEqual(17);
  });

  it('matches the enumerated answer for two seeds and one subnet', () => {
    // differences 0 and 1: a replicate is the mean of two draws, 0 (p 1/4), 0.5 (1/2) or 1 (1/4)
    const result = pairedBootstrap([[1], [1]], [[1], [0]]);
    expect(result.estimate).toBe(0.5);
    expect(result.lo).toBe(0);
    expect(result.hi).toBe(1);
    expect(verdictOf(result)).toBe('within noise');
  });

  it('is deterministic for a bootstrap seed, and the seed matters', () => {
    const rng = new Rng(4);
    const a = grid(rng, 3, 8, { noise: 0.02 });
    const b = grid(rng, 3, 8, { noise: 0.02 });
    expect(pairedBootstrap(a, b, { seed: 7 })).toEqual(pairedBootstrap(a, b, { seed: 7 }));
    expect(pairedBootstrap(a, b, { seed: 7 }).lo).not.toBe(pairedBootstrap(a, b, { seed: 8 }).lo);
  });

  it('gives no interval for one seed and one subnet, and refuses ragged or non-finite data', () => {
    const one = pairedBootstrap([[0.8]], [[0.7]]);
    expect(one.estimate).toBeCloseTo(0.1, 12);
    expect(one.lo).toBeNull();
    expect(verdictOf(one)).toBe('no interval');
    expect(() => pairedBootstrap([[0.8]], [[0.7], [0.6]])).toThrow(/1 treatment seeds against 2/);
    expect(() => pairedBootstrap([[0.8, 0.7]], [[0.7]])).toThrow(/seed 0/);
    expect(() => pairedBootstrap([[NaN]], [[0.7]])).toThrow(/finite/);
    expect(() => pairedBootstrap([], [])).toThrow(/no seeds/);
    expect(() => pairedBootstrap([[1]], [[1]], { resamples: 3 })).toThrow(/resamples/);
  });
});
