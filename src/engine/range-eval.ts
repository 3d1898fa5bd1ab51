/** Accuracy per FLOPs range: every planned subnet recalibrated and measured, then summarised per range. */
import { fiveNumberSummary } from '../core/comparison/box-stats';
import { countMacs } from '../core/space/macs';
import type { RangePlan } from '../core/sampling/range-plan';
import type { RangeEvaluation, RangeResult, RangeSubnet } from '../core/records/run-records';
import { subnetKey } from '../core/space/subnet';
import type { ConvForm } from './conv-forms';
import { evaluateSubnet, type EvalData } from './evaluate';
import type { Supernet } from './supernet';

// the records are defined once, in core
export type { RangeEvaluation, RangeResult } from '../core/records/run-records';

export interface RangeEvalInputs {
  net: Supernet;
  plan: RangePlan;
  calibration: { data: EvalData; batches: Uint32Array[] };
  evalData: EvalData;
  evalIndices: ArrayLike<number>;
  batchSize: number;
  convForm: ConvForm;
}

export async function evaluateRanges(
  inputs: RangeEvalInputs,
  step: number,
  epoch: number,
  onSubnet?: (done: number, total: number) => void,
): Promise<RangeEvaluation> {
  const start = performance.now();
  const { net, plan, calibration, evalData, evalIndices, batchSize, convForm } = inputs;
  const total = plan.ranges.reduce((n, r) => n + r.subnets.length, 0);
  let done = 0;
  const ranges: RangeResult[] = [];
  for (const range of plan.ranges) {
    const subnets: RangeSubnet[] = [];
    for (const subnet of range.subnets) {
      const result = await evaluateSubnet(net, subnet, calibration, evalData, evalIndices, batchSize, convForm);
      subnets.push({ key: subnetKey(subnet), encoding: subnet, macs: countMacs(net.space, subnet), accuracy: result.accuracy });
      onSubnet?.(++done, total);
    }
    const accuracies = subnets.map((s) => s.accuracy);
    ranges.push({
      index: range.index,
      loMacs: range.loMacs,
      hiMacs: range.hiMacs,
      subnets,
      accuracies,
      summary: accuracies.length ? fiveNumberSummary(accuracies) : null,
    });
  }
  return {
    step,
    epoch,
    split: 'validation',
    calibrationBatches: calibration.batches.length,
    images: evalIndices.length,
    ranges,
    ms: performance.now() - start,
  };
}
