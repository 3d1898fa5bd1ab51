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

interface ConstantBackend {
  /** every tfjs backend's upload of host values (KernelBackend.write) */
  write(values: Float32Array, shape: number[], dtype: 'float32'): object;
}

export class InnerKernels {
  private readonly temporaries: TensorInfo[] = [];
  /** outputs kept to leave the kernel: freed only if the kernel fails (abandon) */
  private readonly kept: TensorInfo[] = [];

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
    (keep ? this.kept : this.temporaries).push(out);
    return out;
  }

  /** Counts a launch made outside tfjs's registry (one of our SIMD kernels) and frees its output with the others. */
  track(out: TensorInfo): TensorInfo {
    innerKernelCalls.count++;
    this.temporaries.push(out);
    return out;
  }

  /** Frees an output early: a kept one that must not leave the kernel, or temporaries no longer needed. */
  release(...ts: TensorInfo[]): void {
    for (const t of ts) {
      for (const list of [this.temporaries, this.kept]) {
        const at = list.indexOf(t);
        if (at >= 0) list.splice(at, 1);
      }
      (this.backend as DisposingBackend).disposeData(t.dataId);
    }
  }

  /** A scalar constant on this backend, freed with the temporaries (an upload, not a launch). */
  scalar(value: number): TensorInfo {
    const dataId = (this.backend as ConstantBackend).write(Float32Array.of(value), [], 'float32');
    const t: TensorInfo = { dataId, shape: [], dtype: 'float32' };
    this.temporaries.push(t);
    return t;
  }

  /** Frees every output that was not kept. */
  dispose(): void {
    for (const t of this.temporaries) (this.backend as DisposingBackend).disposeData(t.dataId);
    this.temporaries.length = 0;
    this.kept.length = 0;
  }

  /** After a failure: frees the kept outputs too, which will never leave the kernel. */
  abandon(): void {
    for (const t of this.kept) (this.backend as DisposingBackend).disposeData(t.dataId);
    this.kept.length = 0;
  }
}
