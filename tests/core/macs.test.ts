import { describe, expect, it } from 'vitest';
import { countedLayers, countMacs, countParams, toMflops } from '../../src/core/space/macs';
import { convOutSize, planSubnet, poolOutSize, seChannelsFor } from '../../src/core/space/plan';
import { presetNames, presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { cloneSubnet, getSlot, largestSubnet, setSlot, slotsOf, smallestSubnet } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';

describe('plan helpers', () => {
  it('convOutSize uses padding k//2', () => {
    expect(convOutSize(28, 3, 2)).toBe(14); // floor((28 + 2 - 3) / 2) + 1
    expect(convOutSize(7, 3, 2)).toBe(4); // floor((7 + 2 - 3) / 2) + 1
    expect(convOutSize(7, 5, 2)).toBe(4); // floor((7 + 4 - 5) / 2) + 1
    expect(convOutSize(12, 5, 1)).toBe(12);
    expect(convOutSize(1, 3, 2)).toBe(1);
  });

  it('poolOutSize is ceil mode and matches convOutSize for odd kernels', () => {
    expect(poolOutSize(7, 2)).toBe(4);
    expect(poolOutSize(8, 2)).toBe(4);
    for (let size = 1; size <= 40; size++) {
      for (const k of [1, 3, 5, 7]) expect(poolOutSize(size, 2)).toBe(convOutSize(size, k, 2));
    }
  });

  it('seChannelsFor is make_divisible(hidden / 4, 8)', () => {
    expect(seChannelsFor(16)).toBe(8);
    expect(seChannelsFor(96)).toBe(24);
    expect(seChannelsFor(240)).toBe(64); // 60 -> floor(64/8)*8 = 64
  });
});

describe('planSubnet', () => {
  it('fashion largest: stem out 14, final size 4, right block strides and channels', () => {
    const space = presetSpace('fashion');
    const plan = planSubnet(space, largestSubnet(space));
    expect(plan.stem).toEqual({ outChannels: 16, kernelSize: 3, stride: 2, outSize: 14 });
    expect(plan.blocks).toHaveLength(2 + 3 + 3 + 3);
    // stage strides 1, 2, 2, 1: 14 -> 14 -> 7 -> 4 -> 4
    expect(plan.blocks.map((b) => b.outSize)).toEqual([14, 14, 7, 7, 7, 4, 4, 4, 4, 4, 4]);
    expect(plan.blocks.map((b) => b.stride)).toEqual([1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1]);
    expect(plan.lastConv).toEqual({ inChannels: 40, outChannels: 96, size: 4 });
    for (let i = 1; i < plan.blocks.length; i++) {
      expect(plan.blocks[i].inChannels).toBe(plan.blocks[i - 1].outChannels);
      expect(plan.blocks[i].inSize).toBe(plan.blocks[i - 1].outSize);
    }
    const firstOfStage2 = plan.blocks[5];
    expect(firstOfStage2).toMatchObject({
      stage: 2,
      block: 0,
      inChannels: 24,
      hiddenChannels: 144,
      outChannels: 32,
      seChannels: 40, // make_divisible(36) = 40
      shortcutPool: true,
      shortcutConv: true,
    });
    expect(plan.blocks[6]).toMatchObject({ shortcutPool: false, shortcutConv: false });
    expect(plan.blocks.slice(0, 5).every((b) => b.seChannels === 0)).toBe(true);
  });

  it('strided block with unchanged channels gets an avg-pool shortcut but no 1x1 conv', () => {
    const space = presetSpace('fashion');
    const subnet = smallestSubnet(space);
    subnet.width = [16, 16, 16, 24, 32, 64]; // stage 2 (stride 2) keeps 16 channels
    const plan = planSubnet(space, subnet);
    expect(plan.blocks[1]).toMatchObject({ stage: 1, stride: 2, inChannels: 16, outChannels: 16, shortcutPool: true, shortcutConv: false });
    expect(plan.blocks[0]).toMatchObject({ stride: 1, shortcutPool: false, shortcutConv: false });
    expect(plan.blocks[2]).toMatchObject({ stride: 2, shortcutPool: true, shortcutConv: true });
    expect(countedLayers(plan).some((l) => l.name === 's1.b0.shortcut')).toBe(false);
    expect(countedLayers(plan).some((l) => l.name === 's2.b0.shortcut')).toBe(true);
  });

  it('fashion smallest: resolution 20 gives stem 10 and final 3', () => {
    const space = presetSpace('fashion');
    const plan = planSubnet(space, smallestSubnet(space));
    expect(plan.stem.outSize).toBe(10);
    expect(plan.blocks.map((b) => b.outSize)).toEqual([10, 5, 3, 3]);
    expect(plan.lastConv.size).toBe(3);
  });
});

describe('countMacs and countParams', () => {
  it('match a hand count for the tiny smallest subnet', () => {
    const space = presetSpace('tiny');
    const subnet = smallestSubnet(space);
    expect(subnet).toEqual({ resolution: 12, width: [8, 8, 16, 32], depth: [1, 1], kernel_size: [3, 3], expand_ratio: [1, 2] });
    // stem: 1 -> 8, k3 s2, 12 -> floor((12 + 2 - 3) / 2) + 1 = 6     MACs 1*8*9*6*6   = 2592
    // s0.b0 (e=1, no expand, no SE, stride 1, 8 -> 8, size 6):
    //   dw      8*3*3*6*6   = 2592
    //   project 8*8*6*6     = 2304         (no shortcut conv: 8 == 8)
    // s1.b0 (e=2, stride 2, SE, 8 -> 16, hidden 16, 6 -> floor((6 + 2 - 3) / 2) + 1 = 3):
    //   expand  8*16*6*6    = 4608         (1x1 at the input size)
    //   dw      16*3*3*3*3  = 1296
    //   se      make_divisible(16/4 = 4) = 8 channels: 16*8 + 8*16 = 256
    //   project 16*16*3*3   = 2304
    //   shortcut 8*16*3*3   = 1152         (channels change)
    // last: 16 -> 32 at 3x3 = 16*32*9 = 4608
    // head: 32*10 = 320
    const macs = 2592 + 2592 + 2304 + 4608 + 1296 + 256 + 2304 + 1152 + 4608 + 320;
    expect(macs).toBe(22032);
    expect(countMacs(space, subnet)).toBe(macs);
    expect(toMflops(countMacs(space, subnet))).toBeCloseTo(0.022032, 9);

    // params = weights + biases (SE convs, head) + BN gamma/beta (2 per channel)
    // stem: 1*9*8 = 72 + bn 16                                            = 88
    // s0.b0: dw 9*8 = 72, project 8*8 = 64, bn(dw 8) 16 + bn(out 8) 16    = 168
    // s1.b0: expand 8*16 = 128, dw 9*16 = 144, se.reduce 16*8 + 8 = 136,
    //        se.expand 8*16 + 16 = 144, project 16*16 = 256, shortcut 8*16 = 128,
    //        bn(expand 16) 32 + bn(dw 16) 32 + bn(out 16) 32 = 96          = 1032
    // last: 16*32 = 512 + bn 64                                           = 576
    // head: 32*10 + 10                                                    = 330
    const params = 88 + 168 + 1032 + 576 + 330;
    expect(params).toBe(2194);
    expect(countParams(space, subnet)).toBe(params);
  });

  it('lists the tiny smallest subnet layers in forward order with per-layer MACs', () => {
    const space = presetSpace('tiny');
    const layers = countedLayers(planSubnet(space, smallestSubnet(space)));
    expect(layers.map((l) => [l.name, l.macs])).toEqual([
      ['stem', 2592],
      ['s0.b0.dw', 2592],
      ['s0.b0.project', 2304],
      ['s1.b0.expand', 4608],
      ['s1.b0.dw', 1296],
      ['s1.b0.se.reduce', 128],
      ['s1.b0.se.expand', 128],
      ['s1.b0.project', 2304],
      ['s1.b0.shortcut', 1152],
      ['last.conv', 4608], // named like the engine's layer (src/engine: 'last.conv')
      ['head', 320],
    ]);
  });

  it.each(presetNames)('%s: countedLayers names are unique, including the largest subnet', (name) => {
    const space = presetSpace(name);
    const rng = new Rng(5);
    for (const subnet of [largestSubnet(space), smallestSubnet(space), ...Array.from({ length: 20 }, () => sampleUniform(space, rng))]) {
      const names = countedLayers(planSubnet(space, subnet)).map((l) => l.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('increasing any single slot one step never decreases MACs (fashion, 200 subnets)', () => {
    const space = presetSpace('fashion');
    const slots = slotsOf(space);
    const rng = new Rng(31);
    let strictIncreases = 0;
    for (let i = 0; i < 200; i++) {
      const subnet = sampleUniform(space, rng);
      const base = countMacs(space, subnet);
      for (const slot of slots) {
        const at = slot.choices.indexOf(getSlot(subnet, slot));
        if (at === slot.choices.length - 1) continue;
        const up = cloneSubnet(subnet);
        setSlot(up, slot, slot.choices[at + 1]);
        const macs = countMacs(space, up);
        if (macs < base) throw new Error(`${slot.label} ${getSlot(subnet, slot)} -> ${getSlot(up, slot)} lowered MACs ${base} -> ${macs}`);
        if (macs > base) strictIncreases++;
      }
    }
    expect(strictIncreases).toBeGreaterThan(1000);
  });

  it('params never decrease when a non-resolution slot grows, and do not depend on resolution', () => {
    const space = presetSpace('cifar');
    const rng = new Rng(32);
    for (let i = 0; i < 50; i++) {
      const subnet = sampleUniform(space, rng);
      const base = countParams(space, subnet);
      for (const slot of slotsOf(space)) {
        const at = slot.choices.indexOf(getSlot(subnet, slot));
        if (at === slot.choices.length - 1) continue;
        const up = cloneSubnet(subnet);
        setSlot(up, slot, slot.choices[at + 1]);
        if (slot.key === 'resolution') expect(countParams(space, up)).toBe(base);
        else expect(countParams(space, up)).toBeGreaterThanOrEqual(base);
      }
    }
  });

  it('matches the MAC range documented in presets.ts for fashion (0.17 to 4.0 M)', () => {
    const space = presetSpace('fashion');
    expect(toMflops(countMacs(space, smallestSubnet(space)))).toBeCloseTo(0.17, 2);
    expect(toMflops(countMacs(space, largestSubnet(space)))).toBeCloseTo(4.0, 1);
  });
});
