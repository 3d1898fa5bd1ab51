/**
 * The order runs take in a comparison: the registry's comparison order (its baseline, Uniform,
 * first), each kind's noise-floor controls after its own runs, then by seed. The statistics
 * measure every sampler against the first one, so a comparison combined from files given in any
 * order must not make BestUp the baseline because its file came first.
 */
import { estimatorKinds, samplerKinds } from '../sampling/sampler-registry';

export interface ComparisonKey {
  /** the sampler kind ('uniform', 'bestup', ...); unknown kinds go last, in the order given */
  kind: string;
  /** within a kind, the minibatch-loss variant (BestUp-3) before the predictor's (BestUp-1M), as compare trains them */
  estimator?: string;
  /** 0 for the run itself, > 0 for a noise-floor control */
  stream: number;
  seed: number;
}

export function comparisonOrder<T>(runs: readonly T[], key: (run: T) => ComparisonKey): T[] {
  const rankIn = (list: readonly string[], value: string | undefined) => {
    const i = value === undefined ? 0 : list.indexOf(value);
    return i < 0 ? list.length : i;
  };
  const rank = (kind: string) => rankIn(samplerKinds, kind);
  return runs
    .map((run, index) => ({ run, index, k: key(run) }))
    .sort(
      (a, b) =>
        rank(a.k.kind) - rank(b.k.kind) ||
        rankIn(estimatorKinds, a.k.estimator) - rankIn(estimatorKinds, b.k.estimator) ||
        Math.sign(a.k.stream) - Math.sign(b.k.stream) ||
        a.k.seed - b.k.seed ||
        a.index - b.index,
    )
    .map((e) => e.run);
}
