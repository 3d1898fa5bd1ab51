import { describe, expect, it } from 'vitest';
import { attentiveSampler, attentiveSamplerName, type AttentiveOptions } from '../../src/core/sampling/attentive-sampler';
import { ConditionalSampler } from '../../src/core/sampling/conditional-sampler';
import { choiceIndicesOf } from '../../src/core/space/fast-macs';
import { binOf, buildFlopsPrior, drawBin } from '../../src/core/sampling/flops-prior';
import { countMacs } from '../../src/core/space/macs';
import { fitRidgePredictor } from '../../src/core/predictor/predictor';
import { PredictorPool } from '../../src/core/predictor/predictor-pool';
import { presetSpace } from '../../src/core/space/presets';
import { hashString32, Rng } from '../../src/core/training/rng';
import type { SamplerContext } from '../../src/core/sampling/sampler';
import { slotsOf, subnetKey, subnetProblems, type Subnet } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';

const space = presetSpace('fashion');
const prior = buildFlopsPrior(space, { samples: 50_000, seed: 21 });

/** A deterministic stand-in for the engine's minibatch loss, recording every call. */
function stubContext(seed: number, lossOf: (s: Subnet) => number = (s) => (hashString32(subnetKey(s)) % 1000) / 1000) {
  const calls: Subnet[][] = [];
  const context: SamplerContext = {
    rng: new Rng(seed),
    step: 0,
    scoreByLoss: async (candidates) => {
      calls.push(candidates);
      return candidates.map(lossOf);
    },
  };
  return { context, calls };
}

const loss = (mode: 'best' | 'worst', k = 3): AttentiveOptions => ({ mode, k, estimator: 'loss', priorMode: 'empirical' });

describe('attentiveSamplerName', () => {
  it('prints the rule, k and estimator', () => {
    expect(attentiveSamplerName(loss('best'))).toBe('BestUp-3 (loss)');
    expect(attentiveSamplerName({ mode: 'worst', k: 1e6, estimator: 'predictor', priorMode: 'empirical' })).toBe('WorstUp-1M (acc)');
    expect(attentiveSamplerName({ mode: 'best', k: 50, estimator: 'predictor', priorMode: 'uniform' })).toBe('BestUp-50 (acc)');
    expect(attentiveSampler(space, prior, loss('worst', 5)).name).toBe('WorstUp-5 (loss)');
  });
});

describe.each(['best', 'worst'] as const)('%sUp-k with the loss estimator', (mode) => {
  it('scores k candidates per subnet in one call and keeps the min (BestUp) / max (WorstUp) loss', async () => {
    const k = 4;
    const sampler = attentiveSampler(space, prior, loss(mode, k));
    const { context, calls } = stubContext(1);
    for (let step = 0; step < 10; step++) {
      const decision = await sampler.sample(2, context);
      expect(decision.subnets).toHaveLength(2);
      expect(decision.candidates).toHaveLength(2 * k);
      expect(decision.targets).toHaveLength(2);
      for (let i = 0; i < 2; i++) {
        const group = decision.candidates.slice(i * k, (i + 1) * k);
        const scores = group.map((c) => c.score);
        const target = mode === 'best' ? Math.min(...scores) : Math.max(...scores);
        const first = scores.indexOf(target);
        expect(decision.subnets[i]).toBe(group[first].subnet);
        expect(subnetProblems(space, decision.subnets[i])).toEqual([]);
        const { bin, accepted, source } = decision.targets[i];
        expect(source).toBe('loss');
        if (accepted) for (const c of group) expect(binOf(prior, countMacs(space, c.subnet))).toBe(bin);
      }
    }
    expect(calls).toHaveLength(20);
    for (const call of calls) expect(call).toHaveLength(k);
    expect(sampler.stats).toMatchObject({ calls: 10, subnets: 20, lossScored: 20 * k, poolPicks: 0, fallbacks: 0 });
  });
});

