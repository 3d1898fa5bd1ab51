/**
 * An accuracy predictor that ranks subnets, for attentive sampling with a cheap estimator
 * (the paper's BestUp/WorstUp with a predictor and large k) and for reporting.
 *
 * Ridge regression on one-hot slot features (one feature per slot choice, plus an
 * unpenalised bias), fitted in closed form: (X'X + lambda I) w = X'y, solved by a Cholesky
 * factorisation written here. Targets are standardised before the fit and the weights are
 * mapped back, so `scoreChoices` returns accuracy-scale numbers.
 *
 * Why not the reference's random forest on the raw encoding: this is deterministic (no
 * bootstrap or feature sampling), trains in milliseconds on a few hundred (subnet, accuracy)
 * pairs, scores the 10^6 members of the prior's pool in well under 0.1 s (one table
 * lookup per slot), and only the ranking matters, which a per-choice additive model captures
 * well in these small spaces. Its quality is reported as Kendall tau on held-out subnets.
 */
import { choiceIndicesOf } from '../space/fast-macs';
import type { SearchSpace } from '../space/space';
import { slotsOf, type Subnet } from '../space/subnet';

/** The models a run or search can fit (see fit-predictor.ts; trees in tree-ensemble.ts). */
export const predictorKinds = ['ridge', 'forest', 'boosted'] as const;
export type PredictorKind = (typeof predictorKinds)[number];

export interface AccuracyPredictor {
  readonly kind: PredictorKind;
  readonly trainedOn: number;
  /** predicted accuracy of the subnet whose slot choice indices are choiceIndices[offset .. offset + slots) */
  scoreChoices(choiceIndices: ArrayLike<number>, offset?: number): number;
  scoreSubnet(subnet: Subnet): number;
}

export interface RidgeAccuracyPredictor extends AccuracyPredictor {
  readonly kind: 'ridge';
  /** one weight per (slot, choice), flat in slot order: weights[offset[slot] + choice] */
  weights: Float64Array;
  bias: number;
  lambda: number;
}

export const isRidgePredictor = (p: AccuracyPredictor): p is RidgeAccuracyPredictor => p.kind === 'ridge';

export interface AccuracyExample {
  subnet: Subnet;
  /** in [0, 1] by convention; any scale works since only the ranking is used */
  accuracy: number;
}

export const DEFAULT_RIDGE_LAMBDA = 1;

class RidgePredictor implements RidgeAccuracyPredictor {
  readonly kind = 'ridge' as const;
  private readonly offsets: Int32Array;
  private readonly slotCount: number;

  constructor(
    private readonly space: SearchSpace,
    readonly weights: Float64Array,
    readonly bias: number,
    readonly lambda: number,
    readonly trainedOn: number,
    offsets: Int32Array,
  ) {
    this.offsets = offsets;
    this.slotCount = offsets.length;
  }

  scoreChoices(choiceIndices: ArrayLike<number>, offset = 0): number {
    let score = this.bias;
    for (let s = 0; s < this.slotCount; s++) score += this.weights[this.offsets[s] + choiceIndices[offset + s]];
    return score;
  }

  scoreSubnet(subnet: Subnet): number {
    return this.scoreChoices(choiceIndicesOf(this.space, subnet));
  }
}

/** Solves A x = b for symmetric positive definite A (n x n, row-major), in place on copies. */
export function solveSpd(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = new Float64Array(A); // lower triangle becomes the Cholesky factor
  for (let j = 0; j < n; j++) {
    let d = L[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 0)) throw new Error(`solveSpd: matrix is not positive definite (pivot ${j} = ${d})`);
    const djj = Math.sqrt(d);
    L[j * n + j] = djj;
    for (let i = j + 1; i < n; i++) {
      let v = L[i * n + j];
      for (let k = 0; k < j; k++) v -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = v / djj;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = b[i];
    for (let k = 0; k < i; k++) v -= L[i * n + k] * y[k];
    y[i] = v / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let v = y[i];
    for (let k = i + 1; k < n; k++) v -= L[k * n + i] * x[k];
    x[i] = v / L[i * n + i];
  }
  return x;
}

export function fitRidgePredictor(
  space: SearchSpace,
  examples: { subnet: Subnet; accuracy: number }[],
  lambda: number = DEFAULT_RIDGE_LAMBDA,
): RidgeAccuracyPredictor {
  if (!(Number.isFinite(lambda) && lambda > 0)) throw new Error(`fitRidgePredictor: lambda must be a positive number, got ${lambda}`);
  if (examples.length === 0) throw new Error('fitRidgePredictor: no training examples');
  const slots = slotsOf(space);
  const S = slots.length;
  const offsets = new Int32Array(S);
  let F = 0;
  slots.forEach((slot, s) => {
    offsets[s] = F;
    F += slot.choices.length;
  });
  const D = F + 1; // + bias, the last feature
  const n = examples.length;

  let mu = 0;
  for (const [i, ex] of examples.entries()) {
    if (!Number.isFinite(ex.accuracy)) throw new Error(`fitRidgePredictor: example ${i} has accuracy ${ex.accuracy}`);
    mu += ex.accuracy;
  }
  mu /= n;
  let variance = 0;
  for (const ex of examples) variance += (ex.accuracy - mu) ** 2;
  const sd = Math.sqrt(variance / n) || 1;

  const XtX = new Float64Array(D * D);
  const Xty = new Float64Array(D);
  const active = new Int32Array(S + 1);
  active[S] = F;
  for (const ex of examples) {
    const ci = choiceIndicesOf(space, ex.subnet);
    for (let s = 0; s < S; s++) active[s] = offsets[s] + ci[s];
    const y = (ex.accuracy - mu) / sd;
    for (let a = 0; a <= S; a++) {
      const i = active[a];
      Xty[i] += y;
      for (let c = 0; c <= S; c++) XtX[i * D + active[c]] += 1;
    }
  }
  for (let i = 0; i < F; i++) XtX[i * D + i] += lambda; // the bias is not penalised
  const w = solveSpd(XtX, Xty, D);

  const weights = new Float64Array(F);
  for (let i = 0; i < F; i++) weights[i] = w[i] * sd;
  return new RidgePredictor(space, weights, mu + w[F] * sd, lambda, n, offsets);
}

/**
 * Kendall's tau-b between two paired lists (ties handled as scipy.stats.kendalltau does).
 * O(n^2), fine for n up to a few thousand. NaN when either list is constant or n < 2.
 */
export function kendallTau(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`kendallTau: lists differ in length (${a.length} vs ${b.length})`);
  const n = a.length;
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const da = Math.sign(a[i] - a[j]);
      const db = Math.sign(b[i] - b[j]);
      if (da === 0) tiesA++;
      if (db === 0) tiesB++;
      if (da !== 0 && db !== 0) {
        if (da === db) concordant++;
        else discordant++;
      }
    }
  }
  const pairs = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiesA) * (pairs - tiesB));
  return denominator > 0 ? (concordant - discordant) / denominator : NaN;
}

/** Rank agreement of the predictor with measured accuracies on held-out subnets. */
export function evaluatePredictor(
  predictor: AccuracyPredictor,
  heldOut: { subnet: Subnet; accuracy: number }[],
): { kendallTau: number; count: number } {
  const predicted = heldOut.map((ex) => predictor.scoreSubnet(ex.subnet));
  return {
    kendallTau: kendallTau(
      predicted,
      heldOut.map((ex) => ex.accuracy),
    ),
    count: heldOut.length,
  };
}
