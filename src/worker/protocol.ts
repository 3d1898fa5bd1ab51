/**
 * The typed API between the UI thread and the engine worker. Only plain data crosses:
 * configs, step records, results. Progress arrives through callbacks passed as Comlink
 * proxies, batched by the worker to a few messages a second.
 */
import type { RunConfigInput } from '../core/training/run-config';
import type { GenerationReport } from '../core/records/search-records';
import type { SearchConfigInput } from '../core/search/search-config';
import type { Subnet } from '../core/space/subnet';
import type { DatasetSummary } from '../core/data/user-dataset';
import type { SubnetEnvelope } from '../core/records/subnet-envelope';
import type { ExportFile } from '../core/records/export-records';
import type { ProbeRecord } from '../core/training/backend-choice';
import type {
  BackendInfo,
  BackendPreference,
  EpochRecord,
  RangeEvaluation,
  RunProgress,
  RunResults,
  RunStart,
  StepRecord,
} from '../core/records/run-records';
import type { SearchResults } from '../core/records/search-records';

export interface StepBatch {
  records: StepRecord[];
  progress: RunProgress;
}

export interface RunEvents {
  onStart(info: RunStart): void;
  onSteps(batch: StepBatch): void;
  onEpoch(record: EpochRecord): void;
  onLog(message: string): void;
  onRangeEvaluation(evaluation: RangeEvaluation): void;
  /** a new checkpoint of the run, its bytes already written to IndexedDB by the worker when it was given a store */
  onCheckpoint(checkpoint: CheckpointEvent): void;
}

export interface CheckpointEvent {
  step: number;
  epoch: number;
  stepInEpoch: number;
  /** size of the encoded checkpoint */
  bytes: number;
  /** the key its bytes were stored under; null when there was no store or the write failed */
  key: string | null;
  /** why the write failed, in words for the person (the run's previous checkpoint stays its last) */
  storageError?: string;
}

/** The built-in dataset, or one the person loaded (by the id it was loaded under). */
export type DatasetRef = { kind: 'fashion-mnist' } | { kind: 'user'; id: string };

export interface TrainOptions {
  /** continue from this checkpoint (NASCKPT1 bytes) instead of starting afresh */
  resumeFrom?: Uint8Array;
  /** checkpoint when this long has passed since the last one, besides every epoch end */
  checkpointEveryMs?: number;
  /** the IndexedDB database to write each checkpoint's bytes into, here in the worker and off the UI thread */
  checkpointStore?: string;
}

/** Posted by the worker outside Comlink when the GPU device is lost: the UI treats it like a crash. */
export interface DeviceLostMessage {
  type: 'nas-studio/device-lost';
  message: string;
}
export const isDeviceLostMessage = (data: unknown): data is DeviceLostMessage =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'nas-studio/device-lost';

export type FaultKind = 'crash' | 'device-loss';

export type RunState = 'idle' | 'running' | 'paused' | 'stopping';

/** What the UI tells the engine about `auto`'s probe. */
export interface BackendOptions {
  /** this browser's stored probes (parsed JSON from localStorage; checked before use) */
  probeCache?: unknown;
  /** tests: probe GPU backends on a software renderer too, with a tiny workload */
  probeSoftware?: boolean;
}

export interface EngineApi {
  /**
   * Initialises a tfjs backend in the worker and says which one it got and why. For `auto` a
   * short probe may run once (about 3 s) unless `options.probeCache` already holds its result.
   */
  initBackend(preference: BackendPreference, options?: BackendOptions): Promise<BackendInfo>;
  /** A probe `auto` ran in this worker that the UI has not taken yet, for it to cache (null: none). */
  takeProbe(): ProbeRecord | null;
  /** ms of a Uniform sandwich step of the preset `space` at `batch` (a few steps, random data; null: it failed), for the duration estimate */
  probeSpeed(preference: BackendPreference, space: string, batch: number): Promise<number | null>;
  /**
   * Trains a supernet; resolves with the results when done or stopped. The worker keeps the
   * run's latest checkpoint under `runId` for search and export, and sends each one out.
   */
  train(config: RunConfigInput, events: RunEvents, runId: string, dataset: DatasetRef, options?: TrainOptions): Promise<RunResults>;
  /** Loads a dataset from files the person picked (transferred, not copied) under `id`. */
  loadDataset(files: { name: string; bytes: Uint8Array }[], id: string): Promise<DatasetSummary>;
  hasDataset(id: string): Promise<boolean>;
  /** Hands the worker a run's checkpoint kept from before a reload, so it can be searched and exported. */
  putCheckpoint(runId: string, bytes: Uint8Array, dataset: DatasetRef): Promise<void>;
  /** Test hook for the fault paths: throw outside any call, or destroy the WebGPU device. */
  simulateFault(kind: FaultKind): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Whether the worker holds a checkpoint of this run (the end of its last finished epoch). */
  hasCheckpoint(runId: string): Promise<boolean>;
  /** Evolutionary search on a run's trained supernet; progress arrives per generation. */
  search(runId: string, config: SearchConfigInput, events: SearchEvents): Promise<SearchResults>;
  stopSearch(): void;
  /** The export files of one subnet (envelope, model.json, weights, AttentiveNAS YAML). */
  exportSubnet(
    runId: string,
    subnet: Subnet,
    accuracy: SubnetEnvelope['accuracy'],
    latencyMs: SubnetEnvelope['latencyMs'],
    datasetName: string,
  ): Promise<ExportFile[]>;
  /** Median time of repeated single-image forward passes of the subnet's standalone model on the current backend. */
  measureLatency(runId: string, subnet: Subnet, repeats: number): Promise<{ medianMs: number; repeats: number; backend: string }>;
}

export interface SearchEvents {
  onGeneration(report: GenerationReport): void;
  onEvaluation(done: number, total: number): void;
  onLog(message: string): void;
}

/** Steps are flushed to the UI at most this often. */
export const PROGRESS_INTERVAL_MS = 250;
