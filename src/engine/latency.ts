/**
 * A subnet's latency as a user of its export would see it: the standalone model, one image at a
 * time, on the current backend; the median of repeated passes after a warm-up (the first passes
 * compile shaders and allocate).
 */
import * as tf from '@tensorflow/tfjs';
import { quantileSorted } from '../core/comparison/box-stats';
import type { Subnet } from '../core/space/subnet';
import { standaloneModelOf } from './subnet-export';
import type { TrainedSupernet } from './trained-supernet';

export async function measureLatency(
  trained: TrainedSupernet,
  subnet: Subnet,
  repeats = 20,
  warmup = 3,
): Promise<{ medianMs: number; repeats: number }> {
  const model = await standaloneModelOf(trained, subnet);
  const { height, width, channels } = trained.config.space.input;
  const image = tf.randomNormal([1, height, width, channels], 0, 1, 'float32', 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < warmup + repeats; i++) {
      const start = performance.now();
      const out = model.predict(image) as tf.Tensor;
      await out.data();
      out.dispose();
      if (i >= warmup) times.push(performance.now() - start);
    }
  } finally {
    image.dispose();
    model.dispose();
  }
  times.sort((a, b) => a - b);
  return { medianMs: quantileSorted(times, 0.5), repeats };
}
