/**
 * Which subnets the accuracy-per-FLOPs-range evaluation measures: B ranges made of
 * consecutive bins of the FLOPs prior, and N distinct subnets drawn in each with the
 * conditional sampler. It depends on the space (and the evaluation's size) only, never on the
 * run's seed or sampler: the prior it reads is built with a fixed seed (flopsPriorOptions) and
 * its draws use a fixed seed, so every run of a comparison, whatever its sampler and seed, is
 * measured on the same subnets and the statistics can pair them subnet by subnet.
 */
import { ConditionalSampler } from './conditional-sampler';
import type { FlopsPrior, FlopsPriorOptions } from './flops-prior';
import { Rng } from '../training/rng';
import type { SearchSpace } from '../space/space';
import { subnetKey, type Subnet } from '../space/subnet';

export interface PlannedRange {
  index: number;
  /** MACs range [loMacs, hiMacs] covered by the range's prior bins */
  loMacs: number;
  hiMacs: number;
  bins: number[];
  subnets: Subnet[];
}

export interface RangePlan {
  ranges: PlannedRange[];
  perRange: number;
  seed: number;
}

/** the plan's own seed: a constant, so runs of different seeds share their subnets */
export const RANGE_PLAN_SEED = 0;

/**
 * The FLOPs prior of a run: a property of its space, estimated with a fixed seed (the
 * estimator's default) whatever the run's seed, so the conditional sampler's tables and the
 * range plan read the same prior in every run of a comparison.
 */
export function flopsPriorOptions(config: { prior: { samples: number; bins?: number } }): FlopsPriorOptions {
  return { samples: config.prior.samples, bins: config.prior.bins };
}

export function planRanges(space: SearchSpace, prior: FlopsPrior, rangeCount: number, perRange: number): RangePlan {
  const seed = RANGE_PLAN_SEED;
  const binCount = prior.counts.length;
  const groups = Math.min(rangeCount, binCount);
  const rng = Rng.derive(seed, 'range-evaluation');
  const sampler = new ConditionalSampler(space, prior);
  const ranges: PlannedRange[] = [];
  for (let g = 0; g < groups; g++) {
    const first = Math.floor((g * binCount) / groups);
    const end = Math.floor(((g + 1) * binCount) / groups);
    const bins = Array.from({ length: end - first }, (_, i) => first + i);
    const weights = bins.map((b) => prior.counts[b]);
    const total = weights.reduce((a, b) => a + b, 0);
    const subnets: Subnet[] = [];
    const seen = new Set<string>();
    for (let attempt = 0; total > 0 && subnets.length < perRange && attempt < perRange * 40; attempt++) {
      let pick = rng.next() * total;
      let bin = bins[bins.length - 1];
      for (let i = 0; i < bins.length; i++) {
        pick -= weights[i];
        if (pick < 0) {
          bin = bins[i];
          break;
        }
      }
      const draw = sampler.sampleInBin(bin, rng);
      const key = subnetKey(draw.subnet);
      if (!draw.accepted || seen.has(key)) continue;
      seen.add(key);
      subnets.push(draw.subnet);
    }
    ranges.push({ index: g, loMacs: prior.edges[first], hiMacs: prior.edges[end], bins, subnets });
  }
  return { ranges, perRange, seed };
}
