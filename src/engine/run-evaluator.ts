/**
 * Everything a run measures besides its losses: the smallest and largest subnets after BN
 * recalibration (validation each epoch, test at the end), and the accuracy per FLOPs range,
 * which also feeds the accuracy predictor when the sampler uses one.
 */
import type { FlopsPrior } from '../core/sampling/flops-prior';
import type { OnlinePredictor, PredictorReport } from '../core/predictor/online-predictor';
import { planRanges } from '../core/sampling/range-plan';
import type { RunConfig } from '../core/training/run-config';
import type { Rng } from '../core/training/rng';
import { largestSubnet, smallestSubnet, type Subnet } from '../core/space/subnet';
import { calibrationBatchesFor } from './batches';
import type { ConvForm } from './conv-forms';
import { evaluateSubnet, type EvalData, type SubnetEvaluation } from './evaluate';
import { evaluateRanges, type RangeEvalInputs, type RangeEvaluation } from './range-eval';
import type { Supernet } from './supernet';

export interface PairEvaluation {
  largest: SubnetEvaluation;
  smallest: SubnetEvaluation;
}

export class RunEvaluator {
  readonly rangeEvaluations: RangeEvaluation[] = [];
  readonly predictorReports: PredictorReport[] = [];
  /** wall time spent evaluating, so the run can report training time without it */
  evaluationMs = 0;
  readonly validationIndices: Uint32Array;
  private readonly calibration: { data: EvalData; batches: Uint32Array[] };
  private readonly rangeInputs: RangeEvalInputs;

  constructor(
    private readonly net: Supernet,
    private readonly config: RunConfig,
    private readonly trainData: EvalData,
    trainIndices: Uint32Array,
    validation: Uint32Array,
    prior: FlopsPrior,
    private readonly convForm: ConvForm,
    private readonly online: OnlinePredictor | null,
  ) {
    // a seeded shuffle of the training split, without augmentation, for every recalibration
    const batches = calibrationBatchesFor(
      config.seed,
      trainIndices,
      config.batchSize,
      Math.max(config.calibrationBatches, config.rangeEval.calibrationBatches),
    );
    this.calibration = { data: trainData, batches: batches.slice(0, config.calibrationBatches) };
    this.validationIndices = this.limit(validation);
    this.rangeInputs = {
      net,
      plan: planRanges(config.space, prior, config.rangeEval.ranges, config.rangeEval.perRange),
      calibration: { data: trainData, batches: batches.slice(0, config.rangeEval.calibrationBatches) },
      evalData: trainData,
      evalIndices: config.rangeEval.images > 0 ? validation.slice(0, config.rangeEval.images) : validation,
      batchSize: config.evalBatchSize,
      convForm,
    };
  }

  private limit(indices: Uint32Array): Uint32Array {
    return this.config.evalSubset > 0 ? indices.slice(0, this.config.evalSubset) : indices;
  }

  private async timed<T>(work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.evaluationMs += performance.now() - start;
    }
  }

  /** Smallest and largest subnets on the validation split. */
  validatePair(): Promise<PairEvaluation> {
    return this.timed(() => this.pair(this.trainData, this.validationIndices));
  }

  /** Smallest and largest subnets on the test set (final numbers only). */
  testPair(test: EvalData): Promise<PairEvaluation> {
    const indices = this.limit(Uint32Array.from({ length: test.set.count }, (_, i) => i));
    return this.timed(() => this.pair(test, indices));
  }

  private async pair(evalData: EvalData, indices: ArrayLike<number>): Promise<PairEvaluation> {
    const { net, calibration, config, convForm } = this;
    return {
      largest: await evaluateSubnet(net, largestSubnet(config.space), calibration, evalData, indices, config.evalBatchSize, convForm),
      smallest: await evaluateSubnet(net, smallestSubnet(config.space), calibration, evalData, indices, config.evalBatchSize, convForm),
    };
  }

  /** Accuracy per FLOPs range; refits the predictor on what it measured when there is one. */
  async ranges(step: number, epoch: number): Promise<{ evaluation: RangeEvaluation; report: PredictorReport | null }> {
    const evaluation = await this.timed(() => evaluateRanges(this.rangeInputs, step, epoch));
    this.rangeEvaluations.push(evaluation);
    let report: PredictorReport | null = null;
    if (this.online) {
      this.online.add(evaluation.ranges.flatMap((r) => r.subnets.map((s) => ({ subnet: s.encoding, accuracy: s.accuracy }))));
      report = this.online.refresh(step);
      if (report) this.predictorReports.push(report);
    }
    return { evaluation, report };
  }

  /**
   * Measures a few subnets the predictor is unsure about or about to favour (the pool's
   * current picks) with the range evaluation's settings, and refits on them; null without an
   * online predictor or while it has too few examples. `mode` is the sampler's: best or worst.
   */
  async probe(step: number, mode: 'best' | 'worst', count: number, rng: Rng): Promise<PredictorReport | null> {
    const online = this.online;
    if (!online) return null;
    const subnets = online.probeCandidates(count, mode, rng);
    const { net, calibration, evalData, evalIndices, batchSize, convForm } = this.rangeInputs;
    const measured = await this.timed(async () => {
      const out: { subnet: Subnet; accuracy: number }[] = [];
      for (const subnet of subnets)
        out.push({
          subnet,
          accuracy: (await evaluateSubnet(net, subnet, calibration, evalData, evalIndices, batchSize, convForm)).accuracy,
        });
      return out;
    });
    online.add(measured);
    const report = online.refresh(step);
    if (report) this.predictorReports.push({ ...report, probed: measured.length });
    return report ? { ...report, probed: measured.length } : null;
  }
}
