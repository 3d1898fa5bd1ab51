/**
 * The pluggable part of the sandwich step: what picks the middle subnets. Samplers are
 * pure; anything that needs the network (the minibatch loss of candidates) reaches them
 * through the context the engine passes in.
 */
import type { Rng } from '../training/rng';
import type { SearchSpace } from '../space/space';
import type { Subnet } from '../space/subnet';
import { sampleUniform } from './uniform-sampler';

export interface SamplerContext {
  rng: Rng;
  step: number;
  /** minibatch loss of each candidate on the current training batch (no gradient) */
  scoreByLoss?: (candidates: Subnet[]) => Promise<number[]>;
}

/** What a sampler decided in one step, for the run's record. */
export interface SamplerDecision {
  subnets: Subnet[];
  /** candidates and their scores, when the sampler ranked any */
  candidates?: { subnet: Subnet; score: number }[];
  /** attentive samplers: the FLOPs bin tau drawn for each subnet */
  targets?: { bin: number }[];
}

export interface SubnetSampler {
  readonly name: string;
  sample(count: number, context: SamplerContext): Promise<SamplerDecision>;
}

export function uniformSampler(space: SearchSpace): SubnetSampler {
  return {
    name: 'uniform',
    async sample(count, { rng }) {
      return { subnets: Array.from({ length: count }, () => sampleUniform(space, rng)) };
    },
  };
}
