/**
 * The FLOPs prior pi(tau) of AttentiveNAS and the per-bin slot tables of pi(alpha | tau),
 * built by Monte Carlo over uniformly sampled subnets (the paper samples over 10^6).
 *
 * Bins: the paper uses 25 MFLOPs bins on ImageNet; our spaces are far smaller, so the
 * default bin width is a "round" number of MACs (1, 2, 2.5 or 5 times a power of ten)
 * chosen to give 10 to 40 bins, about 20. Edges sit on multiples of that width (so labels
 * read "0.20-0.40 M"), the first edge at or below the smallest subnet's MACs and the last at
 * or above the largest's; bin b is [edges[b], edges[b+1]) and the last bin also holds its
 * upper edge. With the `bins` option instead, the range [minMacs, maxMacs] is cut into that
 * many equal bins exactly. MACs outside [minMacs, maxMacs] belong to no bin (-1).
 *
 * The sampled subnets are kept (as slot choice indices, one byte per slot) so that an
 * accuracy-predictor pool can rank them later without sampling again.
 */
import { choiceIndicesOf, macsRange, makeMacsEvaluator } from '../space/fast-macs';
import { Rng } from '../training/rng';
import type { SearchSpace } from '../space/space';
import { slotsOf, type Subnet } from '../space/subnet';

export type PriorMode = 'empirical' | 'uniform';

export interface FlopsPriorOptions {
  /** uniform subnets to sample; default 1_000_000 */
  samples?: number;
  /** default 0 */
  seed?: number;
  /** number of equal bins over [minMacs, maxMacs]; default: a round width giving 10..40 bins */
  bins?: number;
  /** bin width in MACs; overrides bins */
  binWidth?: number;
}

export interface FlopsPrior {
  spaceName: string;
  samples: number;
  seed: number;
  /** B+1 ascending MAC edges; bin b = [edges[b], edges[b+1]) and the last bin includes its upper edge */
  edges: number[];
  /** samples per bin */
  counts: number[];
  /** counts / samples */
  frequencies: number[];
  /** tables[bin][slot][choiceIndex] = P(choice | bin); each row sums to 1 (uniform row if the bin is empty) */
  tables: number[][][];
  /** over the whole space (exact smallest and largest subnet), not just the samples */
  minMacs: number;
  maxMacs: number;
  buildMs: number;
  /** the sampled subnets, kept so a predictor pool can reuse them: slot choice indices, row-major samples x slots */
  pool: { choices: Uint8Array; macs: Float64Array; bins: Int32Array; slots: number };
}

export const DEFAULT_PRIOR_SAMPLES = 1_000_000;
export const MIN_PRIOR_SAMPLES = 1000;
/**
 * The one limit on prior samples (the run config reads it too): the pool keeps every sample
 * (one byte per slot plus 12 bytes of MACs and bin), so 5M samples of a 20-slot space hold
 * about 160 MB in a browser worker.
 */
export const MAX_PRIOR_SAMPLES = 5_000_000;
export const MIN_BINS = 2;
export const MAX_BINS = 200;
const GROUP_PRODUCT_LIMIT = 1 << 11;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

interface Normalised {
  samples: number;
  seed: number;
  bins?: number;
  binWidth?: number;
}

function normaliseOptions(options: FlopsPriorOptions = {}): Normalised {
  const samples = options.samples ?? DEFAULT_PRIOR_SAMPLES;
  if (!Number.isInteger(samples) || samples < MIN_PRIOR_SAMPLES || samples > MAX_PRIOR_SAMPLES) {
    throw new Error(`FLOPs prior option "samples" must be an integer from ${MIN_PRIOR_SAMPLES} to ${MAX_PRIOR_SAMPLES}, got ${samples}`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`FLOPs prior option "seed" must be an integer from 0 to 2^32-1, got ${seed}`);
  }
  const out: Normalised = { samples, seed };
  if (options.binWidth !== undefined) {
    if (!(Number.isFinite(options.binWidth) && options.binWidth > 0)) {
      throw new Error(`FLOPs prior option "binWidth" must be a positive number of MACs, got ${options.binWidth}`);
    }
    out.binWidth = options.binWidth;
  } else if (options.bins !== undefined) {
    if (!Number.isInteger(options.bins) || options.bins < MIN_BINS || options.bins > MAX_BINS) {
      throw new Error(`FLOPs prior option "bins" must be an integer from ${MIN_BINS} to ${MAX_BINS}, got ${options.bins}`);
    }
    out.bins = options.bins;
  }
  return out;
}

