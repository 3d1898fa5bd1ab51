import { describe, expect, it } from 'vitest';
import { MAX_LOSS_K } from '../../src/core/sampling/attentive-sampler';
import { presetNames, presetSpace } from '../../src/core/space/presets';
import { backendPreferences, parseRunConfig, samplerKinds } from '../../src/core/training/run-config';
import {
  checkSettings,
  comparisonSamplers,
  defaultSettings,
  runConfigFromSettings,
  settingKeys,
  settingsFromQuery,
  settingsToQuery,
  studioSettingsSchema,
  validateSettingValue,
  type SettingKey,
  type StudioSettings,
} from '../../src/core/training/studio-settings';

const estimators = ['loss', 'predictor'] as const;

const settings = (change: Partial<StudioSettings> = {}): StudioSettings => ({ ...defaultSettings, ...change });

/** Hand-made valid settings; between them every sampler, estimator, backend and space value appears. */
const handMade: StudioSettings[] = [
  settings(),
  settings({
    space: 'tiny',
    sampler: 'bestup',
    estimator: 'loss',
    k: 7,
    epochs: 3,
    stepsPerEpoch: 12,
    trainSubset: 512,
    batchSize: 64,
    learningRate: 0.05,
    seed: 12345,
    backend: 'webgpu',
    evalImages: 2000,
  }),
  settings({
    space: 'cifar',
    sampler: 'worstup',
    estimator: 'predictor',
    k: 1_000_000,
    epochs: 1000,
    batchSize: 1024,
    learningRate: 10,
    seed: 2 ** 31 - 1,
    backend: 'webgl',
    ranges: 40,
    perRange: 500,
    evalImages: 60_000,
  }),
  settings({
    space: 'fashion',
    sampler: 'uniform',
    estimator: 'predictor',
    k: 1,
    learningRate: 1e-7,
    seed: 0,
    backend: 'wasm',
    evalEvery: 250,
    rangeImages: 60_000,
    ranges: 1,
    perRange: 1,
  }),
  settings({
    space: 'tiny',
    sampler: 'worstup',
    estimator: 'loss',
    k: MAX_LOSS_K,
    batchSize: 2,
    trainSubset: 2,
    learningRate: 0.0125,
    backend: 'cpu',
    rangeImages: 0,
    stepsPerEpoch: 1_000_000,
  }),
  settings({
    space: 'cifar',
    sampler: 'bestup',
    estimator: 'predictor',
    k: 4096,
    learningRate: 0.30000000000000004,
    backend: 'auto',
    seed: 7,
    evalEvery: 1,
  }),
  settings({ space: 'quick', sampler: 'uniform', learningRate: 0.6, backend: 'wasm' }),
  settings({
    space: 'quick',
    sampler: 'worstup',
    learningRate: 0.6,
    augment: false,
    noiseFloor: false,
    stepsPerEpoch: 429,
    ranges: 3,
    perRange: 4,
  }),
];

describe('defaults', () => {
  it('parse from an empty object and pass every check', () => {
    expect(studioSettingsSchema.parse({})).toEqual(defaultSettings);
    expect(defaultSettings).toEqual({
      dataset: 'fashion-mnist',
      space: 'fashion',
      sampler: 'uniform',
      estimator: 'loss',
      k: 3,
      predictorKind: 'boosted',
      epochs: 1,
      stepsPerEpoch: 0,
      trainSubset: 0,
      batchSize: 128,
      learningRate: 0.2,
      augment: true,
      dropConnect: 0.2,
      seed: 1,
      seeds: 1,
      noiseFloor: true,
      ranges: 5,
      perRange: 8,
      evalEvery: 0,
      rangeImages: 1000,
      evalImages: 0,
      backend: 'auto',
    });
    expect(checkSettings(defaultSettings)).toEqual([]);
    for (const key of settingKeys) expect(validateSettingValue(key, defaultSettings[key])).toBeNull();
  });

  it('carry drop-connect and the predictor kind into the run config, and name a bad one in a link', () => {
    const config = parseRunConfig(runConfigFromSettings({ ...defaultSettings, dropConnect: 0, predictorKind: 'forest' }));
    expect(config.dropConnect).toBe(0);
    expect(config.predictor.kind).toBe('forest');
    expect(parseRunConfig(runConfigFromSettings(defaultSettings)).predictor.kind).toBe('boosted');
    const { settings, problems } = settingsFromQuery('predictorKind=svm&dropConnect=0.95');
    expect(settings.predictorKind).toBe('boosted');
    expect(settings.dropConnect).toBe(0.2);
    expect(problems.join('\n')).toMatch(/predictorKind="svm" in the link/);
    expect(problems.join('\n')).toMatch(/dropConnect="0.95" in the link/);
  });

  it('settingKeys names every field once', () => {
    expect([...settingKeys].sort()).toEqual(Object.keys(studioSettingsSchema.shape).sort());
    expect(new Set(settingKeys).size).toBe(settingKeys.length);
  });

  it('an empty query (with or without "?") gives the defaults and no problems', () => {
    expect(settingsFromQuery('')).toEqual({ settings: defaultSettings, problems: [] });
    expect(settingsFromQuery('?')).toEqual({ settings: defaultSettings, problems: [] });
  });

  it('settingsFromQuery returns a fresh object, not the shared defaults', () => {
    const { settings: loaded } = settingsFromQuery('');
    expect(loaded).not.toBe(defaultSettings);
    loaded.epochs = 99;
    expect(defaultSettings.epochs).toBe(1);
  });
});

