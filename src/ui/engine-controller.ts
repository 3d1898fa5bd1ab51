/**
 * Drives the engine worker for the UI: queues runs (a comparison is three runs, one after
 * another on the same GPU), feeds their events into the store, keeps each new checkpoint in
 * IndexedDB, resumes a run from its checkpoint, and handles pause, stop, a crashed worker and a
 * lost GPU device. React components call it; it never renders anything.
 */
import { comparisonQueue, runConfigFromSettings, type StudioSettings } from '../core/training/studio-settings';
import { samplerLabel } from '../core/sampling/sampler-registry';
import * as Comlink from 'comlink';
import { comparisonName } from '../core/comparison/noise-floor';
import type { GenerationReport } from '../core/search/evolution';
import type { SearchConfigInput } from '../core/search/search-config';
import type { Subnet } from '../core/space/subnet';
import type { SubnetEnvelope } from '../core/records/subnet-envelope';
import type { ExportFile } from '../core/records/export-records';
import { isDeviceLostMessage, type CheckpointEvent, type DatasetRef, type FaultKind } from '../worker/protocol';
import { proxyEvents, startEngineWorker, type EngineClient } from '../worker/engine-client';
import { datasetFingerprint } from './persistence/dataset-fingerprint';
import { backendOptions, storeProbe } from './persistence/backend-probes';
import type { BackendInfo, BackendPreference, RunResults } from '../core/records/run-records';
import { measuredMsPerImage } from '../core/training/duration-estimate';
import { readSpeed, writeSpeed } from './persistence/speed-records';
import type { RunDatabase } from '../storage/run-db';
import { isActivePhase, type RunRecord } from './store/runs-slice';
import type { LoadedDataset } from './store/settings-slice';
import type { StudioStore } from './store/studio-store';
import { errorMessage } from '../core/training/error-message';
import { USER_DATASET_MISSING } from './start-guard';

/** a checkpoint at least this often (and at every epoch end): a reload loses at most this much training */
export const CHECKPOINT_EVERY_MS = 15_000;

