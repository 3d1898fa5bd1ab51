import { describe, expect, it } from 'vitest';
import {
  bestFoundUnder,
  crossover,
  mutate,
  ParetoArchive,
  parseEvolutionConfig,
  runEvolution,
  searchWindow,
  type EvaluatedSubnet,
  type EvolutionConfigInput,
  type Fitness,
  type GenerationReport,
} from '../../src/core/search/evolution';
import { countMacs, countParams } from '../../src/core/space/macs';
import { dominates, macsAccuracyHypervolume } from '../../src/core/search/pareto';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import type { SearchSpace } from '../../src/core/space/space';
import {
  buildSubnet,
  countSubnets,
  getSlot,
  largestSubnet,
  slotsOf,
  smallestSubnet,
  subnetHash,
  subnetKey,
  subnetProblems,
  type Subnet,
} from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';
import { macsRange as spaceMacsRange } from '../../src/core/space/fast-macs';

const fashion = presetSpace('fashion');
const tiny = presetSpace('tiny');

const macsRange = (space: SearchSpace) => {
  const { minMacs, maxMacs } = spaceMacsRange(space);
  return { lo: minMacs, hi: maxMacs };
};

/** A value in [0, 1) fixed by the subnet's hash. */
const hashNoise = (subnet: Subnet) => parseInt(subnetHash(subnet), 16) / 2 ** 32;

/** Deterministic async fitness: rises with MACs, plus a small per-subnet wobble; records every batch. */
function formulaFitness(space: SearchSpace, batches: Subnet[][] = []): Fitness {
  const { lo, hi } = macsRange(space);
  return async (subnets) => {
    batches.push(subnets);
    await Promise.resolve();
    return subnets.map((s) => 0.3 + 0.6 * Math.sqrt((countMacs(space, s) - lo) / (hi - lo)) + 0.05 * hashNoise(s));
  };
}

const narrow: EvolutionConfigInput = {
  minMacs: 0.9e6,
  maxMacs: 1.1e6,
  population: 12,
  generations: 3,
  mutationsPerGeneration: 6,
  crossoversPerGeneration: 6,
};

describe('mutate', () => {
  it('with p = 0 returns a copy of the parent', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const parent = sampleUniform(fashion, rng);
      const child = mutate(fashion, parent, 0, rng);
      expect(child).toEqual(parent);
      expect(child).not.toBe(parent);
    }
  });

  it('does not modify the parent', () => {
    const rng = new Rng(2);
    const parent = largestSubnet(fashion);
    const before = structuredClone(parent);
    for (let i = 0; i < 20; i++) mutate(fashion, parent, 1, rng);
    expect(parent).toEqual(before);
  });

  it.each(['fashion', 'tiny'])('%s: with p = 1 changes every gene that has another choice, uniformly over the other choices', (name) => {
    const space = presetSpace(name);
    const rng = new Rng(3);
    const parent = largestSubnet(space);
    const slots = slotsOf(space);
    const counts = slots.map((slot) => new Map(slot.choices.map((c) => [c, 0])));
    const n = 3000;
    for (let i = 0; i < n; i++) {
      const child = mutate(space, parent, 1, rng);
      expect(subnetProblems(space, child)).toEqual([]);
      slots.forEach((slot, s) => counts[s].set(getSlot(child, slot), counts[s].get(getSlot(child, slot))! + 1));
    }
    slots.forEach((slot, s) => {
      const kept = getSlot(parent, slot);
      const k = slot.choices.length;
      // a single-choice gene cannot change; any other gene never keeps the parent's value
      if (k === 1) expect(counts[s].get(kept)).toBe(n);
      else expect(counts[s].get(kept)).toBe(0);
      for (const c of slot.choices) if (c !== kept) expect(Math.abs(counts[s].get(c)! / n - 1 / (k - 1))).toBeLessThan(0.04);
    });
  });

  it('changes each gene with frequency p, two-choice genes included', () => {
    const rng = new Rng(4);
    const p = 0.3;
    const slots = slotsOf(fashion);
    expect(slots.some((slot) => slot.choices.length === 2)).toBe(true);
    const changed = new Array(slots.length).fill(0);
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const parent = sampleUniform(fashion, rng);
      const child = mutate(fashion, parent, p, rng);
      expect(subnetProblems(fashion, child)).toEqual([]);
      slots.forEach((slot, s) => {
        if (getSlot(child, slot) !== getSlot(parent, slot)) changed[s]++;
      });
    }
    slots.forEach((slot, s) => {
      if (slot.choices.length === 1) expect(changed[s]).toBe(0);
      else expect(Math.abs(changed[s] / n - p)).toBeLessThan(0.03);
    });
  });
});