describe('settingsToQuery / settingsFromQuery', () => {
  it('the hand-made fixtures cover every enum value and are valid', () => {
    expect(new Set(handMade.map((s) => s.sampler))).toEqual(new Set(samplerKinds));
    expect(new Set(handMade.map((s) => s.estimator))).toEqual(new Set(estimators));
    expect(new Set(handMade.map((s) => s.backend))).toEqual(new Set(backendPreferences));
    expect(new Set(handMade.map((s) => s.space))).toEqual(new Set(presetNames));
    for (const s of handMade) expect(checkSettings(s)).toEqual([]);
  });

  it.each(handMade.map((s, i) => [i, s] as const))('round-trips hand-made settings #%i', (_, s) => {
    const query = settingsToQuery(s);
    // every key is written, so a link reproduces the run even if the defaults change later
    const params = new URLSearchParams(query);
    expect([...params.keys()].sort()).toEqual([...settingKeys].sort());
    const back = settingsFromQuery(query);
    expect(back.problems).toEqual([]);
    expect(back.settings).toEqual(s);
    // and with a leading '?', the way location.search has it
    expect(settingsFromQuery(`?${query}`).settings).toEqual(s);
  });

  it('round-trips every sampler x estimator x backend x space combination', () => {
    let count = 0;
    for (const sampler of samplerKinds)
      for (const estimator of estimators)
        for (const backend of backendPreferences)
          for (const space of presetNames) {
            const s = settings({ sampler, estimator, backend, space, k: 5 + count, seed: 100 + count, learningRate: 0.01 * (count + 1) });
            const back = settingsFromQuery(settingsToQuery(s));
            expect(back.problems).toEqual([]);
            expect(back.settings).toEqual(s);
            count++;
          }
    expect(count).toBe(3 * 2 * 5 * 4);
  });

  it('ignores unknown keys', () => {
    const { settings: loaded, problems } = settingsFromQuery('foo=bar&epochs=3&__proto__=x&constructor=1&EPOCHS=9&utm_source=mail');
    expect(problems).toEqual([]);
    expect(loaded).toEqual(settings({ epochs: 3 }));
    expect(Object.keys(loaded).sort()).toEqual([...settingKeys].sort());
  });

  it('reads a partial query, leaving the rest at the defaults', () => {
    const { settings: loaded, problems } = settingsFromQuery('sampler=worstup&k=5&estimator=predictor&learningRate=0.05');
    expect(problems).toEqual([]);
    expect(loaded).toEqual(settings({ sampler: 'worstup', k: 5, estimator: 'predictor', learningRate: 0.05 }));
  });

  const invalid: [SettingKey, string][] = [
    ['epochs', 'abc'],
    ['epochs', '0'],
    ['epochs', '1.5'],
    ['epochs', '1001'],
    ['epochs', ' '],
    ['epochs', 'Infinity'],
    ['sampler', 'best'],
    ['sampler', 'Uniform'],
    ['estimator', 'guess'],
    ['backend', 'metal'],
    ['space', 'nope'],
    ['dataset', 'mnist'],
    ['learningRate', '-1'],
    ['learningRate', '0'],
    ['learningRate', '11'],
    ['k', ''],
    ['k', '0'],
    ['batchSize', '1'],
    ['batchSize', '2048'],
    ['seed', '-3'],
    ['seed', String(2 ** 31)],
    ['ranges', '41'],
    ['perRange', '0'],
    ['rangeImages', '60001'],
    ['evalImages', '60001'],
    ['evalImages', '-5'],
    ['stepsPerEpoch', '-1'],
    ['evalEvery', '2.5'],
    ['trainSubset', 'lots'],
    ['augment', 'yes'],
    ['noiseFloor', '1'],
    ['epochs', '9'.repeat(10_240)],
    ['space', 'x'.repeat(10_240)],
  ];
  const good: [SettingKey, string, unknown][] = [
    ['seed', '42', 42],
    ['ranges', '7', 7],
    ['backend', 'wasm', 'wasm'],
    ['sampler', 'bestup', 'bestup'],
    ['augment', 'false', false],
  ];

  it.each(
    invalid.map(([key, raw]) => [key, raw.length > 20 ? `${raw.slice(0, 8)}... (${raw.length} chars)` : JSON.stringify(raw), raw] as const),
  )('%s=%s is reported, left at its default, and the other values still load', (key, _, raw) => {
    const others = good.filter(([k]) => k !== key);
    const query = [`${key}=${encodeURIComponent(raw)}`, ...others.map(([k, v]) => `${k}=${v}`)].join('&');
    const { settings: loaded, problems } = settingsFromQuery(query);
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${key}=`)).toBe(true);
    expect(problems[0]).toContain(`using ${defaultSettings[key]}`);
    // a long value is cut, not pasted whole into the message
    expect(problems[0].length).toBeLessThan(400);
    expect(loaded[key]).toBe(defaultSettings[key]);
    for (const [k, , value] of others) expect(loaded[k]).toBe(value);
    const expected = settings(Object.fromEntries(others.map(([k, , v]) => [k, v])) as Partial<StudioSettings>);
    expect(loaded).toEqual(expected);
  });

  it('reports every bad value of one query, each by name', () => {
    const { settings: loaded, problems } = settingsFromQuery('epochs=abc&sampler=best&backend=metal&seed=-3&ranges=9&space=tiny');
    expect(problems).toHaveLength(4);
    for (const key of ['epochs', 'sampler', 'backend', 'seed']) expect(problems.filter((p) => p.startsWith(`${key}=`))).toHaveLength(1);
    expect(loaded).toEqual(settings({ ranges: 9, space: 'tiny' }));
  });

  it('keeps individually valid values that conflict, and reports the conflict', () => {
    const { settings: loaded, problems } = settingsFromQuery(`sampler=bestup&estimator=loss&k=${MAX_LOSS_K + 1}`);
    expect(loaded).toEqual(settings({ sampler: 'bestup', estimator: 'loss', k: MAX_LOSS_K + 1 }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^k = ${MAX_LOSS_K + 1}`));
  });
});

