/**
 * Takes the run's checkpoints: at each epoch end, and mid-epoch every `checkpointEverySteps` or
 * `checkpointEveryMs`. It remembers the batch-order stream as it was when the epoch began, because
 * a resume from mid-epoch reshuffles that epoch from it and skips the steps already taken; that
 * is what lets a resumed run match the run that never stopped.
 */
import type { RngState } from '../../core/training/rng';
import { captureCheckpoint } from '../checkpoint';
import type { RunHooks, RunOptions } from './run-hooks';
import type { RunSetup } from './run-setup';

export class RunCheckpointer {
  private orderAtEpochStart: RngState;
  private lastCheckpointAt = performance.now();

  constructor(
    private readonly run: RunSetup,
    private readonly onCheckpoint: RunHooks['onCheckpoint'],
    private readonly options: RunOptions,
  ) {
    this.orderAtEpochStart = run.rngs.order.getState();
  }

  /** Call before an epoch shuffles its batches: a mid-epoch checkpoint saves the order stream from here. */
  epochStarts(): void {
    this.orderAtEpochStart = this.run.rngs.order.getState();
  }

  /**
   * After a step: a checkpoint when one is due by step count or by time, except after an epoch's
   * last step, whose checkpoint follows the epoch's evaluation.
   */
  async afterStep(step: number, epoch: number, stepInEpoch: number): Promise<void> {
    const everyCheckpoint = this.options.checkpointEverySteps ?? 0;
    const everyMs = this.options.checkpointEveryMs ?? 0;
    const due =
      (everyCheckpoint > 0 && step % everyCheckpoint === 0) || (everyMs > 0 && performance.now() - this.lastCheckpointAt >= everyMs);
    if (due && stepInEpoch < this.run.stepsPerEpoch) await this.take(step, epoch, stepInEpoch);
  }

  /** Captures the weights, velocity, progress and random streams, and hands them to the hook (none without one). */
  async take(step: number, epoch: number, stepInEpoch: number): Promise<void> {
    if (!this.onCheckpoint) return;
    this.lastCheckpointAt = performance.now();
    const { net, trainer, config, norm, rngs } = this.run;
    const taken = await captureCheckpoint(net, trainer.optimizer, {
      config,
      progress: { step, epoch, stepInEpoch },
      normalisation: norm,
      rng: {
        orderAtEpochStart: stepInEpoch === 0 ? rngs.order.getState() : this.orderAtEpochStart,
        augment: rngs.augment.getState(),
        sampler: rngs.sampler.getState(),
        probes: rngs.probes.getState(),
      },
      ...(this.run.sampling.online ? { predictor: this.run.sampling.online.state() } : {}),
    });
    await this.onCheckpoint(taken);
  }
}
