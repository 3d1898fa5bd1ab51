/// <reference lib="webworker" />
/**
 * The engine in a module Web Worker: tfjs on webgpu, falling back to webgl, wasm, cpu.
 * Exposes EngineApi through Comlink.
 */
import * as Comlink from 'comlink';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { loadFashionMnist, type TrainTestSets } from '../core/dataset-files';
import { parseRunConfig } from '../core/run-config';
import { selectBackend, type BackendInfo } from '../engine/backend';
import { trainSupernet, type StepRecord } from '../engine/training-run';
import type { Checkpoint } from '../core/checkpoint-format';
import { loadUserDataset, summariseDataset, type UserDataset } from '../core/user-dataset';
import { measureLatency } from '../engine/latency';
import { runSearch } from '../engine/search-run';
import { exportSubnet } from '../engine/subnet-export';
import { openTrainedSupernet, type TrainedSupernet } from '../engine/trained-supernet';
import { PROGRESS_INTERVAL_MS, type EngineApi, type RunState, type StepBatch } from './protocol';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

const browserOrder = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
let backend: BackendInfo | null = null;
let state: RunState = 'idle';
let resumeWaiter: (() => void) | null = null;
let fashion: Promise<TrainTestSets> | null = null;
/** the latest checkpoint of each run trained in this worker */
const checkpoints = new Map<string, Checkpoint>();
let opened: { runId: string; trained: TrainedSupernet } | null = null;
let searching = false;
let userData: UserDataset | null = null;
/** the data each run trained on, for its search and exports */
const runData = new Map<string, TrainTestSets>();
let searchStop = false;

/** The trained supernet of a run, opened once and kept until another run is opened. */
async function openRun(runId: string): Promise<TrainedSupernet> {
  if (opened?.runId === runId) return opened.trained;
  const checkpoint = checkpoints.get(runId);
  if (!checkpoint) throw new Error('this run has no checkpoint in the engine (it finished no epoch, or the page was reloaded)');
  if (!backend) backend = await selectBackend('auto', [...browserOrder]);
  const data = runData.get(runId) ?? (await loadBuiltInData());
  opened?.trained.dispose();
  opened = null;
  opened = { runId, trained: openTrainedSupernet(checkpoint, data, backend, { calibrationBatches: 8, validationImages: 2000 }) };
  return opened.trained;
}

function loadBuiltInData(): Promise<TrainTestSets> {
  const base = new URL(`${import.meta.env.BASE_URL}data/fashion-mnist/`, self.location.origin);
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
  async initBackend(preference) {
    const previous = backend?.name;
    backend = await selectBackend(preference, [...browserOrder]);
    // an opened supernet lives on the backend it was opened on; reopen it on the new one when needed
    if (previous && previous !== backend.name && opened && !searching) {
      opened.trained.dispose();
      opened = null;
    }
    return backend;
  },

  async loadDataset(files) {
    const loaded = await loadUserDataset(files);
    userData = loaded;
    return summariseDataset(loaded);
  },

  async train(input, events, runId, dataset = 'fashion-mnist') {
    if (state !== 'idle') throw new Error('a run is already in progress in this worker');
    const config = parseRunConfig(input);
    if (!backend || (config.backend !== 'auto' && config.backend !== backend.name)) backend = await selectBackend(config.backend, [...browserOrder]);
    state = 'running';
    let pending: StepRecord[] = [];
    let lastFlush = 0;
    let lastProgress: StepBatch['progress'] | null = null;
    const flush = (progress: StepBatch['progress']) => {
      events.onSteps({ records: pending, progress });
      pending = [];
      lastFlush = performance.now();
    };
    try {
      if (dataset === 'user' && !userData) throw new Error('no dataset of your own is loaded in the engine (load it again after a reload)');
      const data = dataset === 'user' ? userData!.sets : await loadBuiltInData();
      if (runId) runData.set(runId, data);
      events.onLog(`data: ${dataset === 'user' ? userData!.name : 'Fashion-MNIST'}, ${data.train.count} training and ${data.test.count} test images`);
      return await trainSupernet(config, data, backend, {
        onStart: (info) => events.onStart(info),
        onCheckpoint: (checkpoint) => {
          if (runId) checkpoints.set(runId, checkpoint);
        },
        onLog: (message) => events.onLog(message),
        onEpoch: (record) => events.onEpoch(record),
        onRangeEvaluation: (evaluation) => events.onRangeEvaluation(evaluation),
        onStep: (record, progress) => {
          pending.push(record);
          lastProgress = progress;
          if (performance.now() - lastFlush >= PROGRESS_INTERVAL_MS || progress.step === progress.totalSteps) flush(progress);
        },
        beforeStep: async () => {
          if (state === 'paused') await new Promise<void>((resolve) => (resumeWaiter = resolve));
          return state === 'stopping' ? 'stop' : 'continue';
        },
      });
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
    } finally {
      searching = false;
    }
  },
  stopSearch() {
    searchStop = true;
  },
  async exportSubnet(runId, subnet, accuracy, latencyMs) {
    const trained = await openRun(runId);
    const exported = await exportSubnet(trained, subnet, { accuracy, latencyMs, datasetName: 'Fashion-MNIST' });
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
