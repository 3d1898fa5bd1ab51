/**
 * What a caller hands a training run besides its config and data: hooks to watch it (the CLI
 * prints, the worker posts to the studio) and to steer it (pause, stop, store checkpoints), and
 * options that tests and the studio use. Kept apart so every step of the run can take them
 * without importing the loop.
 */
import type { Checkpoint } from '../../core/records/checkpoint-format';
import type { PredictorReport } from '../../core/predictor/online-predictor';
import type { EpochRecord, RangeEvaluation, RunProgress, RunStart, StepRecord } from '../../core/records/run-records';
import type { SubnetSampler } from '../../core/sampling/sampler';

export interface RunHooks {
  onStart?: (info: RunStart) => void;
  onStep?: (record: StepRecord, progress: RunProgress) => void;
  onEpoch?: (record: EpochRecord) => void;
  onLog?: (message: string) => void;
  onRangeEvaluation?: (evaluation: RangeEvaluation) => void;
  onPredictor?: (report: PredictorReport) => void;
  /** awaited before every step: resolve 'stop' to end the run early (pause by not resolving yet) */
  beforeStep?: () => Promise<'continue' | 'stop'>;
  /** receives a checkpoint at the end of every epoch (and every `checkpointEverySteps`); awaited */
  onCheckpoint?: (checkpoint: Checkpoint) => Promise<void> | void;
}

export interface RunOptions {
  /** replaces the sampler the config describes (tests, benchmarks) */
  sampler?: SubnetSampler;
  /** continue a run from its checkpoint; the config must be the checkpoint's */
  resumeFrom?: Checkpoint;
  /** also checkpoint every this many steps (0: only at epoch ends) */
  checkpointEverySteps?: number;
  /** also checkpoint when this long has passed since the last one (the studio: little is lost to a reload) */
  checkpointEveryMs?: number;
}

/** The log hook, or one that drops messages, so steps can log without checking. */
export type RunLog = (message: string) => void;
