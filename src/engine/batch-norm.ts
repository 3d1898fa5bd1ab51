/**
 * Batch normalisation as the reference trains it: batch statistics in training (running
 * statistics are never updated), and before evaluation an exact recalibration: the average
 * of per-batch means and (unbiased) variances over a fixed number of training batches.
 * Nothing is stored per subnet: recalibrated statistics belong to the caller.
 */
import * as tf from '@tensorflow/tfjs';

export const BN_EPSILON = 1e-5;

export interface BnMoments {
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Recalibrated statistics of one subnet, keyed by BN layer name, at the subnet's channel counts. */
export type BnStats = Map<string, BnMoments>;

export type BnMode =
  | { kind: 'batch' }
  /** batch statistics, and each layer's batch moments handed to `collect` */
  | { kind: 'collect'; collect: (layer: string, moments: BnMoments, count: number) => void }
  | { kind: 'fixed'; stats: BnStats };

export function batchNorm(x: tf.Tensor4D, layer: string, gamma: tf.Tensor, beta: tf.Tensor, mode: BnMode): tf.Tensor4D {
  let mean: tf.Tensor;
  let variance: tf.Tensor;
  if (mode.kind === 'fixed') {
    const stats = mode.stats.get(layer);
    if (!stats) throw new Error(`no recalibrated BN statistics for layer "${layer}"`);
    if (stats.mean.shape[0] !== x.shape[3]) {
      throw new Error(`BN statistics for "${layer}" have ${stats.mean.shape[0]} channels, the layer has ${x.shape[3]}`);
    }
    mean = stats.mean;
    variance = stats.variance;
  } else {
    const moments = tf.moments(x, [0, 1, 2]);
    mean = moments.mean;
    variance = moments.variance;
    if (mode.kind === 'collect') {
      mode.collect(layer, { mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D }, x.shape[0] * x.shape[1] * x.shape[2]);
    }
  }
  const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, BN_EPSILON)));
  return tf.add(tf.mul(normalised, gamma), beta) as tf.Tensor4D;
}

/**
 * Accumulates batch moments over calibration batches. Call `collector` as the BN mode of
 * each calibration forward (inside a tidy), then `finish()` for the averaged statistics.
 */
export class BnCalibrator {
  private sums = new Map<string, { mean: tf.Tensor1D; variance: tf.Tensor1D }>();
  private batches = new Map<string, number>();

  readonly mode: BnMode = {
    kind: 'collect',
    collect: (layer, moments, count) => {
      // unbiased variance, as PyTorch's running_var
      const unbiased = tf.mul(moments.variance, count / Math.max(1, count - 1)) as tf.Tensor1D;
      const prev = this.sums.get(layer);
      const mean = tf.keep(prev ? tf.add(prev.mean, moments.mean) : tf.clone(moments.mean)) as tf.Tensor1D;
      const variance = tf.keep(prev ? tf.add(prev.variance, unbiased) : tf.clone(unbiased)) as tf.Tensor1D;
      if (prev) {
        prev.mean.dispose();
        prev.variance.dispose();
      }
      this.sums.set(layer, { mean, variance });
      this.batches.set(layer, (this.batches.get(layer) ?? 0) + 1);
    },
  };

  finish(): BnStats {
    const stats: BnStats = new Map();
    for (const [layer, sum] of this.sums) {
      const n = this.batches.get(layer) ?? 1;
      stats.set(layer, {
        mean: tf.tidy(() => tf.div(sum.mean, n) as tf.Tensor1D),
        variance: tf.tidy(() => tf.div(sum.variance, n) as tf.Tensor1D),
      });
      sum.mean.dispose();
      sum.variance.dispose();
    }
    this.sums.clear();
    return stats;
  }
}

export function disposeBnStats(stats: BnStats): void {
  for (const { mean, variance } of stats.values()) {
    mean.dispose();
    variance.dispose();
  }
  stats.clear();
}
