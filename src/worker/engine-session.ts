/**
 * The engine worker's session: the run state machine (idle, running, paused, stopping), the
 * backend in use and the device loss it watches, the datasets loaded, each run's latest
 * checkpoint and data, and the one trained supernet opened for search and export.
 *
 * It holds no tfjs itself: everything that touches tfjs, the GPU device or the network comes in
 * through `SessionDeps`, so the session is unit-tested in Node with fakes
 * (tests/worker/engine-session.test.ts) and engine.worker.ts only wires the real ones in and
 * exposes it through Comlink.
 */
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../core/records/checkpoint-format';
import type { TrainTestSets } from '../core/data/dataset-files';
import type { ExportFile } from '../core/records/export-records';
import type { BackendInfo, BackendPreference, RunResults, StepRecord } from '../core/records/run-records';
import { parseRunConfig, type RunConfigInput } from '../core/training/run-config';
import type { ProbeRecord } from '../core/training/backend-choice';
import type { SearchConfigInput } from '../core/search/search-config';
import type { SearchResults } from '../core/records/search-records';
import type { Subnet } from '../core/space/subnet';
import type { SubnetEnvelope } from '../core/records/subnet-envelope';
import { loadUserDataset, summariseDataset, type DatasetSummary, type UserDataset } from '../core/data/user-dataset';
import { errorMessage } from '../core/training/error-message';
import type { SelectOptions } from '../engine/backend';
import type { measureLatency } from '../engine/latency';
import type { runSearch } from '../engine/search-run';
import type { exportSubnet } from '../engine/subnet-export';
import type { openTrainedSupernet, TrainedSupernet } from '../engine/trained-supernet';
import type { trainSupernet } from '../engine/training-run';
import type { writeCheckpoint } from './checkpoint-writer';
import {
  PROGRESS_INTERVAL_MS,
  type BackendOptions,
  type DatasetRef,
  type FaultKind,
  type RunEvents,
  type RunState,
  type SearchEvents,
  type StepBatch,
  type TrainOptions,
} from './protocol';

/** What the session needs from tfjs, the GPU, the network and storage. */
export interface SessionDeps {
  /** selectBackend over the worker's backend order */
  selectBackend(preference: BackendPreference, options: SelectOptions): Promise<BackendInfo>;
  /**
   * Starts watching the GPU device of a backend just chosen: a promise of the loss's message
   * (the worker also tells the UI), or null when there is no new device to watch.
   */
  watchDevice(info: BackendInfo): Promise<string> | null;
  /** destroys the watched WebGPU device (the device-loss test hook); false when there is none */
  destroyDevice(): boolean;
  loadBuiltInData(): Promise<TrainTestSets>;
  trainSupernet: typeof trainSupernet;
  runSearch: typeof runSearch;
  exportSubnet: typeof exportSubnet;
  measureLatency: typeof measureLatency;
  /** ms of a Uniform sandwich step of `space` at `batch` on the backend in use (null: it failed) */
  probeSpeed(backend: BackendInfo, space: string, batch: number): Promise<number | null>;
  openTrainedSupernet: typeof openTrainedSupernet;
  writeCheckpoint: typeof writeCheckpoint;
  /** called as a run starts and after each of its steps (the worker samples tf.memory()) */
  onRunStart?(): void;
  onStepDone?(step: number, ms: number): void;
  now?(): number;
}

/** a lost device's message arrives a moment after the failed step; wait this long for it */
const DEVICE_LOSS_GRACE_MS = 2000;

export class EngineSession {
  private backend: BackendInfo | null = null;
  /** what the UI last passed about `auto`'s probe: its cache (from localStorage) and the test switch */
  private probeOptions: BackendOptions = {};
  /** probes run in this worker, by key, until the UI has stored them */
  private readonly probes: Record<string, ProbeRecord> = {};
  private unsentProbe: ProbeRecord | null = null;
  private state: RunState = 'idle';
  private resumeWaiter: (() => void) | null = null;
  private fashion: Promise<TrainTestSets> | null = null;
  /** the latest checkpoint of each run trained in this worker */
  private readonly checkpoints = new Map<string, Checkpoint>();
  private opened: { runId: string; trained: TrainedSupernet } | null = null;
  private searching = false;
  private searchStop = false;
  /** datasets the person loaded, by the id the UI gave them */
  private readonly userData = new Map<string, UserDataset>();
  /** the data each run trained on, for its search and exports */
  private readonly runData = new Map<string, TrainTestSets>();
  private deviceLost: Promise<string> | null = null;

  constructor(private readonly deps: SessionDeps) {}

  private now(): number {
    return this.deps.now ? this.deps.now() : performance.now();
  }

  /** The run state machine's state (tests and the worker's own checks). */
  get runState(): RunState {
    return this.state;
  }

