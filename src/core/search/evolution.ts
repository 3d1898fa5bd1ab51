/**
 * Evolutionary search over a trained supernet (the AlphaNet/AttentiveNAS recipe, docs/design.md,
 * The evolutionary search): a population seeded with the smallest subnet and uniform samples inside a MACs
 * window; each generation mutates (each gene replaced with p = 0.2 by a different value) and crosses over (each
 * gene from either parent with p = 0.5) parents drawn from a Pareto archive that keeps the best
 * subnet per MACs bin. Every subnet is evaluated once (deduplicated by its canonical key).
 *
 * Fitness is a pluggable async function over a batch of subnets, so the engine can measure
 * real accuracy (BN recalibration + validation) and tests can use a deterministic formula.
 * With a cheap fitness (the predictor), `refine` re-measures the final front for real.
 */
import { z } from 'zod';
import { macsRange } from '../space/fast-macs';
import { countMacs, countParams } from '../space/macs';
import { bestUnderBudget, macsAccuracyHypervolume, paretoFront } from './pareto';
import type { Rng } from '../training/rng';
import type { EvaluatedSubnet, GenerationReport, Origin } from '../records/search-records';
import { parseWithSchema, type SearchSpace } from '../space/space';
import { buildSubnet, getSlot, smallestSubnet, subnetHash, subnetKey, type Subnet } from '../space/subnet';
import { sampleUniform } from '../sampling/uniform-sampler';

export const evolutionConfigSchema = z
  .object({
    /** initial population: the smallest subnet plus uniform samples inside the window */
    population: z.number().int().min(2).max(10_000).default(24),
    generations: z.number().int().min(0).max(1000).default(8),
    mutationsPerGeneration: z.number().int().min(0).max(10_000).default(12),
    crossoversPerGeneration: z.number().int().min(0).max(10_000).default(12),
    mutationProbability: z.number().min(0).max(1).default(0.2),
    crossoverProbability: z.number().min(0).max(1).default(0.5),
    /** MACs window; unset ends are the space's smallest / largest MACs */
    minMacs: z.number().min(0).optional(),
    maxMacs: z.number().positive().optional(),
    /** bins of the archive over the window: it keeps the best subnet of each */
    archiveBins: z.number().int().min(1).max(1000).default(16),
    /** attempts to produce one new in-window, unseen child before giving up on it */
    maxTries: z.number().int().min(1).max(100_000).default(200),
  })
  .refine((c) => c.minMacs === undefined || c.maxMacs === undefined || c.minMacs < c.maxMacs, {
    message: 'minMacs must be below maxMacs',
    path: ['minMacs'],
  });

export type EvolutionConfig = z.infer<typeof evolutionConfigSchema>;
export type EvolutionConfigInput = z.input<typeof evolutionConfigSchema>;
export const parseEvolutionConfig = (data: unknown): EvolutionConfig => parseWithSchema(evolutionConfigSchema, data, 'search config');

// the records a search produces are defined once, in search-records.ts
export type { EvaluatedSubnet, GenerationReport, Origin } from '../records/search-records';

/** Scores a batch of subnets; returns one accuracy per subnet, in order. */
export type Fitness = (subnets: Subnet[]) => Promise<number[]>;

export interface EvolutionResult {
  all: EvaluatedSubnet[];
  front: EvaluatedSubnet[];
  /** the front after `refine` re-measured it (equal to `front` without refine) */
  refinedFront: EvaluatedSubnet[];
  generations: GenerationReport[];
  window: { minMacs: number; maxMacs: number };
  stopped: boolean;
}

export interface EvolutionHooks {
  onGeneration?: (report: GenerationReport) => void | Promise<void>;
  /** checked between generations: return true to stop early (the result keeps what was found) */
  shouldStop?: () => boolean;
  /** re-measures the final front when the search fitness is a cheap estimate */
  refine?: Fitness;
}

