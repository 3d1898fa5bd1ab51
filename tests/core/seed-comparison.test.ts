import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/training/rng';
import { compareOverSeeds, measurementsOf, type RunMeasurements } from '../../src/core/comparison/seed-comparison';
import { comparisonCaption, differenceText, formatSeedComparison } from '../../src/core/comparison/seed-comparison-table';

const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
/** subnet quality shared by every run: the pairing should cancel it */
const subnetEffect = [0.0, 0.1, -0.1, 0.05, -0.05, 0.02];

function run(sampler: string, seed: number, shift: number, noise: number, rng: Rng, net = 0.8): RunMeasurements {
  const range = (index: number, lo: number) => ({
    index,
    loMacs: lo,
    hiMacs: lo + 1e6,
    subnets: keys.map((key, j) => ({ key, accuracy: 0.6 + index * 0.05 + subnetEffect[j] + shift + noise * rng.normal() })),
  });
  return {
    sampler,
    seed,
    ranges: [range(0, 1e6), range(1, 2e6)],
    largest: net + shift + noise * rng.normal(),
    smallest: net - 0.2 + shift + noise * rng.normal(),
  };
}

function fixture() {
  const rng = new Rng(9);
  const runs: RunMeasurements[] = [];
  for (const seed of [1, 2, 3]) {
    runs.push(run('Uniform', seed, 0, 0.01, rng));
    runs.push(run('BestUp-3 (loss)', seed, -0.05, 0.01, rng));
    runs.push(run('WorstUp-3 (loss)', seed, 0, 0.01, rng));
    runs.push(run('Uniform (noise floor)', seed, 0, 0.01, rng));
  }
  return runs;
}

describe('compareOverSeeds', () => {
  const c = compareOverSeeds(fixture());

  it('has a row for the smallest net, each range and the largest net, and every sampler in order', () => {
    expect(c.rows.map((r) => r.kind)).toEqual(['smallest', 'range', 'range', 'largest']);
    expect(c.rows.map((r) => r.subnets)).toEqual([1, 6, 6, 1]);
    expect(c.baseline).toBe('Uniform');
    expect(c.samplers).toEqual(['Uniform', 'BestUp-3 (loss)', 'WorstUp-3 (loss)', 'Uniform (noise floor)']);
    expect(c.seeds).toEqual([1, 2, 3]);
  });

  it('gives the mean over seeds of the medians, and the paired difference equals the difference of means', () => {
    const range = c.rows[1];
    const [uniform, best] = range.cells;
    expect(uniform.seeds).toBe(3);
    expect(uniform.vsBaseline).toBeNull();
    // median of the subnet effects (0.0, 0.1, -0.1, 0.05, -0.05, 0.02) is 0.01, plus 0.6
    expect(uniform.mean!).toBeCloseTo(0.61, 1);
    expect(best.vsBaseline!.estimate).toBeCloseTo(best.mean! - uniform.mean!, 12);
    expect(best.vsBaseline!.seeds).toBe(3);
    expect(best.vsBaseline!.subnets).toBe(6);
  });

  it('calls a 5-point drop worse, and a sampler that changes nothing within noise', () => {
    for (const row of c.rows.filter((r) => r.kind === 'range')) {
      const [, best, worst, floor] = row.cells;
      expect(best.vsBaseline!.verdict).toBe('worse');
      expect(best.vsBaseline!.hi!).toBeLessThan(-0.03);
      expect(worst.vsBaseline!.verdict).toBe('within noise');
      expect(floor.vsBaseline!.verdict).toBe('within noise');
      expect(worst.vsBaseline!.lo!).toBeLessThan(0);
      expect(worst.vsBaseline!.hi!).toBeGreaterThan(0);
    }
  });

  it('pairs by seed: a sampler without the baseline’s seed has a mean but no difference', () => {
    const runs = [...fixture().filter((r) => r.sampler === 'Uniform' && r.seed < 3), { ...fixture()[1], seed: 3 }];
    const alone = compareOverSeeds(runs);
    expect(alone.rows[1].cells[1].mean).not.toBeNull();
    expect(alone.rows[1].cells[1].vsBaseline).toBeNull();
  });

  it('pairs subnets by key: one the other runs lack is left out of the row', () => {
    const runs = fixture().slice(0, 2);
    runs[1] = { ...runs[1], ranges: runs[1].ranges.map((r) => ({ ...r, subnets: [...r.subnets].reverse().slice(1) })) };
    const paired = compareOverSeeds(runs);
    expect(paired.rows[1].subnets).toBe(5);
    // reversed order, same keys: the pairing must follow the keys, not the positions
    const shifted = fixture()
      .slice(0, 2)
      .map((r, i) => (i === 0 ? r : { ...r, ranges: r.ranges.map((g) => ({ ...g, subnets: [...g.subnets].reverse() })) }));
    expect(
      compareOverSeeds(shifted).rows[1].cells[1].vsBaseline!.hi! - compareOverSeeds(shifted).rows[1].cells[1].vsBaseline!.lo!,
    ).toBeLessThan(0.05);
  });

  it('refuses two runs of one sampler with one seed, and an unknown baseline', () => {
    const runs = fixture();
    expect(() => compareOverSeeds([...runs, runs[0]])).toThrow(/two runs of Uniform with seed 1/);
    expect(() => compareOverSeeds(runs, { baseline: 'Nope' })).toThrow(/baseline Nope/);
    expect(() => compareOverSeeds([])).toThrow(/at least one run/);
  });

  it('with one seed, the nets have no interval (one value each)', () => {
    const one = compareOverSeeds(fixture().filter((r) => r.seed === 1));
    expect(one.rows[0].cells[1].vsBaseline!.verdict).toBe('no interval');
    expect(one.rows[1].cells[1].vsBaseline!.lo).not.toBeNull();
  });
});

