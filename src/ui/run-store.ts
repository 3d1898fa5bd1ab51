/**
 * State of the current run on the UI thread (zustand, made by a factory so tests and later
 * views can hold their own). Step records arrive in batches from the worker.
 */
import { createStore } from 'zustand/vanilla';
import type { BackendInfo } from '../engine/backend';
import type { RangeEvaluation } from '../engine/range-eval';
import type { EpochRecord, RunProgress, RunResults, StepRecord } from '../engine/training-run';
import type { StepBatch } from '../worker/protocol';

export type RunPhase = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'stopped' | 'failed';

export interface RunSlice {
  phase: RunPhase;
  backend: BackendInfo | null;
  steps: StepRecord[];
  epochs: EpochRecord[];
  progress: RunProgress | null;
  results: RunResults | null;
  /** the latest accuracy-per-FLOPs-range evaluation */
  ranges: RangeEvaluation | null;
  log: string[];
  error: string | null;
  begin(): void;
  setBackend(info: BackendInfo): void;
  addSteps(batch: StepBatch): void;
  addEpoch(record: EpochRecord): void;
  addLog(message: string): void;
  setRanges(evaluation: RangeEvaluation): void;
  setPhase(phase: RunPhase): void;
  finish(results: RunResults): void;
  fail(message: string): void;
}

export const createRunStore = () =>
  createStore<RunSlice>()((set) => ({
    phase: 'idle',
    backend: null,
    steps: [],
    epochs: [],
    progress: null,
    results: null,
    ranges: null,
    log: [],
    error: null,
    begin: () => set({ phase: 'starting', steps: [], epochs: [], progress: null, results: null, ranges: null, log: [], error: null }),
    setBackend: (backend) => set({ backend }),
    addSteps: ({ records, progress }) => set((s) => ({ steps: s.steps.concat(records), progress, phase: s.phase === 'starting' ? 'running' : s.phase })),
    addEpoch: (record) => set((s) => ({ epochs: [...s.epochs, record] })),
    setRanges: (ranges) => set({ ranges }),
    addLog: (message) => set((s) => ({ log: [...s.log.slice(-49), message] })),
    setPhase: (phase) => set({ phase }),
    finish: (results) => set({ results, phase: results.stopped ? 'stopped' : 'done' }),
    fail: (error) => set({ error, phase: 'failed' }),
  }));

export type RunStore = ReturnType<typeof createRunStore>;
