import { describe, expect, it } from 'vitest';
import { choiceIndicesOf, macsRange, makeDirectMacsEvaluator, makeMacsEvaluator, subnetFromChoices } from '../../src/core/space/fast-macs';
import { countMacs } from '../../src/core/space/macs';
import { presetNames, presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { countSubnets, largestSubnet, slotsOf, smallestSubnet, subnetKey } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';

describe.each(presetNames)('fast MACs on %s', (name) => {
  const space = presetSpace(name);
  const rng = new Rng(2024);
  const subnets = Array.from({ length: 2000 }, () => sampleUniform(space, rng));
  subnets.push(smallestSubnet(space), largestSubnet(space));

  it('equals countMacs for 2000 uniform subnets (tabulated and direct evaluators)', () => {
    const evaluate = makeMacsEvaluator(space);
    const direct = makeDirectMacsEvaluator(space);
    const mismatches: string[] = [];
    for (const subnet of subnets) {
      const reference = countMacs(space, subnet);
      const ci = choiceIndicesOf(space, subnet);
      const got = [evaluate(ci), direct(ci), evaluate(Array.from(ci))]; // plain arrays work too
      if (got.some((m) => m !== reference)) mismatches.push(`${subnetKey(subnet)}: ${got.join('/')} vs countMacs ${reference}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('reads a row at an offset without copying', () => {
    const evaluate = makeMacsEvaluator(space);
    const S = slotsOf(space).length;
    const rows = new Uint8Array(10 * S);
    subnets.slice(0, 10).forEach((subnet, i) => rows.set(choiceIndicesOf(space, subnet), i * S));
    subnets.slice(0, 10).forEach((subnet, i) => expect(evaluate(rows, i * S)).toBe(countMacs(space, subnet)));
  });

  it('choiceIndicesOf and subnetFromChoices round-trip', () => {
    const S = slotsOf(space).length;
    const broken = subnets.filter((subnet) => {
      const ci = choiceIndicesOf(space, subnet);
      return !(ci instanceof Uint8Array) || ci.length !== S || subnetKey(subnetFromChoices(space, ci)) !== subnetKey(subnet);
    });
    expect(broken.map(subnetKey)).toEqual([]);
  });

  it('macsRange is the smallest and largest subnet', () => {
    expect(macsRange(space)).toEqual({ minMacs: countMacs(space, smallestSubnet(space)), maxMacs: countMacs(space, largestSubnet(space)) });
  });
});

describe('fast MACs details', () => {
  it('macsRange matches brute-force enumeration of the tiny space', () => {
    const space = presetSpace('tiny');
    const slots = slotsOf(space);
    const evaluate = makeMacsEvaluator(space);
    const total = countSubnets(space);
    const ci = new Uint8Array(slots.length);
    let min = Infinity;
    let max = -Infinity;
    for (let n = 0; n < total; n++) {
      let rest = n;
      slots.forEach((slot, s) => {
        ci[s] = rest % slot.choices.length;
        rest = Math.floor(rest / slot.choices.length);
      });
      const m = evaluate(ci);
      if (n % 37 === 0) expect(m).toBe(countMacs(space, subnetFromChoices(space, ci)));
      min = Math.min(min, m);
      max = Math.max(max, m);
    }
    expect(macsRange(space)).toEqual({ minMacs: min, maxMacs: max });
  });

  it('rejects values outside the space and indices out of range, naming the slot', () => {
    const space = presetSpace('fashion');
    const bad = smallestSubnet(space);
    bad.depth[2] = 7;
    expect(() => choiceIndicesOf(space, bad)).toThrow(/stage 3 depth = 7/);
    const ci = choiceIndicesOf(space, smallestSubnet(space));
    ci[0] = 9;
    expect(() => subnetFromChoices(space, ci)).toThrow(/resolution index 9/);
    expect(() => subnetFromChoices(space, [0, 0])).toThrow(/expected \d+ choice indices/);
  });

  // the speed of 10^6 draws + MACs is a benchmark figure (`npm run bench`: the prior build), not a test
});
