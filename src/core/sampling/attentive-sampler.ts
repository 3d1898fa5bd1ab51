/**
 * AttentiveNAS's attentive sampling as a SubnetSampler: BestUp-k and WorstUp-k.
 *
 * For each subnet to pick: draw a target FLOPs bin tau from the prior (empirical or uniform
 * over bins), then
 *  - estimator 'loss': draw k candidates in bin tau with the conditional sampler, score them
 *    in one call to context.scoreByLoss (the engine's minibatch loss, no gradient) and keep
 *    the lowest loss (BestUp) or the highest (WorstUp);
 *  - estimator 'predictor': pick the member with the highest (BestUp) or lowest (WorstUp)
 *    predicted accuracy among k random members of bin tau in the predictor pool; until the
 *    pool has been refreshed with a trained predictor, one conditional draw in bin tau is
 *    used instead and recorded with score NaN (and counted in stats.fallbacks).
 * Ties: the first candidate wins; a NaN loss never beats a number. Every random draw comes
 * from context.rng, so a seed fixes the decisions (given the same scores).
 */
import { ConditionalSampler } from './conditional-sampler';
import { drawBin, type FlopsPrior, type PriorMode } from './flops-prior';
import { PredictorPool } from '../predictor/predictor-pool';
import type { SamplerContext, SamplerDecision, SubnetSampler } from './sampler';
import { MAX_LOSS_K, samplerKinds, samplerLabel, samplerRegistry, type Estimator, type SamplerKind } from './sampler-registry';
import type { SearchSpace } from '../space/space';
import type { Subnet } from '../space/subnet';

export { MAX_LOSS_K, type Estimator };

export interface AttentiveOptions {
  mode: 'best' | 'worst';
  k: number;
  estimator: Estimator;
  priorMode: PriorMode;
}

/** The registry's kind that trains the best (or the worst) candidate. */
function kindOfMode(mode: AttentiveOptions['mode']): SamplerKind {
  const kind = samplerKinds.find((k) => {
    const build = samplerRegistry[k].build;
    return build.algorithm === 'attentive' && build.mode === mode;
  });
  if (!kind) throw new Error(`Attentive sampler: no sampler kind has mode "${String(mode)}"`);
  return kind;
}

/** The registry's label: 'BestUp-3 (loss)', 'WorstUp-1M (acc)' (k >= 10^6, the whole bin in practice, prints as 1M). */
export function attentiveSamplerName(o: AttentiveOptions): string {
  return samplerLabel({ kind: kindOfMode(o.mode), k: o.k, estimator: o.estimator });
}

/** How one subnet of a decision was chosen. */
export interface AttentiveTarget {
  /** the drawn FLOPs bin tau */
  bin: number;
  source: 'loss' | 'pool' | 'fallback';
  /** every loss candidate (or the fallback draw) landed in the bin; pool picks always do */
  accepted: boolean;
}

export interface AttentiveDecision extends SamplerDecision {
  candidates: { subnet: Subnet; score: number }[];
  targets: AttentiveTarget[];
}

export interface AttentiveStats {
  /** sample() calls */
  calls: number;
  subnets: number;
  /** candidates scored by loss */
  lossScored: number;
  poolPicks: number;
  /** predictor estimator without a refreshed pool: one conditional draw instead */
  fallbacks: number;
}

function validate(o: AttentiveOptions): void {
  if (o.mode !== 'best' && o.mode !== 'worst')
    throw new Error(`Attentive sampler: mode must be "best" or "worst", got "${String(o.mode)}"`);
  if (o.estimator !== 'loss' && o.estimator !== 'predictor') {
    throw new Error(`Attentive sampler: estimator must be "loss" or "predictor", got "${String(o.estimator)}"`);
  }
  if (o.priorMode !== 'empirical' && o.priorMode !== 'uniform') {
    throw new Error(`Attentive sampler: priorMode must be "empirical" or "uniform", got "${String(o.priorMode)}"`);
  }
  const kOk =
    o.estimator === 'loss'
      ? Number.isInteger(o.k) && o.k >= 1 && o.k <= MAX_LOSS_K
      : o.k === Infinity || (Number.isInteger(o.k) && o.k >= 1);
  if (!kOk) {
    throw new Error(
      o.estimator === 'loss'
        ? `Attentive sampler: k must be an integer from 1 to ${MAX_LOSS_K} with the loss estimator, got ${o.k}`
        : `Attentive sampler: k must be a positive integer (or Infinity for the whole bin), got ${o.k}`,
    );
  }
}

