/**
 * What the steps of one training run share: the setup they read, the hooks they report to, and
 * the counters and records that grow as the run goes. One object passed to each step, so a step's
 * signature says "part of this run" instead of listing a dozen values.
 */
import type { EpochRecord, StepRecord } from '../../core/records/run-records';
import type { MidRunMeasurements } from './mid-run-measurements';
import type { RunCheckpointer } from './run-checkpointer';
import type { RunHooks, RunLog } from './run-hooks';
import type { RunSetup } from './run-setup';

/** When the run began, for its timing: wall-clock start for the record, and the performance clock. */
export interface RunClock {
  startedAt: Date;
  t0: number;
}

/** The run's progress and its records so far; a resumed run counts from its checkpoint's step. */
export class RunState {
  readonly steps: StepRecord[] = [];
  readonly epochs: EpochRecord[] = [];
  /** wall time of the training steps alone (evaluations are timed by the evaluator) */
  trainingMs = 0;
  /** set when the caller stopped the run before its last step */
  stopped = false;
  /** the next step to train, which is also the number of steps trained so far */
  step: number;

  constructor(readonly firstStep: number) {
    this.step = firstStep;
  }

  /** Keeps a trained step's record and moves on to the next step. */
  recordStep(record: StepRecord): void {
    this.trainingMs += record.ms;
    this.steps.push(record);
    this.step++;
  }
}

export interface RunContext {
  run: RunSetup;
  hooks: RunHooks;
  log: RunLog;
  clock: RunClock;
  state: RunState;
  checkpointer: RunCheckpointer;
  measurements: MidRunMeasurements;
}
