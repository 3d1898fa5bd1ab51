/**
 * The prior's sampled subnets, ranked by an accuracy predictor, for attentive sampling with
 * the predictor as the estimator.
 *
 * The pool members of one bin are uniform subnets conditioned on landing in that bin, i.e.
 * draws from pi(alpha | tau); picking the best or worst of k random members is BestUp-k /
 * WorstUp-k with predicted accuracy as the score, without running the conditional sampler
 * or scoring anything per step. Members are scored once per predictor refresh; a pick with
 * k at least the bin size is an O(1) lookup of the bin's precomputed best or worst member.
 * Smaller k draws k members of the bin uniformly with replacement (k i.i.d. draws from the
 * empirical pi(alpha | tau), as k conditional-sampler draws would be). Ties: the first
 * candidate drawn (for whole-bin picks, the lowest pool index) wins.
 */
import { subnetFromChoices } from '../space/fast-macs';
import type { FlopsPrior } from '../sampling/flops-prior';
import { isRidgePredictor, type AccuracyPredictor } from './predictor';
import { TreeEnsemblePredictor } from './tree-ensemble';
import type { Rng } from '../training/rng';
import type { SearchSpace } from '../space/space';
import { slotsOf, type Subnet } from '../space/subnet';

export interface PoolPick {
  subnet: Subnet;
  /** predicted accuracy */
  score: number;
  macs: number;
  /** row of the member in prior.pool */
  index: number;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class PredictorPool {
  private readonly members: Int32Array[];
  private scores: Float64Array | null = null;
  private readonly bestOf: Int32Array;
  private readonly worstOf: Int32Array;
  private predictorUsed: AccuracyPredictor | null = null;
  private readonly weightOffsets: Int32Array;
  private readonly weightCount: number;

  constructor(
    private readonly space: SearchSpace,
    readonly prior: FlopsPrior,
  ) {
    const { bins, slots } = prior.pool;
    if (prior.spaceName !== space.name || slots !== slotsOf(space).length) {
      throw new Error(`PredictorPool: the FLOPs prior was built for space "${prior.spaceName}", not "${space.name}"`);
    }
    this.weightOffsets = new Int32Array(slots);
    let weightCount = 0;
    slotsOf(space).forEach((slot, i) => {
      this.weightOffsets[i] = weightCount;
      weightCount += slot.choices.length;
    });
    this.weightCount = weightCount;
    const B = prior.counts.length;
    const sizes = new Int32Array(B);
    for (let i = 0; i < bins.length; i++) sizes[bins[i]]++;
    this.members = Array.from({ length: B }, (_, b) => new Int32Array(sizes[b]));
    const fill = new Int32Array(B);
    for (let i = 0; i < bins.length; i++) this.members[bins[i]][fill[bins[i]]++] = i;
    this.bestOf = new Int32Array(B).fill(-1);
    this.worstOf = new Int32Array(B).fill(-1);
  }

  get refreshed(): boolean {
    return this.scores !== null;
  }

  /** The predictor of the last refresh, or null. */
  get predictor(): AccuracyPredictor | null {
    return this.predictorUsed;
  }

  /** Scores every member with the predictor and recomputes each bin's best and worst member. */
  refresh(predictor: AccuracyPredictor): { ms: number; scored: number } {
    const started = now();
    const { choices, slots } = this.prior.pool;
    const n = this.prior.pool.bins.length;
    const scores = this.scores ?? new Float64Array(n);
    if (isRidgePredictor(predictor) && predictor.weights.length === this.weightCount) {
      // the ridge model inlined: bias + one weight per slot (same sum, in the same order, as scoreChoices)
      const w = predictor.weights;
      const off = this.weightOffsets;
      const bias = predictor.bias;
      for (let i = 0, base = 0; i < n; i++, base += slots) {
        let score = bias;
        for (let s = 0; s < slots; s++) score += w[off[s] + choices[base + s]];
        scores[i] = score;
      }
    } else if (predictor instanceof TreeEnsemblePredictor) {
      predictor.scoreRows(choices, slots, n, scores);
    } else {
      for (let i = 0; i < n; i++) scores[i] = predictor.scoreChoices(choices, i * slots);
    }
    // one sequential pass; members of a bin are visited in ascending pool order, so with strict
    // comparisons the first of tied members wins
    const bins = this.prior.pool.bins;
    const bestOf = this.bestOf.fill(-1);
    const worstOf = this.worstOf.fill(-1);
    for (let i = 0; i < n; i++) {
      const b = bins[i];
      const v = scores[i];
      if (bestOf[b] < 0) {
        bestOf[b] = i;
        worstOf[b] = i;
      } else {
        if (v > scores[bestOf[b]]) bestOf[b] = i;
        if (v < scores[worstOf[b]]) worstOf[b] = i;
      }
    }
    this.scores = scores;
    this.predictorUsed = predictor;
    return { ms: now() - started, scored: n };
  }

  binSize(bin: number): number {
    this.checkBin(bin);
    return this.members[bin].length;
  }

  /** Predicted accuracy of pool row `index` (after a refresh). */
  scoreOf(index: number): number {
    if (!this.scores) throw new Error('PredictorPool: refresh(predictor) before reading scores');
    return this.scores[index];
  }

  /** Pool rows of a bin, ascending (a view; do not modify). */
  membersOf(bin: number): Int32Array {
    this.checkBin(bin);
    return this.members[bin];
  }

  /**
   * Best (highest predicted accuracy) or worst member among k random members of `bin`
   * (k >= bin size: the whole bin, O(1)); null if the bin is empty. Uses k rng draws when
   * k < bin size, none otherwise.
   */
  pick(bin: number, mode: 'best' | 'worst', k: number, rng: Rng): PoolPick | null {
    this.checkBin(bin);
    const scores = this.scores;
    if (!scores) throw new Error('PredictorPool: refresh(predictor) before pick');
    if (!(k >= 1)) throw new Error(`PredictorPool.pick: k must be at least 1, got ${k}`);
    if (mode !== 'best' && mode !== 'worst') throw new Error(`PredictorPool.pick: unknown mode "${String(mode)}"`);
    const list = this.members[bin];
    if (list.length === 0) return null;
    let chosen: number;
    if (k >= list.length) {
      chosen = mode === 'best' ? this.bestOf[bin] : this.worstOf[bin];
    } else {
      chosen = list[rng.int(list.length)];
      for (let j = 1; j < k; j++) {
        const m = list[rng.int(list.length)];
        if (mode === 'best' ? scores[m] > scores[chosen] : scores[m] < scores[chosen]) chosen = m;
      }
    }
    return this.member(chosen);
  }

  /** A uniformly random member of `bin`, before or after a refresh; null if the bin is empty. */
  randomMember(bin: number, rng: Rng): PoolPick | null {
    this.checkBin(bin);
    const list = this.members[bin];
    return list.length ? this.member(list[rng.int(list.length)]) : null;
  }

  private member(index: number): PoolPick {
    const { choices, slots, macs } = this.prior.pool;
    return {
      subnet: subnetFromChoices(this.space, choices.subarray(index * slots, (index + 1) * slots)),
      score: this.scores ? this.scores[index] : NaN,
      macs: macs[index],
      index,
    };
  }

  private checkBin(bin: number): void {
    if (!Number.isInteger(bin) || bin < 0 || bin >= this.members.length) {
      throw new Error(`PredictorPool: bin ${bin} is outside 0..${this.members.length - 1}`);
    }
  }
}
