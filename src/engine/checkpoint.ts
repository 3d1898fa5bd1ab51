/**
 * Takes a checkpoint of a supernet and its optimizer, and puts one back. The byte format and
 * its validation are in core/checkpoint-format; this file moves values in and out of tfjs.
 */
import { checkpointTensor, CHECKPOINT_TYPE, CHECKPOINT_VERSION, type Checkpoint, type CheckpointHeader, type CheckpointTensor } from '../core/checkpoint-format';
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
 */
export function restoreCheckpoint(checkpoint: Checkpoint, net: Supernet, optimizer: NesterovSgd | null = null): void {
  const pick = (group: CheckpointTensor['group']) => {
    const values = new Map<string, Float32Array>();
    for (const spec of net.specs) {
      const data = checkpointTensor(checkpoint, group, spec.name);
      if (data) values.set(spec.name, data);
    }
    return values;
  };
  const known = new Set(net.specs.map((s) => s.name));
  const stray = checkpoint.header.tensors.find((t) => !known.has(t.name));
  if (stray) throw new Error(`checkpoint has tensor "${stray.name}", which this search space's supernet does not have`);
  const shapes = new Map(net.specs.map((s) => [s.name, s.shape.join('x')]));
  const misfit = checkpoint.header.tensors.find((t) => t.shape.join('x') !== shapes.get(t.name));
  if (misfit) throw new Error(`checkpoint tensor "${misfit.name}" is ${misfit.shape.join('x')} but this supernet's is ${shapes.get(misfit.name)}`);
  net.assign(pick('weight'));
  if (optimizer) {
    const velocity = pick('velocity');
    if (velocity.size > 0) optimizer.assign(velocity);
  }
}
