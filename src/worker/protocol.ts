/**
 * The typed API between the UI thread and the engine worker. Only plain data crosses:
 * configs, step records, results. Progress arrives through callbacks passed as Comlink
 * proxies, batched by the worker to a few messages a second.
 */
import type { RunConfigInput } from '../core/run-config';
import type { BackendInfo, BackendPreference } from '../engine/backend';
import type { RangeEvaluation } from '../engine/range-eval';
import type { EpochRecord, RunProgress, RunResults, RunStart, StepRecord } from '../engine/training-run';

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
}

export type RunState = 'idle' | 'running' | 'paused' | 'stopping';

export interface EngineApi {
  /** Initialises a tfjs backend in the worker and says which one it got. */
  initBackend(preference: BackendPreference): Promise<BackendInfo>;
  /** Trains a supernet on the built-in Fashion-MNIST; resolves with the results when done or stopped. */
  train(config: RunConfigInput, events: RunEvents): Promise<RunResults>;
  pause(): void;
  resume(): void;
  stop(): void;
}

/** Steps are flushed to the UI at most this often. */
export const PROGRESS_INTERVAL_MS = 250;
