import { describe, expect, it } from 'vitest';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { uniformSampler } from '../../src/core/sampling/sampler';
import { getSlot, slotsOf, subnetKey, subnetProblems } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';

describe('sampleUniform', () => {
  it('gives identical sequences for the same seed and different ones otherwise', () => {
    const space = presetSpace('fashion');
    const run = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 100 }, () => subnetKey(sampleUniform(space, rng)));
    };
    expect(run(10)).toEqual(run(10));
    expect(run(10)).not.toEqual(run(11));
  });

  describe.each(['fashion', 'cifar'] as const)('%s', (name) => {
    const space = presetSpace(name);
    const rng = new Rng(1234);
    const samples = Array.from({ length: 2000 }, () => sampleUniform(space, rng));

    it('produces only valid subnets', () => {
      expect(samples.flatMap((subnet) => subnetProblems(space, subnet))).toEqual([]);
    });

    it('reaches every choice of every slot, roughly uniformly', () => {
      for (const slot of slotsOf(space)) {
        const counts = new Map<number, number>();
        for (const subnet of samples) {
          const v = getSlot(subnet, slot);
          counts.set(v, (counts.get(v) ?? 0) + 1);
        }
        expect([...counts.keys()].sort((a, b) => a - b)).toEqual([...slot.choices]);
        const expected = samples.length / slot.choices.length;
        for (const c of counts.values()) expect(Math.abs(c - expected)).toBeLessThan(0.15 * expected);
      }
    });

    it('draws slots independently (almost all samples distinct)', () => {
      expect(new Set(samples.map(subnetKey)).size).toBeGreaterThan(1990);
    });
  });
});

describe('uniformSampler', () => {
  const space = presetSpace('cifar');

  it('returns the requested number of valid subnets', async () => {
    const sampler = uniformSampler(space);
    expect(sampler.name).toBe('uniform');
    const decision = await sampler.sample(2, { rng: new Rng(5), step: 0 });
    expect(decision.subnets).toHaveLength(2);
    for (const subnet of decision.subnets) expect(subnetProblems(space, subnet)).toEqual([]);
    expect((await sampler.sample(0, { rng: new Rng(5), step: 0 })).subnets).toEqual([]);
  });

  it('is deterministic per seed and equals sampleUniform on the same stream', async () => {
    const sampler = uniformSampler(space);
    const a = await sampler.sample(2, { rng: new Rng(5), step: 0 });
    const b = await sampler.sample(2, { rng: new Rng(5), step: 7 });
    expect(a.subnets).toEqual(b.subnets);
    const c = await sampler.sample(2, { rng: new Rng(6), step: 0 });
    expect(c.subnets.map(subnetKey)).not.toEqual(a.subnets.map(subnetKey));
    const rng = new Rng(5);
    expect(a.subnets).toEqual([sampleUniform(space, rng), sampleUniform(space, rng)]);
  });

  it('advances the caller rng, so successive calls differ', async () => {
    const sampler = uniformSampler(space);
    const rng = new Rng(9);
    const first = await sampler.sample(2, { rng, step: 0 });
    const second = await sampler.sample(2, { rng, step: 1 });
    expect(second.subnets.map(subnetKey)).not.toEqual(first.subnets.map(subnetKey));
  });
});
