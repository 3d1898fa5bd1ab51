/**
 * Ridge against the tree ensembles on the same measured subnets: for each split seed the
 * evaluated subnets are shuffled, every kind is fitted on the first `trainCount` and ranked on
 * the rest, and Kendall tau is reported per split with its mean, spread and range.
 *
 * Besides tau over the whole held-out set, `withinRangeTau` averages tau inside MACs thirds
 * of the held-out set: BestUp/WorstUp pick within one FLOPs bin, where MACs no longer
 * separates the candidates, so that is the ranking the sampler actually uses.
 */
import { fitAccuracyPredictor } from './fit-predictor';
import { kendallTau, type PredictorKind } from './predictor';
import { Rng } from '../training/rng';
import type { SearchSpace } from '../space/space';
import type { Subnet } from '../space/subnet';

export interface MeasuredSubnet {
  subnet: Subnet;
  macs: number;
  accuracy: number;
}

export interface SplitResult {
  seed: number;
  trainedOn: number;
  heldOut: number;
  /** per kind: tau over all held-out subnets, and the mean tau within MACs thirds */
  tau: Partial<Record<PredictorKind, number>>;
  withinRangeTau: Partial<Record<PredictorKind, number>>;
  fitMs: Partial<Record<PredictorKind, number>>;
}

export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
}

export interface PredictorComparison {
  kinds: PredictorKind[];
  trainCount: number;
  heldOut: number;
  splits: SplitResult[];
  tau: Partial<Record<PredictorKind, Spread>>;
  withinRangeTau: Partial<Record<PredictorKind, Spread>>;
  /**
   * Per kind, its tau minus the first kind's (the baseline, ridge by default) on the same
   * split, and on how many splits it was higher: the splits share subnets, so the paired
   * difference is what says whether one kind ranks better than the other.
   */
  pairedVsFirst: Partial<Record<PredictorKind, Spread & { wins: number }>>;
  /** the kind with the highest mean held-out tau */
  best: PredictorKind;
}

export function spreadOf(values: readonly number[]): Spread {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

/** Mean Kendall tau inside `groups` equal MACs groups (NaN groups skipped). */
export function withinGroupsTau(items: { macs: number; accuracy: number }[], predicted: number[], groups = 3): number {
  const order = items.map((_, i) => i).sort((a, b) => items[a].macs - items[b].macs);
  const taus: number[] = [];
  for (let g = 0; g < groups; g++) {
    const members = order.slice(Math.floor((g * order.length) / groups), Math.floor(((g + 1) * order.length) / groups));
    const tau = kendallTau(
      members.map((i) => predicted[i]),
      members.map((i) => items[i].accuracy),
    );
    if (Number.isFinite(tau)) taus.push(tau);
  }
  return taus.length ? taus.reduce((a, b) => a + b, 0) / taus.length : NaN;
}

export function comparePredictors(
  space: SearchSpace,
  measured: MeasuredSubnet[],
  options: { kinds: PredictorKind[]; trainCount: number; splitSeeds: number[] },
): PredictorComparison {
  const { kinds, trainCount, splitSeeds } = options;
  if (!(trainCount >= 1 && trainCount < measured.length))
    throw new Error(`comparePredictors: ${measured.length} subnets cannot be split ${trainCount} for training and the rest held out`);
  if (kinds.length === 0 || splitSeeds.length === 0) throw new Error('comparePredictors: no kinds or no split seeds');
  const splits: SplitResult[] = splitSeeds.map((seed) => {
    const shuffled = Rng.derive(seed, 'predictor-split').shuffle(measured.slice());
    const train = shuffled.slice(0, trainCount);
    const held = shuffled.slice(trainCount);
    const result: SplitResult = { seed, trainedOn: train.length, heldOut: held.length, tau: {}, withinRangeTau: {}, fitMs: {} };
    for (const kind of kinds) {
      const started = performance.now();
      const predictor = fitAccuracyPredictor(space, train, { kind, seed });
      result.fitMs[kind] = performance.now() - started;
      const predicted = held.map((m) => predictor.scoreSubnet(m.subnet));
      result.tau[kind] = kendallTau(
        predicted,
        held.map((m) => m.accuracy),
      );
      result.withinRangeTau[kind] = withinGroupsTau(held, predicted);
    }
    return result;
  });
  const tau = Object.fromEntries(kinds.map((k) => [k, spreadOf(splits.map((s) => s.tau[k] ?? NaN))])) as PredictorComparison['tau'];
  const withinRangeTau = Object.fromEntries(
    kinds.map((k) => [k, spreadOf(splits.map((s) => s.withinRangeTau[k] ?? NaN))]),
  ) as PredictorComparison['withinRangeTau'];
  const best = kinds.reduce((a, b) => ((tau[b]?.mean ?? -Infinity) > (tau[a]?.mean ?? -Infinity) ? b : a));
  const first = kinds[0];
  const pairedVsFirst: PredictorComparison['pairedVsFirst'] = {};
  for (const k of kinds.slice(1)) {
    const diffs = splits.map((s) => (s.tau[k] ?? NaN) - (s.tau[first] ?? NaN));
    pairedVsFirst[k] = { ...spreadOf(diffs), wins: diffs.filter((d) => d > 0).length };
  }
  return { kinds, trainCount, heldOut: measured.length - trainCount, splits, tau, withinRangeTau, pairedVsFirst, best };
}
