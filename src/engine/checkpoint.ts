/**
 * Takes a checkpoint of a supernet and its optimizer, and puts one back. The byte format and
 * its validation are in core/records/checkpoint-format; this file moves values in and out of tfjs.
 */
import {
  checkpointTensor,
  checkpointTensorProblem,
  CHECKPOINT_TYPE,
  CHECKPOINT_VERSION,
  type Checkpoint,
  type CheckpointHeader,
  type CheckpointTensor,
} from '../core/records/checkpoint-format';
import type { NesterovSgd } from './optimizer';
import type { Supernet } from './supernet';

export type CheckpointMeta = Omit<CheckpointHeader, 'type' | 'version' | 'createdAt' | 'tensors'>;

export async function captureCheckpoint(net: Supernet, optimizer: NesterovSgd | null, meta: CheckpointMeta): Promise<Checkpoint> {
  const tensors: CheckpointTensor[] = [];
  const parts: Float32Array[] = [];
  const weights = await net.read();
  for (const spec of net.specs) {
    tensors.push({ name: spec.name, group: 'weight', shape: spec.shape });
    parts.push(weights.get(spec.name)!);
  }
  if (optimizer) {
    const velocity = await optimizer.read();
    for (const spec of net.specs) {
      tensors.push({ name: spec.name, group: 'velocity', shape: spec.shape });
      parts.push(velocity.get(spec.name)!);
    }
  }
  const values = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    values.set(part, offset);
    offset += part.length;
  }
  return { header: { type: CHECKPOINT_TYPE, version: CHECKPOINT_VERSION, createdAt: new Date().toISOString(), ...meta, tensors }, values };
}

/**
 * Loads a checkpoint's weights (and velocity, when an optimizer is given) into a supernet
 * of the same space. A checkpoint without velocity restores into a fresh optimizer state.
 * Whole or nothing: every variable must be in the checkpoint in its shape (and all velocity or
 * none), checked before any value is assigned, so a refused checkpoint changes nothing.
 */
export function restoreCheckpoint(checkpoint: Checkpoint, net: Supernet, optimizer: NesterovSgd | null = null): void {
  const problem = checkpointTensorProblem(checkpoint.header.tensors, net.specs);
  if (problem) throw new Error(`checkpoint ${problem}`);
  const pick = (group: CheckpointTensor['group']) => {
    const values = new Map<string, Float32Array>();
    for (const spec of net.specs) {
      const data = checkpointTensor(checkpoint, group, spec.name);
      if (data) values.set(spec.name, data);
    }
    return values;
  };
  const weights = pick('weight');
  const velocity = optimizer ? pick('velocity') : null;
  net.assign(weights);
  if (optimizer && velocity && velocity.size > 0) optimizer.assign(velocity);
}
