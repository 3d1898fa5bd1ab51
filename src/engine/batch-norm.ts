/**
 * Batch normalisation as the reference trains it: batch statistics in training (running
 * statistics are never updated), and before evaluation an exact recalibration: the average
 * of per-batch means and (unbiased) variances over a fixed number of training batches.
 * Nothing is stored per subnet: recalibrated statistics belong to the caller.
 */
import * as tf from '@tensorflow/tfjs';
import { BN_ACT, BN_EPSILON, bnActFixedKernel, bnActKernel, type Activation } from './kernels/bn-act';
import { hasKernel } from './kernels/registry';

export { BN_EPSILON, type Activation };

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

/** The recalibrated moments of `layer` in fixed mode (checked against its C channels), or null in the other modes. */
export function fixedMoments(mode: BnMode, layer: string, c: number): BnMoments | null {
  if (mode.kind !== 'fixed') return null;
  const stats = mode.stats.get(layer);
  if (!stats) throw new Error(`no recalibrated BN statistics for layer "${layer}"`);
  if (stats.mean.shape[0] !== c) {
    throw new Error(`BN statistics for "${layer}" have ${stats.mean.shape[0]} channels, the layer has ${c}`);
  }
  return stats;
}

/**
 * BN followed by an activation. `gamma` and `beta` may be the full-size supernet variables:
 * the first C entries (C = channels of x) are used. On backends with our fused kernel this
 * is one kernel forward and one backward; elsewhere it is composed of tfjs ops.
 */
export function batchNorm(
  x: tf.Tensor4D,
  layer: string,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  mode: BnMode,
  act: Activation = 'none',
): tf.Tensor4D {
  const c = x.shape[3];
  const stats = fixedMoments(mode, layer, c);
  if (hasKernel(BN_ACT)) {
    if (stats) return bnActFixedKernel(x, gamma, beta, stats.mean, stats.variance, act);
    const { y, mean, variance } = bnActKernel(x, gamma, beta, act);
    if (mode.kind === 'collect') mode.collect(layer, { mean, variance }, x.shape[0] * x.shape[1] * x.shape[2]);
    return y;
  }
  let mean: tf.Tensor;
  let variance: tf.Tensor;
  if (stats) {
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
  const prefix = (v: tf.Tensor) => (v.shape[0] === c ? v : tf.slice(v, [0], [c]));
  const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, BN_EPSILON)));
  const z = tf.add(tf.mul(normalised, prefix(gamma)), prefix(beta)) as tf.Tensor4D;
  return act === 'swish' ? (tf.mul(z, tf.sigmoid(z)) as tf.Tensor4D) : z;
}

/**
 * Accumulates batch moments over calibration batches. Call `collector` as the BN mode of
 * each calibration forward (inside a tidy), then `finish()` for the averaged statistics.
 *
 * Each batch's moments are kept as they come (the BN kernel computed them anyway) and summed
 * once per layer in `finish`: adding them up batch by batch cost three tiny kernels per layer
 * and batch, about 3,000 launches for 32 batches of the largest fashion subnet.
 */
export class BnCalibrator {
  private moments = new Map<string, { mean: tf.Tensor1D; variance: tf.Tensor1D; count: number }[]>();

  readonly mode: BnMode = {
    kind: 'collect',
    collect: (layer, moments, count) => {
      const list = this.moments.get(layer) ?? [];
      list.push({ mean: tf.keep(moments.mean), variance: tf.keep(moments.variance), count });
      this.moments.set(layer, list);
    },
  };

  finish(): BnStats {
    const stats: BnStats = new Map();
    for (const [layer, list] of this.moments) {
      const n = list.length;
      const sum = (ts: tf.Tensor[]) => (ts.length === 1 ? ts[0] : tf.addN(ts));
      stats.set(
        layer,
        tf.tidy(() => {
          const mean = tf.div(sum(list.map((m) => m.mean)), n) as tf.Tensor1D;
          // unbiased variances, as PyTorch's running_var; one scale when every batch had the same count
          const unbias = (count: number) => count / Math.max(1, count - 1);
          const sameCount = list.every((m) => m.count === list[0].count);
          const variance = (
            sameCount
              ? tf.mul(sum(list.map((m) => m.variance)), unbias(list[0].count) / n)
              : tf.div(sum(list.map((m) => tf.mul(m.variance, unbias(m.count)))), n)
          ) as tf.Tensor1D;
          return { mean, variance };
        }),
      );
      for (const m of list) tf.dispose([m.mean, m.variance]);
    }
    this.moments.clear();
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
