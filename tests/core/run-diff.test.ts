import { describe, expect, it } from 'vitest';
import {
  comparabilityWarning,
  runDifferences,
  runDifferencesTable,
  settingsSideBySide,
  type ComparedRun,
} from '../../src/core/comparison/run-diff';
import { lossOverlayTable, overlayLosses } from '../../src/core/comparison/loss-overlay';
import { defaultSettings } from '../../src/core/training/studio-settings';
import type { RangeEvaluation } from '../../src/core/records/run-records';

const evaluation = (accuracy: number) => ({ accuracy, correct: 0, total: 100, calibrationBatches: 1, ms: 1 });
const ranges = (...accuracies: number[][]): RangeEvaluation => ({
  step: 10,
  epoch: 0,
  split: 'validation',
  calibrationBatches: 1,
  images: 100,
  ms: 1,
  ranges: accuracies.map((acc, index) => ({
    index,
    loMacs: index * 1e6,
    hiMacs: (index + 1) * 1e6,
    subnets: [],
    accuracies: acc,
    summary: null,
  })),
});
const run = (name: string, change: Partial<ComparedRun> = {}): ComparedRun => ({
  name,
  settings: { ...defaultSettings, space: 'tiny' },
  datasetName: 'Fashion-MNIST',
  rangeHistory: [ranges([0.5, 0.7, 0.6], [0.8])],
  outcome: { stopped: false, test: { largest: evaluation(0.8), smallest: evaluation(0.6) }, trainingSeconds: 1 },
  ...change,
});

describe('settingsSideBySide', () => {
  it('lists every setting with each run value and marks only the ones that differ', () => {
    const rows = settingsSideBySide([
      run('a'),
      run('b', { settings: { ...defaultSettings, space: 'tiny', sampler: 'bestup', k: defaultSettings.k + 1 } }),
    ]);
    expect(rows.map((r) => r.key)).toContain('learningRate');
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['sampler', 'k']);
    expect(rows.find((r) => r.key === 'sampler')!.values).toEqual(['uniform', 'bestup']);
  });

  it('shows the data by name, so two different imported datasets differ', () => {
    const rows = settingsSideBySide([run('a', { datasetName: 'digits' }), run('b', { datasetName: 'letters' })]);
    expect(rows.find((r) => r.key === 'dataset')).toEqual({ key: 'dataset', values: ['digits', 'letters'], differs: true });
  });
});

describe('comparabilityWarning', () => {
  it('is null for runs of one space and one dataset', () => {
    expect(comparabilityWarning([run('a'), run('b')])).toBeNull();
  });

  it('says what differs: space, dataset and training subset', () => {
    const other = run('b', { settings: { ...defaultSettings, space: 'quick', trainSubset: 64 }, datasetName: 'my-digits' });
    expect(comparabilityWarning([run('a'), other])).toBe(
      'space: tiny vs quick; dataset: Fashion-MNIST vs my-digits; training subset: all images vs 64 images',
    );
  });
});

describe('runDifferences', () => {
  it('gives each range median and the test top-1, as differences to the first run', () => {
    const second = run('b', {
      rangeHistory: [ranges([0.4], [0.9, 0.7])],
      outcome: { stopped: false, test: { largest: evaluation(0.85), smallest: evaluation(0.5) }, trainingSeconds: 1 },
    });
    const rows = runDifferences([run('a'), second]);
    expect(rows.map((r) => r.label)).toEqual([
      'range 1 (0.00-1.00 MMACs) median',
      'range 2 (1.00-2.00 MMACs) median',
      'largest subnet test top-1',
      'smallest subnet test top-1',
    ]);
    expect(rows[0].values).toEqual([0.6, 0.4]);
    expect(rows[1].values[1]).toBeCloseTo(0.8);
    expect(rows[0].deltas[0]).toBeNull();
    expect(rows[0].deltas[1]).toBeCloseTo(-0.2);
    expect(rows[2].deltas[1]).toBeCloseTo(0.05);
    expect(rows[3].deltas[1]).toBeCloseTo(-0.1);
  });

  it('leaves gaps where a run has fewer ranges, no evaluation or no test', () => {
    const bare = run('b', { rangeHistory: [], outcome: null });
    const rows = runDifferences([run('a'), bare]);
    expect(rows.map((r) => r.values[1])).toEqual([null, null, null, null]);
    expect(rows.every((r) => r.deltas[1] === null)).toBe(true);
  });

  it('exports a column per run and per difference, in points', () => {
    const table = runDifferencesTable([
      run('a'),
      run('b', { outcome: { stopped: false, test: { largest: evaluation(0.9), smallest: evaluation(0.6) }, trainingSeconds: 1 } }),
    ]);
    expect(table.columns).toEqual(['row', '1: a accuracy', '2: b accuracy', '2: b minus 1 (points)']);
    const largest = table.rows.find((r) => r[0] === 'largest subnet test top-1')!;
    expect(largest[1]).toBe(0.8);
    expect(largest[3]).toBeCloseTo(10);
  });
});

describe('overlayLosses', () => {
  const step = (n: number, losses: number[]) => ({ step: n, lr: 0.1, roles: [], macs: [], losses, bins: [] });
  it('puts each run on a shared step axis, empty where a run has no step', () => {
    const overlay = overlayLosses(
      [{ steps: [step(0, [2, 3]), step(1, [1.5, 2.5])] }, { steps: [step(1, [1.8, 2.8]), step(2, [NaN, 2])] }],
      'largest',
    );
    expect(overlay.steps).toEqual([1, 2, 3]);
    expect(overlay.losses).toEqual([
      [2, 1.5, null],
      [null, 1.8, null],
    ]);
    expect(overlayLosses([{ steps: [step(0, [2, 3])] }], 'smallest').losses).toEqual([[3]]);
    expect(lossOverlayTable(overlay, ['a', 'b']).rows[1]).toEqual([2, 1.5, 1.8]);
  });
});
