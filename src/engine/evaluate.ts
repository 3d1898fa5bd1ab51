/** BN recalibration and top-1 accuracy of one subnet. */
import * as tf from '@tensorflow/tfjs';
import type { Normalisation } from '../core/data/augment';
import type { ImageSet } from '../core/data/idx';
import type { SubnetEvaluation } from '../core/records/run-records';
import type { Subnet } from '../core/space/subnet';
import { BnCalibrator, disposeBnStats, type BnStats } from './batch-norm';
import { batchTensors, chunkIndices, disposeBatch } from './batches';
import type { ConvForm } from './conv-forms';
import { forwardSubnet } from './forward';
import type { Supernet } from './supernet';

export interface EvalData {
  set: ImageSet;
  norm: Normalisation;
}

/** Recalibrates BN over the given training batches (no augmentation); the caller disposes the stats. */
export async function recalibrateBn(
  net: Supernet,
  subnet: Subnet,
  data: EvalData,
  batches: Uint32Array[],
  convForm: ConvForm,
): Promise<BnStats> {
  const calibrator = new BnCalibrator();
  for (const indices of batches) {
    const batch = batchTensors(data.set, indices, data.norm);
    tf.tidy(() => {
      forwardSubnet(net, subnet, batch.images, { bn: calibrator.mode, convForm });
    });
    disposeBatch(batch);
  }
  return calibrator.finish();
}

export interface AccuracyResult {
  accuracy: number;
  correct: number;
  total: number;
}

export async function topOneAccuracy(
  net: Supernet,
  subnet: Subnet,
  stats: BnStats,
  data: EvalData,
  indices: ArrayLike<number>,
  batchSize: number,
  convForm: ConvForm,
): Promise<AccuracyResult> {
  return countCorrect((images) => forwardSubnet(net, subnet, images, { bn: { kind: 'fixed', stats }, convForm }), data, indices, batchSize);
}

/** Top-1 of any logits function (the supernet's forward, a standalone model) over `indices`, in batches. */
export async function countCorrect(
  logitsOf: (images: tf.Tensor4D) => tf.Tensor2D,
  data: EvalData,
  indices: ArrayLike<number>,
  batchSize: number,
): Promise<AccuracyResult> {
  let correct = 0;
  let total = 0;
  for (const chunk of chunkIndices(indices, batchSize, false)) {
    const batch = batchTensors(data.set, chunk, data.norm);
    const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logitsOf(batch.images), 1), batch.labels), 'int32')));
    correct += (await hits.data())[0];
    total += chunk.length;
    hits.dispose();
    disposeBatch(batch);
  }
  return { accuracy: total ? correct / total : 0, correct, total };
}

export type { SubnetEvaluation } from '../core/records/run-records';

/** Recalibrate, then measure top-1 on `evalIndices` of `evalData`. */
export async function evaluateSubnet(
  net: Supernet,
  subnet: Subnet,
  calibration: { data: EvalData; batches: Uint32Array[] },
  evalData: EvalData,
  evalIndices: ArrayLike<number>,
  batchSize: number,
  convForm: ConvForm,
): Promise<SubnetEvaluation> {
  const start = performance.now();
  const stats = await recalibrateBn(net, subnet, calibration.data, calibration.batches, convForm);
  try {
    const result = await topOneAccuracy(net, subnet, stats, evalData, evalIndices, batchSize, convForm);
    return { ...result, calibrationBatches: calibration.batches.length, ms: performance.now() - start };
  } finally {
    disposeBnStats(stats);
  }
}
