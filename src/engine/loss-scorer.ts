/**
 * The reference's attentive-sampling score: label-smoothed cross-entropy of each candidate on
 * the current training batch, BN in batch-statistics mode, no dropout, no gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { Subnet } from '../core/space/subnet';
import type { ConvForm } from './conv-forms';
import { forwardSubnet } from './forward';
import { labelSmoothedCrossEntropy } from './losses';
import type { Supernet } from './supernet';
import type { Batch } from './trainer';

export function minibatchLossScorer(net: Supernet, batch: Batch, convForm: ConvForm, labelSmoothing: number) {
  return async (candidates: Subnet[]): Promise<number[]> => {
    const losses = tf.tidy(() =>
      tf.stack(
        candidates.map((subnet) =>
          labelSmoothedCrossEntropy(
            forwardSubnet(net, subnet, batch.images, { bn: { kind: 'batch' }, convForm }),
            batch.labels,
            labelSmoothing,
          ),
        ),
      ),
    );
    const values = Array.from(await losses.data());
    losses.dispose();
    return values;
  };
}
