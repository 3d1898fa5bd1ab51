import { describe, expect, it } from 'vitest';
import { countMacs } from '../../src/core/space/macs';
import { comparePredictors, spreadOf, withinGroupsTau } from '../../src/core/predictor/predictor-comparison';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';

const space = presetSpace('fashion');

describe('comparePredictors', () => {
  // accuracy grows with MACs, plus an interaction that only the trees can fit
  const rng = new Rng(5);
  const measured = Array.from({ length: 120 }, () => {
    const subnet = sampleUniform(space, rng);
    const macs = countMacs(space, subnet);
    const shortcut = subnet.width[0] !== subnet.width[1] ? 0.05 : 0;
    return { subnet, macs, accuracy: 0.5 + macs / 1e8 + shortcut + 0.005 * rng.normal() };
  });

  it('fits every kind on each split, holds out the rest and names the best', () => {
    const result = comparePredictors(space, measured, { kinds: ['ridge', 'boosted'], trainCount: 80, splitSeeds: [1, 2] });
    expect(result.splits).toHaveLength(2);
    expect(result.heldOut).toBe(40);
    for (const split of result.splits) {
      expect(split.trainedOn).toBe(80);
      expect(split.heldOut).toBe(40);
      expect(Number.isFinite(split.tau.ridge)).toBe(true);
    }
    expect(result.splits[0].tau.ridge).not.toBe(result.splits[1].tau.ridge); // different splits
    expect(result.tau.boosted!.mean).toBeGreaterThan(result.tau.ridge!.mean);
    expect(result.best).toBe('boosted');
    const paired = result.pairedVsFirst.boosted!;
    expect(paired.mean).toBeCloseTo(result.tau.boosted!.mean - result.tau.ridge!.mean, 12);
    expect(paired.wins).toBe(result.splits.filter((s) => s.tau.boosted! > s.tau.ridge!).length);
    expect(result.pairedVsFirst.ridge).toBeUndefined();
    // the same seeds give the same figures
    const again = comparePredictors(space, measured, { kinds: ['ridge', 'boosted'], trainCount: 80, splitSeeds: [1, 2] });
    expect(again.tau).toEqual(result.tau);
  });

  it('refuses a split that leaves nothing held out', () => {
    expect(() => comparePredictors(space, measured, { kinds: ['ridge'], trainCount: 120, splitSeeds: [1] })).toThrow(/cannot be split/);
  });
});

describe('spreadOf and withinGroupsTau', () => {
  it('gives mean, sample sd and range', () => {
    expect(spreadOf([1, 2, 3])).toEqual({ mean: 2, sd: 1, min: 1, max: 3 });
    expect(spreadOf([4]).sd).toBe(0);
  });

  it('ignores the order between MACs groups', () => {
    // inside each group the prediction ranks perfectly, across groups it is reversed
    const items = [1, 2, 3, 4, 5, 6].map((macs) => ({ macs, accuracy: macs }));
    const predicted = [2, 3, 0, 1, -2, -1];
    expect(withinGroupsTau(items, predicted, 3)).toBe(1);
  });
});