/** Number of bins alignedEdges would make, without making them. */
function alignedBinCount(minMacs: number, maxMacs: number, width: number): number {
  return Math.max(1, Math.ceil(maxMacs / width) - Math.floor(minMacs / width));
}

/** Edges on multiples of `width` covering [minMacs, maxMacs]. */
function alignedEdges(minMacs: number, maxMacs: number, width: number): number[] {
  const first = Math.floor(minMacs / width);
  let end = Math.ceil(maxMacs / width);
  if (end <= first) end = first + 1; // a space with a single MACs value still gets one bin
  const edges: number[] = [];
  for (let i = first; i <= end; i++) edges.push(i * width);
  // guard against rounding in i * width
  if (edges[0] > minMacs) edges[0] = minMacs;
  if (edges[edges.length - 1] < maxMacs) edges[edges.length - 1] = maxMacs;
  return edges;
}

/** The round bin width (1, 2, 2.5 or 5 x 10^p MACs) giving 10..40 bins, closest to 20. */
export function roundBinWidth(minMacs: number, maxMacs: number): number {
  const span = Math.max(maxMacs - minMacs, 1);
  let best: { width: number; bins: number } | null = null;
  const top = Math.ceil(Math.log10(span)) + 1;
  for (let p = 0; p <= top; p++) {
    for (const m of [1, 2, 2.5, 5]) {
      const width = m * 10 ** p;
      const bins = alignedBinCount(minMacs, maxMacs, width);
      if (bins < 10 || bins > 40) continue;
      // closest to 20 bins; on a tie the wider (fewer bins, more samples per bin)
      if (
        !best ||
        Math.abs(bins - 20) < Math.abs(best.bins - 20) ||
        (Math.abs(bins - 20) === Math.abs(best.bins - 20) && width > best.width)
      ) {
        best = { width, bins };
      }
    }
  }
  if (best) return best.width;
  // tiny spaces (span of a few MACs): fall back to about 20 equal bins
  return span / 20;
}

function makeEdges(minMacs: number, maxMacs: number, o: Normalised): number[] {
  if (o.binWidth !== undefined) {
    const bins = alignedBinCount(minMacs, maxMacs, o.binWidth);
    if (bins < MIN_BINS || bins > MAX_BINS) {
      throw new Error(
        `FLOPs prior option "binWidth" = ${o.binWidth} MACs gives ${bins} bins over ${minMacs}..${maxMacs} MACs; ` +
          `choose a width giving ${MIN_BINS} to ${MAX_BINS} bins`,
      );
    }
    return alignedEdges(minMacs, maxMacs, o.binWidth);
  }
  if (o.bins !== undefined) {
    const width = (maxMacs - minMacs) / o.bins;
    if (!(width > 0)) throw new Error(`FLOPs prior option "bins": the space has a single MACs value; use binWidth`);
    const edges = Array.from({ length: o.bins + 1 }, (_, i) => minMacs + i * width);
    edges[o.bins] = maxMacs;
    return edges;
  }
  return alignedEdges(minMacs, maxMacs, roundBinWidth(minMacs, maxMacs));
}

/** Bin of a MACs value given the edges; -1 outside [edges[0], edges[B]]. Consistent with the edges exactly. */
function binOfEdges(edges: readonly number[], macs: number): number {
  const B = edges.length - 1;
  if (!(macs >= edges[0] && macs <= edges[B])) return -1;
  const width = (edges[B] - edges[0]) / B;
  let b = Math.floor((macs - edges[0]) / width);
  if (b < 0) b = 0;
  if (b > B - 1) b = B - 1;
  while (b > 0 && macs < edges[b]) b--;
  while (b < B - 1 && macs >= edges[b + 1]) b++;
  return b;
}

