/**
 * The accuracy predictor as it learns during a run: evaluated (subnet, accuracy) pairs come
 * in after every range evaluation, the predictor is refitted on most of them, its Kendall tau
 * is measured on the rest, and the predictor pool is re-scored once per refresh.
 */
import { evaluatePredictor, fitRidgePredictor, type AccuracyPredictor } from './predictor';
import type { PredictorPool } from './predictor-pool';
import type { PredictorReport } from './run-records';
import type { SearchSpace } from './space';
import { subnetHash, subnetKey, type Subnet } from './subnet';

export type { PredictorReport } from './run-records';

export const MIN_PREDICTOR_EXAMPLES = 8;

export class OnlinePredictor {
  private readonly examples = new Map<string, { subnet: Subnet; accuracy: number }>();
  predictor: AccuracyPredictor | null = null;

  constructor(
    private readonly space: SearchSpace,
    private readonly pool: PredictorPool,
    private readonly options: { lambda: number; holdOut: number },
  ) {}

  /** Adds evaluated subnets; a subnet evaluated again keeps its latest accuracy. */
  add(evaluated: { subnet: Subnet; accuracy: number }[]): void {
    for (const e of evaluated) this.examples.set(subnetKey(e.subnet), e);
  }

  get size(): number {
    return this.examples.size;
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
    this.predictor = fitRidgePredictor(this.space, train, this.options.lambda);
    const fitMs = performance.now() - fitStart;
    const kendallTau = heldOut.length >= 3 ? evaluatePredictor(this.predictor, heldOut).kendallTau : NaN;
    const { ms } = this.pool.refresh(this.predictor);
    return { step, trainedOn: train.length, heldOut: heldOut.length, kendallTau, fitMs, poolScoreMs: ms };
  }
}
