import { describe, expect, it } from 'vitest';
import { subnetFromChoices } from '../../src/core/space/fast-macs';
import { binOf, binWeights, buildFlopsPrior, cachedFlopsPrior, drawBin, type FlopsPrior } from '../../src/core/sampling/flops-prior';
import { countMacs } from '../../src/core/space/macs';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { largestSubnet, slotsOf, smallestSubnet } from '../../src/core/space/subnet';

const fashion = presetSpace('fashion');
const cifar = presetSpace('cifar');
const fashionPrior = buildFlopsPrior(fashion, { samples: 50_000, seed: 1 });
const cifarPrior = buildFlopsPrior(cifar, { samples: 50_000, seed: 1 });

const isRoundWidth = (w: number) => {
  const p = 10 ** Math.floor(Math.log10(w));
  return [1, 2, 2.5, 5, 10].some((m) => Math.abs(w / p - m) < 1e-9);
};

describe('buildFlopsPrior', () => {
  it('frequencies match a histogram recomputed with countMacs and binOf over the pool', () => {
    const prior = buildFlopsPrior(fashion, { samples: 20_000, seed: 3 });
    const { choices, macs, bins, slots } = prior.pool;
    expect(slots).toBe(slotsOf(fashion).length);
    expect(choices.length).toBe(20_000 * slots);
    const counts = new Array(prior.counts.length).fill(0);
    const mismatches: string[] = [];
    for (let i = 0; i < prior.samples; i++) {
      const m = countMacs(fashion, subnetFromChoices(fashion, choices.subarray(i * slots, (i + 1) * slots)));
      const b = binOf(prior, m);
      if (macs[i] !== m || bins[i] !== b) mismatches.push(`#${i}: pool ${macs[i]} in ${bins[i]}, countMacs ${m} in ${b}`);
      if (!(m >= prior.edges[b] && (m < prior.edges[b + 1] || (b === prior.counts.length - 1 && m === prior.edges[b + 1])))) {
        mismatches.push(`#${i}: ${m} not inside bin ${b} [${prior.edges[b]}, ${prior.edges[b + 1]})`);
      }
      counts[b]++;
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(prior.counts).toEqual(counts);
    expect(prior.frequencies).toEqual(counts.map((c) => c / prior.samples));
  });

  it.each([
    ['fashion', fashion, fashionPrior],
    ['cifar', cifar, cifarPrior],
  ] as const)('%s: 10..40 round bins covering the whole space, frequencies sum to 1', (_, space, prior) => {
    const B = prior.counts.length;
    expect(B).toBeGreaterThanOrEqual(10);
    expect(B).toBeLessThanOrEqual(40);
    expect(prior.edges).toHaveLength(B + 1);
    const width = prior.edges[1] - prior.edges[0];
    expect(isRoundWidth(width)).toBe(true);
    for (let b = 0; b < B; b++) expect(prior.edges[b + 1] - prior.edges[b]).toBeCloseTo(width, 6);
    expect(prior.minMacs).toBe(countMacs(space, smallestSubnet(space)));
    expect(prior.maxMacs).toBe(countMacs(space, largestSubnet(space)));
    expect(prior.edges[0]).toBeLessThanOrEqual(prior.minMacs);
    expect(prior.edges[B]).toBeGreaterThanOrEqual(prior.maxMacs);
    expect(prior.frequencies.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(prior.counts.reduce((a, b) => a + b, 0)).toBe(prior.samples);
  });

  it('tables: rows sum to 1, match the pool, and empty bins get uniform rows', () => {
    for (const prior of [fashionPrior, cifarPrior]) {
      for (const table of prior.tables) for (const row of table) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    const prior = fashionPrior;
    const { choices, bins, slots } = prior.pool;
    const b = prior.counts.indexOf(Math.max(...prior.counts));
    const direct = slotsOf(fashion).map((slot) => new Array(slot.choices.length).fill(0));
    for (let i = 0; i < prior.samples; i++) if (bins[i] === b) for (let s = 0; s < slots; s++) direct[s][choices[i * slots + s]]++;
    expect(prior.tables[b]).toEqual(direct.map((row) => row.map((c) => c / prior.counts[b])));
    const empty = prior.counts.findIndex((c) => c === 0);
    expect(empty).toBeGreaterThanOrEqual(0); // fashion's top bin is all but empty at 50k samples
    prior.tables[empty].forEach((row) => row.forEach((p) => expect(p).toBe(1 / row.length)));
  });

  it('binWidth sets the width (edges on its multiples); bins cuts [min, max] exactly', () => {
    const wide = buildFlopsPrior(fashion, { samples: 5000, binWidth: 250_000 });
    for (const e of wide.edges) expect(e % 250_000).toBe(0);
    expect(wide.edges[0]).toBe(0);
    expect(wide.edges.at(-1)).toBe(4_250_000);
    expect(wide.counts).toHaveLength(17);
    const twelve = buildFlopsPrior(fashion, { samples: 5000, bins: 12 });
    expect(twelve.counts).toHaveLength(12);
    expect(twelve.edges[0]).toBe(twelve.minMacs);
    expect(twelve.edges[12]).toBe(twelve.maxMacs);
    // binWidth overrides bins
    expect(buildFlopsPrior(fashion, { samples: 5000, bins: 12, binWidth: 500_000 }).counts).toHaveLength(9);
  });

  it('is deterministic per seed', () => {
    const a = buildFlopsPrior(fashion, { samples: 10_000, seed: 9 });
    const b = buildFlopsPrior(fashion, { samples: 10_000, seed: 9 });
    const c = buildFlopsPrior(fashion, { samples: 10_000, seed: 10 });
    expect(a.counts).toEqual(b.counts);
    const same = (x: Uint8Array, y: Uint8Array) => Buffer.compare(x, y) === 0;
    expect(same(a.pool.choices, b.pool.choices)).toBe(true);
    expect(a.tables).toEqual(b.tables);
    expect(same(a.pool.choices, c.pool.choices)).toBe(false);
  });

  it('rejects bad options, naming the option', () => {
    expect(() => buildFlopsPrior(fashion, { samples: 999 })).toThrow(/"samples"/);
    expect(() => buildFlopsPrior(fashion, { samples: 1500.5 })).toThrow(/"samples"/);
    expect(() => buildFlopsPrior(fashion, { samples: 5000, seed: -1 })).toThrow(/"seed"/);
    expect(() => buildFlopsPrior(fashion, { samples: 5000, binWidth: 1000 })).toThrow(/"binWidth".*gives 3874 bins/);
    expect(() => buildFlopsPrior(fashion, { samples: 5000, binWidth: 1e8 })).toThrow(/"binWidth".*gives 1 bins/);
    expect(() => buildFlopsPrior(fashion, { samples: 5000, binWidth: -5 })).toThrow(/"binWidth"/);
    expect(() => buildFlopsPrior(fashion, { samples: 5000, bins: 1 })).toThrow(/"bins"/);
    expect(() => buildFlopsPrior(fashion, { samples: 5000, bins: 201 })).toThrow(/"bins"/);
  });

  // its build time is a benchmark figure (`npm run bench`), not a test: this machine is shared
  it('builds the default 10^6-sample prior', () => {
    const prior = buildFlopsPrior(cifar);
    expect(prior.samples).toBe(1_000_000);
    expect(prior.seed).toBe(0);
    expect(prior.counts.reduce((a, b) => a + b, 0)).toBe(1_000_000);
    expect(prior.pool.choices.length).toBe(1_000_000 * prior.pool.slots);
  });
});

describe('binOf', () => {
  it('is -1 outside [minMacs, maxMacs] and puts the extremes in the end bins', () => {
    const p = fashionPrior;
    expect(binOf(p, p.minMacs - 1)).toBe(-1);
    expect(binOf(p, p.maxMacs + 1)).toBe(-1);
    expect(binOf(p, NaN)).toBe(-1);
    expect(binOf(p, p.minMacs)).toBe(0);
    expect(binOf(p, p.maxMacs)).toBe(p.counts.length - 1);
    for (let b = 1; b < p.counts.length - 1; b++) {
      expect(binOf(p, p.edges[b])).toBe(b);
      expect(binOf(p, p.edges[b] - 1)).toBe(b - 1);
    }
  });
});

describe('bin weights and drawBin', () => {
  const check = (prior: FlopsPrior, mode: 'empirical' | 'uniform') => {
    const weights = binWeights(prior, mode);
    const rng = new Rng(77);
    const n = 40_000;
    const hist = new Array(weights.length).fill(0);
    for (let i = 0; i < n; i++) hist[drawBin(prior, mode, rng)]++;
    weights.forEach((w, b) => {
      if (w === 0) expect(hist[b]).toBe(0);
      else expect(Math.abs(hist[b] / n - w)).toBeLessThan(0.012);
    });
  };

  it('empirical weights are the frequencies', () => {
    expect(binWeights(fashionPrior, 'empirical')).toEqual(fashionPrior.frequencies);
    check(fashionPrior, 'empirical');
  });

  it('uniform weights are equal over non-empty bins', () => {
    const w = binWeights(fashionPrior, 'uniform');
    const nonEmpty = fashionPrior.counts.filter((c) => c > 0).length;
    fashionPrior.counts.forEach((c, b) => expect(w[b]).toBe(c > 0 ? 1 / nonEmpty : 0));
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    check(fashionPrior, 'uniform');
    check(cifarPrior, 'uniform');
  });

  it('drawBin is deterministic per seed', () => {
    const draws = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => drawBin(cifarPrior, 'empirical', rng));
    };
    expect(draws(4)).toEqual(draws(4));
    expect(draws(4)).not.toEqual(draws(5));
  });
});

describe('cachedFlopsPrior', () => {
  it('memoises per space and options', () => {
    const a = cachedFlopsPrior(fashion, { samples: 5000, seed: 2 });
    expect(cachedFlopsPrior(structuredClone(fashion), { seed: 2, samples: 5000 })).toBe(a);
    expect(cachedFlopsPrior(fashion, { samples: 5000, seed: 3 })).not.toBe(a);
    expect(cachedFlopsPrior(cifar, { samples: 5000, seed: 2 })).not.toBe(a);
  });
});
