/** Runs and comparison groups as the UI sees them, fed by the engine worker's events. */
import type { StateCreator } from 'zustand/vanilla';
import type { StudioSettings } from '../../core/studio-settings';
import type { BackendInfo } from '../../engine/backend';
import type { RangeEvaluation } from '../../engine/range-eval';
import type { EpochRecord, RunProgress, RunResults, RunStart } from '../../engine/training-run';
import type { StepBatch } from '../../worker/protocol';
import type { StudioState } from './studio-store';

export type RunPhase = 'queued' | 'starting' | 'running' | 'paused' | 'stopping' | 'done' | 'stopped' | 'failed';

/** Per step, only what the charts draw (the full records stay in the worker's results). */
export interface StepPoint {
  step: number;
  lr: number;
  roles: string[];
  macs: number[];
  losses: number[];
  targetBins?: number[];
  bins: number[];
}

export interface RunRecord {
  id: string;
  label: string;
  sampler: StudioSettings['sampler'];
  groupId: string | null;
  settings: StudioSettings;
  phase: RunPhase;
  backend: BackendInfo | null;
  start: RunStart | null;
  steps: StepPoint[];
  epochs: EpochRecord[];
  rangeHistory: RangeEvaluation[];
  progress: RunProgress | null;
  results: RunResults | null;
  log: string[];
  error: string | null;
  /** the engine holds a checkpoint of this run, so it can be searched and exported */
  checkpointReady: boolean;
  createdAt: number;
}

export interface ComparisonGroup {
  id: string;
  runIds: string[];
  settings: StudioSettings;
  createdAt: number;
}

export interface RunsSlice {
  runs: Record<string, RunRecord>;
  runOrder: string[];
  groups: Record<string, ComparisonGroup>;
  addRun(run: Pick<RunRecord, 'id' | 'label' | 'sampler' | 'groupId' | 'settings'>): void;
  addGroup(group: ComparisonGroup): void;
  setRunPhase(id: string, phase: RunPhase): void;
  setRunBackend(id: string, backend: BackendInfo): void;
  setRunStart(id: string, start: RunStart): void;
  addRunSteps(id: string, batch: StepBatch): void;
  addRunEpoch(id: string, record: EpochRecord): void;
  addRunRanges(id: string, evaluation: RangeEvaluation): void;
  addRunLog(id: string, message: string): void;
  finishRun(id: string, results: RunResults): void;
  failRun(id: string, error: string): void;
  setRunCheckpoint(id: string, ready: boolean): void;
}

const MAX_LOG_LINES = 200;

export const createRunsSlice: StateCreator<StudioState, [], [], RunsSlice> = (set) => {
  const update = (id: string, change: (run: RunRecord) => Partial<RunRecord>) =>
    set((state) => {
      const run = state.runs[id];
      if (!run) return {};
      return { runs: { ...state.runs, [id]: { ...run, ...change(run) } } };
    });
  return {
    runs: {},
    runOrder: [],
    groups: {},
    addRun: (run) =>
      set((state) => ({
        runs: { ...state.runs, [run.id]: { ...run, phase: 'queued', backend: null, start: null, steps: [], epochs: [], rangeHistory: [], progress: null, results: null, log: [], error: null, checkpointReady: false, createdAt: Date.now() } },
        runOrder: [...state.runOrder, run.id],
      })),
    addGroup: (group) => set((state) => ({ groups: { ...state.groups, [group.id]: group } })),
    setRunPhase: (id, phase) => update(id, () => ({ phase })),
    setRunBackend: (id, backend) => update(id, () => ({ backend })),
    setRunStart: (id, start) => update(id, () => ({ start })),
    addRunSteps: (id, { records, progress }) =>
      update(id, (run) => ({
        steps: run.steps.concat(records.map((r) => ({ step: r.step, lr: r.lr, roles: r.roles, macs: r.macs, losses: r.losses, targetBins: r.targetBins, bins: r.bins }))),
        progress,
        phase: run.phase === 'starting' ? 'running' : run.phase,
      })),
    addRunEpoch: (id, record) => update(id, (run) => ({ epochs: [...run.epochs, record] })),
    addRunRanges: (id, evaluation) => update(id, (run) => ({ rangeHistory: [...run.rangeHistory, evaluation] })),
    addRunLog: (id, message) => update(id, (run) => ({ log: [...run.log.slice(-(MAX_LOG_LINES - 1)), message] })),
    finishRun: (id, results) => update(id, () => ({ results, phase: results.stopped ? 'stopped' : 'done' })),
    failRun: (id, error) => update(id, () => ({ error, phase: 'failed' })),
    setRunCheckpoint: (id, checkpointReady) => update(id, () => ({ checkpointReady })),
  };
};
