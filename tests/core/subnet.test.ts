import { describe, expect, it } from 'vitest';
import { presetNames, presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import {
  buildSubnet,
  cloneSubnet,
  countSubnets,
  getSlot,
  largestSubnet,
  parseSubnet,
  sameSubnet,
  setSlot,
  slotsOf,
  smallestSubnet,
  subnetHash,
  subnetKey,
  subnetProblems,
  type Subnet,
} from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';

const fashion = presetSpace('fashion');

describe('slotsOf', () => {
  it.each(presetNames)('%s: resolution + S+2 widths + 3 slots per stage', (name) => {
    const space = presetSpace(name);
    const s = space.stages.length;
    const slots = slotsOf(space);
    expect(slots).toHaveLength(1 + (s + 2) + 3 * s);
    const count = (key: string) => slots.filter((slot) => slot.key === key).length;
    expect(count('resolution')).toBe(1);
    expect(count('width')).toBe(s + 2);
    expect(count('depth')).toBe(s);
    expect(count('kernel_size')).toBe(s);
    expect(count('expand_ratio')).toBe(s);
    // every (key, index) place is distinct and within range
    const places = slots.map((slot) => `${slot.key}:${slot.index}`);
    expect(new Set(places).size).toBe(slots.length);
    for (const slot of slots) {
      if (slot.key === 'resolution') expect(slot.index).toBe(-1);
      else expect(slot.index).toBeLessThan(slot.key === 'width' ? s + 2 : s);
    }
    // labels are unique (UIs show them)
    expect(new Set(slots.map((slot) => slot.label)).size).toBe(slots.length);
  });

  it('takes choices from the right part of the space', () => {
    const slots = slotsOf(fashion);
    const find = (key: string, index: number) => slots.find((s) => s.key === key && s.index === index)!;
    expect(find('resolution', -1).choices).toEqual(fashion.resolutions);
    expect(find('width', 0).choices).toEqual(fashion.stem.widths);
    expect(find('width', 1).choices).toEqual(fashion.stages[0].widths);
    expect(find('width', 4).choices).toEqual(fashion.stages[3].widths);
    expect(find('width', 5).choices).toEqual(fashion.lastConv.widths);
    expect(find('depth', 2).choices).toEqual(fashion.stages[2].depths);
    expect(find('kernel_size', 3).choices).toEqual(fashion.stages[3].kernelSizes);
    expect(find('expand_ratio', 0).choices).toEqual(fashion.stages[0].expandRatios);
  });

  it('countSubnets is the product of the slot sizes', () => {
    const tiny = presetSpace('tiny');
    // resolution 2 * stem 1 * widths 2*2 * last 1 * depths 2*2 * kernels 2*1 * expand 1*2
    expect(countSubnets(tiny)).toBe(2 * 1 * 2 * 2 * 1 * 2 * 2 * 2 * 1 * 1 * 2);
  });

  it('getSlot/setSlot address the same place', () => {
    const subnet = smallestSubnet(fashion);
    for (const slot of slotsOf(fashion)) {
      const top = slot.choices[slot.choices.length - 1];
      setSlot(subnet, slot, top);
      expect(getSlot(subnet, slot)).toBe(top);
    }
    expect(subnet).toEqual(largestSubnet(fashion));
  });
});

describe('largest and smallest subnet', () => {
  it('pick the last and first choice of every slot', () => {
    const large = largestSubnet(fashion);
    const small = smallestSubnet(fashion);
    for (const slot of slotsOf(fashion)) {
      expect(getSlot(large, slot)).toBe(slot.choices[slot.choices.length - 1]);
      expect(getSlot(small, slot)).toBe(slot.choices[0]);
    }
    expect(large).toEqual({
      resolution: 28,
      width: [16, 16, 24, 32, 40, 96],
      depth: [2, 3, 3, 3],
      kernel_size: [5, 5, 5, 5],
      expand_ratio: [1, 6, 6, 6],
    });
    expect(small).toEqual({
      resolution: 20,
      width: [8, 8, 16, 24, 32, 64],
      depth: [1, 1, 1, 1],
      kernel_size: [3, 3, 3, 3],
      expand_ratio: [1, 3, 3, 3],
    });
  });

  it('buildSubnet passes the slot index in order', () => {
    const seen: number[] = [];
    buildSubnet(fashion, (slot, i) => {
      seen.push(i);
      return slot.choices[0];
    });
    expect(seen).toEqual(slotsOf(fashion).map((_, i) => i));
  });
});

describe('encoding round trips', () => {
  it('survives JSON stringify/parse with the same key and content', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const subnet = sampleUniform(fashion, rng);
      const back = parseSubnet(fashion, JSON.parse(JSON.stringify(subnet)));
      expect(back).toEqual(subnet);
      expect(subnetKey(back)).toBe(subnetKey(subnet));
      expect(subnetHash(back)).toBe(subnetHash(subnet));
      expect(sameSubnet(back, subnet)).toBe(true);
    }
  });

  it('parseSubnet returns a copy that does not alias its input', () => {
    const input = largestSubnet(fashion);
    const parsed = parseSubnet(fashion, input);
    parsed.width[0] = 8;
    expect(input.width[0]).toBe(16);
    const clone = cloneSubnet(input);
    clone.depth[0] = 1;
    expect(input.depth[0]).toBe(2);
  });

  it('subnetKey does not depend on key order', () => {
    const a = largestSubnet(fashion);
    const reordered = {
      expand_ratio: [...a.expand_ratio],
      kernel_size: [...a.kernel_size],
      depth: [...a.depth],
      width: [...a.width],
      resolution: a.resolution,
    } as Subnet;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(a));
    expect(subnetKey(reordered)).toBe(subnetKey(a));
    expect(subnetKey(parseSubnet(fashion, JSON.parse(JSON.stringify(reordered))))).toBe(subnetKey(a));
    expect(subnetKey(a)).toBe('r28-w16.16.24.32.40.96-d2.3.3.3-k5.5.5.5-e1.6.6.6');
  });

  it('subnetKey tells apart subnets that differ in one slot', () => {
    const base = smallestSubnet(fashion);
    const keys = new Set([subnetKey(base)]);
    for (const slot of slotsOf(fashion)) {
      if (slot.choices.length < 2) continue;
      const changed = cloneSubnet(base);
      setSlot(changed, slot, slot.choices[1]);
      keys.add(subnetKey(changed));
      expect(sameSubnet(changed, base)).toBe(false);
    }
    expect(keys.size).toBe(1 + slotsOf(fashion).filter((s) => s.choices.length > 1).length);
  });

  it('subnetHash is 8 hex chars, and distinct keys give distinct hashes', () => {
    const rng = new Rng(2);
    const byKey = new Map<string, string>();
    for (let i = 0; i < 2000; i++) {
      const subnet = sampleUniform(fashion, rng);
      byKey.set(subnetKey(subnet), subnetHash(subnet));
    }
    expect([...byKey.values()].filter((hash) => !/^[0-9a-f]{8}$/.test(hash))).toEqual([]);
    expect(byKey.size).toBeGreaterThan(1900);
    expect(new Set(byKey.values()).size).toBe(byKey.size);
    // zero-padded: hashes are always 8 chars even when the top nibble is 0
    expect(subnetHash(smallestSubnet(presetSpace('tiny')))).toHaveLength(8);
  });
});

