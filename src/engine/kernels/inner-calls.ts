/**
 * Calls a backend's registered kernel function directly from inside one of our fused
 * kernels (no engine bookkeeping, no autodiff), and counts every such call, so benchmarks
 * report the real number of launches: a fused kernel that runs three backend kernels
 * inside counts as four, not one.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

export const innerKernelCalls = { count: 0 };

interface DisposingBackend {
  disposeData(dataId: object, force?: boolean): boolean;
}

export class InnerKernels {
  private readonly temporaries: TensorInfo[] = [];

  constructor(
    readonly backendName: string,
    readonly backend: unknown,
  ) {}

  /** Runs kernel `name` of this backend; its output is freed by `dispose()` unless `keep`. */
  run(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}, keep = false): TensorInfo {
    const config = tf.getKernel(name, this.backendName);
    if (!config) throw new Error(`backend ${this.backendName} has no ${name} kernel`);
    innerKernelCalls.count++;
    const out = config.kernelFunc({ inputs, attrs, backend: this.backend as tf.KernelBackend }) as TensorInfo;
    if (!keep) this.temporaries.push(out);
    return out;
  }

  /** Counts a launch made outside tfjs's registry (one of our SIMD kernels) and frees its output with the others. */
  track(out: TensorInfo): TensorInfo {
    innerKernelCalls.count++;
    this.temporaries.push(out);
    return out;
  }

  /** Frees a kept output early (it must not leave the kernel). */
  release(t: TensorInfo): void {
    (this.backend as DisposingBackend).disposeData(t.dataId);
  }

  /** Frees every output that was not kept. */
  dispose(): void {
    for (const t of this.temporaries) (this.backend as DisposingBackend).disposeData(t.dataId);
    this.temporaries.length = 0;
  }
}
