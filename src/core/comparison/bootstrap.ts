/**
 * A paired, two-way bootstrap for "does sampler X beat the baseline?". The data are crossed:
 * every run (seed) is measured on the same subnets, so both sources of chance are resampled
 * together in each replicate: the seeds with replacement, and the subnets with replacement
 * (one draw of subnet indices shared by both samplers and every seed, which keeps the pairing
 * by subnet; one draw of seeds shared by both samplers, which keeps the pairing by seed).
 *
 * The statistic is the one the comparison reports: the mean over seeds of the median over
 * subnets, treatment minus baseline. Seeded and deterministic, so a table can be reproduced.
 */
import { quantileSorted } from './box-stats';
import { Rng } from '../training/rng';

export interface BootstrapOptions {
  /** replicates (2,000 keeps the 2.5% and 97.5% quantiles steady to about a tenth of a point) */
  resamples?: number;
  /** the bootstrap's own seed (not a training seed) */
  seed?: number;
  /** coverage of the percentile interval */
  level?: number;
}

export const DEFAULT_BOOTSTRAP = { resamples: 2000, seed: 20240601, level: 0.95 } as const;

export interface PairedInterval {
  /** the statistic on the data as measured */
  estimate: number;
  /** percentile interval; null when there is nothing to resample (one seed and one subnet) */
  lo: number | null;
  hi: number | null;
  seeds: number;
  subnets: number;
}

function medianOf(row: readonly number[], picks: readonly number[], scratch: number[]): number {
  for (let i = 0; i < picks.length; i++) scratch[i] = row[picks[i]];
  scratch.sort((a, b) => a - b);
  return quantileSorted(scratch, 0.5);
}

/** mean over the picked seeds of (median of treatment - median of baseline) over the picked subnets */
function statistic(
  treatment: number[][],
  baseline: number[][],
  seeds: readonly number[],
  subnets: readonly number[],
  scratch: number[],
): number {
  let sum = 0;
  for (const s of seeds) sum += medianOf(treatment[s], subnets, scratch) - medianOf(baseline[s], subnets, scratch);
  return sum / seeds.length;
}

function checkShape(treatment: number[][], baseline: number[][]): { seeds: number; subnets: number } {
  const seeds = baseline.length;
  if (seeds === 0) throw new Error('paired bootstrap: no seeds');
  if (treatment.length !== seeds) throw new Error(`paired bootstrap: ${treatment.length} treatment seeds against ${seeds} baseline seeds`);
  const subnets = baseline[0].length;
  if (subnets === 0) throw new Error('paired bootstrap: no subnets');
  for (let s = 0; s < seeds; s++) {
    if (baseline[s].length !== subnets || treatment[s].length !== subnets)
      throw new Error(`paired bootstrap: seed ${s} does not hold ${subnets} subnets in both samplers`);
    for (let j = 0; j < subnets; j++) {
      if (!Number.isFinite(baseline[s][j]) || !Number.isFinite(treatment[s][j]))
        throw new Error(`paired bootstrap: seed ${s}, subnet ${j} is not a finite number`);
    }
  }
  return { seeds, subnets };
}

/**
 * treatment[s][j] and baseline[s][j]: accuracy under seed s of subnet j (same j = same subnet).
 * Returns the statistic and its percentile interval.
 */
export function pairedBootstrap(treatment: number[][], baseline: number[][], options: BootstrapOptions = {}): PairedInterval {
  const { resamples, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  if (!Number.isInteger(resamples) || resamples < 10)
    throw new Error(`paired bootstrap: resamples must be an integer of at least 10, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new Error(`paired bootstrap: level must be between 0 and 1, got ${level}`);
  const { seeds, subnets } = checkShape(treatment, baseline);
  const scratch = new Array<number>(subnets);
  const allSeeds = Array.from({ length: seeds }, (_, i) => i);
  const allSubnets = Array.from({ length: subnets }, (_, i) => i);
  const estimate = statistic(treatment, baseline, allSeeds, allSubnets, scratch);
  if (seeds === 1 && subnets === 1) return { estimate, lo: null, hi: null, seeds, subnets };
  const rng = Rng.derive(seed, 'paired-bootstrap');
  const seedPicks = new Array<number>(seeds);
  const subnetPicks = new Array<number>(subnets);
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < seeds; i++) seedPicks[i] = rng.int(seeds);
    for (let i = 0; i < subnets; i++) subnetPicks[i] = rng.int(subnets);
    replicates[r] = statistic(treatment, baseline, seedPicks, subnetPicks, scratch);
  }
  replicates.sort();
  const sorted = Array.from(replicates);
  const tail = (1 - level) / 2;
  return { estimate, lo: quantileSorted(sorted, tail), hi: quantileSorted(sorted, 1 - tail), seeds, subnets };
}

export type Verdict = 'better' | 'worse' | 'within noise' | 'no interval';

/** An interval that holds 0 cannot tell the samplers apart: "within noise", never coloured. */
export function verdictOf(interval: Pick<PairedInterval, 'lo' | 'hi'>): Verdict {
  if (interval.lo === null || interval.hi === null) return 'no interval';
  if (interval.lo > 0) return 'better';
  if (interval.hi < 0) return 'worse';
  return 'within noise';
}
