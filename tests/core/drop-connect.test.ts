import { describe, expect, it } from 'vitest';
import {
  dropConnectMask,
  dropConnectRates,
  REFERENCE_DROP_CONNECT,
  supernetBlockCount,
  supernetBlockIndex,
} from '../../src/core/space/drop-connect';
import { planSubnet } from '../../src/core/space/plan';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { largestSubnet } from '../../src/core/space/subnet';

describe('dropConnectRates', () => {
  it('fashion: only identity blocks of the last two stages, at 0.2 x supernet index / 11', () => {
    const space = presetSpace('fashion');
    const plan = planSubnet(space, largestSubnet(space));
    expect(supernetBlockCount(space)).toBe(11);
    const rates = dropConnectRates(space, plan.blocks, REFERENCE_DROP_CONNECT);
    // stages of depth 2, 3, 3, 3: stage 2's first block is strided (pool shortcut), stage 3's
    // first block widens 32 -> 40 (conv shortcut); their other blocks are identities
    const expected = [0, 0, 0, 0, 0, 0, 6, 7, 0, 9, 10].map((i) => (0.2 * i) / 11);
    rates.forEach((r, i) => expect(r).toBeCloseTo(expected[i], 15));
    // identity blocks of the first two stages exist, and are left alone
    expect(plan.blocks.some((b, i) => b.stage < 2 && !b.shortcutPool && !b.shortcutConv && rates[i] === 0)).toBe(true);
  });

  it('counts the index over the supernet, so a shallower subnet keeps each block its rate', () => {
    const space = presetSpace('fashion');
    const shallow = { ...largestSubnet(space), depth: [1, 1, 3, 3] };
    const plan = planSubnet(space, shallow);
    expect(plan.blocks.map((b) => supernetBlockIndex(space, b))).toEqual([0, 2, 5, 6, 7, 8, 9, 10]);
    const rates = dropConnectRates(space, plan.blocks, 0.2);
    expect(rates.slice(-2)).toEqual([(0.2 * 9) / 11, (0.2 * 10) / 11]);
  });

  it('tiny (two stages, both "the last two"): blocks 1 and 3 of 4', () => {
    const space = presetSpace('tiny');
    const rates = dropConnectRates(space, planSubnet(space, largestSubnet(space)).blocks, 0.2);
    expect(rates).toEqual([0, 0.2 / 4, 0, (0.2 * 3) / 4]);
  });

  it('is all zeros at rate 0 and refuses a rate outside [0, 1)', () => {
    const space = presetSpace('fashion');
    const blocks = planSubnet(space, largestSubnet(space)).blocks;
    expect(dropConnectRates(space, blocks, 0).every((r) => r === 0)).toBe(true);
    expect(() => dropConnectRates(space, blocks, 1)).toThrow(/\[0, 1\)/);
    expect(() => dropConnectRates(space, blocks, -0.1)).toThrow(/\[0, 1\)/);
  });
});

describe('dropConnectMask', () => {
  it('drops each image with probability p and scales the kept ones by 1 / (1 - p)', () => {
    const p = 0.3;
    const mask = dropConnectMask(20_000, p, new Rng(1));
    const kept = mask.filter((m) => m !== 0);
    expect([...new Set(kept)]).toEqual([Math.fround(1 / 0.7)]);
    expect(Math.abs(1 - kept.length / mask.length - p)).toBeLessThan(0.015);
    // the expectation of the branch is unchanged
    expect(Math.abs(mask.reduce((a, b) => a + b, 0) / mask.length - 1)).toBeLessThan(0.03);
  });

  it('repeats from the same seed and keeps everything at p = 0', () => {
    expect(dropConnectMask(64, 0.1, new Rng(5))).toEqual(dropConnectMask(64, 0.1, new Rng(5)));
    expect(dropConnectMask(64, 0.1, new Rng(5))).not.toEqual(dropConnectMask(64, 0.1, new Rng(6)));
    expect([...dropConnectMask(16, 0, new Rng(1))]).toEqual(new Array(16).fill(1));
  });
});
