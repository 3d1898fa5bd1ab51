import { describe, expect, it } from 'vitest';
import { buildFlopsPrior } from '../../src/core/sampling/flops-prior';
import { comparisonName, isNoiseFloor, NOISE_FLOOR_STREAM, samplerRng } from '../../src/core/comparison/noise-floor';
import { presetSpace } from '../../src/core/space/presets';
import { flopsPriorOptions, planRanges } from '../../src/core/sampling/range-plan';
import { Rng } from '../../src/core/training/rng';
import { parseRunConfig } from '../../src/core/training/run-config';
import { subnetKey } from '../../src/core/space/subnet';

const space = presetSpace('tiny');
const config = (seed: number, sampler: object, samplerStream?: number) =>
  parseRunConfig({
    space,
    seed,
    epochs: 1,
    batchSize: 8,
    learningRate: 0.1,
    sampler,
    samplerStream,
    prior: { samples: 5000 },
    rangeEval: { ranges: 3, perRange: 3 },
  });

/** the plan a run would measure, built the way the engine builds it */
function planOf(c: ReturnType<typeof config>) {
  const prior = buildFlopsPrior(c.space, flopsPriorOptions(c));
  return planRanges(c.space, prior, c.rangeEval.ranges, c.rangeEval.perRange).ranges.map((r) => r.subnets.map(subnetKey));
}

describe('the range plan depends only on the space', () => {
  const runs = [
    config(1, { kind: 'uniform' }),
    config(2, { kind: 'bestup', k: 3 }),
    config(3, { kind: 'worstup', k: 3 }),
    config(1, { kind: 'uniform' }, NOISE_FLOOR_STREAM),
    config(12345, { kind: 'bestup', k: 1_000_000, estimator: 'predictor' }),
  ];

  it('the prior options carry no seed of the run', () => {
    for (const c of runs) expect(flopsPriorOptions(c)).toEqual(flopsPriorOptions(runs[0]));
  });

  it('every sampler and seed is measured on the same subnets', () => {
    const plans = runs.map(planOf);
    expect(plans[0].flat().length).toBe(runs[0].rangeEval.ranges * runs[0].rangeEval.perRange);
    for (const plan of plans) expect(plan).toEqual(plans[0]);
  });

  it('another space gives other subnets', () => {
    const other = parseRunConfig({ ...runs[0], space: presetSpace('fashion') });
    expect(planOf(other)).not.toEqual(planOf(runs[0]));
  });
});

describe('the noise-floor control', () => {
  it('stream 0 is the seed’s own sampler stream; another stream differs, with the same seed', () => {
    const own = samplerRng({ seed: 5 });
    expect(samplerRng({ seed: 5, samplerStream: 0 }).getState()).toEqual(own.getState());
    expect(own.getState()).toEqual(Rng.derive(5, 'sampler').getState());
    expect(samplerRng({ seed: 5, samplerStream: NOISE_FLOOR_STREAM }).getState()).not.toEqual(own.getState());
    // nor is it another seed's own stream
    for (let seed = 0; seed < 50; seed++)
      expect(samplerRng({ seed: 5, samplerStream: 1 }).getState()).not.toEqual(samplerRng({ seed }).getState());
  });

  it('is named as a control in comparisons', () => {
    expect(comparisonName('Uniform', {})).toBe('Uniform');
    expect(comparisonName('Uniform', { samplerStream: 0 })).toBe('Uniform');
    expect(comparisonName('Uniform', { samplerStream: 1 })).toBe('Uniform (noise floor)');
    expect(isNoiseFloor('Uniform (noise floor)')).toBe(true);
    expect(isNoiseFloor('Uniform')).toBe(false);
  });
});
