/** Label-smoothed cross-entropy to the labels, and soft cross-entropy to a teacher (in-place distillation). */
import * as tf from '@tensorflow/tfjs';

export function labelSmoothedCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, smoothing: number): tf.Scalar {
  const classes = logits.shape[1];
  const onehot = tf.oneHot(labels, classes);
  const target = tf.add(tf.mul(onehot, 1 - smoothing), smoothing / classes);
  return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1)));
}

/** Soft cross-entropy (temperature 1); `teacherLogits` must already be detached. */
export function distillationLoss(logits: tf.Tensor2D, teacherLogits: tf.Tensor2D): tf.Scalar {
  const target = tf.softmax(teacherLogits);
  return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1)));
}
