/** Builds the sampler a run config asks for, with the prior, pool and predictor it needs. */
import { attentiveSampler, attentiveSamplerName } from './attentive-sampler';
import { ConditionalSampler } from './conditional-sampler';
import type { FlopsPrior } from './flops-prior';
import { OnlinePredictor } from './online-predictor';
import { PredictorPool } from './predictor-pool';
import type { RunConfig } from './run-config';
import { uniformSampler, type SubnetSampler } from './sampler';

export interface SamplerSetup {
  sampler: SubnetSampler;
  conditional: ConditionalSampler | null;
  online: OnlinePredictor | null;
}

export function setUpSampler(config: RunConfig, prior: FlopsPrior): SamplerSetup {
  const { kind, k, estimator, priorMode } = config.sampler;
  if (kind === 'uniform') return { sampler: uniformSampler(config.space), conditional: null, online: null };
  const options = { mode: kind === 'bestup' ? ('best' as const) : ('worst' as const), k, estimator, priorMode };
  const conditional = new ConditionalSampler(config.space, prior);
  const pool = estimator === 'predictor' ? new PredictorPool(config.space, prior) : undefined;
  const online = pool ? new OnlinePredictor(config.space, pool, config.predictor) : null;
  const sampler = attentiveSampler(config.space, prior, options, { conditional, pool });
  return { sampler: { name: attentiveSamplerName(options), sample: sampler.sample.bind(sampler) }, conditional, online };
}