describe('attentive sampler, loss estimator', () => {
  it('is deterministic per seed', async () => {
    const run = async (seed: number) => {
      const sampler = attentiveSampler(space, prior, loss('best'));
      const { context } = stubContext(seed);
      const keys: string[] = [];
      for (let step = 0; step < 5; step++) keys.push(...(await sampler.sample(2, context)).subnets.map(subnetKey));
      return keys;
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(7)).not.toEqual(await run(8));
  });

  it('breaks ties by the first candidate', async () => {
    for (const mode of ['best', 'worst'] as const) {
      const sampler = attentiveSampler(space, prior, loss(mode, 3));
      const { context } = stubContext(3, () => 1.5);
      const decision = await sampler.sample(3, context);
      decision.subnets.forEach((s, i) => expect(s).toBe(decision.candidates[i * 3].subnet));
    }
  });

  it('a NaN loss never wins over a number', async () => {
    const sampler = attentiveSampler(space, prior, loss('best', 3));
    let n = 0;
    const { context } = stubContext(3, () => [NaN, 2, 1][n++ % 3]);
    const decision = await sampler.sample(1, context);
    expect(decision.subnets[0]).toBe(decision.candidates[2].subnet);
  });

  it('draws bins from the prior mode: uniform reaches the rare bins far more often', async () => {
    const count = async (priorMode: 'empirical' | 'uniform') => {
      const sampler = attentiveSampler(space, prior, { ...loss('best', 1), priorMode });
      const { context } = stubContext(4);
      const bins = (await sampler.sample(400, context)).targets.map((t) => t.bin);
      for (const b of bins) expect(prior.counts[b]).toBeGreaterThan(0);
      return bins.filter((b) => prior.frequencies[b] < 0.01).length;
    };
    expect(await count('uniform')).toBeGreaterThan(3 * (await count('empirical')) + 20);
  });

  it('needs scoreByLoss and a loss per candidate, with clear errors', async () => {
    const sampler = attentiveSampler(space, prior, loss('best'));
    await expect(sampler.sample(2, { rng: new Rng(1), step: 0 })).rejects.toThrow(/BestUp-3 \(loss\) needs context.scoreByLoss/);
    const short: SamplerContext = { rng: new Rng(1), step: 0, scoreByLoss: async () => [1] };
    await expect(sampler.sample(1, short)).rejects.toThrow(/returned 1 losses for 3 candidates/);
    expect((await sampler.sample(0, { rng: new Rng(1), step: 0 })).subnets).toEqual([]);
  });

  it('refuses bad options', () => {
    expect(() => attentiveSampler(space, prior, loss('best', 0))).toThrow(/k must be/);
    expect(() => attentiveSampler(space, prior, loss('best', 1e6))).toThrow(/k must be an integer from 1 to/);
    expect(() => attentiveSampler(space, prior, { ...loss('best'), mode: 'middle' as 'best' })).toThrow(/mode/);
    expect(() => attentiveSampler(space, prior, { ...loss('best'), estimator: 'oracle' as 'loss' })).toThrow(/estimator/);
    expect(() => attentiveSampler(space, prior, { ...loss('best'), priorMode: 'flat' as 'uniform' })).toThrow(/priorMode/);
  });

  it('uses a conditional sampler passed in', async () => {
    const conditional = new ConditionalSampler(space, prior);
    const sampler = attentiveSampler(space, prior, loss('worst', 2), { conditional });
    await sampler.sample(3, stubContext(1).context);
    expect(conditional.stats.draws).toBe(6);
  });
});

describe('attentive sampler, predictor estimator', () => {
  const S = slotsOf(space).length;
  const rng0 = new Rng(9);
  const coef = Array.from({ length: S }, () => rng0.normal());
  const examples = Array.from({ length: 200 }, () => {
    const subnet = sampleUniform(space, rng0);
    return { subnet, accuracy: choiceIndicesOf(space, subnet).reduce((a, c, s) => a + coef[s] * c, 0) };
  });
  const predictor = fitRidgePredictor(space, examples);

  it('falls back to one conditional draw (score NaN) until the pool is refreshed', async () => {
    const sampler = attentiveSampler(space, prior, { mode: 'best', k: 50, estimator: 'predictor', priorMode: 'empirical' });
    const decision = await sampler.sample(3, { rng: new Rng(1), step: 0 }); // no scoreByLoss needed
    expect(decision.subnets).toHaveLength(3);
    expect(decision.candidates.map((c) => c.score)).toEqual([NaN, NaN, NaN]);
    expect(decision.targets.every((t) => t.source === 'fallback')).toBe(true);
    expect(sampler.stats.fallbacks).toBe(3);
    expect(sampler.pool).not.toBeNull();
  });

  it.each(['best', 'worst'] as const)('%s: picks from the pool once refreshed', async (mode) => {
    const pool = new PredictorPool(space, prior);
    pool.refresh(predictor);
    for (const k of [5, 1e6]) {
      const sampler = attentiveSampler(space, prior, { mode, k, estimator: 'predictor', priorMode: 'uniform' }, { pool });
      expect(sampler.pool).toBe(pool);
      const rng = new Rng(2);
      const mirror = new Rng(2);
      const decision = await sampler.sample(20, { rng, step: 0 });
      expect(decision.candidates).toHaveLength(20);
      decision.targets.forEach((t, i) => {
        expect(t.source).toBe('pool');
        const subnet = decision.subnets[i];
        expect(binOf(prior, countMacs(space, subnet))).toBe(t.bin);
        expect(decision.candidates[i].subnet).toBe(subnet);
        expect(decision.candidates[i].score).toBeCloseTo(predictor.scoreSubnet(subnet), 9);
      });
      // the same decisions, replayed by hand from a mirror stream
      for (let i = 0; i < 20; i++) {
        const bin = drawBin(prior, 'uniform', mirror);
        expect(decision.targets[i].bin).toBe(bin);
        const pick = pool.pick(bin, mode, k, mirror)!;
        expect(subnetKey(pick.subnet)).toBe(subnetKey(decision.subnets[i]));
        if (k >= pool.binSize(bin)) {
          const scores = Array.from(pool.membersOf(bin), (m) => pool.scoreOf(m));
          expect(pick.score).toBe(mode === 'best' ? Math.max(...scores) : Math.min(...scores));
        }
      }
      expect(sampler.stats.poolPicks).toBe(20);
    }
  });
});
