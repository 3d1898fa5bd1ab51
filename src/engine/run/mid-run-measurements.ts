/**
 * The measurements a run takes besides the epoch-end pair: accuracy per FLOPs range (every
 * `rangeEval.everySteps` and at each epoch end) and, for the samplers that pick by a predictor,
 * probes that refit it between range evaluations. Each is reported to the hooks and logged here,
 * so the loop only says when.
 */
import type { RunHooks, RunLog } from './run-hooks';
import type { RunSetup } from './run-setup';

export class MidRunMeasurements {
  // BestUp-1M / WorstUp-1M train each bin's predicted extreme: between range evaluations the
  // predictor is refitted on a few measured picks, so they do not train the same handful of
  // architectures until the next range evaluation
  private readonly probeEvery: number;

  constructor(
    private readonly run: RunSetup,
    private readonly hooks: RunHooks,
    private readonly log: RunLog,
  ) {
    this.probeEvery = run.sampling.online ? run.config.predictor.refreshEvery : 0;
  }

  /**
   * After a step inside an epoch: a range evaluation when one is due, otherwise a probe when one
   * is due. Neither runs after an epoch's last step: the end-of-epoch range evaluation, which
   * also refits the predictor, follows at once.
   */
  async afterStep(step: number, epoch: number): Promise<void> {
    const { config, stepsPerEpoch } = this.run;
    if (config.rangeEval.everySteps > 0 && step % config.rangeEval.everySteps === 0 && step % stepsPerEpoch !== 0)
      await this.ranges(step, epoch);
    else if (this.probeEvery > 0 && step % this.probeEvery === 0 && step % stepsPerEpoch !== 0) await this.probe(step);
  }

  /** Accuracy per FLOPs range, and the predictor refit on it when the sampler has one. */
  async ranges(atStep: number, epoch: number): Promise<void> {
    const { hooks, log } = this;
    const { evaluation, report } = await this.run.evaluator.ranges(atStep, epoch);
    hooks.onRangeEvaluation?.(evaluation);
    log(
      `accuracy per FLOPs range at step ${atStep}: ${evaluation.ranges
        .map(
          (r) =>
            `${(r.loMacs / 1e6).toFixed(2)}-${(r.hiMacs / 1e6).toFixed(2)}M median ${r.summary ? (r.summary.median * 100).toFixed(1) : '-'}%`,
        )
        .join(', ')} (${(evaluation.ms / 1000).toFixed(1)} s)`,
    );
    if (report) {
      hooks.onPredictor?.(report);
      log(
        `${report.kind ?? 'ridge'} predictor refit on ${report.trainedOn} subnets, Kendall tau ${report.kendallTau.toFixed(3)} on ${report.heldOut} held out; pool re-scored in ${report.poolScoreMs.toFixed(0)} ms`,
      );
    }
  }

  /** Measures the predictor's current picks and refits it on them. */
  private async probe(atStep: number): Promise<void> {
    const { config, evaluator } = this.run;
    const report = await evaluator.probe(
      atStep,
      config.sampler.kind === 'worstup' ? 'worst' : 'best',
      config.predictor.probes,
      this.run.rngs.probes,
    );
    if (!report) return;
    this.hooks.onPredictor?.(report);
    this.log(
      `${report.kind} predictor refit at step ${atStep} with ${report.probed ?? 0} probed subnets, on ${report.trainedOn}, Kendall tau ${report.kendallTau.toFixed(3)} on ${report.heldOut} held out`,
    );
  }
}
