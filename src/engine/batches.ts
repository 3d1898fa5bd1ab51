/** Data as tensors: training batches in a seeded shuffled order, and fixed evaluation batches. */
import * as tf from '@tensorflow/tfjs';
import { assembleBatch, noAugmentation, type Augmentation, type Normalisation } from '../core/data/augment';
import type { ImageSet } from '../core/data/idx';
import { Rng } from '../core/training/rng';
import type { Batch } from './trainer';

export function batchTensors(
  set: ImageSet,
  indices: ArrayLike<number>,
  norm: Normalisation,
  augmentation: Augmentation = noAugmentation,
  rng: Rng | null = null,
): Batch {
  const pixels = assembleBatch(set, indices, norm, augmentation, rng);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) labels[i] = set.labels[indices[i]];
  return {
    images: tf.tensor4d(pixels, [indices.length, set.height, set.width, set.channels]),
    labels: tf.tensor1d(labels, 'int32'),
  };
}

export function disposeBatch(batch: Batch): void {
  batch.images.dispose();
  batch.labels.dispose();
}

/** Index lists of consecutive batches over `indices`; the last partial batch is dropped when `dropLast`. */
export function chunkIndices(indices: ArrayLike<number>, batchSize: number, dropLast: boolean): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (let start = 0; start < indices.length; start += batchSize) {
    const end = Math.min(indices.length, start + batchSize);
    if (dropLast && end - start < batchSize) break;
    out.push(Uint32Array.from({ length: end - start }, (_, i) => indices[start + i]));
  }
  return out;
}

/**
 * The batches every BN recalibration of a run uses: a seeded shuffle of the training split,
 * without augmentation, so the search and the run's own evaluations calibrate alike.
 */
export function calibrationBatchesFor(seed: number, trainIndices: Uint32Array, batchSize: number, count: number): Uint32Array[] {
  const order = Rng.derive(seed, 'calibration').shuffle(Uint32Array.from(trainIndices));
  return chunkIndices(order, batchSize, true).slice(0, count);
}
