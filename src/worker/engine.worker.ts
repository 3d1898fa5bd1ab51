/// <reference lib="webworker" />
/**
 * The engine in a module Web Worker: tfjs on the backend `auto` finds fastest (or the one asked for).
 * Exposes EngineApi through Comlink.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { loadFashionMnist, type TrainTestSets } from '../core/dataset-files';
import { parseRunConfig } from '../core/run-config';
import type { BackendInfo, BackendPreference, StepRecord } from '../core/run-records';
import { selectBackend } from '../engine/backend';
import type { ProbeRecord } from '../core/backend-choice';
import { trainSupernet } from '../engine/training-run';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../core/checkpoint-format';
import { loadUserDataset, summariseDataset, type UserDataset } from '../core/user-dataset';
import { measureLatency } from '../engine/latency';
import { runSearch } from '../engine/search-run';
import { exportSubnet } from '../engine/subnet-export';
import { openTrainedSupernet, type TrainedSupernet } from '../engine/trained-supernet';
import { writeCheckpoint } from './checkpoint-writer';
import { PROGRESS_INTERVAL_MS, type BackendOptions, type DatasetRef, type DeviceLostMessage, type EngineApi, type RunState, type StepBatch } from './protocol';
import { errorMessage } from '../core/error-message';
import { builtInDataUrl } from './data-url';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

const browserOrder = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
let backend: BackendInfo | null = null;
/** what the UI last passed about `auto`'s probe: its cache (from localStorage) and the test switch */
let probeOptions: BackendOptions = {};
/** probes run in this worker, by key, until the UI has stored them */
const probes: Record<string, ProbeRecord> = {};
let unsentProbe: ProbeRecord | null = null;

/** selectBackend with the browser's cached probes, keeping a new probe for the UI to store. */
function chooseBackend(preference: BackendPreference): Promise<BackendInfo> {
  const cache = probeOptions.probeCache && typeof probeOptions.probeCache === 'object' ? probeOptions.probeCache : {};
  return selectBackend(preference, [...browserOrder], {
    probeCache: { ...cache, ...probes },
    probeSoftware: probeOptions.probeSoftware,
    // a software renderer in a test: a tiny probe, since SwiftShader takes seconds a step
    probeWorkload: probeOptions.probeSoftware ? { space: 'tiny', batch: 8 } : undefined,
    onProbe: (record) => {
      probes[record.key] = record;
      unsentProbe = record;
    },
  });
}
let state: RunState = 'idle';
let resumeWaiter: (() => void) | null = null;
let fashion: Promise<TrainTestSets> | null = null;
/** the latest checkpoint of each run trained in this worker */
const checkpoints = new Map<string, Checkpoint>();
let opened: { runId: string; trained: TrainedSupernet } | null = null;
let searching = false;
/** datasets the person loaded, by the id the UI gave them */
const userData = new Map<string, UserDataset>();
/** the data each run trained on, for its search and exports */
const runData = new Map<string, TrainTestSets>();
let searchStop = false;

/** The trained supernet of a run, opened once and kept until another run is opened. */
async function openRun(runId: string): Promise<TrainedSupernet> {
  if (opened?.runId === runId) return opened.trained;
  const checkpoint = checkpoints.get(runId);
  if (!checkpoint) throw new Error('this run has no checkpoint in the engine yet');
  const active = backend ?? setBackend(await chooseBackend('auto'));
  const data = runData.get(runId) ?? (await loadBuiltInData());
  opened?.trained.dispose();
  opened = null;
  opened = { runId, trained: openTrainedSupernet(checkpoint, data, active, { calibrationBatches: 8, validationImages: 2000 }) };
  return opened.trained;
}

