/**
 * Drives the engine worker for the UI: queues runs (a comparison is three runs, one after
 * another on the same GPU), feeds their events into the store, and handles pause, resume,
 * stop and a crashed worker. React components call it; it never renders anything.
 */
import { comparisonSamplers, runConfigFromSettings, samplerLabel, type StudioSettings } from '../core/studio-settings';
import * as Comlink from 'comlink';
import type { GenerationReport } from '../core/evolution';
import type { SearchConfigInput } from '../core/search-config';
import type { Subnet } from '../core/subnet';
import type { SubnetEnvelope } from '../core/subnet-envelope';
import type { DatasetSummary } from '../core/user-dataset';
import type { ExportFile } from '../engine/subnet-export';
import { proxyEvents, startEngineWorker, type EngineClient } from '../worker/engine-client';
import type { StudioStore } from './store/studio-store';

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

  constructor(private readonly store: StudioStore) {}

  /** The worker starts on first use (and again after a crash or dispose), so React's StrictMode double mount costs nothing. */
  private ensureEngine(): EngineClient {
    if (!this.engine) this.boot();
    return this.engine!;
  }

  private boot(): void {
    const { engine, worker } = startEngineWorker();
    this.engine = engine;
    this.worker = worker;
    let reject: (error: Error) => void = () => {};
    this.crashed = new Promise<never>((_, r) => (reject = r));
    this.crashed.catch(() => {});
    worker.addEventListener('error', (event) => {
      reject(new Error(`the engine worker crashed: ${event.message || 'unknown error'}`));
      // the next run gets a fresh worker
      worker.terminate();
      if (this.worker === worker) {
        this.worker = null;
        this.engine = null;
      }
    });
  }

  /** Queues one run with the given settings; returns its id. */
  startRun(settings: StudioSettings, options: { sampler?: StudioSettings['sampler']; groupId?: string } = {}): string {
    const sampler = options.sampler ?? settings.sampler;
    const id = newId('run');
    this.store.getState().addRun({ id, label: samplerLabel(sampler, settings.k, settings.estimator), sampler, groupId: options.groupId ?? null, settings });
    this.queue = this.queue.then(() => this.execute(id));
    return id;
  }

  /** Queues Uniform, BestUp-k and WorstUp-k with the same seed and budget; returns the group id. */
  startComparison(settings: StudioSettings): string {
    const groupId = newId('cmp');
    const runIds = comparisonSamplers.map((sampler) => this.startRun(settings, { sampler, groupId }));
    this.store.getState().addGroup({ id: groupId, runIds, settings, createdAt: Date.now() });
    return groupId;
  }

  private async execute(id: string): Promise<void> {
    const state = this.store.getState();
    const run = state.runs[id];
    if (!run) return;
    if (this.cancelled.has(id)) {
      state.setRunPhase(id, 'stopped');
      return;
    }
    this.activeRunId = id;
    state.setRunPhase(id, 'starting');
    const s = () => this.store.getState();
    try {
      const engine = this.ensureEngine();
      const crashed = this.crashed;
      s().setRunBackend(id, await Promise.race([engine.initBackend(run.settings.backend), crashed]));
      const training = engine.train(
        runConfigFromSettings(run.settings, run.sampler),
        proxyEvents({
          onStart: (info) => s().setRunStart(id, info),
          onSteps: (batch) => s().addRunSteps(id, batch),
          onEpoch: (record) => s().addRunEpoch(id, record),
          onLog: (message) => s().addRunLog(id, message),
          onRangeEvaluation: (evaluation) => s().addRunRanges(id, evaluation),
        }),
        id,
        run.settings.dataset,
      );
      const results = await Promise.race([training, crashed]);
      s().finishRun(id, results);
      s().setRunCheckpoint(id, await engine.hasCheckpoint(id));
    } catch (error) {
      s().failRun(id, error instanceof Error ? error.message : String(error));
    } finally {
      this.activeRunId = null;
    }
  }

  /** Loads the person's files in the worker (their bytes are transferred, not copied). */
  async loadDataset(files: { name: string; bytes: Uint8Array }[]): Promise<DatasetSummary> {
    const engine = this.ensureEngine();
    return Promise.race([engine.loadDataset(Comlink.transfer(files, files.map((f) => f.bytes.buffer as ArrayBuffer))), this.crashed]);
  }

  /** Searches a finished run's supernet; generations stream into the store. */
  async search(runId: string, config: SearchConfigInput): Promise<void> {
    const s = () => this.store.getState();
    if (!this.engine) return s().failSearch(runId, 'the engine was restarted since this run trained; its supernet is gone (runs do not survive a reload yet)');
    const engine = this.engine;
    s().beginSearch(runId, config);
    try {
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
      s().failSearch(runId, error instanceof Error ? error.message : String(error));
    }
  }

  stopSearch(): void {
    void this.engine?.stopSearch();
  }

  async measureLatency(runId: string, subnet: Subnet): Promise<{ medianMs: number; repeats: number; backend: string }> {
    if (!this.engine) throw new Error('the engine is not running');
    return this.engine.measureLatency(runId, subnet, 20);
  }

  async exportFiles(runId: string, subnet: Subnet, accuracy: SubnetEnvelope['accuracy'], latency: SubnetEnvelope['latencyMs']): Promise<ExportFile[]> {
    if (!this.engine) throw new Error('the engine is not running');
    return this.engine.exportSubnet(runId, subnet, accuracy, latency);
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

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.engine = null;
  }
}
