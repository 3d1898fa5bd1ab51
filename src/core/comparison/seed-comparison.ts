/**
 * The comparison over several seeds: per FLOPs range (and for the smallest and largest nets),
 * each sampler's mean over seeds of the median accuracy, and against the baseline (Uniform)
 * the paired difference with a bootstrap interval over seeds and subnets. Runs are paired by
 * seed, and subnets by their key, so only what every run measured enters a range.
 */
import { DEFAULT_BOOTSTRAP, pairedBootstrap, verdictOf, type BootstrapOptions, type Verdict } from './bootstrap';
import { quantileSorted } from './box-stats';

/** What one finished run contributes: its sampler's label, its seed and its final measurements. */
export interface RunMeasurements {
  sampler: string;
  seed: number;
  ranges: { index: number; loMacs: number; hiMacs: number; subnets: { key: string; accuracy: number }[] }[];
  /** final validation accuracy of the largest and smallest nets (null: not measured) */
  largest: number | null;
  smallest: number | null;
}

export interface Difference {
  /** mean over paired seeds of (median of the sampler - median of the baseline) */
  estimate: number;
  lo: number | null;
  hi: number | null;
  verdict: Verdict;
  seeds: number;
  subnets: number;
}

export interface SamplerCell {
  sampler: string;
  /** mean over this sampler's seeds of its median accuracy on the row's subnets */
  mean: number | null;
  seeds: number;
  /** null for the baseline itself, or when it shares no seed with the baseline */
  vsBaseline: Difference | null;
}

export interface StatRow {
  kind: 'smallest' | 'range' | 'largest';
  /** the range index; -1 for the smallest and largest nets */
  range: number;
  loMacs: number | null;
  hiMacs: number | null;
  /** subnets measured by every run in this row */
  subnets: number;
  cells: SamplerCell[];
}

export interface SeedComparison {
  baseline: string;
  samplers: string[];
  seeds: number[];
  bootstrap: { resamples: number; level: number; seed: number };
  rows: StatRow[];
}

const median = (values: number[]) =>
  quantileSorted(
    [...values].sort((a, b) => a - b),
    0.5,
  );

/** One row's data: per run, accuracies in the order of the subnet keys every run shares. */
interface RowData {
  kind: StatRow['kind'];
  range: number;
  loMacs: number | null;
  hiMacs: number | null;
  subnets: number;
  /** run index -> accuracies (absent: the run did not measure this row) */
  values: Map<number, number[]>;
}

function netRow(runs: RunMeasurements[], kind: 'smallest' | 'largest'): RowData {
  const values = new Map<number, number[]>();
  runs.forEach((run, i) => {
    const accuracy = run[kind];
    if (accuracy !== null && Number.isFinite(accuracy)) values.set(i, [accuracy]);
  });
  return { kind, range: -1, loMacs: null, hiMacs: null, subnets: values.size ? 1 : 0, values };
}

function rangeRows(runs: RunMeasurements[]): RowData[] {
  const indices = [...new Set(runs.flatMap((r) => r.ranges.map((g) => g.index)))].sort((a, b) => a - b);
  return indices.map((index) => {
    const holders = runs.map((run, i) => ({ i, range: run.ranges.find((g) => g.index === index) })).filter((h) => h.range);
    const first = holders[0].range!;
    // the range plan depends only on the space, so these are normally all of them
    const keys = first.subnets.map((s) => s.key).filter((key) => holders.every((h) => h.range!.subnets.some((s) => s.key === key)));
    const values = new Map<number, number[]>();
    if (keys.length) {
      for (const h of holders) {
        const byKey = new Map(h.range!.subnets.map((s) => [s.key, s.accuracy]));
        values.set(
          h.i,
          keys.map((k) => byKey.get(k)!),
        );
      }
    }
    return { kind: 'range' as const, range: index, loMacs: first.loMacs, hiMacs: first.hiMacs, subnets: keys.length, values };
  });
}

/** per sampler: seed -> accuracies on the row's subnets */
function bySeed(runs: RunMeasurements[], row: RowData, sampler: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  runs.forEach((run, i) => {
    const v = row.values.get(i);
    if (run.sampler === sampler && v) out.set(run.seed, v);
  });
  return out;
}

function statRow(runs: RunMeasurements[], row: RowData, samplers: string[], baseline: string, options: BootstrapOptions): StatRow {
  const base = bySeed(runs, row, baseline);
  const cells = samplers.map((sampler): SamplerCell => {
    const mine = bySeed(runs, row, sampler);
    const medians = [...mine.values()].map(median);
    const mean = medians.length ? medians.reduce((a, b) => a + b, 0) / medians.length : null;
    const paired = [...mine.keys()].filter((seed) => base.has(seed)).sort((a, b) => a - b);
    if (sampler === baseline || paired.length === 0) return { sampler, mean, seeds: mine.size, vsBaseline: null };
    const interval = pairedBootstrap(
      paired.map((s) => mine.get(s)!),
      paired.map((s) => base.get(s)!),
      options,
    );
    return {
      sampler,
      mean,
      seeds: mine.size,
      vsBaseline: {
        estimate: interval.estimate,
        lo: interval.lo,
        hi: interval.hi,
        verdict: verdictOf(interval),
        seeds: interval.seeds,
        subnets: interval.subnets,
      },
    };
  });
  return { kind: row.kind, range: row.range, loMacs: row.loMacs, hiMacs: row.hiMacs, subnets: row.subnets, cells };
}

/**
 * Statistics of a set of runs. The baseline defaults to the first run's sampler; samplers keep
 * the order they first appear in. Two runs of one sampler with one seed are refused: which of
 * them would count?
 */
export function compareOverSeeds(runs: RunMeasurements[], options: BootstrapOptions & { baseline?: string } = {}): SeedComparison {
  if (runs.length === 0) throw new Error('a comparison needs at least one run');
  const seen = new Set<string>();
  for (const run of runs) {
    const id = `${run.sampler}\u0000${run.seed}`;
    if (seen.has(id)) throw new Error(`two runs of ${run.sampler} with seed ${run.seed}; keep one of them`);
    seen.add(id);
  }
  const samplers = [...new Set(runs.map((r) => r.sampler))];
  const baseline = options.baseline ?? samplers[0];
  if (!samplers.includes(baseline)) throw new Error(`the baseline ${baseline} has no run`);
  const bootstrap = {
    resamples: options.resamples ?? DEFAULT_BOOTSTRAP.resamples,
    level: options.level ?? DEFAULT_BOOTSTRAP.level,
    seed: options.seed ?? DEFAULT_BOOTSTRAP.seed,
  };
  const rows = [netRow(runs, 'smallest'), ...rangeRows(runs), netRow(runs, 'largest')].map((row) =>
    statRow(runs, row, samplers, baseline, bootstrap),
  );
  return { baseline, samplers, seeds: [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b), bootstrap, rows };
}

/** The final measurements of a run record (CLI results or a studio run): its last range evaluation and last epoch. */
export function measurementsOf(
  sampler: string,
  seed: number,
  rangeEvaluations: readonly { ranges: RunMeasurements['ranges'] }[],
  epochs: readonly { validation: { largest: { accuracy: number }; smallest: { accuracy: number } } }[],
): RunMeasurements {
  const lastEpoch = epochs[epochs.length - 1];
  return {
    sampler,
    seed,
    ranges: rangeEvaluations[rangeEvaluations.length - 1]?.ranges ?? [],
    largest: lastEpoch?.validation.largest.accuracy ?? null,
    smallest: lastEpoch?.validation.smallest.accuracy ?? null,
  };
}