describe('crossover', () => {
  it('takes every gene from one of the parents', () => {
    const rng = new Rng(5);
    const slots = slotsOf(fashion);
    for (let i = 0; i < 200; i++) {
      const a = sampleUniform(fashion, rng);
      const b = sampleUniform(fashion, rng);
      const child = crossover(fashion, a, b, 0.5, rng);
      expect(subnetProblems(fashion, child)).toEqual([]);
      for (const slot of slots) expect([getSlot(a, slot), getSlot(b, slot)]).toContain(getSlot(child, slot));
    }
  });

  it('p = 1 gives a, p = 0 gives b', () => {
    const rng = new Rng(6);
    for (let i = 0; i < 30; i++) {
      const a = sampleUniform(fashion, rng);
      const b = sampleUniform(fashion, rng);
      expect(crossover(fashion, a, b, 1, rng)).toEqual(a);
      expect(crossover(fashion, a, b, 0, rng)).toEqual(b);
    }
  });

  it('takes each gene from a with frequency p', () => {
    const rng = new Rng(7);
    const a = largestSubnet(fashion);
    const b = smallestSubnet(fashion);
    const slots = slotsOf(fashion).filter((slot) => getSlot(a, slot) !== getSlot(b, slot));
    expect(slots.length).toBeGreaterThan(10);
    const fromA = new Array(slots.length).fill(0);
    const n = 3000;
    const p = 0.7;
    for (let i = 0; i < n; i++) {
      const child = crossover(fashion, a, b, p, rng);
      slots.forEach((slot, s) => {
        if (getSlot(child, slot) === getSlot(a, slot)) fromA[s]++;
      });
    }
    for (const count of fromA) expect(Math.abs(count / n - p)).toBeLessThan(0.035);
  });
});

describe('ParetoArchive', () => {
  const entry = (macs: number, accuracy: number, tag = ''): EvaluatedSubnet => ({
    subnet: smallestSubnet(tiny),
    key: `m${macs}-a${accuracy}${tag}`,
    hash: '00000000',
    macs,
    params: 0,
    accuracy,
    generation: 0,
    origin: 'seed',
  });

  it('bins the window evenly and clamps at and beyond its edges', () => {
    const archive = new ParetoArchive(100, 200, 4);
    expect(archive.binOf(100)).toBe(0);
    expect(archive.binOf(124.9)).toBe(0);
    expect(archive.binOf(125)).toBe(1);
    expect(archive.binOf(150)).toBe(2);
    expect(archive.binOf(199.9)).toBe(3);
    expect(archive.binOf(200)).toBe(3); // the top edge belongs to the last bin
    expect(archive.binOf(50)).toBe(0);
    expect(archive.binOf(1e9)).toBe(3);
  });

  it('keeps the most accurate entry per bin', () => {
    const archive = new ParetoArchive(0, 100, 4);
    expect(archive.offer(entry(10, 0.5))).toBe(true);
    expect(archive.offer(entry(20, 0.4))).toBe(false); // same bin, worse
    expect(archive.offer(entry(15, 0.6))).toBe(true); // same bin, better
    expect(archive.offer(entry(60, 0.3))).toBe(true); // another bin
    expect(archive.entries().map((e) => e.key)).toEqual(['m15-a0.6', 'm60-a0.3']);
  });

  it('on equal accuracy prefers fewer MACs, and keeps the incumbent on an exact tie', () => {
    const archive = new ParetoArchive(0, 100, 2);
    expect(archive.offer(entry(30, 0.7))).toBe(true);
    expect(archive.offer(entry(40, 0.7))).toBe(false);
    expect(archive.offer(entry(30, 0.7, '-twin'))).toBe(false);
    expect(archive.offer(entry(20, 0.7))).toBe(true);
    expect(archive.entries().map((e) => e.key)).toEqual(['m20-a0.7']);
  });

  it('lists entries in bin order whatever the offer order, with out-of-window MACs clamped', () => {
    const archive = new ParetoArchive(0, 100, 4);
    archive.offer(entry(500, 0.9)); // clamps to the last bin
    archive.offer(entry(55, 0.5));
    archive.offer(entry(-5, 0.1)); // clamps to the first bin
    archive.offer(entry(99, 0.8)); // last bin, worse than the clamped one
    expect(archive.entries().map((e) => e.macs)).toEqual([-5, 55, 500]);
  });

  it('starts empty', () => {
    expect(new ParetoArchive(0, 1, 3).entries()).toEqual([]);
  });
});

