/**
 * Builds the sampler a run config asks for, with the prior, pool and predictor it needs: the
 * registry row of the kind says which algorithm (an unknown kind throws, it never falls back
 * to another sampler), and the sampler carries the registry's label as its name.
 */
import { attentiveSampler } from './attentive-sampler';
import { ConditionalSampler } from './conditional-sampler';
import type { FlopsPrior } from './flops-prior';
import { OnlinePredictor } from '../predictor/online-predictor';
import { PredictorPool } from '../predictor/predictor-pool';
import type { RunConfig } from '../training/run-config';
import { samplerLabel, samplerSpec, type SamplerBuild } from './sampler-registry';
import { uniformSampler, type SubnetSampler } from './sampler';

export interface SamplerSetup {
  sampler: SubnetSampler;
  conditional: ConditionalSampler | null;
  online: OnlinePredictor | null;
}

export function setUpSampler(config: RunConfig, prior: FlopsPrior): SamplerSetup {
  const setup = build(samplerSpec(config.sampler.kind).build, config, prior);
  const name = samplerLabel(config.sampler);
  const { sampler } = setup;
  return { ...setup, sampler: { name, sample: sampler.sample.bind(sampler) } };
}

function build(how: SamplerBuild, config: RunConfig, prior: FlopsPrior): SamplerSetup {
  switch (how.algorithm) {
    case 'uniform':
      return { sampler: uniformSampler(config.space), conditional: null, online: null };
    case 'attentive': {
      const { k, estimator, priorMode } = config.sampler;
      const conditional = new ConditionalSampler(config.space, prior);
      const pool = estimator === 'predictor' ? new PredictorPool(config.space, prior) : undefined;
      const online = pool ? new OnlinePredictor(config.space, pool, { ...config.predictor, seed: config.seed }) : null;
      const sampler = attentiveSampler(config.space, prior, { mode: how.mode, k, estimator, priorMode }, { conditional, pool });
      return { sampler, conditional, online };
    }
    default: {
      const unknown: never = how;
      throw new Error(`no builder for sampler algorithm ${JSON.stringify(unknown)}`);
    }
  }
}