/** The data of a dataset reference; a user dataset must have been loaded into this worker. */
async function dataFor(ref: DatasetRef): Promise<{ data: TrainTestSets; name: string }> {
  if (ref.kind === 'fashion-mnist') return { data: await loadBuiltInData(), name: 'Fashion-MNIST' };
  const loaded = userData.get(ref.id);
  if (!loaded) throw new Error('the dataset this run uses is not loaded in the engine; load its files again');
  return { data: loaded.sets, name: loaded.name };
}

let watchedDevice: GPUDevice | null = null;
let deviceLost: Promise<string> | null = null;

/**
 * Why a failed call failed, when the cause was a lost GPU device: a pending buffer read rejects
 * with a cryptic mapAsync error a moment before `device.lost` resolves, so wait briefly for it.
 */
async function explainDeviceLoss(error: unknown): Promise<unknown> {
  if (!deviceLost) return error;
  const lost = await Promise.race([deviceLost, new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000))]);
  return lost ? new Error(`${lost}; the step in flight failed with: ${errorMessage(error)}`) : error;
}
/** A lost WebGPU device cannot run another kernel: tell the UI, which restarts the worker and offers to resume. */
function setBackend(info: BackendInfo): BackendInfo {
  backend = info;
  if (info.name !== 'webgpu') return info;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device || device === watchedDevice) return info;
  watchedDevice = device;
  deviceLost = device.lost.then((lost) => {
    const message: DeviceLostMessage = { type: 'nas-studio/device-lost', message: `the WebGPU device was lost (${lost.reason}${lost.message ? `: ${lost.message}` : ''})` };
    self.postMessage(message);
    return message.message;
  });
  return info;
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
  });
  if (memorySamples.length > 220) memorySamples.splice(20, 1);
}
// Playwright's worker.evaluate reads this; nothing in the app does
(self as unknown as { nasStudioMemorySamples: () => MemorySample[] }).nasStudioMemorySamples = () => memorySamples.slice();