  /** selectBackend with the browser's cached probes, keeping a new probe for the UI to store. */
  private chooseBackend(preference: BackendPreference): Promise<BackendInfo> {
    const options = this.probeOptions;
    const cache = options.probeCache && typeof options.probeCache === 'object' ? options.probeCache : {};
    return this.deps.selectBackend(preference, {
      probeCache: cache,
      sessionProbes: this.probes,
      probeSoftware: options.probeSoftware,
      // a software renderer in a test: a tiny probe, since SwiftShader takes seconds a step
      probeWorkload: options.probeSoftware ? { space: 'tiny', batch: 8 } : undefined,
      onProbe: (record) => {
        this.probes[record.key] = record;
        this.unsentProbe = record;
      },
    });
  }

  /** A lost WebGPU device cannot run another kernel: the deps tell the UI, which restarts the worker and offers to resume. */
  private setBackend(info: BackendInfo): BackendInfo {
    this.backend = info;
    const lost = this.deps.watchDevice(info);
    if (lost) this.deviceLost = lost;
    return info;
  }

  /**
   * Why a failed call failed, when the cause was a lost GPU device: a pending buffer read rejects
   * with a cryptic mapAsync error a moment before `device.lost` resolves, so wait briefly for it.
   */
  private async explainDeviceLoss(error: unknown): Promise<unknown> {
    if (!this.deviceLost) return error;
    const lost = await Promise.race([
      this.deviceLost,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), DEVICE_LOSS_GRACE_MS)),
    ]);
    return lost ? new Error(`${lost}; the step in flight failed with: ${errorMessage(error)}`) : error;
  }

  private loadBuiltInData(): Promise<TrainTestSets> {
    this.fashion ??= this.deps.loadBuiltInData().catch((error) => {
      this.fashion = null;
      throw error;
    });
    return this.fashion;
  }

  /** The data of a dataset reference; a user dataset must have been loaded into this worker. */
  private async dataFor(ref: DatasetRef): Promise<{ data: TrainTestSets; name: string }> {
    if (ref.kind === 'fashion-mnist') return { data: await this.loadBuiltInData(), name: 'Fashion-MNIST' };
    const loaded = this.userData.get(ref.id);
    if (!loaded) throw new Error('the dataset this run uses is not loaded in the engine; load its files again');
    return { data: loaded.sets, name: loaded.name };
  }

  /** The trained supernet of a run, opened once and kept until another run is opened. */
  private async openRun(runId: string): Promise<TrainedSupernet> {
    if (this.opened?.runId === runId) return this.opened.trained;
    const checkpoint = this.checkpoints.get(runId);
    if (!checkpoint) throw new Error('this run has no checkpoint in the engine yet');
    const active = this.backend ?? this.setBackend(await this.chooseBackend('auto'));
    const data = this.runData.get(runId) ?? (await this.loadBuiltInData());
    this.opened?.trained.dispose();
    this.opened = null;
    this.opened = {
      runId,
      trained: this.deps.openTrainedSupernet(checkpoint, data, active, { calibrationBatches: 8, validationImages: 2000 }),
    };
    return this.opened.trained;
  }

  /** Drops the opened supernet (unless a search uses it): it must be opened again from newer weights or on another backend. */
  private closeOpened(runId?: string): void {
    if (!this.opened || this.searching || (runId !== undefined && this.opened.runId !== runId)) return;
    this.opened.trained.dispose();
    this.opened = null;
  }

  async initBackend(preference: BackendPreference, options: BackendOptions = {}): Promise<BackendInfo> {
    this.probeOptions = options;
    const previous = this.backend?.name;
    const chosen = this.setBackend(await this.chooseBackend(preference));
    // an opened supernet lives on the backend it was opened on; reopen it on the new one when needed
    if (previous && previous !== chosen.name) this.closeOpened();
    return chosen;
  }

  /** The duration estimate's probe: a few Uniform steps of the space at the batch size, on the backend of `preference`. */
  async probeSpeed(preference: BackendPreference, space: string, batch: number): Promise<number | null> {
    if (!this.backend || (preference !== 'auto' && preference !== this.backend.name)) this.setBackend(await this.chooseBackend(preference));
    return this.deps.probeSpeed(this.backend!, space, batch);
  }

  takeProbe(): ProbeRecord | null {
    const record = this.unsentProbe;
    this.unsentProbe = null;
    return record;
  }

  async loadDataset(files: { name: string; bytes: Uint8Array }[], id: string): Promise<DatasetSummary> {
    const loaded = await loadUserDataset(files);
    this.userData.set(id, loaded);
    return summariseDataset(loaded);
  }

  async hasDataset(id: string): Promise<boolean> {
    return this.userData.has(id);
  }

  async putCheckpoint(runId: string, bytes: Uint8Array, dataset: DatasetRef): Promise<void> {
    const checkpoint = decodeCheckpoint(bytes, 'the saved checkpoint');
    this.runData.set(runId, (await this.dataFor(dataset)).data);
    this.checkpoints.set(runId, checkpoint);
    this.closeOpened(runId);
  }

  async hasCheckpoint(runId: string): Promise<boolean> {
    return this.checkpoints.has(runId);
  }

  simulateFault(kind: FaultKind): void {
    if (kind === 'crash') {
      setTimeout(() => {
        throw new Error('simulated crash of the engine worker');
      });
    } else if (!this.deps.destroyDevice()) throw new Error('there is no WebGPU device to lose (the backend is not webgpu)');
  }

  async train(
    input: RunConfigInput,
    events: RunEvents,
    runId: string,
    dataset: DatasetRef,
    options: TrainOptions = {},
  ): Promise<RunResults> {
    if (this.state !== 'idle') throw new Error('a run is already in progress in this worker');
    const config = parseRunConfig(input);
    if (!this.backend || (config.backend !== 'auto' && config.backend !== this.backend.name))
      this.setBackend(await this.chooseBackend(config.backend));
    const backend = this.backend!;
    this.state = 'running';
    this.deps.onRunStart?.();
    // steps go out in batches, a few a second
    let pending: StepRecord[] = [];
    let lastFlush = 0;
    let lastProgress: StepBatch['progress'] | null = null;
    const flush = (progress: StepBatch['progress']) => {
      events.onSteps({ records: pending, progress });
      pending = [];
      lastFlush = this.now();
    };
    try {
      const { data, name } = await this.dataFor(dataset);
      this.runData.set(runId, data);
      events.onLog(`data: ${name}, ${data.train.count} training and ${data.test.count} test images`);
      const resumeFrom = options.resumeFrom ? decodeCheckpoint(options.resumeFrom, 'the saved checkpoint') : undefined;
      return await this.deps.trainSupernet(
        config,
        data,
        backend,
        {
          onStart: (info) => events.onStart(info),
          onCheckpoint: async (checkpoint) => {
            this.checkpoints.set(runId, checkpoint);
            // the run's steps so far go out first, so the UI's history and checkpoint agree
            if (pending.length && lastProgress) flush(lastProgress);
            const bytes = encodeCheckpoint(checkpoint);
            const { step, epoch, stepInEpoch } = checkpoint.header.progress;
            const stored = options.checkpointStore
              ? await this.deps.writeCheckpoint(options.checkpointStore, runId, step, bytes)
              : { key: null };
            events.onCheckpoint({ step, epoch, stepInEpoch, bytes: bytes.byteLength, ...stored });
          },
          onLog: (message) => events.onLog(message),
          onEpoch: (record) => events.onEpoch(record),
          onRangeEvaluation: (evaluation) => events.onRangeEvaluation(evaluation),
          onStep: (record, progress) => {
            this.deps.onStepDone?.(progress.step, record.ms);
            pending.push(record);
            lastProgress = progress;
            if (this.now() - lastFlush >= PROGRESS_INTERVAL_MS || progress.step === progress.totalSteps) flush(progress);
          },
          beforeStep: async () => {
            if (this.state === 'paused') await new Promise<void>((resolve) => (this.resumeWaiter = resolve));
            return this.state === 'stopping' ? 'stop' : 'continue';
          },
        },
        { resumeFrom, checkpointEveryMs: options.checkpointEveryMs },
      );
    } catch (error) {
      throw await this.explainDeviceLoss(error);
    } finally {
      // a stop or an error must not swallow the last few steps
      if (pending.length && lastProgress) flush(lastProgress);
      this.state = 'idle';
    }
  }

  pause(): void {
    if (this.state === 'running') this.state = 'paused';
  }

  resume(): void {
    if (this.state === 'paused') this.state = 'running';
    this.wake();
  }

  stop(): void {
    if (this.state === 'running' || this.state === 'paused') this.state = 'stopping';
    this.wake();
  }

  private wake(): void {
    this.resumeWaiter?.();
    this.resumeWaiter = null;
  }

  async search(runId: string, config: SearchConfigInput, events: SearchEvents): Promise<SearchResults> {
    if (this.searching) throw new Error('a search is already running in this worker');
    this.searching = true;
    this.searchStop = false;
    try {
      const trained = await this.openRun(runId);
      return await this.deps.runSearch(trained, config, this.backend!, {
        onGeneration: (report) => events.onGeneration(report),
        onEvaluation: (done, total) => events.onEvaluation(done, total),
        onLog: (message) => events.onLog(message),
        shouldStop: () => this.searchStop,
      });
    } catch (error) {
      throw await this.explainDeviceLoss(error);
    } finally {
      this.searching = false;
    }
  }

  stopSearch(): void {
    this.searchStop = true;
  }

  async exportSubnet(
    runId: string,
    subnet: Subnet,
    accuracy: SubnetEnvelope['accuracy'],
    latencyMs: SubnetEnvelope['latencyMs'],
    datasetName: string,
  ): Promise<ExportFile[]> {
    const trained = await this.openRun(runId);
    return (await this.deps.exportSubnet(trained, subnet, { accuracy, latencyMs, datasetName })).files;
  }

  async measureLatency(runId: string, subnet: Subnet, repeats: number): Promise<{ medianMs: number; repeats: number; backend: string }> {
    const trained = await this.openRun(runId);
    return { ...(await this.deps.measureLatency(trained, subnet, repeats)), backend: this.backend!.name };
  }
}
