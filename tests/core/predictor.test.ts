import { describe, expect, it } from 'vitest';
import { choiceIndicesOf } from '../../src/core/space/fast-macs';
import { evaluatePredictor, fitRidgePredictor, kendallTau, solveSpd } from '../../src/core/predictor/predictor';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { slotsOf, type Subnet } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';

describe('kendallTau', () => {
  it('is 1 for the same order, -1 for the reverse', () => {
    expect(kendallTau([1, 2, 3, 4, 5], [10, 20, 30, 40, 50])).toBeCloseTo(1, 12);
    expect(kendallTau([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('handles ties as tau-b (scipy values)', () => {
    // scipy.stats.kendalltau([1, 2, 3], [1, 1, 2]) = 2 / sqrt(6)
    expect(kendallTau([1, 2, 3], [1, 1, 2])).toBeCloseTo(2 / Math.sqrt(6), 12);
    // scipy's documented example
    expect(kendallTau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-0.47140452079103173, 12);
  });

  it('is NaN for a constant list and refuses lists of different lengths', () => {
    expect(kendallTau([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(kendallTau([1], [1])).toBeNaN();
    expect(() => kendallTau([1, 2], [1])).toThrow(/length/);
  });
});

describe('solveSpd', () => {
  it('solves a small positive definite system', () => {
    // [[4, 2], [2, 3]] x = [2, 1] -> x = [0.5, 0]
    const x = solveSpd(new Float64Array([4, 2, 2, 3]), new Float64Array([2, 1]), 2);
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
    expect(() => solveSpd(new Float64Array([1, 2, 2, 1]), new Float64Array([1, 1]), 2)).toThrow(/positive definite/);
  });
});

describe('fitRidgePredictor', () => {
  const space = presetSpace('fashion');
  const S = slotsOf(space).length;
  const coefRng = new Rng(42);
  const coef = Array.from({ length: S }, () => coefRng.normal() * 0.02);
  const noiseRng = new Rng(43);
  const truth = (subnet: Subnet) => 0.6 + choiceIndicesOf(space, subnet).reduce((a, c, s) => a + coef[s] * c, 0);
  const dataRng = new Rng(44);
  const make = (n: number) =>
    Array.from({ length: n }, () => {
      const subnet = sampleUniform(space, dataRng);
      return { subnet, accuracy: truth(subnet) + noiseRng.normal() * 0.002 };
    });
  const train = make(300);
  const heldOut = make(300);

  it('ranks held-out subnets of a linear-in-choices accuracy with tau > 0.8', () => {
    const started = performance.now();
    const predictor = fitRidgePredictor(space, train);
    const ms = performance.now() - started;
    const { kendallTau: tau, count } = evaluatePredictor(predictor, heldOut);
    console.log(`ridge fit on 300 pairs: ${ms.toFixed(1)} ms, held-out Kendall tau ${tau.toFixed(3)}`);
    expect(count).toBe(300);
    expect(tau).toBeGreaterThan(0.8);
    expect(predictor.kind).toBe('ridge');
    expect(predictor.trainedOn).toBe(300);
    expect(predictor.lambda).toBe(1);
    // accuracy scale: predictions near the truth
    const err = heldOut.reduce((a, ex) => a + Math.abs(predictor.scoreSubnet(ex.subnet) - truth(ex.subnet)), 0) / heldOut.length;
    expect(err).toBeLessThan(0.02);
  });

  it('scoreChoices reads a row at an offset and agrees with scoreSubnet', () => {
    const predictor = fitRidgePredictor(space, train);
    const rows = new Uint8Array(5 * S);
    heldOut.slice(0, 5).forEach((ex, i) => rows.set(choiceIndicesOf(space, ex.subnet), i * S));
    heldOut.slice(0, 5).forEach((ex, i) => {
      expect(predictor.scoreChoices(rows, i * S)).toBeCloseTo(predictor.scoreSubnet(ex.subnet), 12);
    });
    expect(predictor.weights).toHaveLength(slotsOf(space).reduce((a, s) => a + s.choices.length, 0));
  });

  it('is deterministic', () => {
    const a = fitRidgePredictor(space, train, 0.5);
    const b = fitRidgePredictor(space, train, 0.5);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(a.bias).toBe(b.bias);
  });

  it('handles constant targets and refuses bad input', () => {
    const flat = fitRidgePredictor(
      space,
      train.map((ex) => ({ subnet: ex.subnet, accuracy: 0.5 })),
    );
    expect(flat.scoreSubnet(heldOut[0].subnet)).toBeCloseTo(0.5, 12);
    expect(() => fitRidgePredictor(space, [])).toThrow(/no training examples/);
    expect(() => fitRidgePredictor(space, train, 0)).toThrow(/lambda/);
    expect(() => fitRidgePredictor(space, [{ subnet: train[0].subnet, accuracy: NaN }])).toThrow(/accuracy/);
  });
});
