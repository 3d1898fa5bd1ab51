/**
 * SGD with Nesterov momentum (PyTorch's formulation), gradient clipping by value, and
 * weight decay on conv/linear weights only. Its state lives in variables so a checkpoint
 * can save and restore it exactly.
 *
 * One deliberate difference from PyTorch: the update is masked to the regions of each
 * variable that this step's subnets read. PyTorch would also decay and apply momentum to
 * the unused channels of a partly used tensor; with the sandwich rule the largest net reads
 * everything, so the two agree on every sandwich step, and masking keeps a step that trains
 * only small subnets from moving weights those subnets never touched.
 */
import * as tf from '@tensorflow/tfjs';
import { hasKernel } from './kernels/registry';
import { SGD_UPDATE, sgdUpdateKernel, type SgdVariable } from './kernels/sgd-update';
import { coversAll, regionMask, type UsedRegions } from './param-view';
import type { Supernet } from './supernet';

export interface OptimizerConfig {
  momentum: number;
  weightDecay: number;
  /** clip each gradient element to [-clip, clip]; 0 disables */
  gradClip: number;
}

export const defaultOptimizerConfig: OptimizerConfig = { momentum: 0.9, weightDecay: 1e-5, gradClip: 1.0 };

export class NesterovSgd {
  readonly velocity = new Map<string, tf.Variable>();

  constructor(
    private readonly net: Supernet,
    readonly config: OptimizerConfig,
  ) {
    for (const spec of net.specs) {
      this.velocity.set(
        spec.name,
        tf.tidy(() => tf.variable(tf.zeros(spec.shape), false)),
      );
    }
  }

  /**
   * Applies one update from each variable's gradients, one per subnet that read it (summed
   * here). Call inside tf.tidy. One fused kernel where the backend has it.
   */
  applySummed(grads: Map<string, tf.Tensor[]>, used: UsedRegions, lr: number): void {
    if (!hasKernel(SGD_UPDATE)) {
      const summed = new Map([...grads].map(([name, list]) => [name, list.length === 1 ? list[0] : tf.addN(list)]));
      this.apply(summed, used, lr);
      return;
    }
    const active = this.net.specs.filter((spec) => grads.get(spec.name)?.length && used.get(spec.name));
    const variables: SgdVariable[] = active.map((spec) => {
      const regions = used.get(spec.name)!;
      return {
        weight: this.net.get(spec.name),
        velocity: this.velocity.get(spec.name)!,
        grads: grads.get(spec.name)!,
        decay: spec.decay,
        mask: coversAll(regions, spec.shape) ? null : regionMask(regions, spec.shape),
      };
    });
    if (variables.length === 0) return;
    const { momentum, weightDecay, gradClip } = this.config;
    const out = sgdUpdateKernel(variables, { lr, momentum, weightDecay, gradClip });
    active.forEach((spec, i) => {
      this.net.get(spec.name).assign(out[i]);
      this.velocity.get(spec.name)!.assign(out[active.length + i]);
    });
  }

  /** Applies one update. Call inside tf.tidy; `grads` are keyed by supernet variable name. */
  apply(grads: Map<string, tf.Tensor>, used: UsedRegions, lr: number): void {
    const { momentum, weightDecay, gradClip } = this.config;
    for (const spec of this.net.specs) {
      const grad = grads.get(spec.name);
      const regions = used.get(spec.name);
      if (!grad || !regions) continue;
      const weight = this.net.get(spec.name);
      const velocity = this.velocity.get(spec.name)!;
      let g = gradClip > 0 ? tf.clipByValue(grad, -gradClip, gradClip) : grad;
      if (spec.decay && weightDecay > 0) g = tf.add(g, tf.mul(weight, weightDecay));
      let v = tf.add(tf.mul(velocity, momentum), g);
      let step = tf.add(g, tf.mul(v, momentum));
      if (!coversAll(regions, spec.shape)) {
        const mask = tf.tensor(regionMask(regions, spec.shape), spec.shape);
        v = tf.add(tf.mul(v, mask), tf.mul(velocity, tf.sub(1, mask)));
        step = tf.mul(step, mask);
      }
      velocity.assign(v);
      weight.assign(tf.sub(weight, tf.mul(step, lr)));
    }
  }

  /** Restores the velocity (checkpoint resume); every variable must be present with its size. */
  assign(values: Map<string, Float32Array>): void {
    for (const spec of this.net.specs) {
      const data = values.get(spec.name);
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (!data) throw new Error(`checkpoint has no optimizer velocity for "${spec.name}"`);
      if (data.length !== size) throw new Error(`checkpoint velocity "${spec.name}" has ${data.length} values, expected ${size}`);
      tf.tidy(() => this.velocity.get(spec.name)!.assign(tf.tensor(data, spec.shape)));
    }
  }

  async read(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const [name, v] of this.velocity) out.set(name, (await v.data()) as Float32Array);
    return out;
  }

  dispose(): void {
    for (const v of this.velocity.values()) v.dispose();
    this.velocity.clear();
  }
}
