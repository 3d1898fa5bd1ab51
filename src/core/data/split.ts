/**
 * Held-out validation split carved from the training set. The split has its own fixed
 * seed, so runs with different training seeds are still validated on the same images.
 */
import { Rng } from '../training/rng';

export interface SplitIndices {
  train: Uint32Array;
  validation: Uint32Array;
}

export function splitTrainValidation(count: number, validationCount: number, splitSeed = 20201118): SplitIndices {
  if (!Number.isInteger(validationCount) || validationCount < 0 || validationCount >= count) {
    throw new Error(`validation size ${validationCount} must be an integer in [0, ${count - 1}] for ${count} training images`);
  }
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  new Rng(splitSeed).shuffle(order);
  const validation = order.slice(0, validationCount).sort();
  const train = order.slice(validationCount).sort();
  return { train, validation };
}
