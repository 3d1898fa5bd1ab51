import { describe, expect, it } from 'vitest';
import { countMacs } from '../../src/core/space/macs';
import { presetNames, presetSpace, presetSpaces } from '../../src/core/space/presets';
import { makeDivisible, parseSearchSpace, type SearchSpace } from '../../src/core/space/space';
import { countSubnets, largestSubnet, smallestSubnet } from '../../src/core/space/subnet';

describe('preset search spaces', () => {
  it.each(presetNames)('%s passes parseSearchSpace unchanged', (name) => {
    const space = presetSpaces[name];
    expect(parseSearchSpace(space)).toEqual(space);
  });

  describe.each(['fashion', 'cifar'] as const)('%s', (name) => {
    const space = presetSpaces[name];

    it('has at least 1e5 subnets', () => {
      expect(countSubnets(space)).toBeGreaterThanOrEqual(1e5);
    });

    it('spans at least 8x in MACs from smallest to largest', () => {
      const small = countMacs(space, smallestSubnet(space));
      const large = countMacs(space, largestSubnet(space));
      expect(small).toBeGreaterThan(0);
      expect(large / small).toBeGreaterThanOrEqual(8);
    });

    it('uses widths that are multiples of 8 everywhere', () => {
      const widths = [...space.stem.widths, ...space.stages.flatMap((s) => s.widths), ...space.lastConv.widths];
      for (const w of widths) expect(w % 8).toBe(0);
    });

    it('keeps every dimension elastic', () => {
      expect(space.resolutions.length).toBeGreaterThan(1);
      for (const stage of space.stages) {
        expect(stage.widths.length).toBeGreaterThan(1);
        expect(stage.depths.length).toBeGreaterThan(1);
        expect(stage.kernelSizes.length).toBeGreaterThan(1);
      }
      expect(space.stages.some((s) => s.expandRatios.length > 1)).toBe(true);
    });
  });

  it('matches the counts stated in presets.ts', () => {
    expect(countSubnets(presetSpaces.fashion)).toBe(4_478_976);
    expect(countSubnets(presetSpaces.cifar)).toBe(4_478_976);
  });

  it('presetSpace returns a validated deep copy', () => {
    const a = presetSpace('fashion');
    expect(a).toEqual(presetSpaces.fashion);
    expect(a).not.toBe(presetSpaces.fashion);
    a.stages[0].widths.push(999);
    expect(presetSpace('fashion').stages[0].widths).toEqual(presetSpaces.fashion.stages[0].widths);
  });

  it('presetSpace rejects an unknown name and lists the choices', () => {
    expect(() => presetSpace('nope')).toThrow(/Unknown search space "nope".*fashion, cifar, quick, tiny/);
  });

  // `name in presetSpaces` was true for inherited keys: '__proto__' returned {} and 'toString'
  // threw a DataCloneError; the lookup now uses Object.hasOwn.
  it('presetSpace rejects Object.prototype keys with the usual message', () => {
    for (const name of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
      expect(() => presetSpace(name)).toThrow(/Unknown search space/);
    }
  });
});

describe('parseSearchSpace', () => {
  const withStage1 = (patch: Partial<SearchSpace['stages'][number]>): unknown => {
    const space = presetSpace('fashion');
    space.stages[1] = { ...space.stages[1], ...patch };
    return space;
  };

  it('rejects a width that is not a multiple of 8, naming the field path', () => {
    expect(() => parseSearchSpace(withStage1({ widths: [12, 24] }))).toThrow(/Invalid search space: .*stages\.1\.widths.*multiples of 8/);
  });

  it('rejects even kernel sizes', () => {
    expect(() => parseSearchSpace(withStage1({ kernelSizes: [3, 4] }))).toThrow(/stages\.1\.kernelSizes.*odd/);
    const space = presetSpace('fashion');
    space.stem.kernelSize = 4;
    expect(() => parseSearchSpace(space)).toThrow(/stem\.kernelSize.*odd/);
  });

  it('rejects unsorted or duplicate choices and empty choice lists', () => {
    expect(() => parseSearchSpace(withStage1({ depths: [2, 1] }))).toThrow(/stages\.1\.depths.*strictly increasing/);
    expect(() => parseSearchSpace(withStage1({ depths: [2, 2] }))).toThrow(/strictly increasing/);
    expect(() => parseSearchSpace(withStage1({ expandRatios: [] }))).toThrow(/stages\.1\.expandRatios.*at least one/);
  });

  it('rejects a stride other than 1 or 2 and a resolution beyond twice the input', () => {
    expect(() => parseSearchSpace(withStage1({ stride: 3 as 1 }))).toThrow(/stages\.1\.stride/);
    const space = presetSpace('fashion');
    space.resolutions = [28, 57];
    expect(() => parseSearchSpace(space)).toThrow(/resolutions: largest resolution 57/);
    space.resolutions = [28, 56];
    expect(() => parseSearchSpace(space)).not.toThrow();
  });

  it('rejects non-objects and missing fields', () => {
    expect(() => parseSearchSpace(null)).toThrow(/Invalid search space/);
    const { stages: _stages, ...noStages } = presetSpace('cifar');
    expect(() => parseSearchSpace(noStages)).toThrow(/stages/);
  });

  it.each(presetNames)('%s survives a JSON round trip', (name) => {
    const space = presetSpace(name);
    const copy: unknown = JSON.parse(JSON.stringify(space));
    const parsed = parseSearchSpace(copy);
    expect(parsed).toEqual(space);
    expect(countMacs(parsed, largestSubnet(parsed))).toBe(countMacs(space, largestSubnet(space)));
  });
});

describe('makeDivisible', () => {
  it('rounds to the nearest multiple, at least the divisor, never below 90%', () => {
    expect(makeDivisible(4)).toBe(8); // never below the divisor
    expect(makeDivisible(12)).toBe(16); // floor((12 + 4) / 8) * 8
    expect(makeDivisible(16)).toBe(16);
    expect(makeDivisible(17)).toBe(16); // floor(21 / 8) * 8 = 16 >= 0.9 * 17 = 15.3
    // 0.9 rule: floor(23 / 8) * 8 = 16 < 0.9 * 19 = 17.1, so one divisor more
    expect(makeDivisible(19)).toBe(24);
    expect(makeDivisible(11.9)).toBe(16); // 8 < 0.9 * 11.9 = 10.71
    expect(makeDivisible(35.5)).toBe(32); // 32 >= 0.9 * 35.5 = 31.95
    expect(makeDivisible(3, 4)).toBe(4);
    for (let v = 1; v < 500; v += 0.5) {
      const r = makeDivisible(v);
      expect(r % 8).toBe(0);
      expect(r).toBeGreaterThanOrEqual(0.9 * v);
    }
  });
});
