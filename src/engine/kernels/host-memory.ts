/**
 * Reading and writing tensor memory from JavaScript inside a kernel, on the two backends
 * whose tensors live in this thread's memory: `cpu` (typed arrays) and `wasm` (views on the
 * WebAssembly heap). Our fused kernels run as plain loops over these views.
 *
 * On wasm, allocating an output may grow the heap and detach every view taken before, so
 * `hostKernel` allocates all outputs first and only then hands out views.
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs';

export const hostBackends = ['cpu', 'wasm'] as const;
export type HostBackendName = (typeof hostBackends)[number];

type Values = Float32Array | Int32Array;

interface CpuBackend {
  data: { get(dataId: object): { values: Values } };
  makeTensorInfo(shape: number[], dtype: DataType, values: Values): TensorInfo;
}
interface WasmBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Values;
}

export interface OutputSpec {
  shape: number[];
  dtype?: 'float32' | 'int32';
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Runs `body` over views of the inputs and of freshly allocated outputs, and returns the
 * outputs' TensorInfos. Outputs start uninitialised on wasm: `body` must write every element.
 */
export function hostKernel(
  backendName: HostBackendName,
  backend: unknown,
  inputs: TensorInfo[],
  outputs: OutputSpec[],
  body: (ins: Values[], outs: Values[]) => void,
): TensorInfo[] {
  if (backendName === 'wasm') {
    const wasm = backend as WasmBackend;
    const infos = outputs.map((o) => wasm.makeOutput(o.shape, o.dtype ?? 'float32'));
    body(
      inputs.map((t) => wasm.typedArrayFromHeap(t)),
      infos.map((t) => wasm.typedArrayFromHeap(t)),
    );
    return infos;
  }
  const cpu = backend as CpuBackend;
  const outs = outputs.map((o) =>
    (o.dtype ?? 'float32') === 'int32' ? new Int32Array(sizeOf(o.shape)) : new Float32Array(sizeOf(o.shape)),
  );
  body(
    inputs.map((t) => cpu.data.get(t.dataId).values),
    outs,
  );
  return outputs.map((o, i) => cpu.makeTensorInfo(o.shape, o.dtype ?? 'float32', outs[i]));
}

/** A temporary tensor in the backend's memory, filled by `fill`; free it with `freeHostTemp`. */
export function hostTemp(
  backendName: HostBackendName,
  backend: unknown,
  shape: number[],
  fill: (values: Float32Array) => void,
): TensorInfo {
  if (backendName === 'wasm') {
    const wasm = backend as WasmBackend;
    const info = wasm.makeOutput(shape, 'float32');
    fill(wasm.typedArrayFromHeap(info) as Float32Array);
    return info;
  }
  const values = new Float32Array(sizeOf(shape));
  fill(values);
  return (backend as CpuBackend).makeTensorInfo(shape, 'float32', values);
}

/** Reads a tensor's values (a view on wasm: do not keep it across allocations). */
export function hostValues(backendName: HostBackendName, backend: unknown, t: TensorInfo): Float32Array {
  return (
    backendName === 'wasm' ? (backend as WasmBackend).typedArrayFromHeap(t) : (backend as CpuBackend).data.get(t.dataId).values
  ) as Float32Array;
}

export function freeHostTemp(backend: unknown, t: TensorInfo): void {
  (backend as { disposeData(dataId: object): void }).disposeData(t.dataId);
}
