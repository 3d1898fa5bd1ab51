/// <reference lib="webworker" />
/**
 * The engine in a module Web Worker: tfjs on the backend `auto` finds fastest (or the one asked for).
 * The session (engine-session.ts) holds the worker's state; this file wires tfjs, the GPU
 * device, the network and storage into it and exposes it as EngineApi through Comlink.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { loadFashionMnist, type TrainTestSets } from '../core/data/dataset-files';
import type { BackendInfo } from '../core/records/run-records';
import { defaultConvForm, selectBackend } from '../engine/backend';
import { probeCurrentBackend } from '../engine/backend-probe';
import { compiledGpuPrograms } from '../engine/gpu-programs';
import { measureLatency } from '../engine/latency';
import { runSearch } from '../engine/search-run';
import { exportSubnet } from '../engine/subnet-export';
import { openTrainedSupernet } from '../engine/trained-supernet';
import { trainSupernet } from '../engine/training-run';
import { writeCheckpoint } from './checkpoint-writer';
import { builtInDataUrl } from './data-url';
import { EngineSession } from './engine-session';
import type { DeviceLostMessage, EngineApi } from './protocol';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

const browserOrder = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

/**
 * the duration estimate's probe: six timed steps after the warm-up (the first steps of a new net
 * run slower, and a median of six is steadier than of three), about 2 s for the quick space at
 * batch 128 on wasm; a slower backend stops when its share is spent, after at least one timed
 * step, and one whose warm-up passes 10 s gives no estimate
 */
const SPEED_PROBE_BUDGET = { shareMs: 4000, hardMs: 10_000 };

let watchedDevice: GPUDevice | null = null;
/** Watches a new WebGPU device: its loss is posted to the UI, which treats it like a crash. */
function watchDevice(info: BackendInfo): Promise<string> | null {
  if (info.name !== 'webgpu') return null;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device || device === watchedDevice) return null;
  watchedDevice = device;
  return device.lost.then((lost) => {
    const message: DeviceLostMessage = {
      type: 'nas-studio/device-lost',
      message: `the WebGPU device was lost (${lost.reason}${lost.message ? `: ${lost.message}` : ''})`,
    };
    self.postMessage(message);
    return message.message;
  });
}

/** tf.memory() after a training step: tensors, and on webgpu and webgl the GPU bytes in use and in tfjs's pool. */
interface MemorySample {
  step: number;
  /** the step's wall time */
  ms: number;
  backend: string;
  numTensors: number;
  numBytes: number;
  /** bytes of live tensors on the GPU (webgl and webgpu) */
  gpuBytesInUse?: number;
  /** everything tfjs holds on the GPU, its pool of free textures or buffers included */
  gpuBytesAllocated?: number;
  /** webgl: whether tfjs has logged "High memory usage in GPU" */
  warnedAboutMemory?: boolean;
  /** GPU programs compiled so far (webgl shaders, webgpu pipelines) */
  gpuPrograms?: number;
}
/** the first 20 steps' samples and the latest 200, read by measurement scripts (tests/browser/measure-gpu-memory.mjs) */
const memorySamples: MemorySample[] = [];
function sampleMemory(step: number, ms: number): void {
  const m = tf.memory() as tf.MemoryInfo & Record<string, unknown>;
  const number = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const warned = (tf.backend() as unknown as { warnedAboutMemory?: unknown }).warnedAboutMemory;
  memorySamples.push({
    step,
    ms,
    backend: tf.getBackend(),
    numTensors: m.numTensors,
    numBytes: m.numBytes,
    gpuBytesInUse: number(m.numBytesInGPU),
    gpuBytesAllocated: number(m.numBytesInGPUAllocated ?? m.numBytesAllocatedInGPU),
    warnedAboutMemory: typeof warned === 'boolean' ? warned : undefined,
    gpuPrograms: compiledGpuPrograms() ?? undefined,
  });
  if (memorySamples.length > 220) memorySamples.splice(20, 1);
}
// Playwright's worker.evaluate reads this; nothing in the app does
(self as unknown as { nasStudioMemorySamples: () => MemorySample[] }).nasStudioMemorySamples = () => memorySamples.slice();

function fetchBuiltInData(): Promise<TrainTestSets> {
  const base = builtInDataUrl(import.meta.env.BASE_URL, self.location.href, 'fashion-mnist');
  return loadFashionMnist(async (name) => {
    const response = await fetch(new URL(name, base));
    if (!response.ok) throw new Error(`could not load ${name}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  });
}

const session = new EngineSession({
  selectBackend: (preference, options) => selectBackend(preference, [...browserOrder], options),
  watchDevice,
  destroyDevice: () => {
    if (!watchedDevice) return false;
    watchedDevice.destroy();
    return true;
  },
  loadBuiltInData: fetchBuiltInData,
  trainSupernet,
  runSearch,
  exportSubnet,
  measureLatency,
  probeSpeed: async (backend, space, batch) =>
    (await probeCurrentBackend(backend.name, defaultConvForm(backend.name), SPEED_PROBE_BUDGET, { space, batch, middle: 2, steps: 6 }))
      .msPerStep,
  openTrainedSupernet,
  writeCheckpoint,
  onRunStart: () => void (memorySamples.length = 0),
  onStepDone: sampleMemory,
});

const api: EngineApi = {
  initBackend: (preference, options) => session.initBackend(preference, options),
  takeProbe: () => session.takeProbe(),
  probeSpeed: (preference, space, batch) => session.probeSpeed(preference, space, batch),
  train: (config, events, runId, dataset, options) => session.train(config, events, runId, dataset, options),
  loadDataset: (files, id) => session.loadDataset(files, id),
  hasDataset: (id) => session.hasDataset(id),
  putCheckpoint: (runId, bytes, dataset) => session.putCheckpoint(runId, bytes, dataset),
  simulateFault: (kind) => session.simulateFault(kind),
  pause: () => session.pause(),
  resume: () => session.resume(),
  stop: () => session.stop(),
  hasCheckpoint: (runId) => session.hasCheckpoint(runId),
  search: (runId, config, events) => session.search(runId, config, events),
  stopSearch: () => session.stopSearch(),
  // the weights leave the worker transferred, not copied
  exportSubnet: async (runId, subnet, accuracy, latencyMs, datasetName) => {
    const files = await session.exportSubnet(runId, subnet, accuracy, latencyMs, datasetName);
    return Comlink.transfer(
      files,
      files.flatMap((f) => (typeof f.data === 'string' ? [] : [f.data.buffer as ArrayBuffer])),
    );
  },
  measureLatency: (runId, subnet, repeats) => session.measureLatency(runId, subnet, repeats),
};

Comlink.expose(api);