describe('config and window', () => {
  it('fills defaults', () => {
    const c = parseEvolutionConfig({});
    expect(c).toMatchObject({
      population: 24,
      generations: 8,
      mutationsPerGeneration: 12,
      crossoversPerGeneration: 12,
      mutationProbability: 0.2,
      crossoverProbability: 0.5,
      archiveBins: 16,
      maxTries: 200,
    });
    expect(c.minMacs).toBeUndefined();
    expect(c.maxMacs).toBeUndefined();
  });

  it("the window defaults to the space's smallest and largest MACs", () => {
    const { lo, hi } = macsRange(fashion);
    expect(searchWindow(fashion, parseEvolutionConfig({}))).toEqual({ minMacs: lo, maxMacs: hi });
    expect(searchWindow(fashion, parseEvolutionConfig({ minMacs: 1e6 }))).toEqual({ minMacs: 1e6, maxMacs: hi });
  });

  it('an impossible window throws naming the window and the space', async () => {
    const fitness = formulaFitness(fashion);
    await expect(runEvolution(fashion, { minMacs: 5e6, maxMacs: 6e6 }, fitness, new Rng(1))).rejects.toThrow(
      /MACs window 5\.000-6\.000 M holds no subnet of "fashion" \(its subnets span 0\.168-4\.041 M\)/,
    );
    await expect(runEvolution(fashion, { maxMacs: 1e5 }, fitness, new Rng(1))).rejects.toThrow(
      /MACs window 0\.168-0\.100 M holds no subnet/,
    );
  });

  it.each<[string, EvolutionConfigInput, RegExp]>([
    ['minMacs >= maxMacs', { minMacs: 2e6, maxMacs: 1e6 }, /Invalid search config: minMacs: minMacs must be below maxMacs/],
    ['minMacs == maxMacs', { minMacs: 1e6, maxMacs: 1e6 }, /minMacs: minMacs must be below maxMacs/],
    ['population 0', { population: 0 }, /Invalid search config: population:/],
    ['population 1.5', { population: 1.5 }, /population:/],
    ['negative generations', { generations: -1 }, /generations:/],
    ['mutationProbability > 1', { mutationProbability: 1.5 }, /mutationProbability:/],
    ['crossoverProbability < 0', { crossoverProbability: -0.1 }, /crossoverProbability:/],
    ['archiveBins 0', { archiveBins: 0 }, /archiveBins:/],
    ['maxMacs 0', { maxMacs: 0 }, /maxMacs:/],
    ['maxTries 0', { maxTries: 0 }, /maxTries:/],
  ])('bad config (%s) throws naming the field', async (_, config, message) => {
    let calls = 0;
    const fitness: Fitness = async (subnets) => {
      calls++;
      return subnets.map(() => 0.5);
    };
    await expect(runEvolution(fashion, config, fitness, new Rng(1))).rejects.toThrow(message);
    expect(calls).toBe(0);
  });
});

/** Independent check of the archive: one entry per occupied bin, the most accurate of the bin. */
function checkArchive(report: GenerationReport, all: EvaluatedSubnet[], window: { minMacs: number; maxMacs: number }, bins: number) {
  const bin = (macs: number) => Math.min(bins - 1, Math.floor(((macs - window.minMacs) / (window.maxMacs - window.minMacs)) * bins));
  const best = new Map<number, number>();
  for (const e of all) best.set(bin(e.macs), Math.max(best.get(bin(e.macs)) ?? -Infinity, e.accuracy));
  expect(report.archive).toHaveLength(best.size);
  const archiveBins = report.archive.map((e) => bin(e.macs));
  expect(archiveBins).toEqual([...archiveBins].sort((a, b) => a - b));
  for (const e of report.archive) expect(e.accuracy).toBe(best.get(bin(e.macs)));
}

