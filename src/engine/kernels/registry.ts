/**
 * Our own kernels, registered per backend with tfjs's kernel registry (the same mechanism
 * tfjs uses for its built-in ops), so one fused op is one kernel launch in `tf.profile`,
 * and its gradient is another. A backend without an implementation runs the op's
 * composite fallback (plain tfjs ops), which computes the same values.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { hostBackends, type HostBackendName } from './host-memory';
// every fused op imports this module, so the wasm Identity that shares buffers is in place before any of them runs
import './wasm-identity';

export type KernelInputs = Record<string, TensorInfo>;
export type HostKernelFunc = (
  backendName: HostBackendName,
  inputs: KernelInputs,
  attrs: NamedAttrMap,
  backend: unknown,
) => TensorInfo | TensorInfo[];

const registered = new Set<string>();

/** Registers `kernelName` for each of `backends` (once per name and backend); `func` gets the backend's name. */
export function registerForBackends<B extends string>(
  kernelName: string,
  backends: readonly B[],
  func: (backendName: B, inputs: KernelInputs, attrs: NamedAttrMap, backend: unknown) => TensorInfo | TensorInfo[],
): void {
  for (const backendName of backends) {
    // once per name and backend (tfjs warns on a second registration); a GPU backend may get
    // its own implementation of a name the host backends already have
    const key = `${kernelName}@${backendName}`;
    if (registered.has(key)) continue;
    registered.add(key);
    tf.registerKernel({
      kernelName,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => func(backendName, inputs as KernelInputs, attrs ?? {}, backend),
    });
  }
}

/** Registers a kernel written against host memory for the cpu and wasm backends. */
export function registerHostKernel(kernelName: string, func: HostKernelFunc): void {
  registerForBackends(kernelName, hostBackends, func);
}

/** True when the active backend has a kernel of this name. */
export function hasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/** Runs a registered kernel through the engine (so autodiff, tidy and profiling see it). */
export function runKernel(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: NamedAttrMap = {}): tf.Tensor[] {
  const out = tf.engine().runKernel(kernelName, inputs as unknown as tf.NamedTensorMap, attrs);
  return Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
}