describe('checkSettings', () => {
  const numericKeys = settingKeys.filter((key) => typeof defaultSettings[key] === 'number');

  it('has numeric fields to check', () => {
    expect(numericKeys).toEqual(
      expect.arrayContaining([
        'k',
        'epochs',
        'batchSize',
        'learningRate',
        'seed',
        'ranges',
        'perRange',
        'evalEvery',
        'rangeImages',
        'evalImages',
      ]),
    );
  });

  it.each(numericKeys)('catches %s = NaN', (key) => {
    const problems = checkSettings(settings({ [key]: NaN }));
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${key}: `)).toBe(true);
  });

  it('catches a value outside its enum (a form bug), naming the field', () => {
    const problems = checkSettings(settings({ backend: 'metal' as StudioSettings['backend'] }));
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith('backend: ')).toBe(true);
  });

  it.each(['bestup', 'worstup'] as const)('%s with the loss estimator: k <= %i passes, one more is caught', (sampler) => {
    expect(checkSettings(settings({ sampler, estimator: 'loss', k: MAX_LOSS_K }))).toEqual([]);
    const problems = checkSettings(settings({ sampler, estimator: 'loss', k: MAX_LOSS_K + 1 }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`k = ${MAX_LOSS_K + 1}`);
    expect(problems[0]).toContain('predictor');
  });

  it('a large k is fine for uniform (k unused) and for the predictor estimator', () => {
    expect(MAX_LOSS_K).toBe(1024);
    expect(checkSettings(settings({ sampler: 'uniform', estimator: 'loss', k: 100_000 }))).toEqual([]);
    expect(checkSettings(settings({ sampler: 'bestup', estimator: 'predictor', k: 100_000 }))).toEqual([]);
    expect(checkSettings(settings({ sampler: 'worstup', estimator: 'predictor', k: 1_000_000 }))).toEqual([]);
  });

  it('catches a training subset smaller than one batch', () => {
    const problems = checkSettings(settings({ trainSubset: 100, batchSize: 128 }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('100');
    expect(problems[0]).toContain('128');
    expect(checkSettings(settings({ trainSubset: 128, batchSize: 128 }))).toEqual([]);
    // 0 means every training image
    expect(checkSettings(settings({ trainSubset: 0, batchSize: 1024 }))).toEqual([]);
  });

  it('reports both cross-field problems at once', () => {
    expect(checkSettings(settings({ sampler: 'bestup', k: 5000, trainSubset: 10, batchSize: 64 }))).toHaveLength(2);
  });
});

describe('runConfigFromSettings', () => {
  it.each(handMade.map((s, i) => [i, s] as const))(
    'hand-made settings #%i give a config parseRunConfig accepts, with the values carried through',
    (_, s) => {
      const config = parseRunConfig(runConfigFromSettings(s));
      expect(config.space).toEqual(presetSpace(s.space));
      expect(config.space.name).toBe(s.space);
      expect(config.seed).toBe(s.seed);
      expect(config.epochs).toBe(s.epochs);
      expect(config.stepsPerEpoch).toBe(s.stepsPerEpoch);
      expect(config.trainSubset).toBe(s.trainSubset);
      expect(config.batchSize).toBe(s.batchSize);
      expect(config.learningRate).toBe(s.learningRate);
      expect(config.backend).toBe(s.backend);
      expect(config.evalSubset).toBe(s.evalImages);
      expect(config.sampler).toEqual({ kind: s.sampler, k: s.k, estimator: s.estimator, priorMode: 'empirical' });
      expect(config.rangeEval).toEqual({
        ranges: s.ranges,
        perRange: s.perRange,
        everySteps: s.evalEvery,
        images: s.rangeImages,
        calibrationBatches: 4,
      });
    },
  );

  it('uses the preset space named by `space`', () => {
    for (const name of presetNames) {
      const other = presetNames.find((n) => n !== name)!;
      const config = runConfigFromSettings(settings({ space: name }));
      expect(config.space).toEqual(presetSpace(name));
      expect(config.space).not.toEqual(presetSpace(other));
    }
  });

  it('the sampler argument replaces only the sampler kind', () => {
    for (const s of handMade) {
      const base = runConfigFromSettings(s);
      for (const kind of samplerKinds) {
        const config = runConfigFromSettings(s, kind);
        expect(config.sampler).toEqual({ kind, k: s.k, estimator: s.estimator });
        // everything else (seed, budget, ranges) is shared
        expect({ ...config, sampler: null }).toEqual({ ...base, sampler: null });
        expect(config).toEqual(runConfigFromSettings({ ...s, sampler: kind }));
      }
    }
  });

  it('comparison runs share seed and budget and differ only in the sampler', () => {
    const s = settings({ sampler: 'bestup', k: 4, seed: 99, epochs: 2, stepsPerEpoch: 30, batchSize: 32 });
    const configs = comparisonSamplers.map((kind) => parseRunConfig(runConfigFromSettings(s, kind)));
    expect(configs.map((c) => c.sampler.kind)).toEqual(['uniform', 'bestup', 'worstup']);
    for (const c of configs) {
      expect(c.seed).toBe(99);
      expect(c.epochs).toBe(2);
      expect(c.stepsPerEpoch).toBe(30);
      expect(c.batchSize).toBe(32);
      expect({ ...c, sampler: { ...c.sampler, kind: 'uniform' } }).toEqual(configs[0]);
    }
  });

  it('agrees with parseRunConfig on what is valid: a k that checkSettings rejects the engine rejects too', () => {
    const s = settings({ sampler: 'worstup', estimator: 'loss', k: MAX_LOSS_K + 1 });
    expect(checkSettings(s)).not.toEqual([]);
    expect(() => parseRunConfig(runConfigFromSettings(s))).toThrow(/sampler\.k/);
    // ...but the uniform baseline of the same comparison is fine
    expect(() => parseRunConfig(runConfigFromSettings(s, 'uniform'))).not.toThrow();
  });
});

describe('comparisonSamplers', () => {
  it('is Uniform (the baseline), BestUp, WorstUp in that order', () => {
    expect([...comparisonSamplers]).toEqual(['uniform', 'bestup', 'worstup']);
  });
});