describe('subnetProblems and parseSubnet', () => {
  const valid = () => largestSubnet(fashion) as unknown as Record<string, unknown>;

  it('accepts every valid subnet with no problems', () => {
    expect(subnetProblems(fashion, largestSubnet(fashion))).toEqual([]);
    expect(subnetProblems(fashion, smallestSubnet(fashion))).toEqual([]);
  });

  it('reports wrong array lengths', () => {
    const bad = { ...valid(), depth: [1, 2, 3], width: [16, 16, 24, 32, 40, 96, 96] };
    const problems = subnetProblems(fashion, bad);
    expect(problems).toContain('width: expected 6 entries, got 7');
    expect(problems).toContain('depth: expected 4 entries, got 3');
    expect(() => parseSubnet(fashion, bad)).toThrow(/Invalid subnet for space "fashion".*depth: expected 4 entries, got 3/);
  });

  it('reports values that are not among the choices, naming the place', () => {
    const bad = { ...valid(), depth: [2, 3, 4, 3], resolution: 26 };
    const problems = subnetProblems(fashion, bad);
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.startsWith('resolution') && p.includes('26') && p.includes('20, 24, 28'))).toBe(true);
    const depthProblem = problems.find((p) => p.includes('depth[2]'));
    expect(depthProblem).toBeDefined();
    expect(depthProblem).toContain('stage 3 depth');
    expect(depthProblem).toContain('= 4');
    expect(depthProblem).toContain('1, 2, 3');
    expect(() => parseSubnet(fashion, bad)).toThrow(/depth\[2\]/);
  });

  it('checks each width slot against its own choices', () => {
    // 40 is a valid width for stage 4 but not for the stem
    const bad = { ...valid(), width: [40, 16, 24, 32, 40, 96] };
    const problems = subnetProblems(fashion, bad);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('width[0]');
    expect(problems[0]).toContain('stem width');
  });

  it('reports wrong types', () => {
    const problems = subnetProblems(fashion, { ...valid(), resolution: '28' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^resolution: /);
    expect(() => parseSubnet(fashion, { ...valid(), resolution: '28' })).toThrow(/resolution/);
    expect(subnetProblems(fashion, { ...valid(), kernel_size: [3, 3, 3.5, 3] }).join(' ')).toMatch(/kernel_size\.2/);
    expect(subnetProblems(fashion, null)).toHaveLength(1);
    expect(() => parseSubnet(fashion, 'r28')).toThrow(/Invalid subnet/);
  });

  it('reports missing keys', () => {
    const { kernel_size: _k, ...missing } = valid();
    const problems = subnetProblems(fashion, missing);
    expect(problems.join(' ')).toContain('kernel_size');
    expect(() => parseSubnet(fashion, missing)).toThrow(/kernel_size/);
  });

  it('rejects a subnet of another space', () => {
    expect(subnetProblems(fashion, largestSubnet(presetSpace('tiny'))).length).toBeGreaterThan(0);
    expect(() => parseSubnet(presetSpace('cifar'), largestSubnet(fashion))).toThrow(/Invalid subnet for space "cifar"/);
  });
});
