import { describe, expect, it } from 'vitest';
import { ConditionalSampler } from '../../src/core/sampling/conditional-sampler';
import { binOf, buildFlopsPrior } from '../../src/core/sampling/flops-prior';
import { countMacs } from '../../src/core/space/macs';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { subnetKey, subnetProblems } from '../../src/core/space/subnet';

describe.each(['fashion', 'cifar'] as const)('ConditionalSampler on %s', (name) => {
  const space = presetSpace(name);
  const prior = buildFlopsPrior(space, { samples: 100_000, seed: 11 });
  const B = prior.counts.length;

  it('lands in the requested bin at least 95% of 300 draws, for every bin holding >= 0.1% of samples', () => {
    const sampler = new ConditionalSampler(space, prior);
    const rng = new Rng(1);
    const rates: { bin: number; rate: number; share: number }[] = [];
    for (let bin = 0; bin < B; bin++) {
      if (prior.frequencies[bin] < 0.001) continue;
      let inBin = 0;
      let inconsistent = 0;
      for (let i = 0; i < 300; i++) {
        const draw = sampler.sampleInBin(bin, rng);
        const macs = countMacs(space, draw.subnet); // the reference counter, not the fast one
        if (binOf(prior, macs) === bin) inBin++;
        if (draw.macs !== macs || draw.accepted !== (binOf(prior, macs) === bin)) inconsistent++;
      }
      expect(inconsistent).toBe(0);
      rates.push({ bin, rate: inBin / 300, share: prior.frequencies[bin] });
    }
    const worst = rates.reduce((a, b) => (b.rate < a.rate ? b : a));
    const failing = rates.filter((r) => r.rate < 0.95);
    expect(
      failing,
      `worst bin ${worst.bin} (${(worst.share * 100).toFixed(2)}% of samples): ${(worst.rate * 100).toFixed(1)}% in bin`,
    ).toEqual([]);
    expect(rates.length).toBeGreaterThanOrEqual(10);
  });

  it('reaches the lowest and highest non-empty bins with accepted draws', () => {
    const sampler = new ConditionalSampler(space, prior);
    const rng = new Rng(2);
    const nonEmpty = prior.counts.map((c, b) => (c > 0 ? b : -1)).filter((b) => b >= 0);
    for (const bin of [nonEmpty[0], nonEmpty[nonEmpty.length - 1]]) {
      const draws = Array.from({ length: 30 }, () => sampler.sampleInBin(bin, rng));
      const accepted = draws.filter((d) => d.accepted);
      expect(accepted.length, `bin ${bin} (${prior.counts[bin]} samples)`).toBeGreaterThan(0);
      for (const d of accepted) expect(binOf(prior, countMacs(space, d.subnet))).toBe(bin);
    }
  });

  it('counts give-ups, keeps the last draw, and keeps consistent stats', () => {
    const sampler = new ConditionalSampler(space, prior, 1);
    const rng = new Rng(3);
    const draws = Array.from({ length: 400 }, (_, i) => sampler.sampleInBin(i % B, rng));
    const giveUps = draws.filter((d) => !d.accepted);
    expect(giveUps.length).toBeGreaterThan(0);
    for (const d of draws) {
      expect(d.tries).toBe(1);
      expect(subnetProblems(space, d.subnet)).toEqual([]);
      expect(d.macs).toBe(countMacs(space, d.subnet));
    }
    expect(sampler.stats.draws).toBe(400);
    expect(sampler.stats.giveUps).toBe(giveUps.length);
    expect(sampler.stats.triesTotal).toBe(400);
    expect(sampler.stats.perBin.reduce((a, p) => a + p.draws, 0)).toBe(400);
    expect(sampler.stats.perBin.reduce((a, p) => a + p.giveUps, 0)).toBe(giveUps.length);
    sampler.stats.perBin.forEach((p, b) => expect(p.giveUps).toBe(draws.filter((d) => d.bin === b && !d.accepted).length));
    expect(sampler.giveUpRate()).toBe(giveUps.length / 400);

    const patient = new ConditionalSampler(space, prior);
    const d = patient.sampleInBin(Math.floor(B / 3), new Rng(4));
    expect(d.tries).toBeGreaterThanOrEqual(1);
    expect(patient.stats.triesTotal).toBe(d.tries);
  });

  it('gives up after maxTries (101 by default) in a bin it cannot reach', () => {
    const empty = prior.counts.findIndex((c) => c === 0);
    if (empty < 0) return; // every bin has samples: nothing to check here
    const sampler = new ConditionalSampler(space, prior);
    expect(sampler.maxTries).toBe(101);
    const rng = new Rng(8);
    const draws = Array.from({ length: 5 }, () => sampler.sampleInBin(empty, rng));
    for (const d of draws) if (!d.accepted) expect(d.tries).toBe(101);
    expect(sampler.stats.giveUps).toBe(draws.filter((d) => !d.accepted).length);
  });

  it('is deterministic per seed and rejects bad bins', () => {
    const run = (seed: number) => {
      const sampler = new ConditionalSampler(space, prior);
      const rng = new Rng(seed);
      return Array.from({ length: 40 }, (_, i) => subnetKey(sampler.sampleInBin(i % B, rng).subnet));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
    const sampler = new ConditionalSampler(space, prior);
    expect(() => sampler.sampleInBin(B, new Rng(1))).toThrow(/bin/);
    expect(() => sampler.sampleInBin(-1, new Rng(1))).toThrow(/bin/);
    expect(() => new ConditionalSampler(space, prior, 0)).toThrow(/maxTries/);
  });
});

it('refuses a prior built for another space', () => {
  const prior = buildFlopsPrior(presetSpace('tiny'), { samples: 2000 });
  expect(() => new ConditionalSampler(presetSpace('fashion'), prior)).toThrow(/built for space "tiny"/);
});
