/**
 * The fused optimizer update (sgd-update.ts) on WebGPU: two programs per variable, one for
 * the new velocity and one for the new weight, each summing the variable's per-subnet
 * gradients, clipping, decaying and applying Nesterov momentum in one pass (the weight's
 * program recomputes the velocity rather than reading it back). Composed of tfjs ops this
 * was about a dozen launches per variable. Hyperparameters are uniforms, so the learning
 * rate's schedule compiles no new pipeline.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { KernelInputs } from '../registry';
import { runWgsl } from './wgsl-program';

interface GpuTensorBackend {
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
  disposeData(dataId: object): void;
}

const MAX_GRADS = 4;

function updateCode(grads: number, masked: boolean, target: 'weight' | 'velocity'): string {
  const sum = Array.from({ length: grads }, (_, j) => `g${j}[index]`).join(' + ');
  const keep = target === 'weight' ? 'w[index]' : 'v[index]';
  const value = target === 'weight' ? 'w[index] - uniforms.lr * (g + uniforms.momentum * vNext)' : 'vNext';
  return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        ${masked ? `if (mask[index] == 0.0) { setOutputAtIndex(index, ${keep}); return; }` : ''}
        var g = ${sum};
        if (uniforms.clip > 0.0) { g = clamp(g, -uniforms.clip, uniforms.clip); }
        g = g + w[index] * uniforms.decay;
        let vNext = v[index] * uniforms.momentum + g;
        setOutputAtIndex(index, ${value});
      }
    }`;
}

export function sgdUpdateWgsl(inputs: KernelInputs, attrs: NamedAttrMap, backend: unknown): TensorInfo[] {
  const gradCounts = attrs.gradCounts as number[];
  const decay = attrs.decay as boolean[];
  const masks = attrs.masks as unknown as (Float32Array | null)[];
  const { lr, momentum, weightDecay, gradClip } = attrs as unknown as Record<string, number>;
  const gpu = backend as GpuTensorBackend;
  const weights: TensorInfo[] = [];
  const velocities: TensorInfo[] = [];
  gradCounts.forEach((count, i) => {
    const w = inputs[`w${i}`];
    const mask = masks[i] ? gpu.makeTensorInfo(w.shape, 'float32', masks[i]!) : null;
    // WebGPU binds at most 8 storage buffers per stage by default: w, v, the mask and the
    // output leave room for 4 gradients (a sandwich's); more are first added pairwise
    let grads = Array.from({ length: count }, (_, j) => inputs[`g${i}_${j}`]);
    const temporaries: TensorInfo[] = [];
    while (grads.length > MAX_GRADS) {
      const sum = runWgsl(backend, {
        key: 'sgd_add',
        inputs: [grads[0], grads[1]],
        names: ['a', 'b'],
        outputShape: w.shape,
        layout: 'element',
        code: `fn main(index : i32) { if (index < uniforms.size) { setOutputAtIndex(index, a[index] + b[index]); } }`,
      });
      temporaries.push(sum);
      grads = [sum, ...grads.slice(2)];
    }
    const names = ['w', 'v', ...grads.map((_, j) => `g${j}`), ...(mask ? ['mask'] : [])];
    const gradCount = grads.length;
    const tensors = [w, inputs[`v${i}`], ...grads, ...(mask ? [mask] : [])];
    const uniformData = [lr, momentum, decay[i] ? weightDecay : 0, gradClip].map((x) => ({ type: 'float32' as const, data: [x] }));
    const run = (target: 'weight' | 'velocity') =>
      runWgsl(backend, {
        key: `sgd_${target}_${gradCount}_${mask ? 'masked' : 'whole'}`,
        inputs: tensors,
        names,
        outputShape: w.shape,
        uniforms: 'lr : f32, momentum : f32, decay : f32, clip : f32,',
        uniformData,
        layout: 'element',
        code: updateCode(gradCount, mask !== null, target),
      });
    weights.push(run('weight'));
    velocities.push(run('velocity'));
    for (const t of mask ? [mask, ...temporaries] : temporaries) gpu.disposeData(t.dataId);
  });
  return [...weights, ...velocities];
}
