import { describe, expect, it } from 'vitest';
import { splitTrainValidation } from '../../src/core/data/split';

const isSorted = (xs: Uint32Array) => xs.every((x, i) => i === 0 || x > xs[i - 1]);

describe('splitTrainValidation', () => {
  it('splits 0..n-1 into disjoint, sorted train and validation sets of the right sizes', () => {
    const n = 1000;
    const { train, validation } = splitTrainValidation(n, 150);
    expect(train).toBeInstanceOf(Uint32Array);
    expect(validation).toHaveLength(150);
    expect(train).toHaveLength(850);
    expect(isSorted(train)).toBe(true);
    expect(isSorted(validation)).toBe(true);
    const all = new Set([...train, ...validation]);
    expect(all.size).toBe(n);
    for (let i = 0; i < n; i++) expect(all.has(i)).toBe(true);
  });

  it('sorts numerically, not as strings', () => {
    const { train, validation } = splitTrainValidation(200, 50);
    // a string sort would put 100 before 11
    expect(isSorted(train)).toBe(true);
    expect(isSorted(validation)).toBe(true);
    expect(Math.max(...validation)).toBeGreaterThan(99);
  });

  it('is deterministic, and depends on the split seed only', () => {
    const a = splitTrainValidation(500, 100);
    const b = splitTrainValidation(500, 100);
    expect(Array.from(a.validation)).toEqual(Array.from(b.validation));
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    const other = splitTrainValidation(500, 100, 1);
    expect(Array.from(other.validation)).not.toEqual(Array.from(a.validation));
    expect(Array.from(splitTrainValidation(500, 100, 1).validation)).toEqual(Array.from(other.validation));
  });

  it('draws the validation set from the whole range, not a prefix', () => {
    const { validation } = splitTrainValidation(10_000, 1000);
    const firstHalf = validation.filter((i) => i < 5000).length;
    expect(firstHalf).toBeGreaterThan(400);
    expect(firstHalf).toBeLessThan(600);
    expect(Array.from(validation)).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('allows an empty validation set and validation up to n - 1', () => {
    const none = splitTrainValidation(5, 0);
    expect(none.validation).toHaveLength(0);
    expect(Array.from(none.train)).toEqual([0, 1, 2, 3, 4]);
    const most = splitTrainValidation(5, 4);
    expect(most.train).toHaveLength(1);
  });

  it('rejects invalid validation sizes with a message giving the range', () => {
    expect(() => splitTrainValidation(10, 10)).toThrow('validation size 10 must be an integer in [0, 9] for 10 training images');
    expect(() => splitTrainValidation(10, 11)).toThrow(/validation size 11/);
    expect(() => splitTrainValidation(10, -1)).toThrow(/validation size -1/);
    expect(() => splitTrainValidation(10, 2.5)).toThrow(/validation size 2\.5/);
    expect(() => splitTrainValidation(10, Number.NaN)).toThrow(/validation size NaN/);
    expect(() => splitTrainValidation(0, 0)).toThrow(/validation size 0/);
  });
});
