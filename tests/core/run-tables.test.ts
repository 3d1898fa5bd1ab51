import { describe, expect, it } from 'vitest';
import {
  comparisonEpochsTable,
  comparisonRangesTable,
  priorShares,
  priorTable,
  rangeEvaluationsTable,
  searchSubnetsTable,
} from '../../src/core/records/run-tables';
import { toCsv } from '../../src/core/comparison/table-text';

const step = (bins: number[], roles: string[], targetBins?: number[]) => ({
  step: 0,
  lr: 0.1,
  roles,
  macs: roles.map(() => 1),
  losses: roles.map(() => 1),
  bins,
  targetBins,
});
const subnet = (key: string, macs: number, accuracy: number) => ({ key, encoding: { stages: [] } as never, macs, accuracy });
const evaluation = (step: number, accuracies: number[]) => ({
  step,
  epoch: 0,
  split: 'validation' as const,
  calibrationBatches: 2,
  images: 100,
  ms: 1,
  ranges: [{ index: 0, loMacs: 1e6, hiMacs: 2e6, subnets: accuracies.map((a, i) => subnet(`s${i}`, 1.5e6, a)), accuracies, summary: null }],
});

describe('priorShares', () => {
  it('counts only sampled subnets and target bins inside the prior, as shares', () => {
    const prior = { edges: [0, 1, 2, 3], frequencies: [0.5, 0.3, 0.2] };
    const steps = [
      step([2, 0, 1, 0], ['largest', 'sampled', 'sampled', 'smallest'], [0, 1]),
      step([2, 1, -1, 0], ['largest', 'sampled', 'sampled', 'smallest'], [1, 9]),
    ];
    const shares = priorShares(prior, steps);
    expect(shares.sampled).toEqual([1 / 3, 2 / 3, 0]);
    expect(shares.targets).toEqual([1 / 3, 2 / 3, 0]);
    expect(priorTable(prior, steps).rows[0]).toEqual([0, 0, 1, 0.5, 1 / 3, 1 / 3]);
  });
  it('has no targets for a sampler without them', () => {
    expect(priorShares({ frequencies: [1] }, [step([0], ['sampled'])]).targets).toBeNull();
  });
});

describe('range and comparison tables', () => {
  it('writes one row per subnet of every evaluation', () => {
    const t = rangeEvaluationsTable([evaluation(3, [0.5, 0.6]), evaluation(6, [0.7])]);
    expect(t.rows.map((r) => [r[0], r[7]])).toEqual([
      [3, 0.5],
      [3, 0.6],
      [6, 0.7],
    ]);
  });
  it("pools each run's latest evaluation with its label and seed", () => {
    const runs = [
      { label: 'Uniform', config: { seed: 1 }, rangeHistory: [evaluation(3, [0.1]), evaluation(6, [0.5, 0.6])], epochs: [] },
      { label: 'BestUp-3, "loss"', config: { seed: 2 }, rangeHistory: [], epochs: [] },
    ];
    const t = comparisonRangesTable(runs);
    expect(t.columns.slice(0, 3)).toEqual(['sampler', 'seed', 'step']);
    expect(t.rows.map((r) => [r[0], r[1], r[2], r[9]])).toEqual([
      ['Uniform', 1, 6, 0.5],
      ['Uniform', 1, 6, 0.6],
    ]);
    expect(comparisonEpochsTable(runs).rows).toEqual([]);
    expect(toCsv({ columns: ['sampler'], rows: [[runs[1].label]] })).toBe('sampler\r\n"BestUp-3, ""loss"""\r\n');
  });
  it('marks the front in the search table', () => {
    const p = (key: string) =>
      ({ key, hash: '00000000', macs: 1, params: 2, accuracy: 0.5, generation: 0, origin: 'initial', subnet: {} }) as never;
    const t = searchSubnetsTable([p('a'), p('b')], [p('b')]);
    expect(t.rows.map((r) => [r[0], r[7]])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });
});