let counter = 0;
const newId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export class EngineController {
  private engine: EngineClient | null = null;
  private worker: Worker | null = null;
  private queue: Promise<void> = Promise.resolve();
  private activeRunId: string | null = null;
  private cancelled = new Set<string>();
  /** rejects when the current worker dies, so a run waiting on it ends instead of hanging */
  private crashed: Promise<never> = new Promise<never>(() => {});
  /** the duration estimate's probe in flight, if any (a run starts after it) */
  private probing: Promise<unknown> = Promise.resolve();

  /** null: this browser keeps nothing (no IndexedDB); runs still train */
  constructor(
    private readonly store: StudioStore,
    readonly storage: Promise<RunDatabase | null> = Promise.resolve(null),
    /** starts a worker and its client (tests hand in a fake one) */
    private readonly startWorker: () => { engine: EngineClient; worker: Worker } = startEngineWorker,
  ) {}

  private reportStorage(error: unknown): void {
    this.store.getState().reportStorageProblem(errorMessage(error));
  }

  /** The worker starts on first use (and again after a crash or dispose), so React's StrictMode double mount costs nothing. */
  private ensureEngine(): EngineClient {
    if (!this.engine) this.boot();
    return this.engine!;
  }

  private boot(): void {
    const { engine, worker } = this.startWorker();
    this.engine = engine;
    this.worker = worker;
    let reject: (error: Error) => void = () => {};
    this.crashed = new Promise<never>((_, r) => (reject = r));
    this.crashed.catch(() => {});
    const die = (message: string) => {
      reject(new Error(message));
      // the next run gets a fresh worker (and a fresh GPU device)
      worker.terminate();
      if (this.worker === worker) {
        this.worker = null;
        this.engine = null;
      }
    };
    worker.addEventListener('error', (event) => die(`the engine worker crashed: ${event.message || 'unknown error'}`));
    worker.addEventListener('message', (event) => {
      if (isDeviceLostMessage(event.data)) die(event.data.message);
    });
  }

  /** Starts the backend in the worker; a probe `auto` ran there is cached in this browser. */
  private async initBackend(engine: EngineClient, preference: BackendPreference): Promise<BackendInfo> {
    const crashed = this.crashed;
    const info = await Promise.race([engine.initBackend(preference, backendOptions()), crashed]);
    const probe = await Promise.race([engine.takeProbe(), crashed]);
    if (probe) storeProbe(probe);
    return info;
  }

  /** Queues one run with the given settings; returns its id. */
  startRun(
    settings: StudioSettings,
    options: { sampler?: StudioSettings['sampler']; groupId?: string; samplerStream?: number } = {},
  ): string {
    const sampler = options.sampler ?? settings.sampler;
    const id = newId('run');
    const dataset = settings.dataset === 'user' ? this.store.getState().userDataset : null;
    // never Fashion-MNIST in place of the person's own data (callers check startProblems first)
    if (settings.dataset === 'user' && !dataset) throw new Error(USER_DATASET_MISSING);
    this.store.getState().addRun({
      id,
      label: comparisonName(samplerLabel({ kind: sampler, k: settings.k, estimator: settings.estimator }), options),
      sampler,
      groupId: options.groupId ?? null,
      settings,
      // samplerStream: the noise-floor control of a comparison (only its sampled subnets change)
      config: { ...runConfigFromSettings(settings, sampler), ...(options.samplerStream ? { samplerStream: options.samplerStream } : {}) },
      datasetId: dataset?.id ?? null,
      datasetName: dataset?.name ?? 'Fashion-MNIST',
    });
    this.queue = this.queue.then(() => this.execute(id, false));
    return id;
  }

  /** Continues a stopped, failed or interrupted run from its last checkpoint; what came after it is trained again. */
  resumeFromCheckpoint(id: string): void {
    const run = this.store.getState().runs[id];
    if (!run || isActivePhase(run.phase) || !run.checkpoint) return;
    this.cancelled.delete(id);
    this.store.getState().rewindRun(id);
    this.store.getState().addRunLog(id, `resuming from the checkpoint after step ${run.checkpoint.step}`);
    this.queue = this.queue.then(() => this.execute(id, true));
  }

  /**
   * Queues Uniform, BestUp-k and WorstUp-k with the same budget for each of the settings' seeds,
   * each seed followed by its noise-floor control; returns the group id.
   */
  startComparison(settings: StudioSettings): string {
    const groupId = newId('cmp');
    const runIds = comparisonQueue(settings).map(({ sampler, seed, samplerStream }) =>
      this.startRun({ ...settings, seed }, { sampler, groupId, samplerStream }),
    );
    this.store.getState().addGroup({ id: groupId, runIds, settings, createdAt: Date.now() });
    return groupId;
  }

  /** Starts a run that ended early without a checkpoint over, with the same settings and seed. */
  restartRun(id: string): void {
    const run = this.store.getState().runs[id];
    if (!run || isActivePhase(run.phase) || run.phase === 'done') return;
    this.cancelled.delete(id);
    this.store.getState().resetRun(id);
    this.queue = this.queue.then(() => this.execute(id, false));
  }

  private async execute(id: string, resume: boolean): Promise<void> {
    const state = this.store.getState();
    const run = state.runs[id];
    if (!run) return;
    if (this.cancelled.has(id)) {
      state.setRunPhase(id, 'stopped');
      return;
    }
    this.activeRunId = id;
    state.setRunPhase(id, 'starting');
    await this.probing;
    const s = () => this.store.getState();
    try {
      const resumeFrom = resume ? await this.savedCheckpoint(id) : undefined;
      const engine = this.ensureEngine();
      const crashed = this.crashed;
      s().setRunBackend(id, await this.initBackend(engine, run.settings.backend));
      const dataset = await Promise.race([this.ensureDataset(engine, run), crashed]);
      const training = engine.train(
        run.config,
        proxyEvents({
          onStart: (info) => s().setRunStart(id, info),
          onSteps: (batch) => s().addRunSteps(id, batch),
          onEpoch: (record) => s().addRunEpoch(id, record),
          onLog: (message) => s().addRunLog(id, message),
          onRangeEvaluation: (evaluation) => s().addRunRanges(id, evaluation),
          onCheckpoint: (checkpoint) => void this.keepCheckpoint(id, checkpoint),
        }),
        id,
        dataset,
        {
          resumeFrom: resumeFrom && Comlink.transfer(resumeFrom, [resumeFrom.buffer as ArrayBuffer]),
          checkpointEveryMs: CHECKPOINT_EVERY_MS,
          checkpointStore: (await this.storage)?.name,
        },
      );
      const results = await Promise.race([training, crashed]);
      s().finishRun(id, results);
      this.keepSpeed(run.settings, results.timing);
    } catch (error) {
      s().failRun(id, errorMessage(error));
    } finally {
      this.activeRunId = null;
    }
  }

  /** The run's speed, for the next duration estimate with the same backend, space and batch. */
  private keepSpeed(settings: StudioSettings, timing: RunResults['timing']): void {
    const steps = timing.msPerStep > 0 ? Math.round((timing.trainingSeconds * 1000) / timing.msPerStep) : 0;
    const msPerImage = measuredMsPerImage(settings, timing.trainingSeconds, steps);
    if (msPerImage) writeSpeed(settings, msPerImage, 'run');
  }

  /**
   * The duration estimate's speed for these settings (ms per image of a Uniform step): the one
   * kept in this browser, or a short probe in the worker (a few seconds) when none is kept.
   * null while a run trains (a probe would slow it and be slowed by it) or when the probe fails.
   */
  async trainingSpeed(settings: StudioSettings): Promise<{ msPerImage: number; source: 'probe' | 'run' } | null> {
    const kept = readSpeed(settings);
    if (kept) return kept;
    if (this.busy) return null;
    const engine = this.ensureEngine();
    // probes take turns: two at once would each time the other's steps too
    const probe = this.probing.then(async () => {
      const again = readSpeed(settings);
      if (again) return again.msPerImage * settings.batchSize;
      await this.initBackend(engine, settings.backend);
      return Promise.race([engine.probeSpeed(settings.backend, settings.space, settings.batchSize), this.crashed]);
    });
    // a run started meanwhile waits for the probe instead of sharing the cores with it
    const settled = probe.catch(() => null);
    this.probing = settled;
    const msPerStep = await settled;
    if (!msPerStep) return null;
    writeSpeed(settings, msPerStep / settings.batchSize, 'probe');
    return readSpeed(settings);
  }

  /**
   * Makes a checkpoint the worker has stored the run's latest: the record switches to its key
   * and the older one is deleted in one transaction. A failed write is reported, and the run
   * keeps the checkpoint it had, which is still in storage.
   */
  private async keepCheckpoint(id: string, event: CheckpointEvent): Promise<void> {
    const s = () => this.store.getState();
    if (event.storageError) {
      s().reportStorageProblem(event.storageError);
      return;
    }
    s().setRunCheckpoint(id, {
      step: event.step,
      epoch: event.epoch,
      stepInEpoch: event.stepInEpoch,
      savedAt: Date.now(),
      bytes: event.bytes,
      ...(event.key ? { key: event.key } : {}),
    });
    const db = await this.storage;
    const run = s().runs[id];
    if (!db || !run || !event.key) return;
    try {
      await db.saveRunWithCheckpoint(run);
    } catch (error) {
      this.reportStorage(error);
    }
  }

  private async savedCheckpoint(id: string): Promise<Uint8Array> {
    const db = await this.storage;
    const run = this.store.getState().runs[id];
    const bytes = db && run ? await db.loadCheckpoint(run) : null;
    if (!bytes) throw new Error('the checkpoint of this run is not in this browser’s storage any more; it cannot resume');
    return bytes;
  }

  /** The run's dataset as the worker knows it, loading a stored one into a fresh worker first. */
  private async ensureDataset(engine: EngineClient, run: Pick<RunRecord, 'datasetId' | 'datasetName'>): Promise<DatasetRef> {
    if (!run.datasetId) return { kind: 'fashion-mnist' };
    const id = run.datasetId;
    if (await engine.hasDataset(id)) return { kind: 'user', id };
    const stored = await (await this.storage)?.loadDataset(id);
    if (!stored)
      throw new Error(
        `the dataset “${run.datasetName}” this run trained on is not stored in this browser; load its files on the Setup view, then try again`,
      );
    await engine.loadDataset(
      Comlink.transfer(
        stored.files,
        stored.files.map((f) => f.bytes.buffer as ArrayBuffer),
      ),
      id,
    );
    return { kind: 'user', id };
  }

  /** Puts a run's stored checkpoint into the worker when it does not hold it (after a reload, an import, a crash). */
  private async ensureCheckpoint(runId: string): Promise<EngineClient> {
    const engine = this.ensureEngine();
    if (await Promise.race([engine.hasCheckpoint(runId), this.crashed])) return engine;
    const run = this.store.getState().runs[runId];
    if (!run) throw new Error('this run no longer exists');
    const bytes = await this.savedCheckpoint(runId);
    const dataset = await this.ensureDataset(engine, run);
    await Promise.race([engine.putCheckpoint(runId, Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]), dataset), this.crashed]);
    return engine;
  }

  /**
   * Loads the person's files in the worker under their content fingerprint, after keeping a
   * copy in IndexedDB so runs on them can resume and be searched after a reload.
   */
  async loadDataset(files: { name: string; bytes: Uint8Array }[]): Promise<LoadedDataset> {
    const id = await datasetFingerprint(files);
    const db = await this.storage;
    const engine = this.ensureEngine();
    // the worker takes the bytes; the stored copy is made first (a failed save only costs the reload)
    const copies = files.map((f) => ({ name: f.name, bytes: f.bytes.slice() }));
    const summary = await Promise.race([
      engine.loadDataset(
        Comlink.transfer(
          copies,
          copies.map((c) => c.bytes.buffer as ArrayBuffer),
        ),
        id,
      ),
      this.crashed,
    ]);
    if (db) await db.saveDataset({ id, name: summary.name, files, savedAt: Date.now() }).catch((error) => this.reportStorage(error));
    return { ...summary, id };
  }

  /** Searches a trained run's supernet; generations stream into the store. */
  async search(runId: string, config: SearchConfigInput): Promise<void> {
    const s = () => this.store.getState();
    s().beginSearch(runId, config);
    try {
      const engine = await this.ensureCheckpoint(runId);
      // searches run on the backend chosen on the Setup view, like training
      await this.initBackend(engine, s().settings.backend);
      const results = await Promise.race([
        engine.search(
          runId,
          config,
          Comlink.proxy({
            onGeneration: (report: GenerationReport) => s().addSearchGeneration(runId, report),
            onEvaluation: (done: number, total: number) => s().setSearchProgress(runId, done, total),
            onLog: (message: string) => s().addRunLog(runId, message),
          }),
        ),
        this.crashed,
      ]);
      s().finishSearch(runId, results);
    } catch (error) {
      s().failSearch(runId, errorMessage(error));
    }
  }

  stopSearch(): void {
    void this.engine?.stopSearch();
  }

  async measureLatency(runId: string, subnet: Subnet): Promise<{ medianMs: number; repeats: number; backend: string }> {
    const engine = await this.ensureCheckpoint(runId);
    return Promise.race([engine.measureLatency(runId, subnet, 20), this.crashed]);
  }

  async exportFiles(
    runId: string,
    subnet: Subnet,
    accuracy: SubnetEnvelope['accuracy'],
    latency: SubnetEnvelope['latencyMs'],
  ): Promise<ExportFile[]> {
    const engine = await this.ensureCheckpoint(runId);
    const datasetName = this.store.getState().runs[runId]?.datasetName ?? 'Fashion-MNIST';
    return Promise.race([engine.exportSubnet(runId, subnet, accuracy, latency, datasetName), this.crashed]);
  }

  /** Test hook for the fault paths (browser tests; see EngineApi.simulateFault). */
  simulateFault(kind: FaultKind): void {
    void this.engine?.simulateFault(kind);
  }

  pause(): void {
    const id = this.activeRunId;
    if (!id || this.store.getState().runs[id]?.phase !== 'running') return;
    void this.engine?.pause();
    this.store.getState().setRunPhase(id, 'paused');
  }

  resume(): void {
    const id = this.activeRunId;
    if (!id || this.store.getState().runs[id]?.phase !== 'paused') return;
    void this.engine?.resume();
    this.store.getState().setRunPhase(id, 'running');
  }

  /** Stops the active run; in a comparison the runs still queued behind it are cancelled too. */
  stop(): void {
    const id = this.activeRunId;
    if (!id) return;
    const state = this.store.getState();
    const groupId = state.runs[id]?.groupId;
    if (groupId) for (const other of state.groups[groupId]?.runIds ?? []) if (other !== id) this.cancelled.add(other);
    void this.engine?.stop();
    state.setRunPhase(id, 'stopping');
  }

  get busy(): boolean {
    return this.activeRunId !== null;
  }

  /** Starts the worker ahead of use: its multi-megabyte script is parsed while the person sets up a run, not when training starts. */
  prewarm(): void {
    this.ensureEngine();
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.engine = null;
  }
}
