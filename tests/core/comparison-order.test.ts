import { describe, expect, it } from 'vitest';
import { comparisonOrder } from '../../src/core/comparison/comparison-order';

const run = (kind: string, seed: number, stream = 0) => ({ kind, seed, stream, name: `${kind}-${seed}${stream ? '-floor' : ''}` });

describe('comparisonOrder', () => {
  it('puts the baseline (Uniform) first whatever order the files came in, its noise floor after it, then by seed', () => {
    const given = [run('bestup', 2), run('worstup', 1), run('uniform', 2), run('bestup', 1), run('uniform', 1, 1), run('uniform', 1)];
    expect(comparisonOrder(given, (r) => r).map((r) => r.name)).toEqual([
      'uniform-1',
      'uniform-2',
      'uniform-1-floor',
      'bestup-1',
      'bestup-2',
      'worstup-1',
    ]);
  });
  it('puts the loss variant of a kind before its predictor variant, whatever the file order', () => {
    const given = [
      { ...run('bestup', 1), estimator: 'predictor', name: 'b-1m' },
      { ...run('bestup', 2), estimator: 'loss', name: 'b-3 seed 2' },
      { ...run('bestup', 1), estimator: 'loss', name: 'b-3 seed 1' },
    ];
    expect(comparisonOrder(given, (r) => r).map((r) => r.name)).toEqual(['b-3 seed 1', 'b-3 seed 2', 'b-1m']);
  });
  it('keeps unknown kinds last in the order given, and variants of one kind in their given order per seed', () => {
    const given = [
      { ...run('zeta', 1), name: 'z' },
      { ...run('bestup', 1), name: 'b-pred' },
      { ...run('bestup', 1), name: 'b-loss' },
      run('uniform', 1),
    ];
    expect(comparisonOrder(given, (r) => r).map((r) => r.name)).toEqual(['uniform-1', 'b-pred', 'b-loss', 'z']);
  });
});
