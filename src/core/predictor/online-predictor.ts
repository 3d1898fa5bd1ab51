/**
 * The accuracy predictor as it learns during a run: evaluated (subnet, accuracy) pairs come
 * in after every range evaluation and every probe, the predictor (the config's kind) is
 * refitted on most of them, its Kendall tau is measured on the rest, and the predictor pool is
 * re-scored once per refresh.
 */
import { fitAccuracyPredictor } from './fit-predictor';
import { evaluatePredictor, type AccuracyPredictor, type PredictorKind } from './predictor';
import type { PredictorPool } from './predictor-pool';
import type { Rng } from '../training/rng';
import type { PredictorReport } from '../records/run-records';
import type { SearchSpace } from '../space/space';
import { subnetHash, subnetKey, type Subnet } from '../space/subnet';

export type { PredictorReport } from '../records/run-records';

export const MIN_PREDICTOR_EXAMPLES = 8;

/** What a checkpoint keeps of an online predictor: enough to refit it as it was. */
export interface OnlinePredictorState {
  examples: { subnet: Subnet; accuracy: number }[];
  /** the step of the last refit, null before the first */
  refitAt: number | null;
}

export class OnlinePredictor {
  private readonly examples = new Map<string, { subnet: Subnet; accuracy: number }>();
  predictor: AccuracyPredictor | null = null;
  private refitAt: number | null = null;

  constructor(
    private readonly space: SearchSpace,
    private readonly pool: PredictorPool,
    private readonly options: { lambda: number; holdOut: number; kind?: PredictorKind; seed?: number },
  ) {}

  get kind(): PredictorKind {
    return this.options.kind ?? 'ridge';
  }

  /**
   * Subnets worth measuring before the next refit: once a predictor exists, the members the
   * pool would hand BestUp-1M / WorstUp-1M now (the whole-bin extreme of `count` bins drawn
   * from the prior), so a wrong favourite is corrected and the next refit picks others;
   * before that, random pool members, to get the first fit going.
   */
  probeCandidates(count: number, mode: 'best' | 'worst', rng: Rng): Subnet[] {
    const { prior } = this.pool;
    const total = prior.counts.reduce((a, b) => a + b, 0);
    const picked = new Map<string, Subnet>();
    for (let tries = 0; picked.size < count && tries < count * 20 && total > 0; tries++) {
      let u = rng.next() * total;
      let bin = 0;
      while (bin < prior.counts.length - 1 && u >= prior.counts[bin]) u -= prior.counts[bin++];
      if (this.pool.binSize(bin) === 0) continue;
      const pick = this.pool.refreshed ? this.pool.pick(bin, mode, Infinity, rng) : this.pool.randomMember(bin, rng);
      if (pick && !this.examples.has(subnetKey(pick.subnet))) picked.set(subnetKey(pick.subnet), pick.subnet);
    }
    return [...picked.values()];
  }

  /** Adds evaluated subnets; a subnet evaluated again keeps its latest accuracy. */
  add(evaluated: { subnet: Subnet; accuracy: number }[]): void {
    for (const e of evaluated) this.examples.set(subnetKey(e.subnet), e);
  }

  get size(): number {
    return this.examples.size;
  }

  /** The examples and the step of the last refit, for a checkpoint. */
  state(): OnlinePredictorState {
    return { examples: [...this.examples.values()], refitAt: this.refitAt };
  }

  /**
   * Takes a checkpoint's state: its examples, and the refit it had made (the same examples and
   * step give the same predictor and pool scores), so a resumed run samples as the run that never
   * stopped.
   */
  restore(state: OnlinePredictorState): void {
    this.examples.clear();
    this.add(state.examples);
    if (state.refitAt !== null) this.refresh(state.refitAt);
  }

  /** Refits and re-scores the pool; null while there are too few examples. */
  refresh(step: number): PredictorReport | null {
    if (this.examples.size < MIN_PREDICTOR_EXAMPLES) return null;
    // a stable hold-out: the examples whose hash sorts first, so it does not depend on arrival order
    const all = [...this.examples.values()].sort((a, b) => subnetHash(a.subnet).localeCompare(subnetHash(b.subnet)));
    const heldCount = Math.floor(all.length * this.options.holdOut);
    const heldOut = all.slice(0, heldCount);
    const train = all.slice(heldCount);
    const fitStart = performance.now();
    // a new seed per refit: the ensembles' bootstrap draws differ between refits, deterministically
    this.predictor = fitAccuracyPredictor(this.space, train, {
      kind: this.kind,
      lambda: this.options.lambda,
      seed: (this.options.seed ?? 0) * 1000003 + step,
    });
    const fitMs = performance.now() - fitStart;
    this.refitAt = step;
    const kendallTau = heldOut.length >= 3 ? evaluatePredictor(this.predictor, heldOut).kendallTau : NaN;
    const { ms } = this.pool.refresh(this.predictor);
    return { step, kind: this.kind, trainedOn: train.length, heldOut: heldOut.length, kendallTau, fitMs, poolScoreMs: ms };
  }
}
