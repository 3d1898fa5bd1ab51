/**
 * The whole optimizer update as one kernel: the per-subnet gradients of every variable are
 * summed, clipped by value, weight-decayed, and applied with Nesterov momentum, masked to
 * the regions this step read (see optimizer.ts). Unfused, this was a dozen kernels per
 * variable plus one Add per variable and subnet: about 1,900 launches a sandwich step.
 *
 * Inputs are named w<i>, v<i> and g<i>_<j> (gradient of variable i from its j-th subnet);
 * outputs are the new weights then the new velocities, in variable order.
 */
import type { NamedAttrMap } from '@tensorflow/tfjs';
import { hostKernel, type HostBackendName } from './host-memory';
import { registerForBackends, registerHostKernel, runKernel, type KernelInputs } from './registry';
import { sgdUpdateWgsl } from './webgpu/sgd-update-wgsl';
import type * as tf from '@tensorflow/tfjs';

export const SGD_UPDATE = 'NasSgdUpdate';

export interface SgdVariable {
  weight: tf.Tensor;
  velocity: tf.Tensor;
  grads: tf.Tensor[];
  decay: boolean;
  /** 0/1 per element, or null when the whole variable was read */
  mask: Float32Array | null;
}

export interface SgdHyper {
  lr: number;
  momentum: number;
  weightDecay: number;
  gradClip: number;
}

function sgdUpdate(backendName: HostBackendName, inputs: KernelInputs, attrs: NamedAttrMap, backend: unknown) {
  const gradCounts = attrs.gradCounts as number[];
  const decay = attrs.decay as boolean[];
  const masks = attrs.masks as unknown as (Float32Array | null)[];
  const { lr, momentum, weightDecay, gradClip } = attrs as unknown as SgdHyper;
  const count = gradCounts.length;
  const ordered = [];
  for (let i = 0; i < count; i++) {
    ordered.push(inputs[`w${i}`], inputs[`v${i}`]);
    for (let j = 0; j < gradCounts[i]; j++) ordered.push(inputs[`g${i}_${j}`]);
  }
  const shapes = Array.from({ length: count }, (_, i) => ({ shape: inputs[`w${i}`].shape }));
  return hostKernel(backendName, backend, ordered, [...shapes, ...shapes], (ins, outs) => {
    let at = 0;
    for (let i = 0; i < count; i++) {
      const w = ins[at++] as Float32Array;
      const v = ins[at++] as Float32Array;
      const grads = ins.slice(at, at + gradCounts[i]) as Float32Array[];
      at += gradCounts[i];
      const newW = outs[i] as Float32Array;
      const newV = outs[count + i] as Float32Array;
      const mask = masks[i];
      const wd = decay[i] ? weightDecay : 0;
      for (let e = 0; e < w.length; e++) {
        if (mask && mask[e] === 0) {
          newW[e] = w[e];
          newV[e] = v[e];
          continue;
        }
        // float32 sums in subnet order, as the unfused step added them
        let g = grads[0][e];
        for (let j = 1; j < grads.length; j++) g = Math.fround(g + grads[j][e]);
        if (gradClip > 0) g = g > gradClip ? gradClip : g < -gradClip ? -gradClip : g;
        if (wd > 0) g += w[e] * wd;
        const vNext = v[e] * momentum + g;
        newV[e] = vNext;
        newW[e] = w[e] - lr * (g + momentum * vNext);
      }
    }
  });
}

registerHostKernel(SGD_UPDATE, sgdUpdate);
registerForBackends(SGD_UPDATE, ['webgpu'], (_, inputs, attrs, backend) => sgdUpdateWgsl(inputs, attrs, backend));

/** Runs the fused update; returns [new weights..., new velocities...] in the order given. */
export function sgdUpdateKernel(variables: SgdVariable[], hyper: SgdHyper): tf.Tensor[] {
  const inputs: Record<string, tf.Tensor> = {};
  variables.forEach((v, i) => {
    inputs[`w${i}`] = v.weight;
    inputs[`v${i}`] = v.velocity;
    v.grads.forEach((g, j) => (inputs[`g${i}_${j}`] = g));
  });
  const attrs = {
    ...hyper,
    gradCounts: variables.map((v) => v.grads.length),
    decay: variables.map((v) => v.decay),
    masks: variables.map((v) => v.mask),
  } as unknown as NamedAttrMap;
  return runKernel(SGD_UPDATE, inputs, attrs);
}
