/**
 * One training update over a list of subnets with their gradients summed: the sandwich
 * rule trains [largest, sampled..., smallest]; the largest learns from the labels with
 * label smoothing and the others are distilled in place from its detached outputs.
 */
import * as tf from '@tensorflow/tfjs';
import type { SubnetRole } from '../core/records/run-records';
import { Rng } from '../core/training/rng';
import type { Subnet } from '../core/space/subnet';
import type { ConvForm } from './conv-forms';
import { forwardSubnet } from './forward';
import { withBackwardArena } from './kernels/saved';
import { distillationLoss, labelSmoothedCrossEntropy } from './losses';
import { NesterovSgd, type OptimizerConfig } from './optimizer';
import type { UsedRegions } from './param-view';
import type { Supernet } from './supernet';

export type { SubnetRole } from '../core/records/run-records';

export interface TrainedSubnet {
  subnet: Subnet;
  role: SubnetRole;
}

/** The sandwich rule's subnets in training order: the largest (the teacher), the sampled ones, the smallest. */
export function sandwich(largest: Subnet, sampled: Subnet[], smallest: Subnet): TrainedSubnet[] {
  return [
    { subnet: largest, role: 'largest' },
    ...sampled.map((subnet) => ({ subnet, role: 'sampled' as const })),
    { subnet: smallest, role: 'smallest' },
  ];
}

export interface TrainerConfig extends OptimizerConfig {
  labelSmoothing: number;
  convForm: ConvForm;
  /** dropout before the classifier of the largest net */
  dropout: number;
  /** drop-connect rate of the largest net (core/space/drop-connect.ts); absent or 0 = off */
  dropConnect?: number;
}

/** Wall time of each phase of a step, in ms (filled in when passed to `step`). */
export interface StepPhaseTimes {
  forwardMs: number;
  backwardMs: number;
  optimizerMs: number;
}

export interface Batch {
  images: tf.Tensor4D;
  labels: tf.Tensor1D;
}

export class Trainer {
  readonly optimizer: NesterovSgd;

  constructor(
    readonly net: Supernet,
    readonly config: TrainerConfig,
  ) {
    this.optimizer = new NesterovSgd(net, config);
  }

  /**
   * Trains the subnets on one batch and returns each one's loss. If a 'largest' entry is
   * present it comes first and is the teacher; without one, every subnet learns from labels.
   */
  async step(batch: Batch, subnets: TrainedSubnet[], lr: number, dropoutSeed = 0, times?: StepPhaseTimes): Promise<number[]> {
    if (subnets.length === 0) throw new Error('a training step needs at least one subnet');
    const teacherIndex = subnets.findIndex((s) => s.role === 'largest');
    if (teacherIndex > 0) throw new Error('the largest subnet must come first: it is the teacher of the others');
    const used: UsedRegions = new Map();
    const names = this.net.specs.map((spec) => spec.name);
    const variables = names.map((name) => this.net.get(name));
    // each variable's gradient from every subnet that read it; the optimizer sums them
    const grads = new Map<string, tf.Tensor[]>();
    const losses: tf.Scalar[] = [];
    let teacher: tf.Tensor2D | null = null;
    try {
      // one backward pass per subnet, gradients summed: only one subnet's activations are
      // alive at a time (the reference does the same with loss.backward() per subnet)
      subnets.forEach(({ subnet, role }, i) => {
        // the arena frees what fused kernels kept for this subnet's backward pass
        withBackwardArena(() =>
          tf.tidy(() => {
            const start = performance.now();
            let forwardEnd = start;
            const result = tf.variableGrads(() => {
              const logits = forwardSubnet(this.net, subnet, batch.images, {
                bn: { kind: 'batch' },
                convForm: this.config.convForm,
                dropoutRate: role === 'largest' ? this.config.dropout : 0,
                dropoutSeed: dropoutSeed * 31 + i,
                // masks from a stream derived from the step's seed: a resumed run draws the same ones
                dropConnect:
                  role === 'largest' && this.config.dropConnect
                    ? { rate: this.config.dropConnect, rng: Rng.derive(dropoutSeed, 'drop-connect') }
                    : undefined,
                usedRegions: used,
              });
              if (role === 'largest') teacher = tf.keep(logits);
              const loss =
                role !== 'largest' && teacher
                  ? distillationLoss(logits, teacher)
                  : labelSmoothedCrossEntropy(logits, batch.labels, this.config.labelSmoothing);
              forwardEnd = performance.now();
              return loss;
            }, variables);
            losses.push(tf.keep(result.value));
            variables.forEach((v, j) => {
              const g = result.grads[v.name];
              if (!g) return;
              const list = grads.get(names[j]) ?? [];
              list.push(tf.keep(g));
              grads.set(names[j], list);
            });
            if (times) {
              times.forwardMs += forwardEnd - start;
              times.backwardMs += performance.now() - forwardEnd;
            }
          }),
        );
      });
      const optimizerStart = performance.now();
      tf.tidy(() => this.optimizer.applySummed(grads, used, lr));
      const stacked = tf.stack(losses);
      const values = Array.from(await stacked.data());
      stacked.dispose();
      if (times) times.optimizerMs += performance.now() - optimizerStart;
      return values;
    } finally {
      for (const list of grads.values()) tf.dispose(list);
      for (const l of losses) l.dispose();
      (teacher as tf.Tensor2D | null)?.dispose();
    }
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
