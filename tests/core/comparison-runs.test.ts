import { describe, expect, it } from 'vitest';
import { comparisonRuns } from '../../src/core/comparison/comparison-runs';

describe('comparisonRuns', () => {
  it('queues every sampler with each seed, seed by seed, with the noise-floor control after each', () => {
    expect(comparisonRuns(['uniform', 'bestup', 'worstup'], 5, 2)).toEqual([
      { sampler: 'uniform', seed: 5 },
      { sampler: 'bestup', seed: 5 },
      { sampler: 'worstup', seed: 5 },
      { sampler: 'uniform', seed: 5, samplerStream: 1 },
      { sampler: 'uniform', seed: 6 },
      { sampler: 'bestup', seed: 6 },
      { sampler: 'worstup', seed: 6 },
      { sampler: 'uniform', seed: 6, samplerStream: 1 },
    ]);
  });

  it('can leave the control out, and refuses a count or seeds out of range', () => {
    expect(comparisonRuns(['uniform', 'bestup'], 1, 1, false)).toEqual([
      { sampler: 'uniform', seed: 1 },
      { sampler: 'bestup', seed: 1 },
    ]);
    expect(() => comparisonRuns(['uniform'], 1, 0)).toThrow(/seeds must be/);
    expect(() => comparisonRuns(['uniform'], 1, 21)).toThrow(/seeds must be/);
    expect(() => comparisonRuns(['uniform'], 2 ** 31 - 1, 2)).toThrow(/largest seed/);
    expect(() => comparisonRuns([], 1, 1)).toThrow(/at least one sampler/);
  });
});
