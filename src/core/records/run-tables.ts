/**
 * A run's and a search's numbers as tables (table-text.ts writes them as CSV or JSON): one
 * row per trained subnet per step, per epoch, per subnet of each range evaluation, per
 * evaluated subnet of a search. Long form (one row per observation), which is what pandas,
 * R and spreadsheets pivot from; accuracies and losses as measured, not rounded.
 */
import type { Table } from '../comparison/table-text';
import type { EpochRecord, RangeEvaluation, StepPoint } from './run-records';
import type { EvaluatedSubnet } from './search-records';
import type { SeedComparison } from '../comparison/seed-comparison';

/** One row per subnet trained at each step: its role, MACs and loss (step counts from 1, as steps done). */
export function stepsTable(steps: StepPoint[]): Table {
  const rows: Table['rows'] = [];
  for (const s of steps) {
    s.roles.forEach((role, i) => rows.push([s.step + 1, s.lr, i, role, s.macs[i], s.losses[i], s.bins[i], s.targetBins?.[i] ?? null]));
  }
  return { columns: ['step', 'lr', 'slot', 'role', 'macs', 'loss', 'prior_bin', 'target_bin'], rows };
}

/** One row per epoch: validation top-1 of the largest and smallest subnets and the mean losses. */
export function epochsTable(epochs: EpochRecord[]): Table {
  return {
    columns: [
      'epoch',
      'steps',
      'seconds',
      'largest_accuracy',
      'smallest_accuracy',
      'mean_loss_largest',
      'mean_loss_sampled',
      'mean_loss_smallest',
    ],
    rows: epochs.map((e) => [
      e.epoch + 1,
      e.steps,
      e.seconds,
      e.validation.largest.accuracy,
      e.validation.smallest.accuracy,
      e.meanLoss.largest,
      e.meanLoss.sampled,
      e.meanLoss.smallest,
    ]),
  };
}

/** One row per subnet of every range evaluation, with its range's bounds. */
export function rangeEvaluationsTable(history: RangeEvaluation[]): Table {
  const rows: Table['rows'] = [];
  for (const evaluation of history) {
    for (const range of evaluation.ranges) {
      for (const subnet of range.subnets)
        rows.push([
          evaluation.step,
          evaluation.epoch + 1,
          range.index,
          range.loMacs,
          range.hiMacs,
          subnet.key,
          subnet.macs,
          subnet.accuracy,
        ]);
    }
  }
  return { columns: ['step', 'epoch', 'range', 'range_lo_macs', 'range_hi_macs', 'subnet', 'macs', 'accuracy'], rows };
}

/** One row per evaluated subnet of a search; on_front marks the Pareto front's members. */
export function searchSubnetsTable(points: EvaluatedSubnet[], front: EvaluatedSubnet[]): Table {
  const onFront = new Set(front.map((p) => p.key));
  return {
    columns: ['subnet', 'hash', 'macs', 'params', 'accuracy', 'generation', 'origin', 'on_front'],
    rows: points.map((p) => [p.key, p.hash, p.macs, p.params, p.accuracy, p.generation, p.origin, onFront.has(p.key)]),
  };
}

/** Where a run's sampled subnets (and an attentive sampler's target bins) fell over the prior's bins, as shares. */
export function priorShares(prior: { frequencies: number[] }, steps: StepPoint[]): { sampled: number[]; targets: number[] | null } {
  const bins = prior.frequencies.length;
  const sampled = new Array<number>(bins).fill(0);
  const targets = new Array<number>(bins).fill(0);
  let sampledTotal = 0;
  let targetTotal = 0;
  for (const s of steps) {
    s.roles.forEach((role, i) => {
      if (role === 'sampled' && s.bins[i] >= 0 && s.bins[i] < bins) {
        sampled[s.bins[i]]++;
        sampledTotal++;
      }
    });
    for (const t of s.targetBins ?? []) {
      if (t >= 0 && t < bins) {
        targets[t]++;
        targetTotal++;
      }
    }
  }
  const share = (xs: number[], total: number) => xs.map((v) => (total ? v / total : 0));
  return { sampled: share(sampled, sampledTotal), targets: targetTotal ? share(targets, targetTotal) : null };
}

/** One row per prior bin: its MACs bounds, the prior's share and the run's. */
export function priorTable(prior: { edges: number[]; frequencies: number[] }, steps: StepPoint[]): Table {
  const { sampled, targets } = priorShares(prior, steps);
  return {
    columns: ['bin', 'lo_macs', 'hi_macs', 'prior_share', 'sampled_share', 'target_share'],
    rows: prior.frequencies.map((f, b) => [b, prior.edges[b], prior.edges[b + 1], f, sampled[b], targets ? targets[b] : null]),
  };
}

/** The statistics over seeds, one row per table row and sampler: its mean of medians and its difference to the baseline with the interval. */
export function seedComparisonTable(stats: SeedComparison): Table {
  const rows: Table['rows'] = [];
  for (const row of stats.rows) {
    for (const cell of row.cells) {
      const d = cell.vsBaseline;
      rows.push([
        row.kind,
        row.range,
        row.loMacs,
        row.hiMacs,
        row.subnets,
        cell.sampler,
        cell.mean,
        cell.seeds,
        d?.estimate ?? null,
        d?.lo ?? null,
        d?.hi ?? null,
        d?.verdict ?? null,
      ]);
    }
  }
  return {
    columns: [
      'row',
      'range',
      'lo_macs',
      'hi_macs',
      'subnets',
      'sampler',
      'mean_of_medians',
      'seeds',
      'difference',
      'difference_lo',
      'difference_hi',
      'verdict',
    ],
    rows,
  };
}

interface LabelledRun {
  label: string;
  config: { seed: number };
  rangeHistory: RangeEvaluation[];
  epochs: EpochRecord[];
}

/** The subnets of each run's latest range evaluation (what a comparison's box plots pool), with the run's label and seed. */
export function comparisonRangesTable(runs: LabelledRun[]): Table {
  const columns = ['sampler', 'seed', ...rangeEvaluationsTable([]).columns];
  const rows = runs.flatMap((run) => {
    const latest = run.rangeHistory[run.rangeHistory.length - 1];
    return latest ? rangeEvaluationsTable([latest]).rows.map((r) => [run.label, run.config.seed, ...r]) : [];
  });
  return { columns, rows };
}

/** Every run's epochs (the accuracy-over-time chart), with the run's label and seed. */
export function comparisonEpochsTable(runs: LabelledRun[]): Table {
  const columns = ['sampler', 'seed', ...epochsTable([]).columns];
  return { columns, rows: runs.flatMap((run) => epochsTable(run.epochs).rows.map((r) => [run.label, run.config.seed, ...r])) };
}