/** Independent check of a front over a set: nothing in the set dominates a front member, every other member is dominated or equal. */
function checkFront(front: EvaluatedSubnet[], all: EvaluatedSubnet[]) {
  const v = (e: EvaluatedSubnet) => [e.macs, -e.accuracy];
  for (const f of front) expect(all.some((e) => dominates(v(e), v(f)))).toBe(false);
  const keys = new Set(front.map((f) => f.key));
  for (const e of all) {
    if (keys.has(e.key)) continue;
    expect(front.some((f) => dominates(v(f), v(e)) || (f.macs === e.macs && f.accuracy === e.accuracy))).toBe(true);
  }
  for (let i = 1; i < front.length; i++) expect(front[i].macs).toBeGreaterThan(front[i - 1].macs);
}

describe('runEvolution', () => {
  it('evaluates only unseen subnets inside the window, each once', async () => {
    const batches: Subnet[][] = [];
    const reports: GenerationReport[] = [];
    const result = await runEvolution(fashion, narrow, formulaFitness(fashion, batches), new Rng(42), {
      onGeneration: (r) => void reports.push(r),
    });
    expect(result.window).toEqual({ minMacs: 0.9e6, maxMacs: 1.1e6 });
    const evaluated = batches.flat();
    expect(evaluated.length).toBe(result.all.length);
    expect(new Set(evaluated.map(subnetKey)).size).toBe(evaluated.length);
    for (const s of evaluated) {
      expect(subnetProblems(fashion, s)).toEqual([]);
      const macs = countMacs(fashion, s);
      expect(macs).toBeGreaterThanOrEqual(0.9e6);
      expect(macs).toBeLessThanOrEqual(1.1e6);
    }
    // entries describe their subnet faithfully
    for (const e of result.all) {
      expect(e.key).toBe(subnetKey(e.subnet));
      expect(e.hash).toBe(subnetHash(e.subnet));
      expect(e.macs).toBe(countMacs(fashion, e.subnet));
      expect(e.params).toBe(countParams(fashion, e.subnet));
    }
    // the smallest subnet (0.17 M) is outside this window
    expect(result.all.some((e) => e.origin === 'smallest' || e.key === subnetKey(smallestSubnet(fashion)))).toBe(false);
    expect(result.generations[0].evaluated).toHaveLength(12);
    expect(result.generations[0].evaluated.every((e) => e.origin === 'seed')).toBe(true);
  });

  it('seeds the population with the smallest subnet when it is in the window', async () => {
    const batches: Subnet[][] = [];
    const result = await runEvolution(fashion, { population: 10, generations: 1 }, formulaFitness(fashion, batches), new Rng(3));
    const smallestKey = subnetKey(smallestSubnet(fashion));
    expect(result.all[0].origin).toBe('smallest');
    expect(result.all[0].key).toBe(smallestKey);
    expect(result.all[0].generation).toBe(0);
    expect(result.all.filter((e) => e.origin === 'smallest')).toHaveLength(1);
    expect(subnetKey(batches[0][0])).toBe(smallestKey);
    expect(result.generations[0].evaluated).toHaveLength(10);
    expect(result.generations[0].evaluated.slice(1).every((e) => e.origin === 'seed')).toBe(true);
    // the window is inclusive: a minimum exactly at the smallest MACs keeps it
    const { lo } = macsRange(fashion);
    const atEdge = await runEvolution(
      fashion,
      { population: 4, generations: 0, minMacs: lo, maxMacs: 1e6 },
      formulaFitness(fashion),
      new Rng(3),
    );
    expect(atEdge.all[0].origin).toBe('smallest');
    const above = await runEvolution(
      fashion,
      { population: 4, generations: 0, minMacs: lo + 1, maxMacs: 1e6 },
      formulaFitness(fashion),
      new Rng(3),
    );
    expect(above.all.some((e) => e.origin === 'smallest' || e.key === smallestKey)).toBe(false);
  });

  it('reports every generation once, with consistent counts, fronts, archive and growing hypervolume', async () => {
    const reports: GenerationReport[] = [];
    const config = { ...narrow, archiveBins: 5 };
    const result = await runEvolution(fashion, config, formulaFitness(fashion), new Rng(8), { onGeneration: (r) => void reports.push(r) });
    expect(reports.map((r) => r.generation)).toEqual([0, 1, 2, 3]);
    expect(result.generations).toEqual(reports);
    expect(result.stopped).toBe(false);
    let total = 0;
    let previousHv = 0;
    for (const r of reports) {
      total += r.evaluated.length;
      expect(r.totalEvaluations).toBe(total);
      for (const e of r.evaluated) expect(e.generation).toBe(r.generation);
      if (r.generation > 0) {
        expect(r.evaluated.length).toBeGreaterThan(0);
        expect(r.evaluated.filter((e) => e.origin === 'mutation').length).toBeLessThanOrEqual(6);
        expect(r.evaluated.filter((e) => e.origin === 'crossover').length).toBeLessThanOrEqual(6);
        expect(r.evaluated.every((e) => e.origin === 'mutation' || e.origin === 'crossover')).toBe(true);
        expect(r.evaluated.length + r.giveUps).toBe(12);
      }
      const soFar = result.all.slice(0, total);
      checkFront(r.front, soFar);
      checkArchive(r, soFar, result.window, 5);
      expect(r.hypervolume).toBeCloseTo(macsAccuracyHypervolume(r.front, { maxMacs: 1.1e6, minAccuracy: 0 }), 12);
      expect(r.hypervolume).toBeGreaterThanOrEqual(previousHv);
      previousHv = r.hypervolume;
    }
    expect(total).toBe(result.all.length);
    checkFront(result.front, result.all);
    expect(result.refinedFront).toBe(result.front);
    expect(bestFoundUnder(result, 1e6)?.accuracy).toBe(Math.max(...result.all.filter((e) => e.macs <= 1e6).map((e) => e.accuracy)));
  });

  it('draws crossover parents from the previous generation archive', async () => {
    const slots = slotsOf(fashion);
    const result = await runEvolution(
      fashion,
      { ...narrow, generations: 3, mutationsPerGeneration: 0, crossoversPerGeneration: 6, archiveBins: 2 },
      formulaFitness(fashion),
      new Rng(17),
    );
    let children = 0;
    for (let g = 1; g < result.generations.length; g++) {
      const parents = result.generations[g - 1].archive;
      expect(parents).toHaveLength(2);
      for (const child of result.generations[g].evaluated) {
        expect(child.origin).toBe('crossover');
        children++;
        const fromSomePair = parents.some((a) =>
          parents.some((b) =>
            slots.every((slot) => [getSlot(a.subnet, slot), getSlot(b.subnet, slot)].includes(getSlot(child.subnet, slot))),
          ),
        );
        expect(fromSomePair).toBe(true);
      }
    }
    expect(children).toBeGreaterThan(0);
  });

  it('awaits an async onGeneration before going on', async () => {
    const log: string[] = [];
    const fitness = formulaFitness(fashion);
    await runEvolution(fashion, { ...narrow, generations: 2 }, async (s) => (log.push('fitness'), fitness(s)), new Rng(9), {
      onGeneration: async (r) => {
        log.push(`start ${r.generation}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`end ${r.generation}`);
      },
    });
    expect(log).toEqual(['fitness', 'start 0', 'end 0', 'fitness', 'start 1', 'end 1', 'fitness', 'start 2', 'end 2']);
  });

  it('is reproducible for a seed and differs for another seed', async () => {
    const run = (seed: number) => runEvolution(fashion, narrow, formulaFitness(fashion), new Rng(seed));
    const a = await run(123);
    const b = await run(123);
    const c = await run(124);
    expect(b.all.map((e) => e.key)).toEqual(a.all.map((e) => e.key));
    expect(b.all.map((e) => e.accuracy)).toEqual(a.all.map((e) => e.accuracy));
    expect(b.front.map((e) => e.key)).toEqual(a.front.map((e) => e.key));
    expect(b.generations.map((g) => g.hypervolume)).toEqual(a.generations.map((g) => g.hypervolume));
    expect(c.all.map((e) => e.key)).not.toEqual(a.all.map((e) => e.key));
  });

  it('shouldStop ends the search between generations and keeps what was found', async () => {
    let reports = 0;
    let checks = 0;
    const result = await runEvolution(fashion, { ...narrow, generations: 10 }, formulaFitness(fashion), new Rng(10), {
      onGeneration: () => {
        reports++;
      },
      shouldStop: () => {
        checks++;
        return reports >= 2;
      },
    });
    expect(result.stopped).toBe(true);
    expect(result.generations.map((g) => g.generation)).toEqual([0, 1]);
    expect(checks).toBe(2);
    expect(result.all.length).toBe(result.generations[1].totalEvaluations);
    checkFront(result.front, result.all);
  });

  it('with generations 0 evaluates only the population and never asks shouldStop', async () => {
    let checks = 0;
    const result = await runEvolution(fashion, { ...narrow, generations: 0 }, formulaFitness(fashion), new Rng(11), {
      shouldStop: () => (checks++, true),
    });
    expect(result.stopped).toBe(false);
    expect(checks).toBe(0);
    expect(result.generations).toHaveLength(1);
    expect(result.all).toHaveLength(12);
  });

  it('refine re-measures the front and refinedFront uses the new numbers', async () => {
    const { hi } = macsRange(fashion);
    const refineCalls: Subnet[][] = [];
    // the refined accuracy falls with MACs, so only the cheapest front member stays on the refined front
    const refine: Fitness = async (subnets) => {
      refineCalls.push(subnets);
      return subnets.map((s) => 1 - countMacs(fashion, s) / hi);
    };
    const result = await runEvolution(fashion, narrow, formulaFitness(fashion), new Rng(12), { refine });
    expect(refineCalls).toHaveLength(1);
    expect(refineCalls[0].map(subnetKey)).toEqual(result.front.map((e) => e.key));
    expect(result.front.length).toBeGreaterThan(1);
    expect(result.refinedFront).toHaveLength(1);
    const refined = result.refinedFront[0];
    expect(refined.key).toBe(result.front[0].key);
    expect(refined.accuracy).toBe(1 - result.front[0].macs / hi);
    // the search front keeps the search fitness
    expect(result.front[0].accuracy).not.toBe(refined.accuracy);
    expect(result.all.find((e) => e.key === refined.key)!.accuracy).toBe(result.front[0].accuracy);
  });

  it('refine with an order-preserving re-measurement keeps the whole front with new values', async () => {
    const refine: Fitness = async (subnets) => subnets.map((s) => 0.1 + 0.001 * (countMacs(fashion, s) / 1e4));
    const result = await runEvolution(fashion, narrow, formulaFitness(fashion), new Rng(13), { refine });
    expect(result.refinedFront.map((e) => e.key)).toEqual(result.front.map((e) => e.key));
    for (const e of result.refinedFront) expect(e.accuracy).toBe(0.1 + 0.001 * (e.macs / 1e4));
  });

  it('a window inside the MACs span that holds no subnet throws naming the window', async () => {
    // the two largest distinct MACs of the tiny space are 215,104 and 239,680: nothing lies between
    const macs = new Set<number>();
    for (let index = 0; index < countSubnets(tiny); index++) {
      let rest = index;
      const subnet = buildSubnet(tiny, (slot) => {
        const choice = slot.choices[rest % slot.choices.length];
        rest = Math.floor(rest / slot.choices.length);
        return choice;
      });
      macs.add(countMacs(tiny, subnet));
    }
    const sorted = [...macs].sort((a, b) => a - b);
    expect(sorted.slice(-2)).toEqual([215_104, 239_680]);
    let calls = 0;
    let reports = 0;
    const fitness: Fitness = async (subnets) => {
      calls++;
      return subnets.map(() => 0.5);
    };
    await expect(
      runEvolution(tiny, { minMacs: 215_105, maxMacs: 239_679, maxTries: 500 }, fitness, new Rng(1), {
        onGeneration: () => void reports++,
      }),
    ).rejects.toThrow(/no subnet of "tiny" found in the MACs window 0\.215-0\.240 M after 500 samples; widen the window/);
    expect(calls).toBe(0);
    expect(reports).toBe(0);
  });

  it('rejects a refine that returns the wrong number of scores, NaN or Infinity', async () => {
    await expect(
      runEvolution(fashion, narrow, formulaFitness(fashion), new Rng(1), { refine: async (s) => s.slice(1).map(() => 0.5) }),
    ).rejects.toThrow(/refine returned \d+ scores for \d+ subnets/);
    await expect(
      runEvolution(fashion, narrow, formulaFitness(fashion), new Rng(1), { refine: async (s) => s.map((_, i) => (i === 0 ? NaN : 0.5)) }),
    ).rejects.toThrow(/refined fitness of r\d+-.* is NaN/);
    await expect(
      runEvolution(fashion, narrow, formulaFitness(fashion), new Rng(1), { refine: async (s) => s.map(() => -Infinity) }),
    ).rejects.toThrow(/refined fitness of r\d+-.* is -Infinity/);
  });

  it('rejects a fitness that returns the wrong number of scores', async () => {
    await expect(runEvolution(fashion, narrow, async () => [], new Rng(1))).rejects.toThrow(/fitness returned 0 scores for 12 subnets/);
    await expect(runEvolution(fashion, narrow, async (s) => [...s.map(() => 0.5), 0.5], new Rng(1))).rejects.toThrow(
      /fitness returned 13 scores for 12 subnets/,
    );
  });

  it('rejects a fitness that returns NaN or Infinity', async () => {
    await expect(runEvolution(fashion, narrow, async (s) => s.map((_, i) => (i === 3 ? NaN : 0.5)), new Rng(1))).rejects.toThrow(
      /fitness of r\d+-w[\d.]+-d[\d.]+-k[\d.]+-e[\d.]+ is NaN/,
    );
    await expect(runEvolution(fashion, narrow, async (s) => s.map(() => Infinity), new Rng(1))).rejects.toThrow(
      /fitness of r\d+-.* is Infinity/,
    );
  });

  it('exhausts a tiny space without duplicates and counts the give-ups', async () => {
    const batches: Subnet[][] = [];
    const result = await runEvolution(
      tiny,
      { population: 10_000, generations: 1, mutationsPerGeneration: 2, crossoversPerGeneration: 1, maxTries: 20_000 },
      formulaFitness(tiny, batches),
      new Rng(14),
    );
    expect(countSubnets(tiny)).toBe(128);
    expect(result.all).toHaveLength(128);
    expect(new Set(result.all.map((e) => e.key)).size).toBe(128);
    expect(result.generations[0].giveUps).toBe(1);
    expect(result.generations[1].evaluated).toEqual([]);
    expect(result.generations[1].giveUps).toBe(3);
    // no fitness call for an empty generation
    expect(batches).toHaveLength(1);
  });

  it('a narrow window in the tiny space keeps every subnet inside it', async () => {
    const result = await runEvolution(
      tiny,
      { minMacs: 50_000, maxMacs: 90_000, population: 8, generations: 4, mutationsPerGeneration: 4, crossoversPerGeneration: 4 },
      formulaFitness(tiny),
      new Rng(15),
    );
    expect(result.all.length).toBeGreaterThan(8);
    for (const e of result.all) {
      expect(e.macs).toBeGreaterThanOrEqual(50_000);
      expect(e.macs).toBeLessThanOrEqual(90_000);
    }
    expect(new Set(result.all.map((e) => e.key)).size).toBe(result.all.length);
  });

  it('improves the front over the random initial population', async () => {
    const result = await runEvolution(
      fashion,
      { population: 16, generations: 6, mutationsPerGeneration: 8, crossoversPerGeneration: 8 },
      formulaFitness(fashion),
      new Rng(16),
    );
    const first = result.generations[0].hypervolume;
    const final = result.generations[result.generations.length - 1].hypervolume;
    expect(first).toBeGreaterThan(0);
    expect(final).toBeGreaterThan(first);
    expect(macsAccuracyHypervolume(result.front, { maxMacs: result.window.maxMacs, minAccuracy: 0 })).toBeCloseTo(final, 12);
    // later generations contributed to the final front
    expect(result.front.some((e) => e.generation > 0)).toBe(true);
  });
});
