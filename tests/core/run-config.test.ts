import { describe, expect, it } from 'vitest';
import { presetSpace } from '../../src/core/space/presets';
import { DEFAULT_PREDICTOR_KIND } from '../../src/core/predictor/predictor-config';
import { parseRunConfig, type RunConfigInput } from '../../src/core/training/run-config';

const minimal = (): RunConfigInput => ({
  space: presetSpace('tiny'),
  seed: 1,
  epochs: 2,
  batchSize: 32,
  learningRate: 0.05,
});

describe('parseRunConfig', () => {
  it('fills in the defaults', () => {
    const config = parseRunConfig(minimal());
    expect(config).toEqual({
      ...minimal(),
      stepsPerEpoch: 0,
      trainSubset: 0,
      warmupEpochs: 0.25,
      momentum: 0.9,
      weightDecay: 1e-5,
      labelSmoothing: 0.1,
      gradClip: 1,
      dropConnect: 0.2,
      augment: true,
      validationSize: 5000,
      calibrationBatches: 32,
      evalBatchSize: 500,
      evalSubset: 0,
      convForm: 'auto',
      backend: 'auto',
      sampler: { kind: 'uniform', k: 3, estimator: 'loss', priorMode: 'empirical' },
      prior: { samples: 1_000_000 },
      rangeEval: { ranges: 5, perRange: 8, everySteps: 0, calibrationBatches: 8, images: 2000 },
      predictor: { kind: DEFAULT_PREDICTOR_KIND, lambda: 1, holdOut: 0.2, refreshEvery: 25, probes: 2 },
    });
  });

  it('takes a predictor kind, and reads a config saved before it existed with the default', () => {
    expect(parseRunConfig({ ...minimal(), predictor: { kind: 'boosted' } }).predictor.kind).toBe('boosted');
    expect(parseRunConfig({ ...minimal(), predictor: { lambda: 2, holdOut: 0.3 } }).predictor).toEqual({
      kind: DEFAULT_PREDICTOR_KIND,
      lambda: 2,
      holdOut: 0.3,
      refreshEvery: 25,
      probes: 2,
    });
    expect(() => parseRunConfig({ ...minimal(), predictor: { kind: 'svm' as never } })).toThrow(/predictor\.kind/);
  });

  it('rejects a minibatch-loss sampler with an impractical k, naming the field', () => {
    expect(() => parseRunConfig({ ...minimal(), sampler: { kind: 'bestup', k: 1_000_000, estimator: 'loss' } })).toThrow(
      /sampler\.k: .*loss.*at most 1024/,
    );
    expect(parseRunConfig({ ...minimal(), sampler: { kind: 'bestup', k: 1_000_000, estimator: 'predictor' } }).sampler.k).toBe(1_000_000);
  });

  it('keeps given values over the defaults and survives JSON', () => {
    const input = { ...minimal(), augment: false, backend: 'wasm', convForm: 'matmul', validationSize: 100 };
    const config = parseRunConfig(JSON.parse(JSON.stringify(input)));
    expect(config).toMatchObject({ augment: false, backend: 'wasm', convForm: 'matmul', validationSize: 100 });
    expect(config.space).toEqual(presetSpace('tiny'));
  });

  it.each([
    ['batchSize', 1],
    ['batchSize', 8.5],
    ['learningRate', -0.1],
    ['learningRate', 0],
    ['backend', 'metal'],
    ['convForm', 'fft'],
    ['seed', -1],
    ['epochs', 0],
    ['momentum', 1],
  ] as const)('rejects %s = %s, naming the field', (field, value) => {
    const input = { ...minimal(), [field]: value };
    expect(() => parseRunConfig(input)).toThrow(new RegExp(`^Invalid run config: .*\\b${field}: `));
  });

  it('names each missing required field', () => {
    const { seed: _seed, learningRate: _lr, ...rest } = minimal();
    let message = '';
    try {
      parseRunConfig(rest);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/seed: /);
    expect(message).toMatch(/learningRate: /);
  });

  it('validates the nested search space with its full path', () => {
    const input = minimal();
    (input.space as { stages: { widths: number[] }[] }).stages[0].widths = [8, 12];
    expect(() => parseRunConfig(input)).toThrow(/space\.stages\.0\.widths\.1: channel widths must be multiples of 8/);
  });
});
