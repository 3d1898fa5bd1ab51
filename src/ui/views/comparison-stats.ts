/**
 * A comparison group's runs, gathered by sampler for the Compare view: the box plots pool each
 * sampler's subnets over its seeds, and the statistics over seeds come from the finished runs
 * (a run still training has no final evaluation to pair).
 */
import { fiveNumberSummary } from '../../core/comparison/box-stats';
import { compareOverSeeds, measurementsOf, type SeedComparison } from '../../core/comparison/seed-comparison';
import type { BoxGroup } from '../charts/BoxPlot';
import { samplersOf } from '../charts/sampler-colors';
import { rangeLabel } from '../format';
import type { RunRecord } from '../store/runs-slice';

export { runColor, samplersOf } from '../charts/sampler-colors';

/** Box plots per FLOPs range, one box per sampler holding the subnets of all its seeds (latest evaluations). */
export function pooledBoxGroups(runs: RunRecord[]): BoxGroup[] {
  const latest = runs.map((r) => r.rangeHistory[r.rangeHistory.length - 1]);
  const rangeCount = Math.max(0, ...latest.map((e) => e?.ranges.length ?? 0));
  return Array.from({ length: rangeCount }, (_, i) => {
    const any = latest.find((e) => e?.ranges[i])!.ranges[i];
    return {
      label: rangeLabel(any),
      series: samplersOf(runs).map(({ name, color }) => {
        const accuracies = runs.flatMap((run, ri) => (run.label === name ? (latest[ri]?.ranges[i]?.accuracies ?? []) : []));
        return { name, color, accuracies, summary: accuracies.length ? fiveNumberSummary(accuracies) : null };
      }),
    };
  });
}

/** Statistics of the group's finished runs against its baseline (the first run's sampler); null until the baseline has finished one. */
export function groupStatistics(runs: RunRecord[]): { stats: SeedComparison | null; finished: number } {
  const finished = runs.filter((r) => r.phase === 'done' && r.rangeHistory.length > 0);
  const baseline = runs[0]?.label;
  if (!baseline || !finished.some((r) => r.label === baseline)) return { stats: null, finished: finished.length };
  const measurements = finished.map((r) => measurementsOf(r.label, r.config.seed, r.rangeHistory, r.epochs));
  return { stats: compareOverSeeds(measurements, { baseline }), finished: finished.length };
}
