import { describe, expect, it } from 'vitest';
import { choiceIndicesOf } from '../../src/core/space/fast-macs';
import { binOf, buildFlopsPrior } from '../../src/core/sampling/flops-prior';
import { countMacs } from '../../src/core/space/macs';
import { fitRidgePredictor } from '../../src/core/predictor/predictor';
import { PredictorPool } from '../../src/core/predictor/predictor-pool';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { slotsOf } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';

const space = presetSpace('fashion');
const prior = buildFlopsPrior(space, { samples: 50_000, seed: 5 });
const S = slotsOf(space).length;
const B = prior.counts.length;
const rng0 = new Rng(6);
const coef = Array.from({ length: S }, () => rng0.normal());
const examples = Array.from({ length: 200 }, () => {
  const subnet = sampleUniform(space, rng0);
  // coarse accuracies so that predicted scores tie within bins
  const acc = choiceIndicesOf(space, subnet).reduce((a, c, s) => a + coef[s] * c, 0);
  return { subnet, accuracy: Math.round(acc) };
});
const predictor = fitRidgePredictor(space, examples);

describe('PredictorPool', () => {
  it('groups members by bin and refuses picks before a refresh', () => {
    const pool = new PredictorPool(space, prior);
    expect(pool.refreshed).toBe(false);
    let total = 0;
    for (let b = 0; b < B; b++) {
      expect(pool.binSize(b)).toBe(prior.counts[b]);
      expect(pool.membersOf(b).every((m) => prior.pool.bins[m] === b)).toBe(true);
      total += pool.binSize(b);
    }
    expect(total).toBe(prior.samples);
    expect(() => pool.pick(3, 'best', 3, new Rng(1))).toThrow(/refresh/);
    expect(() => pool.binSize(B)).toThrow(/bin/);
  });

  it('refresh scores every member once with the predictor', () => {
    const pool = new PredictorPool(space, prior);
    const { ms, scored } = pool.refresh(predictor);
    console.log(`pool refresh: ${scored} members in ${ms.toFixed(1)} ms`);
    expect(scored).toBe(prior.samples);
    expect(pool.refreshed).toBe(true);
    expect(pool.predictor).toBe(predictor);
    for (let i = 0; i < prior.samples; i += 97) expect(pool.scoreOf(i)).toBe(predictor.scoreChoices(prior.pool.choices, i * S));
  });

  it('whole-bin picks are the true argmax / argmin of predicted accuracy (first on ties), inside the bin', () => {
    const pool = new PredictorPool(space, prior);
    pool.refresh(predictor);
    const rng = new Rng(1);
    for (let b = 0; b < B; b++) {
      const members = Array.from(pool.membersOf(b));
      if (members.length === 0) {
        expect(pool.pick(b, 'best', 1e6, rng)).toBeNull();
        continue;
      }
      let best = members[0];
      let worst = members[0];
      for (const m of members) {
        if (pool.scoreOf(m) > pool.scoreOf(best)) best = m;
        if (pool.scoreOf(m) < pool.scoreOf(worst)) worst = m;
      }
      const state = rng.getState();
      const pb = pool.pick(b, 'best', members.length, rng)!;
      const pw = pool.pick(b, 'worst', Infinity, rng)!;
      expect(rng.getState()).toEqual(state); // whole-bin picks draw nothing
      expect(pb.index).toBe(best);
      expect(pw.index).toBe(worst);
      for (const p of [pb, pw]) {
        expect(p.score).toBe(pool.scoreOf(p.index));
        expect(p.macs).toBe(countMacs(space, p.subnet));
        expect(binOf(prior, p.macs)).toBe(b);
        expect(Array.from(choiceIndicesOf(space, p.subnet))).toEqual(
          Array.from(prior.pool.choices.subarray(p.index * S, (p.index + 1) * S)),
        );
      }
    }
  });

  it('k smaller than the bin picks the best / worst among k random members of the bin', () => {
    const pool = new PredictorPool(space, prior);
    pool.refresh(predictor);
    const bin = prior.counts.indexOf(Math.max(...prior.counts));
    const members = pool.membersOf(bin);
    let differsFromWholeBin = 0;
    for (const mode of ['best', 'worst'] as const) {
      for (let seed = 0; seed < 50; seed++) {
        const k = 1 + (seed % 5);
        const mirror = new Rng(seed);
        const drawn = Array.from({ length: k }, () => members[mirror.int(members.length)]);
        let expected = drawn[0];
        for (const m of drawn) {
          if (mode === 'best' ? pool.scoreOf(m) > pool.scoreOf(expected) : pool.scoreOf(m) < pool.scoreOf(expected)) expected = m;
        }
        const pick = pool.pick(bin, mode, k, new Rng(seed))!;
        expect(pick.index).toBe(expected);
        expect(prior.pool.bins[pick.index]).toBe(bin);
        if (pick.index !== pool.pick(bin, mode, Infinity, new Rng(0))!.index) differsFromWholeBin++;
      }
    }
    expect(differsFromWholeBin).toBeGreaterThan(50);
  });

  it('refuses bad arguments and a prior of another space', () => {
    const pool = new PredictorPool(space, prior);
    pool.refresh(predictor);
    expect(() => pool.pick(0, 'best', 0, new Rng(1))).toThrow(/k must be/);
    expect(() => pool.pick(-1, 'best', 1, new Rng(1))).toThrow(/bin/);
    expect(() => new PredictorPool(presetSpace('cifar'), prior)).toThrow(/built for space "fashion"/);
  });
});