describe('measurementsOf', () => {
  it('takes the last range evaluation and the last epoch’s validation', () => {
    const ranges = [{ index: 0, loMacs: 1, hiMacs: 2, subnets: [{ key: 'a', accuracy: 0.5 }] }];
    const m = measurementsOf(
      'Uniform',
      4,
      [{ ranges: [] }, { ranges }],
      [
        { validation: { largest: { accuracy: 0.1 }, smallest: { accuracy: 0.1 } } },
        { validation: { largest: { accuracy: 0.9 }, smallest: { accuracy: 0.7 } } },
      ],
    );
    expect(m).toEqual({ sampler: 'Uniform', seed: 4, ranges, largest: 0.9, smallest: 0.7 });
    expect(measurementsOf('Uniform', 4, [], [])).toEqual({ sampler: 'Uniform', seed: 4, ranges: [], largest: null, smallest: null });
  });
});

describe('formatSeedComparison', () => {
  const c = compareOverSeeds(fixture());

  it('prints one line per row with means, differences, intervals and "within noise"', () => {
    const text = formatSeedComparison(c);
    const lines = text.split('\n');
    expect(lines).toHaveLength(2 + c.rows.length);
    expect(lines[0]).toMatch(/^row .*Uniform %.*Δ BestUp-3 \(loss\) \(pts\).*Δ Uniform \(noise floor\) \(pts\)/);
    expect(lines[2]).toMatch(/^smallest net/);
    expect(lines[3]).toMatch(/^1\.00-2\.00 MMACs/);
    expect(lines[lines.length - 1]).toMatch(/^largest net/);
    expect(lines[3]).toMatch(/-5\.\d \[-\d\.\d, -\d\.\d\]/);
    expect(lines[3]).toMatch(/within noise/);
  });

  it('writes the same table as Markdown', () => {
    const md = formatSeedComparison(c, 'markdown').split('\n');
    expect(md[0].startsWith('| row | subnets | Uniform % |')).toBe(true);
    expect(md[1]).toMatch(/^\| --- \| ---: \|/);
    expect(md).toHaveLength(2 + c.rows.length);
  });

  it('states what the numbers are', () => {
    expect(comparisonCaption(c)).toMatch(/seeds \(1, 2, 3\).*paired difference to Uniform.*95% bootstrap interval.*2000 resamples/);
    expect(differenceText(null)).toBe('-');
    expect(differenceText({ estimate: 0.012, lo: 0.004, hi: 0.02, verdict: 'better', seeds: 3, subnets: 8 })).toBe('+1.2 [+0.4, +2.0]');
    expect(differenceText({ estimate: 0.1, lo: null, hi: null, verdict: 'no interval', seeds: 1, subnets: 1 })).toBe('+10.0 no interval');
  });
});
