/**
 * Runs and comparison groups as the UI sees them, fed by the engine worker's events. Every
 * field is plain data: a run is kept in IndexedDB as it is here and exported to a file as it is.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { ComparisonGroup, RunPhase, RunRecord } from '../../core/records/run-record-schema';
import {
  toStepPoint,
  type BackendInfo,
  type CheckpointInfo,
  type EpochRecord,
  type RangeEvaluation,
  type RunOutcome,
  type RunResults,
  type RunStart,
  type StepPoint,
} from '../../core/records/run-records';
import type { StepBatch } from '../../worker/protocol';
import type { StudioState } from './studio-store';

// the records are defined once, in core (their schemas validate stored and imported runs)
export type { CheckpointInfo, ComparisonGroup, RunOutcome, RunPhase, RunRecord, StepPoint };

export { activePhases, isActivePhase } from '../../core/records/run-record-schema';

export type NewRun = Pick<RunRecord, 'id' | 'label' | 'sampler' | 'groupId' | 'settings' | 'config' | 'datasetId' | 'datasetName'> & {
  name?: string;
};

export interface RunsSlice {
  runs: Record<string, RunRecord>;
  runOrder: string[];
  groups: Record<string, ComparisonGroup>;
  addRun(run: NewRun): void;
  addGroup(group: ComparisonGroup): void;
  /** puts runs and groups read back from storage (or imported) into the studio */
  restoreRuns(runs: RunRecord[], groups?: ComparisonGroup[]): void;
  removeRun(id: string): void;
  renameRun(id: string, name: string): void;
  setRunPhase(id: string, phase: RunPhase): void;
  setRunBackend(id: string, backend: BackendInfo): void;
  setRunStart(id: string, start: RunStart): void;
  addRunSteps(id: string, batch: StepBatch): void;
  addRunEpoch(id: string, record: EpochRecord): void;
  addRunRanges(id: string, evaluation: RangeEvaluation): void;
  addRunLog(id: string, message: string): void;
  finishRun(id: string, results: RunResults): void;
  failRun(id: string, error: string): void;
  setRunCheckpoint(id: string, checkpoint: CheckpointInfo | null): void;
  /** drops the history after the checkpoint a resume continues from */
  rewindRun(id: string): void;
  /** drops the whole history: the run starts over with the same settings */
  resetRun(id: string): void;
}

const MAX_LOG_LINES = 200;

/** The predictor as the run left it: kind, and tau on how many held-out subnets. */
function lastPredictorReport(results: RunResults): RunOutcome['predictor'] {
  const last = (results.predictorReports ?? []).at(-1); // results made before reports existed lack the list
  return last ? { kind: last.kind, kendallTau: last.kendallTau, heldOut: last.heldOut, trainedOn: last.trainedOn } : null;
}

/** The checkpoint a run can resume from: it ended early (stopped, failed, interrupted) and has one. */
export function resumePoint(run: RunRecord): CheckpointInfo | null {
  if (!run.checkpoint || !['stopped', 'failed', 'interrupted'].includes(run.phase)) return null;
  const total = run.start?.totalSteps ?? run.progress?.totalSteps;
  return total !== undefined && run.checkpoint.step >= total ? null : run.checkpoint;
}

/** A run record cut back to what its checkpoint holds: what came after is trained again on resume. */
export function rewoundRun(run: RunRecord): RunRecord {
  const at = run.checkpoint;
  if (!at) throw new Error(`run "${run.name}" has no checkpoint to resume from`);
  return {
    ...run,
    // step points are numbered from 0: the checkpoint after `at.step` steps holds steps 0..at.step-1
    steps: run.steps.filter((s) => s.step < at.step),
    epochs: run.epochs.filter((e) => e.epoch < at.epoch),
    // a range evaluation at the checkpoint's step ran on the weights the checkpoint holds
    rangeHistory: run.rangeHistory.filter((r) => r.step <= at.step),
    progress: null,
    outcome: null,
    error: null,
    phase: 'queued',
    resumes: [...run.resumes, at.step],
  };
}

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
        runs: {
          ...state.runs,
          [run.id]: {
            ...run,
            name: run.name ?? `${run.label} · ${run.settings.space} · ${run.datasetName}`,
            phase: 'queued',
            backend: null,
            start: null,
            steps: [],
            epochs: [],
            rangeHistory: [],
            progress: null,
            outcome: null,
            log: [],
            error: null,
            checkpoint: null,
            resumes: [],
            createdAt: Date.now(),
          },
        },
        runOrder: [...state.runOrder, run.id],
      })),
    addGroup: (group) => set((state) => ({ groups: { ...state.groups, [group.id]: group } })),
    restoreRuns: (runs, groups = []) =>
      set((state) => {
        const byId = { ...state.runs };
        for (const run of runs) byId[run.id] = run;
        const order = [...state.runOrder, ...runs.map((r) => r.id).filter((id) => !state.runOrder.includes(id))];
        order.sort((a, b) => byId[a].createdAt - byId[b].createdAt);
        const groupsById = { ...state.groups };
        for (const group of groups) groupsById[group.id] = group;
        return { runs: byId, runOrder: order, groups: groupsById };
      }),
    removeRun: (id) =>
      set((state) => {
        const { [id]: _removed, ...runs } = state.runs;
        const groups: Record<string, ComparisonGroup> = {};
        for (const group of Object.values(state.groups)) {
          const runIds = group.runIds.filter((r) => r !== id);
          if (runIds.length) groups[group.id] = { ...group, runIds };
        }
        return { runs, runOrder: state.runOrder.filter((r) => r !== id), groups };
      }),
    renameRun: (id, name) => update(id, () => ({ name: name.trim().slice(0, 120) || 'unnamed run' })),
    setRunPhase: (id, phase) => update(id, () => ({ phase })),
    setRunBackend: (id, backend) => update(id, () => ({ backend })),
    setRunStart: (id, start) => update(id, () => ({ start })),
    addRunSteps: (id, { records, progress }) =>
      update(id, (run) => ({
        steps: run.steps.concat(records.map(toStepPoint)),
        progress,
        phase: run.phase === 'starting' ? 'running' : run.phase,
      })),
    addRunEpoch: (id, record) => update(id, (run) => ({ epochs: [...run.epochs, record] })),
    addRunRanges: (id, evaluation) => update(id, (run) => ({ rangeHistory: [...run.rangeHistory, evaluation] })),
    addRunLog: (id, message) => update(id, (run) => ({ log: [...run.log.slice(-(MAX_LOG_LINES - 1)), message] })),
    finishRun: (id, results) =>
      update(id, () => ({
        outcome: {
          stopped: results.stopped,
          test: results.test,
          trainingSeconds: results.timing.trainingSeconds,
          predictor: lastPredictorReport(results),
          sampledArchitectures: results.sampledArchitectures,
        },
        phase: results.stopped ? 'stopped' : 'done',
      })),
    failRun: (id, error) => update(id, () => ({ error, phase: 'failed' })),
    setRunCheckpoint: (id, checkpoint) => update(id, () => ({ checkpoint })),
    rewindRun: (id) => update(id, (run) => rewoundRun(run)),
    resetRun: (id) =>
      update(id, (run) => ({
        phase: 'queued',
        start: null,
        steps: [],
        epochs: [],
        rangeHistory: [],
        progress: null,
        outcome: null,
        error: null,
        checkpoint: null,
        resumes: [],
        log: [...run.log, 'starting over'],
      })),
  };
};
