import { describe, expect, it } from 'vitest';
import { attentiveSamplerName } from '../../src/core/sampling/attentive-sampler';
import { buildFlopsPrior, MAX_PRIOR_SAMPLES } from '../../src/core/sampling/flops-prior';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { parseRunConfig } from '../../src/core/training/run-config';
import {
  comparisonKinds,
  MAX_LOSS_K,
  samplerHelp,
  samplerKinds,
  samplerLabel,
  samplerRegistry,
  samplerSettingProblems,
  samplerSpec,
  WHOLE_BIN_K,
  type SamplerKind,
} from '../../src/core/sampling/sampler-registry';
import { setUpSampler } from '../../src/core/sampling/sampler-setup';
import { checkSettings, defaultSettings } from '../../src/core/training/studio-settings';

const space = presetSpace('tiny');
const prior = buildFlopsPrior(space, { samples: 5000, seed: 1 });
const config = (sampler: object) =>
  parseRunConfig({ space, seed: 1, epochs: 1, batchSize: 8, learningRate: 0.1, sampler, prior: { samples: 5000 } });

describe('sampler registry', () => {
  it('has one row per kind, and every row a name, an option text, help and a colour key', () => {
    expect(Object.keys(samplerRegistry).sort()).toEqual([...samplerKinds].sort());
    for (const kind of samplerKinds) {
      const spec = samplerRegistry[kind];
      for (const text of [spec.name, spec.option, spec.help, spec.colorKey]) expect(text.length).toBeGreaterThan(0);
    }
    // a row that ranks candidates accepts an estimator; one that does not accepts none
    for (const kind of samplerKinds) expect(samplerRegistry[kind].k === null).toBe(samplerRegistry[kind].estimators.length === 0);
  });

  it('makes an unknown kind a type error and a runtime error, never another sampler', () => {
    // @ts-expect-error 'randomup' is not a SamplerKind
    const unknown: SamplerKind = 'randomup';
    expect(() => samplerSpec(unknown)).toThrow(/unknown sampler "randomup"/);
    expect(() => samplerLabel({ kind: 'randomup', k: 3, estimator: 'loss' })).toThrow(/unknown sampler/);
    expect(samplerSettingProblems({ kind: 'randomup', k: 3, estimator: 'loss' })[0].option).toBe('kind');
    // the prototype is not a row
    expect(() => samplerSpec('toString')).toThrow(/unknown sampler/);
    // a run config with an unknown kind does not parse, and setUpSampler refuses one that slips past
    expect(() => config({ kind: 'randomup' })).toThrow(/sampler\.kind/);
    const forged = { ...config({ kind: 'worstup' }), sampler: { ...config({ kind: 'worstup' }).sampler, kind: 'randomup' as SamplerKind } };
    expect(() => setUpSampler(forged, prior)).toThrow(/unknown sampler "randomup"/);
  });

  it('gives one label for a setting, whoever asks', () => {
    expect(samplerLabel({ kind: 'uniform', k: 3, estimator: 'loss' })).toBe('Uniform');
    expect(samplerLabel({ kind: 'uniform', k: 9, estimator: 'predictor' })).toBe('Uniform');
    expect(samplerLabel({ kind: 'bestup', k: 3, estimator: 'loss' })).toBe('BestUp-3 (loss)');
    expect(samplerLabel({ kind: 'worstup', k: 50, estimator: 'predictor' })).toBe('WorstUp-50 (acc)');
    expect(samplerLabel({ kind: 'worstup', k: WHOLE_BIN_K, estimator: 'predictor' })).toBe('WorstUp-1M (acc)');
    // the sampler a run builds carries the same label as its name
    for (const sampler of [{ kind: 'uniform' }, { kind: 'bestup', k: 3 }, { kind: 'worstup', k: 1_000_000, estimator: 'predictor' }]) {
      const c = config(sampler);
      expect(setUpSampler(c, prior).sampler.name).toBe(samplerLabel(c.sampler));
    }
    expect(attentiveSamplerName({ mode: 'worst', k: 5, estimator: 'loss', priorMode: 'empirical' })).toBe(
      samplerLabel({ kind: 'worstup', k: 5, estimator: 'loss' }),
    );
  });

  it('builds the algorithm its row names: the worst of k for WorstUp, the best for BestUp', async () => {
    // scores = the candidate's index in the call: BestUp keeps the lowest loss (the first), WorstUp the highest (the last)
    for (const [kind, pick] of [
      ['bestup', 0],
      ['worstup', 2],
    ] as const) {
      const { sampler } = setUpSampler(config({ kind, k: 3 }), prior);
      let scored: string[] = [];
      const decision = await sampler.sample(1, {
        rng: new Rng(7),
        step: 0,
        scoreByLoss: async (candidates) => {
          scored = candidates.map((c) => JSON.stringify(c));
          return candidates.map((_, i) => i);
        },
      });
      expect(scored).toHaveLength(3);
      expect(JSON.stringify(decision.subnets[0])).toBe(scored[pick]);
    }
    const uniform = setUpSampler(config({ kind: 'uniform' }), prior);
    expect(uniform.conditional).toBeNull();
    expect((await uniform.sampler.sample(2, { rng: new Rng(1), step: 0 })).subnets).toHaveLength(2);
  });

  it('checks the loss estimator limit once, for the run config and the studio alike', () => {
    for (const kind of ['bestup', 'worstup'] as const) {
      expect(samplerSettingProblems({ kind, k: MAX_LOSS_K, estimator: 'loss' })).toEqual([]);
      const [problem] = samplerSettingProblems({ kind, k: MAX_LOSS_K + 1, estimator: 'loss' });
      expect(problem.option).toBe('k');
      expect(() => config({ kind, k: MAX_LOSS_K + 1, estimator: 'loss' })).toThrow(problem.message.slice(0, 30));
      expect(checkSettings({ ...defaultSettings, sampler: kind, k: MAX_LOSS_K + 1, estimator: 'loss' })).toEqual([problem.message]);
      expect(samplerSettingProblems({ kind, k: MAX_LOSS_K + 1, estimator: 'predictor' })).toEqual([]);
    }
    // k means nothing to Uniform
    expect(samplerSettingProblems({ kind: 'uniform', k: MAX_LOSS_K + 1, estimator: 'loss' })).toEqual([]);
  });

  it('puts the comparison set in the registry order, baseline first', () => {
    expect(comparisonKinds[0]).toBe('uniform');
    expect([...comparisonKinds]).toEqual(samplerKinds.filter((kind) => samplerRegistry[kind].inComparison));
  });

  it('writes the CLI help from the table', () => {
    const help = samplerHelp();
    for (const kind of samplerKinds) expect(help).toMatch(new RegExp(`${kind} +${samplerRegistry[kind].help.replace(/[()]/g, '\\$&')}`));
    expect(help).toContain(String(MAX_LOSS_K));
  });
});

describe('prior-sample limit', () => {
  it('is one constant: the run config and the prior builder agree', () => {
    const withSamples = (samples: number) => () =>
      parseRunConfig({ space, seed: 1, epochs: 1, batchSize: 8, learningRate: 0.1, prior: { samples } });
    expect(withSamples(MAX_PRIOR_SAMPLES)).not.toThrow();
    expect(withSamples(MAX_PRIOR_SAMPLES + 1)).toThrow(/prior\.samples/);
    expect(() => buildFlopsPrior(space, { samples: MAX_PRIOR_SAMPLES + 1 })).toThrow(/"samples"/);
  });
});