/** Bin index of a MACs value, -1 outside [minMacs, maxMacs]. */
export function binOf(prior: FlopsPrior, macs: number): number {
  if (!(macs >= prior.minMacs && macs <= prior.maxMacs)) return -1;
  return binOfEdges(prior.edges, macs);
}

export function buildFlopsPrior(space: SearchSpace, options?: FlopsPriorOptions): FlopsPrior {
  const o = normaliseOptions(options);
  const started = now();
  const slots = slotsOf(space);
  const S = slots.length;
  for (const slot of slots) {
    if (slot.choices.length > 256) throw new Error(`FLOPs prior: ${slot.label} has more than 256 choices`);
  }
  const sizes = Int32Array.from(slots, (slot) => slot.choices.length);
  const { minMacs, maxMacs } = macsRange(space);
  const edges = makeEdges(minMacs, maxMacs, o);
  const B = edges.length - 1;

  // choice-count tables, flat: [bin][slot offset + choice]
  const tableOffset = new Int32Array(S);
  let perBin = 0;
  for (let s = 0; s < S; s++) {
    tableOffset[s] = perBin;
    perBin += sizes[s];
  }
  const choiceCounts = new Float64Array(B * perBin);
  const counts = new Array<number>(B).fill(0);

  const evaluate = makeMacsEvaluator(space);
  const rng = Rng.derive(o.seed, 'flops-prior');
  const n = o.samples;
  const choices = new Uint8Array(n * S);
  const macs = new Float64Array(n);
  const bins = new Int32Array(n);
  // Slots are drawn in groups: one uniform integer below the product P of the group's sizes
  // (P <= 2^11) picks a row of the group's decode table (its mixed-radix digits). That is a
  // uniform draw of every slot of the group with a fraction of the generator calls;
  // floor(u * P) over the 2^32 levels of u is biased by at most one part in 2^21, far below the
  // Monte Carlo noise. The per-bin slot tables are counted per group code and expanded after.
  const groups: { start: number; end: number; product: number }[] = [];
  for (let s = 0; s < S;) {
    let product = 1;
    const start = s;
    while (s < S && product * sizes[s] <= GROUP_PRODUCT_LIMIT) product *= sizes[s++];
    if (s === start) product = sizes[s++]; // a single slot with more choices than the limit
    groups.push({ start, end: s, product });
  }
  const G = groups.length;
  const groupStart = Int32Array.from(groups, (g) => g.start);
  const groupLength = Int32Array.from(groups, (g) => g.end - g.start);
  const groupProduct = Float64Array.from(groups, (g) => g.product);
  const decodeOffset = new Int32Array(G); // into decode: row `code` of group g at decodeOffset[g] + code * length
  const codeOffset = new Int32Array(G); // into codeCounts: [bin * totalCodes + codeOffset[g] + code]
  let decodeSize = 0;
  let totalCodes = 0;
  groups.forEach((g, i) => {
    decodeOffset[i] = decodeSize;
    codeOffset[i] = totalCodes;
    decodeSize += g.product * (g.end - g.start);
    totalCodes += g.product;
  });
  const decode = new Uint8Array(decodeSize);
  groups.forEach((g, i) => {
    const len = g.end - g.start;
    for (let code = 0; code < g.product; code++) {
      let r = code;
      for (let j = 0; j < len; j++) {
        const size = sizes[g.start + j];
        decode[decodeOffset[i] + code * len + j] = r % size;
        r = Math.floor(r / size);
      }
    }
  });
  const codeCounts = new Float64Array(B * totalCodes);
  const codes = new Int32Array(G);

  for (let i = 0; i < n; i++) {
    const base = i * S;
    for (let g = 0; g < G; g++) {
      const code = Math.floor(rng.next() * groupProduct[g]);
      codes[g] = code;
      const len = groupLength[g];
      const from = decodeOffset[g] + code * len;
      const to = base + groupStart[g];
      for (let j = 0; j < len; j++) choices[to + j] = decode[from + j];
    }
    const m = evaluate(choices, base);
    const b = binOfEdges(edges, m);
    if (b < 0) throw new Error(`FLOPs prior: sampled MACs ${m} outside ${minMacs}..${maxMacs} (internal error)`);
    macs[i] = m;
    bins[i] = b;
    counts[b]++;
    const row = b * totalCodes;
    for (let g = 0; g < G; g++) codeCounts[row + codeOffset[g] + codes[g]]++;
  }
  for (let b = 0; b < B; b++) {
    for (let g = 0; g < G; g++) {
      const len = groupLength[g];
      for (let code = 0; code < groupProduct[g]; code++) {
        const c = codeCounts[b * totalCodes + codeOffset[g] + code];
        if (c === 0) continue;
        for (let j = 0; j < len; j++) {
          const s = groupStart[g] + j;
          choiceCounts[b * perBin + tableOffset[s] + decode[decodeOffset[g] + code * len + j]] += c;
        }
      }
    }
  }

  const tables: number[][][] = [];
  for (let b = 0; b < B; b++) {
    tables.push(
      slots.map((_, s) => {
        const row: number[] = [];
        for (let c = 0; c < sizes[s]; c++) {
          row.push(counts[b] > 0 ? choiceCounts[b * perBin + tableOffset[s] + c] / counts[b] : 1 / sizes[s]);
        }
        return row;
      }),
    );
  }

  return {
    spaceName: space.name,
    samples: n,
    seed: o.seed,
    edges,
    counts,
    frequencies: counts.map((c) => c / n),
    tables,
    minMacs,
    maxMacs,
    buildMs: now() - started,
    pool: { choices, macs, bins, slots: S },
  };
}

