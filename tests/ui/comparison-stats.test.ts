import { describe, expect, it } from 'vitest';
import { groupStatistics, pooledBoxGroups, samplersOf } from '../../src/ui/views/comparison-stats';
import { noiseFloorColor as NOISE_FLOOR_COLOR, samplerColor } from '../../src/ui/charts/palette';
import type { RunRecord } from '../../src/ui/store/runs-slice';

/** the fields the Compare view reads; accuracy of subnet j in range i: base + i/10 + j/100 */
function run(label: string, sampler: string, seed: number, base: number, phase: RunRecord['phase'] = 'done'): RunRecord {
  const ranges = [0, 1].map((i) => ({
    index: i,
    loMacs: (i + 1) * 1e6,
    hiMacs: (i + 2) * 1e6,
    subnets: [0, 1, 2].map((j) => ({ key: `r${i}s${j}`, accuracy: base + i / 10 + j / 100 })),
    accuracies: [0, 1, 2].map((j) => base + i / 10 + j / 100),
    summary: null,
  }));
  return {
    label,
    sampler,
    phase,
    config: { seed },
    rangeHistory: [{ ranges }],
    epochs: [{ validation: { largest: { accuracy: base + 0.2 }, smallest: { accuracy: base } } }],
  } as unknown as RunRecord;
}

const group = [
  run('Uniform', 'uniform', 1, 0.5),
  run('BestUp-3 (loss)', 'bestup', 1, 0.4),
  run('Uniform (noise floor)', 'uniform', 1, 0.5),
  run('Uniform', 'uniform', 2, 0.52),
  run('BestUp-3 (loss)', 'bestup', 2, 0.42, 'running'),
  run('Uniform (noise floor)', 'uniform', 2, 0.52, 'queued'),
];

describe('the Compare view’s statistics', () => {
  it('names each sampler once, baseline first, and greys the noise floor', () => {
    const samplers = samplersOf(group);
    expect(samplers.map((s) => s.name)).toEqual(['Uniform', 'BestUp-3 (loss)', 'Uniform (noise floor)']);
    expect(samplers[2].color).toBe(NOISE_FLOOR_COLOR);
    expect(samplers[0].color).not.toBe(NOISE_FLOOR_COLOR);
  });

  it('gives a second variant of a kind (BestUp-1M beside BestUp-3) a colour of its own, and every sampler a different one', () => {
    const samplers = samplersOf([
      ...group,
      run('BestUp-1M (acc)', 'bestup', 1, 0.4),
      run('WorstUp-3 (loss)', 'worstup', 1, 0.4),
      run('WorstUp-1M (acc)', 'worstup', 1, 0.4),
    ]);
    const colors = samplers.map((s) => s.color);
    expect(new Set(colors).size).toBe(colors.length);
    expect(samplers.find((s) => s.name === 'BestUp-3 (loss)')!.color).toBe(samplerColor('bestup'));
    expect(samplers.find((s) => s.name === 'WorstUp-3 (loss)')!.color).toBe(samplerColor('worstup'));
  });

  it('pools each sampler’s seeds into one box per range', () => {
    const boxes = pooledBoxGroups(group);
    expect(boxes).toHaveLength(2);
    expect(boxes[0].series.map((s) => `${s.name}:${s.accuracies.length}`)).toEqual([
      'Uniform:6',
      'BestUp-3 (loss):6',
      'Uniform (noise floor):6',
    ]);
    expect(boxes[1].series[0].summary!.min).toBeCloseTo(0.6, 12);
  });

  it('takes only finished runs, pairs them by seed, and says how many counted', () => {
    const { stats, finished } = groupStatistics(group);
    expect(finished).toBe(4);
    expect(stats!.seeds).toEqual([1, 2]);
    const range = stats!.rows.find((r) => r.kind === 'range')!;
    const best = range.cells.find((c) => c.sampler === 'BestUp-3 (loss)')!;
    expect(best.seeds).toBe(1);
    expect(best.vsBaseline!.estimate).toBeCloseTo(-0.1, 12);
    expect(best.vsBaseline!.verdict).toBe('worse');
    const floor = range.cells.find((c) => c.sampler === 'Uniform (noise floor)')!;
    expect(floor.vsBaseline!.estimate).toBe(0);
    expect(floor.vsBaseline!.verdict).toBe('within noise');
  });

  it('has nothing to say before the baseline has finished', () => {
    expect(groupStatistics([run('Uniform', 'uniform', 1, 0.5, 'running'), run('BestUp-3 (loss)', 'bestup', 1, 0.4)]).stats).toBeNull();
    expect(groupStatistics([]).stats).toBeNull();
  });
});
