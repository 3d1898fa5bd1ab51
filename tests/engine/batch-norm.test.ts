/** BN recalibration is the exact average of per-batch means and unbiased variances. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { BnCalibrator, batchNorm } from '../../src/engine/batch-norm';
import { maxAbsDiff, seededImages, useBackend } from './helpers';

beforeAll(() => useBackend('cpu'));

it('averages batch moments over calibration batches', async () => {
  const batches = [seededImages(4, 3, 5, 1), seededImages(4, 3, 5, 2), tf.add(seededImages(4, 3, 5, 3), 2) as tf.Tensor4D];
  const gamma = tf.ones([5]);
  const beta = tf.zeros([5]);
  const calibrator = new BnCalibrator();
  for (const x of batches) tf.tidy(() => void batchNorm(x, 'layer', gamma, beta, calibrator.mode));
  const stats = calibrator.finish();
  const got = stats.get('layer')!;
  const count = 4 * 3 * 3;
  const means = batches.map((x) => tf.mean(x, [0, 1, 2]));
  const vars = batches.map((x, i) => tf.div(tf.sum(tf.square(tf.sub(x, means[i])), [0, 1, 2]), count - 1));
  const expectedMean = tf.div(tf.addN(means), 3);
  const expectedVar = tf.div(tf.addN(vars), 3);
  expect(maxAbsDiff(await got.mean.data(), await expectedMean.data())).toBeLessThan(1e-5);
  expect(maxAbsDiff(await got.variance.data(), await expectedVar.data())).toBeLessThan(1e-5);
  // fixed mode normalises with exactly these statistics
  const x = batches[0];
  const y = batchNorm(x, 'layer', gamma, beta, { kind: 'fixed', stats });
  const manual = tf.div(tf.sub(x, got.mean), tf.sqrt(tf.add(got.variance, 1e-5)));
  expect(maxAbsDiff(await y.data(), await manual.data())).toBeLessThan(1e-5);
  expect(() => batchNorm(x, 'other', gamma, beta, { kind: 'fixed', stats })).toThrow(/no recalibrated BN statistics for layer "other"/);
});

it('unbiases each batch by its own count when batch sizes differ', async () => {
  const batches = [seededImages(4, 3, 5, 1), tf.mul(seededImages(2, 3, 5, 2), 3) as tf.Tensor4D];
  const calibrator = new BnCalibrator();
  for (const x of batches) tf.tidy(() => void batchNorm(x, 'layer', tf.ones([5]), tf.zeros([5]), calibrator.mode));
  const got = calibrator.finish().get('layer')!;
  const vars = batches.map((x) => {
    const count = x.shape[0] * x.shape[1] * x.shape[2];
    return tf.div(tf.sum(tf.square(tf.sub(x, tf.mean(x, [0, 1, 2]))), [0, 1, 2]), count - 1);
  });
  expect(maxAbsDiff(await got.variance.data(), await tf.div(tf.addN(vars), 2).data())).toBeLessThan(1e-5);
});