function loadBuiltInData(): Promise<TrainTestSets> {
  const base = builtInDataUrl(import.meta.env.BASE_URL, self.location.href, 'fashion-mnist');
  fashion ??= loadFashionMnist(async (name) => {
    const response = await fetch(new URL(name, base));
    if (!response.ok) throw new Error(`could not load ${name}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }).catch((error) => {
    fashion = null;
    throw error;
  });
  return fashion;
}

const api: EngineApi = {
  async initBackend(preference, options = {}) {
    probeOptions = options;
    const previous = backend?.name;
    const chosen = setBackend(await chooseBackend(preference));
    // an opened supernet lives on the backend it was opened on; reopen it on the new one when needed
    if (previous && previous !== chosen.name && opened && !searching) {
      opened.trained.dispose();
      opened = null;
    }
    return chosen;
  },

  takeProbe() {
    const record = unsentProbe;
    unsentProbe = null;
    return record;
  },

  async loadDataset(files, id) {
    const loaded = await loadUserDataset(files);
    userData.set(id, loaded);
    return summariseDataset(loaded);
  },
  async hasDataset(id) {
    return userData.has(id);
  },
  async putCheckpoint(runId, bytes, dataset) {
    const checkpoint = decodeCheckpoint(bytes, 'the saved checkpoint');
    runData.set(runId, (await dataFor(dataset)).data);
    checkpoints.set(runId, checkpoint);
    if (opened?.runId === runId && !searching) {
      opened.trained.dispose();
      opened = null;
    }
  },
  simulateFault(kind) {
    if (kind === 'crash') {
      setTimeout(() => {
        throw new Error('simulated crash of the engine worker');
      });
    } else if (watchedDevice) watchedDevice.destroy();
    else throw new Error('there is no WebGPU device to lose (the backend is not webgpu)');
  },

  async train(input, events, runId, dataset, options = {}) {
    if (state !== 'idle') throw new Error('a run is already in progress in this worker');
    const config = parseRunConfig(input);
    if (!backend || (config.backend !== 'auto' && config.backend !== backend.name)) setBackend(await chooseBackend(config.backend));
    state = 'running';
    memorySamples.length = 0;
    let pending: StepRecord[] = [];
    let lastFlush = 0;
    let lastProgress: StepBatch['progress'] | null = null;
    const flush = (progress: StepBatch['progress']) => {
      events.onSteps({ records: pending, progress });
      pending = [];
      lastFlush = performance.now();
    };
    try {
      const { data, name } = await dataFor(dataset);
      runData.set(runId, data);
      events.onLog(`data: ${name}, ${data.train.count} training and ${data.test.count} test images`);
      const resumeFrom = options.resumeFrom ? decodeCheckpoint(options.resumeFrom, 'the saved checkpoint') : undefined;
      return await trainSupernet(config, data, backend!, {
        onStart: (info) => events.onStart(info),
        onCheckpoint: async (checkpoint) => {
          checkpoints.set(runId, checkpoint);
          // the run's steps so far go out first, so the UI's history and checkpoint agree
          if (pending.length && lastProgress) flush(lastProgress);
          const bytes = encodeCheckpoint(checkpoint);
          const { step, epoch, stepInEpoch } = checkpoint.header.progress;
          const stored = options.checkpointStore ? await writeCheckpoint(options.checkpointStore, runId, step, bytes) : { key: null };
          events.onCheckpoint({ step, epoch, stepInEpoch, bytes: bytes.byteLength, ...stored });
        },
        onLog: (message) => events.onLog(message),
        onEpoch: (record) => events.onEpoch(record),
        onRangeEvaluation: (evaluation) => events.onRangeEvaluation(evaluation),
        onStep: (record, progress) => {
          sampleMemory(progress.step, record.ms);
          pending.push(record);
          lastProgress = progress;
          if (performance.now() - lastFlush >= PROGRESS_INTERVAL_MS || progress.step === progress.totalSteps) flush(progress);
        },
        beforeStep: async () => {
          if (state === 'paused') await new Promise<void>((resolve) => (resumeWaiter = resolve));
          return state === 'stopping' ? 'stop' : 'continue';
        },
      }, { resumeFrom, checkpointEveryMs: options.checkpointEveryMs });
    } catch (error) {
      throw await explainDeviceLoss(error);
    } finally {
      // a stop or an error must not swallow the last few steps
      if (pending.length && lastProgress) flush(lastProgress);
      state = 'idle';
    }
  },

  pause() {
    if (state === 'running') state = 'paused';
  },
  async hasCheckpoint(runId) {
    return checkpoints.has(runId);
  },
  async search(runId, config, events) {
    if (searching) throw new Error('a search is already running in this worker');
    searching = true;
    searchStop = false;
    try {
      const trained = await openRun(runId);
      return await runSearch(trained, config, backend!, {
        onGeneration: (report) => events.onGeneration(report),
        onEvaluation: (done, total) => events.onEvaluation(done, total),
        onLog: (message) => events.onLog(message),
        shouldStop: () => searchStop,
      });
    } catch (error) {
      throw await explainDeviceLoss(error);
    } finally {
      searching = false;
    }
  },
  stopSearch() {
    searchStop = true;
  },
  async exportSubnet(runId, subnet, accuracy, latencyMs, datasetName) {
    const trained = await openRun(runId);
    const exported = await exportSubnet(trained, subnet, { accuracy, latencyMs, datasetName });
    return Comlink.transfer(exported.files, exported.files.flatMap((f) => (typeof f.data === 'string' ? [] : [f.data.buffer as ArrayBuffer])));
  },
  async measureLatency(runId, subnet, repeats) {
    const trained = await openRun(runId);
    return { ...(await measureLatency(trained, subnet, repeats)), backend: backend!.name };
  },
  resume() {
    if (state === 'paused') state = 'running';
    resumeWaiter?.();
    resumeWaiter = null;
  },
  stop() {
    if (state === 'running' || state === 'paused') state = 'stopping';
    resumeWaiter?.();
    resumeWaiter = null;
  },
};

Comlink.expose(api);
