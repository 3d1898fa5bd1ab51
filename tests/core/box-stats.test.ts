import { describe, expect, it } from 'vitest';
import { fiveNumberSummary, mean, quantileSorted } from '../../src/core/comparison/box-stats';

describe('fiveNumberSummary', () => {
  it('odd count', () => {
    expect(fiveNumberSummary([1, 2, 3, 4, 5])).toEqual({ min: 1, q1: 2, median: 3, q3: 4, max: 5, count: 5 });
  });

  it('even count interpolates like numpy', () => {
    expect(fiveNumberSummary([1, 2, 3, 4])).toEqual({ min: 1, q1: 1.75, median: 2.5, q3: 3.25, max: 4, count: 4 });
  });

  it('a single value', () => {
    expect(fiveNumberSummary([0.7])).toEqual({ min: 0.7, q1: 0.7, median: 0.7, q3: 0.7, max: 0.7, count: 1 });
  });

  it('unsorted input, not modified', () => {
    const values = [5, 1, 4, 2, 3];
    expect(fiveNumberSummary(values)).toEqual({ min: 1, q1: 2, median: 3, q3: 4, max: 5, count: 5 });
    expect(values).toEqual([5, 1, 4, 2, 3]);
    // numpy.percentile([10, 7, 4, 3, 2, 1], [25, 50, 75]) = [2.25, 3.5, 6.25]
    expect(fiveNumberSummary([10, 7, 4, 3, 2, 1])).toMatchObject({ q1: 2.25, median: 3.5, q3: 6.25 });
  });

  it('throws on an empty list or NaN', () => {
    expect(() => fiveNumberSummary([])).toThrow(/empty/);
    expect(() => fiveNumberSummary([1, NaN])).toThrow(/NaN/);
    expect(() => quantileSorted([1, 2], 1.5)).toThrow(/\[0, 1\]/);
  });
});

describe('mean', () => {
  it('averages and refuses an empty list', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(() => mean([])).toThrow(/empty/);
  });
});
