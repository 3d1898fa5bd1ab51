/**
 * Our SIMD kernels (wasm/kernels.ts: BN, depthwise conv, pooling and the SE gate, compiled by AssemblyScript) instantiated on
 * tfjs-backend-wasm's own memory, so they read and write tensors where they lie: no copy in
 * or out. Per-channel scratch (shifts, coefficients, f64 sums) is malloc'd from the same
 * heap and reused. Returns null when the backend's memory is not reachable, and callers
 * then use plain JavaScript loops.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { kernelsWasmPlain, kernelsWasmShared } from './kernels-wasm';

type DepthwiseFunc = (
  a: number,
  b: number,
  out: number,
  n: number,
  h: number,
  w: number,
  c: number,
  k: number,
  s: number,
  p: number,
  oh: number,
  ow: number,
  bigK: number,
  off: number,
  cMax: number,
) => void;

interface SimdExports {
  /** with BN on fixed statistics and an activation fused in when `act` >= 0 (1: swish) */
  depthwiseForward: (...args: [...Parameters<DepthwiseFunc>, scale: number, shift: number, act: number]) => void;
  depthwiseInputGrad: DepthwiseFunc;
  depthwiseFilterGrad: DepthwiseFunc;
  channelMoments(x: number, rows: number, c: number, shift: number, sum: number, sq: number): void;
  affineAct(x: number, y: number, rows: number, c: number, scale: number, shift: number, swish: number): void;
  bnBackwardSums(
    dy: number,
    x: number,
    dz: number,
    rows: number,
    c: number,
    mean: number,
    invstd: number,
    gamma: number,
    beta: number,
    swish: number,
    sumDz: number,
    sumDzXhat: number,
  ): void;
  scaleAddChannels(d: number, x: number, rows: number, c: number, a: number, b: number, k: number): void;
  transpose2d(src: number, dst: number, rows: number, cols: number): void;
  spatialMean(x: number, y: number, n: number, hw: number, c: number, scale: number): void;
  spatialBroadcast(dy: number, dx: number, n: number, hw: number, c: number, scale: number): void;
  channelGate(x: number, g: number, y: number, n: number, hw: number, c: number): void;
  channelGateGrad(dy: number, x: number, g: number, dx: number, dg: number, n: number, hw: number, c: number): void;
}

interface EmscriptenModule {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}

export interface WasmBackendInternals {
  wasm: EmscriptenModule;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
}

function decode(base64: string): Uint8Array {
  if (typeof atob === 'function') return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

export class SimdKernels {
  private scratchPtr = 0;
  private scratchBytes = 0;

  constructor(
    readonly kernels: SimdExports,
    private readonly backend: WasmBackendInternals,
    private readonly memory: WebAssembly.Memory,
  ) {}

  /** Byte address of a tensor in the heap. */
  address(t: TensorInfo): number {
    return this.backend.dataIdMap.get(t.dataId).memoryOffset;
  }

  /**
   * Scratch of at least `bytes` bytes (16-byte aligned, zeroed), valid until the next call.
   * Returns its address and a fresh view (allocation can grow the heap and detach older views).
   */
  scratch(bytes: number): { ptr: number; buffer: ArrayBufferLike } {
    if (bytes > this.scratchBytes) {
      if (this.scratchPtr) this.backend.wasm._free(this.scratchPtr);
      this.scratchBytes = Math.max(bytes, 2 * this.scratchBytes);
      this.scratchPtr = this.backend.wasm._malloc(this.scratchBytes + 16);
    }
    const ptr = (this.scratchPtr + 15) & ~15;
    new Uint8Array(this.memory.buffer, ptr, bytes).fill(0);
    return { ptr, buffer: this.memory.buffer };
  }

  /** A fresh output of the backend (allocate outputs before taking views: allocation can grow the heap). */
  output(shape: number[]): TensorInfo {
    return (this.backend as unknown as { makeOutput(shape: number[], dtype: 'float32'): TensorInfo }).makeOutput(shape, 'float32');
  }

  view(t: TensorInfo): Float32Array {
    return new Float32Array(
      this.memory.buffer,
      this.address(t),
      t.shape.reduce((a, b) => a * b, 1),
    );
  }
}

const instances = new WeakMap<object, SimdKernels | null>();

export function simdKernelsFor(backend: unknown): SimdKernels | null {
  const internals = backend as WasmBackendInternals;
  if (instances.has(internals)) return instances.get(internals)!;
  let simd: SimdKernels | null = null;
  try {
    const memory = internals.wasm.wasmMemory ?? internals.wasm.asm?.memory;
    if (memory) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const module = new WebAssembly.Module(decode(shared ? kernelsWasmShared : kernelsWasmPlain) as BufferSource);
      const instance = new WebAssembly.Instance(module, { env: { memory } });
      simd = new SimdKernels(instance.exports as unknown as SimdExports, internals, memory);
    }
  } catch {
    simd = null; // no SIMD in this runtime, or a memory we cannot import: JavaScript loops instead
  }
  instances.set(internals, simd);
  return simd;
}