const cache = new Map<string, FlopsPrior>();
const CACHE_LIMIT = 4; // each default prior holds ~30 MB of pool

/** buildFlopsPrior memoised per (space, options); keeps the few most recently used priors. */
export function cachedFlopsPrior(space: SearchSpace, options?: FlopsPriorOptions): FlopsPrior {
  const key = JSON.stringify([space, normaliseOptions(options)]);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const prior = buildFlopsPrior(space, options);
  cache.set(key, prior);
  while (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return prior;
}

/** Forgets every memoised prior (frees their pools). */
export function clearFlopsPriorCache(): void {
  cache.clear();
}

/** Probability of each bin: empirical = frequencies; uniform = equal over bins with samples. */
export function binWeights(prior: FlopsPrior, mode: PriorMode): number[] {
  if (mode === 'empirical') return [...prior.frequencies];
  if (mode === 'uniform') {
    const nonEmpty = prior.counts.filter((c) => c > 0).length;
    return prior.counts.map((c) => (c > 0 ? 1 / nonEmpty : 0));
  }
  throw new Error(`Unknown prior mode "${String(mode)}"; use "empirical" or "uniform"`);
}

const weightCache = new WeakMap<FlopsPrior, Partial<Record<PriorMode, Float64Array>>>();

function cumulativeWeights(prior: FlopsPrior, mode: PriorMode): Float64Array {
  let entry = weightCache.get(prior);
  if (!entry) weightCache.set(prior, (entry = {}));
  let cum = entry[mode];
  if (!cum) {
    const w = binWeights(prior, mode);
    cum = new Float64Array(w.length);
    let acc = 0;
    w.forEach((x, i) => (cum![i] = acc += x));
    entry[mode] = cum;
  }
  return cum;
}

/** Draws a target bin tau from the prior (one rng.next() per draw). */
export function drawBin(prior: FlopsPrior, mode: PriorMode, rng: Rng): number {
  const cum = cumulativeWeights(prior, mode);
  const u = rng.next() * cum[cum.length - 1];
  for (let b = 0; b < cum.length; b++) {
    // never return a zero-weight bin: it has cum[b] === cum[b-1] so u < cum[b] fails there
    if (u < cum[b]) return b;
  }
  // u hit the total exactly through rounding: the last bin with weight
  for (let b = cum.length - 1; b >= 0; b--) if (b === 0 || cum[b] > cum[b - 1]) return b;
  return 0;
}

/** The subnet's bin in this prior (convenience for callers holding a subnet; builds an evaluator per call). */
export function binOfSubnet(space: SearchSpace, prior: FlopsPrior, subnet: Subnet): number {
  return binOf(prior, makeMacsEvaluator(space)(choiceIndicesOf(space, subnet)));
}