/** The archive: the best subnet of each MACs bin over the window. */
export class ParetoArchive {
  private readonly best = new Map<number, EvaluatedSubnet>();

  constructor(
    readonly minMacs: number,
    readonly maxMacs: number,
    readonly bins: number,
  ) {}

  binOf(macs: number): number {
    const t = (macs - this.minMacs) / (this.maxMacs - this.minMacs);
    return Math.min(this.bins - 1, Math.max(0, Math.floor(t * this.bins)));
  }

  /** Keeps `entry` if it beats its bin's incumbent; returns whether it did. */
  offer(entry: EvaluatedSubnet): boolean {
    const bin = this.binOf(entry.macs);
    const incumbent = this.best.get(bin);
    if (incumbent && (incumbent.accuracy > entry.accuracy || (incumbent.accuracy === entry.accuracy && incumbent.macs <= entry.macs)))
      return false;
    this.best.set(bin, entry);
    return true;
  }

  entries(): EvaluatedSubnet[] {
    return [...this.best.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
  }
}

/**
 * Each gene replaced with probability p by a DIFFERENT value of its choices (as AlphaNet's
 * evolution does: redrawing the same value would make the effective rate p (k - 1) / k, 0.1 on
 * a two-choice gene); a gene with a single choice stays. docs/recipe.md
 */
export function mutate(space: SearchSpace, parent: Subnet, p: number, rng: Rng): Subnet {
  return buildSubnet(space, (slot) => {
    const current = getSlot(parent, slot);
    if (rng.next() >= p) return current;
    const others = slot.choices.filter((c) => c !== current);
    return others.length > 0 ? rng.pick(others) : current;
  });
}

/** Each gene taken from parent a with probability p, otherwise from parent b. */
export function crossover(space: SearchSpace, a: Subnet, b: Subnet, p: number, rng: Rng): Subnet {
  return buildSubnet(space, (slot) => (rng.next() < p ? getSlot(a, slot) : getSlot(b, slot)));
}

export function searchWindow(space: SearchSpace, config: EvolutionConfig): { minMacs: number; maxMacs: number } {
  const { minMacs: lo, maxMacs: hi } = macsRange(space);
  const window = { minMacs: config.minMacs ?? lo, maxMacs: config.maxMacs ?? hi };
  if (window.maxMacs < lo || window.minMacs > hi) {
    throw new Error(
      `the MACs window ${fmt(window.minMacs)}-${fmt(window.maxMacs)} M holds no subnet of "${space.name}" (its subnets span ${fmt(lo)}-${fmt(hi)} M)`,
    );
  }
  return window;
}

const fmt = (macs: number) => (macs / 1e6).toFixed(3);

export async function runEvolution(
  space: SearchSpace,
  configInput: EvolutionConfigInput,
  fitness: Fitness,
  rng: Rng,
  hooks: EvolutionHooks = {},
): Promise<EvolutionResult> {
  const config = parseEvolutionConfig(configInput);
  const window = searchWindow(space, config);
  const inWindow = (macs: number) => macs >= window.minMacs && macs <= window.maxMacs;
  const archive = new ParetoArchive(window.minMacs, window.maxMacs, config.archiveBins);
  const seen = new Set<string>();
  const all: EvaluatedSubnet[] = [];
  const generations: GenerationReport[] = [];
  const reference = { maxMacs: window.maxMacs, minAccuracy: 0 };

  /** Tries `make` until it yields an unseen subnet inside the window, at most maxTries times. */
  const fresh = (make: () => Subnet): { subnet: Subnet; macs: number } | null => {
    for (let t = 0; t < config.maxTries; t++) {
      const subnet = make();
      const key = subnetKey(subnet);
      if (seen.has(key)) continue;
      const macs = countMacs(space, subnet);
      if (!inWindow(macs)) continue;
      seen.add(key);
      return { subnet, macs };
    }
    return null;
  };

  const evaluate = async (batch: { subnet: Subnet; macs: number; origin: Origin }[], generation: number, giveUps: number) => {
    const scores = batch.length ? await fitness(batch.map((b) => b.subnet)) : [];
    if (scores.length !== batch.length) throw new Error(`fitness returned ${scores.length} scores for ${batch.length} subnets`);
    const evaluated = batch.map((b, i) => {
      if (!Number.isFinite(scores[i])) throw new Error(`fitness of ${subnetKey(b.subnet)} is ${scores[i]}`);
      const entry: EvaluatedSubnet = {
        subnet: b.subnet,
        key: subnetKey(b.subnet),
        hash: subnetHash(b.subnet),
        macs: b.macs,
        params: countParams(space, b.subnet),
        accuracy: scores[i],
        generation,
        origin: b.origin,
      };
      archive.offer(entry);
      return entry;
    });
    all.push(...evaluated);
    const front = paretoFront(all);
    const report: GenerationReport = {
      generation,
      evaluated,
      front,
      archive: archive.entries(),
      hypervolume: macsAccuracyHypervolume(front, reference),
      totalEvaluations: all.length,
      giveUps,
    };
    generations.push(report);
    await hooks.onGeneration?.(report);
  };

  // generation 0: the smallest subnet (when inside the window) and uniform samples
  const initial: { subnet: Subnet; macs: number; origin: Origin }[] = [];
  const smallest = smallestSubnet(space);
  const smallestMacs = countMacs(space, smallest);
  if (inWindow(smallestMacs)) {
    seen.add(subnetKey(smallest));
    initial.push({ subnet: smallest, macs: smallestMacs, origin: 'smallest' });
  }
  let giveUps = 0;
  while (initial.length < config.population) {
    const child = fresh(() => sampleUniform(space, rng));
    if (!child) {
      giveUps++;
      break;
    }
    initial.push({ ...child, origin: 'seed' });
  }
  // a window inside the space's MACs span can still hold no subnet (or none that sampling finds)
  if (initial.length === 0) {
    throw new Error(
      `no subnet of "${space.name}" found in the MACs window ${fmt(window.minMacs)}-${fmt(window.maxMacs)} M after ${config.maxTries} samples; widen the window`,
    );
  }
  await evaluate(initial, 0, giveUps);

  let stopped = false;
  for (let g = 1; g <= config.generations; g++) {
    if (hooks.shouldStop?.()) {
      stopped = true;
      break;
    }
    const parents = archive.entries();
    const children: { subnet: Subnet; macs: number; origin: Origin }[] = [];
    giveUps = 0;
    for (let i = 0; i < config.mutationsPerGeneration; i++) {
      const child = fresh(() => mutate(space, rng.pick(parents).subnet, config.mutationProbability, rng));
      if (child) children.push({ ...child, origin: 'mutation' });
      else giveUps++;
    }
    for (let i = 0; i < config.crossoversPerGeneration; i++) {
      const child = fresh(() => crossover(space, rng.pick(parents).subnet, rng.pick(parents).subnet, config.crossoverProbability, rng));
      if (child) children.push({ ...child, origin: 'crossover' });
      else giveUps++;
    }
    await evaluate(children, g, giveUps);
  }

  const front = paretoFront(all);
  let refinedFront = front;
  if (hooks.refine && front.length) {
    const scores = await hooks.refine(front.map((e) => e.subnet));
    if (scores.length !== front.length) throw new Error(`refine returned ${scores.length} scores for ${front.length} subnets`);
    front.forEach((e, i) => {
      if (!Number.isFinite(scores[i])) throw new Error(`refined fitness of ${e.key} is ${scores[i]}`);
    });
    refinedFront = paretoFront(front.map((e, i) => ({ ...e, accuracy: scores[i] })));
  }
  return { all, front, refinedFront, generations, window, stopped };
}

/** The best subnet found at or under a MACs budget. */
export const bestFoundUnder = (result: Pick<EvolutionResult, 'all'>, maxMacs: number) => bestUnderBudget(result.all, maxMacs);
