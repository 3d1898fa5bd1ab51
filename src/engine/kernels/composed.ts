/**
 * Kernels composed of a backend's own kernels, run inside one engine launch: registered
 * for every backend, with the launches made inside counted (inner-calls.ts). Reshapes are
 * free on the cpu, wasm and webgpu backends, whose tensors are flat buffers; WebGL keeps a
 * texture layout per shape, so there they go through the backend's Reshape kernel.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { InnerKernels } from './inner-calls';
import { simdKernelsFor } from './simd/simd-module';
import { registerForBackends, type KernelInputs } from './registry';

export const allBackends = ['cpu', 'wasm', 'webgl', 'webgpu'] as const;
// tfjs's own Reshape on these three only relabels the shape (webgpu's increments a reference)
const flatBackends = new Set(['cpu', 'wasm', 'webgpu']);

export type ComposedKernelFunc = (k: InnerKernels, inputs: KernelInputs, attrs: NamedAttrMap) => TensorInfo | TensorInfo[];

/** Registers a composed kernel for `backends` (every backend unless named). */
export function registerComposedKernel(kernelName: string, func: ComposedKernelFunc, backends: readonly string[] = allBackends): void {
  registerForBackends(kernelName, backends, (backendName, inputs, attrs, backend) =>
    runComposed(func, backendName, inputs, attrs, backend),
  );
}

/** Runs a composed kernel function on a backend, freeing its temporaries. */
export function runComposed(
  func: ComposedKernelFunc,
  backendName: string,
  inputs: KernelInputs,
  attrs: NamedAttrMap,
  backend: unknown,
): TensorInfo | TensorInfo[] {
  const k = new InnerKernels(backendName, backend);
  try {
    return func(k, inputs, attrs);
  } catch (error) {
    k.abandon();
    throw error;
  } finally {
    k.dispose();
  }
}

/** `t` seen with another shape of the same size: an input view (flat backends) or a temporary. */
export function reshaped(k: InnerKernels, t: TensorInfo, shape: number[]): TensorInfo {
  if (flatBackends.has(k.backendName)) return { dataId: t.dataId, shape, dtype: t.dtype };
  return k.run('Reshape', { x: t }, { shape });
}

/** A kernel's output given another shape before it leaves the composed kernel. */
export function reshapedOutput(k: InnerKernels, t: TensorInfo, shape: number[]): TensorInfo {
  if (flatBackends.has(k.backendName)) return { dataId: t.dataId, shape, dtype: t.dtype };
  const out = k.run('Reshape', { x: t }, { shape }, true);
  k.release(t);
  return out;
}

/**
 * The transpose of a matrix, as a temporary. On wasm our SIMD kernel (4x4 blocks): tfjs's
 * Transpose took 22 ms for a 25088x144 matrix here, 6 ns an element.
 */
function transpose2d(k: InnerKernels, t: TensorInfo): TensorInfo {
  const simd = k.backendName === 'wasm' ? simdKernelsFor(k.backend) : null;
  if (!simd) return k.run('Transpose', { x: t }, { perm: [1, 0] });
  const [rows, cols] = t.shape;
  const out = k.track(simd.output([cols, rows]));
  simd.kernels.transpose2d(simd.address(t), simd.address(out), rows, cols);
  return out;
}

/**
 * tfjs-backend-wasm runs a matMul with a transposed operand 6-8x slower than a plain one
 * (measured: [25088x144]x[144x24] 9 ms plain, 59-125 ms transposed); transposing first
 * and multiplying plainly is 2-7x faster. Other backends read transposed operands for free.
 */
export function matMul(k: InnerKernels, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, keep = false): TensorInfo {
  if (k.backendName === 'wasm') {
    const ta = transposeA ? transpose2d(k, a) : a;
    const tb = transposeB ? transpose2d(k, b) : b;
    return k.run('BatchMatMul', { a: ta, b: tb }, { transposeA: false, transposeB: false }, keep);
  }
  return k.run('BatchMatMul', { a, b }, { transposeA, transposeB }, keep);
}
