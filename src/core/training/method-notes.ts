/**
 * Short texts on the method, shown where each setting is (the Setup view), so that a person
 * meets the sandwich rule, the FLOPs prior or BN recalibration next to the field it governs
 * instead of in a manual. Per-sampler texts live in the sampler registry (`explain`).
 */
import type { Estimator } from '../sampling/sampler-registry';

export const PAPER = {
  citation: 'Wang et al., “AttentiveNAS: Improving Neural Architecture Search via Attentive Sampling”, CVPR 2021',
  url: 'https://arxiv.org/abs/2011.09011',
} as const;

export const methodNotes = {
  sandwich:
    'The sandwich rule: every training step updates the shared weights with the largest subnet, the smallest, and two middle ones the sampler picks, so both ends of the FLOPs range are trained at every step.',
  flopsPrior:
    'The FLOPs prior: the share of uniformly drawn subnets in each FLOPs bin, counted by Monte Carlo before the run. BestUp and WorstUp draw a bin from it first, so each size is trained about as often as under Uniform.',
  conditionalSampler:
    'The conditional sampler: draws each choice from how often it appears in the drawn FLOPs bin, and keeps the draw once its FLOPs land in that bin; it gives the k candidates of similar size that the estimator ranks.',
  batchNorm:
    'BN recalibration: a subnet’s batch-norm statistics are not the supernet’s, so before each evaluation they are re-estimated on a few training batches; without it small subnets score near chance.',
  predictorKind:
    'The model fitted on measured subnets. On a trained fashion supernet both tree ensembles ranked held-out subnets better than ridge (Kendall tau 0.44 boosted, 0.45 forest, 0.39 ridge over 20 splits); boosted trees score the candidate pool several times faster than the forest.',
  dropConnect:
    'On the largest subnet only, blocks with an identity shortcut in the last two stages skip their residual branch per image with probability rate x block index / block count (the reference: 0.2); 0 turns it off.',
  augment: 'Random crops and flips of the training images. They help over several epochs; a run of one epoch learns faster without them.',
  noiseFloor:
    'Trains Uniform once more with another stream of sampled subnets: how far two runs of the same sampler differ, so a gap between samplers smaller than that is noise.',
} as const;

export const estimatorNotes: Record<Estimator, string> = {
  loss: 'Ranks the k candidates by their loss on the current minibatch (a forward pass each): cheap and exact for this batch, noisy across batches.',
  predictor:
    'Ranks candidates by an accuracy predictor fitted on measured subnets; it can rank a million candidates (k = 1M ranks the whole bin) for no forward passes.',
};