export class AttentiveSampler implements SubnetSampler {
  readonly name: string;
  readonly options: Readonly<AttentiveOptions>;
  readonly conditional: ConditionalSampler;
  /** the predictor pool (estimator 'predictor' only); refresh it whenever the predictor is retrained */
  readonly pool: PredictorPool | null;
  readonly stats: AttentiveStats = { calls: 0, subnets: 0, lossScored: 0, poolPicks: 0, fallbacks: 0 };

  constructor(
    space: SearchSpace,
    readonly prior: FlopsPrior,
    options: AttentiveOptions,
    deps: { conditional?: ConditionalSampler; pool?: PredictorPool } = {},
  ) {
    validate(options);
    this.options = { ...options };
    this.name = attentiveSamplerName(options);
    this.conditional = deps.conditional ?? new ConditionalSampler(space, prior);
    this.pool = options.estimator === 'predictor' ? (deps.pool ?? new PredictorPool(space, prior)) : null;
  }

  async sample(count: number, context: SamplerContext): Promise<AttentiveDecision> {
    if (!Number.isInteger(count) || count < 0) throw new Error(`${this.name}: count must be a non-negative integer, got ${count}`);
    const { mode, k, estimator, priorMode } = this.options;
    const { rng } = context;
    if (estimator === 'loss' && count > 0 && typeof context.scoreByLoss !== 'function') {
      throw new Error(`${this.name} needs context.scoreByLoss (minibatch loss of the candidates) and the engine did not provide it`);
    }
    this.stats.calls++;
    const subnets: Subnet[] = [];
    const candidates: { subnet: Subnet; score: number }[] = [];
    const targets: AttentiveTarget[] = [];

    for (let i = 0; i < count; i++) {
      const bin = drawBin(this.prior, priorMode, rng);
      if (estimator === 'loss') {
        const draws = Array.from({ length: k }, () => this.conditional.sampleInBin(bin, rng));
        const drawn = draws.map((d) => d.subnet);
        const losses = await context.scoreByLoss!(drawn);
        if (!losses || losses.length !== drawn.length) {
          throw new Error(`${this.name}: scoreByLoss returned ${losses?.length ?? 'nothing'} losses for ${drawn.length} candidates`);
        }
        let chosen = 0;
        for (let j = 1; j < losses.length; j++) {
          const a = losses[j];
          const b = losses[chosen];
          const better = mode === 'best' ? a < b : a > b;
          if (better || (Number.isNaN(b) && !Number.isNaN(a))) chosen = j;
        }
        drawn.forEach((subnet, j) => candidates.push({ subnet, score: losses[j] }));
        subnets.push(drawn[chosen]);
        targets.push({ bin, source: 'loss', accepted: draws.every((d) => d.accepted) });
        this.stats.lossScored += drawn.length;
      } else {
        const pick = this.pool && this.pool.refreshed ? this.pool.pick(bin, mode, k, rng) : null;
        if (pick) {
          subnets.push(pick.subnet);
          candidates.push({ subnet: pick.subnet, score: pick.score });
          targets.push({ bin, source: 'pool', accepted: true });
          this.stats.poolPicks++;
        } else {
          const draw = this.conditional.sampleInBin(bin, rng);
          subnets.push(draw.subnet);
          candidates.push({ subnet: draw.subnet, score: NaN });
          targets.push({ bin, source: 'fallback', accepted: draw.accepted });
          this.stats.fallbacks++;
        }
      }
      this.stats.subnets++;
    }
    return { subnets, candidates, targets };
  }
}

/** BestUp-k / WorstUp-k over the FLOPs prior; see the module comment. */
export function attentiveSampler(
  space: SearchSpace,
  prior: FlopsPrior,
  options: AttentiveOptions,
  deps?: { conditional?: ConditionalSampler; pool?: PredictorPool },
): AttentiveSampler {
  return new AttentiveSampler(space, prior, options, deps);
}
