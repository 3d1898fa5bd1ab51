import { describe, expect, it } from 'vitest';
import { logTicks } from '../../src/core/comparison/log-ticks';

describe('logTicks', () => {
  it('gives 1-2-5 values over several decades, thinned to the count', () => {
    expect(logTicks(0.01, 10)).toEqual([0.01, 0.1, 1, 10]);
    expect(logTicks(1, 100, 8)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(1, 100, 5)).toEqual([1, 5, 10, 50, 100]);
  });
  it('gives the 1-2-5 values inside a decade', () => {
    expect(logTicks(0.018, 0.33)).toEqual([0.02, 0.05, 0.1, 0.2]);
  });
  it('falls back to even linear values when a range holds fewer than two 1-2-5 values', () => {
    const t = logTicks(1.6, 2.3);
    expect(t.length).toBeGreaterThanOrEqual(2);
    const steps = t.slice(1).map((v, i) => +(v - t[i]).toPrecision(6));
    expect(new Set(steps).size).toBe(1);
    expect(t[0]).toBeGreaterThanOrEqual(1.6);
    expect(t[t.length - 1]).toBeLessThanOrEqual(2.3);
  });
  it('is empty for a range a log axis cannot show', () => {
    expect(logTicks(0, 1)).toEqual([]);
    expect(logTicks(2, 1)).toEqual([]);
  });
});
