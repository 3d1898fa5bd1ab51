/**
 * Whole or nothing: restoreCheckpoint refuses a checkpoint that lacks a variable (or has only
 * part of the velocity), naming the tensor, before it assigns anything, so the supernet and the
 * optimizer keep the values they had.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointTensor, type Checkpoint } from '../../src/core/records/checkpoint-format';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { parseRunConfig } from '../../src/core/training/run-config';
import { initNodeBackend } from '../../src/cli/node-runtime';
import { captureCheckpoint, restoreCheckpoint } from '../../src/engine/checkpoint';
import { NesterovSgd } from '../../src/engine/optimizer';
import { Supernet } from '../../src/engine/supernet';

const config = parseRunConfig({ space: presetSpace('tiny'), seed: 5, epochs: 1, batchSize: 16, learningRate: 0.1 });
const meta = {
  config,
  progress: { step: 1, epoch: 0, stepInEpoch: 1 },
  normalisation: { mean: [0.3], std: [0.35] },
  rng: { orderAtEpochStart: new Rng(1).getState(), augment: new Rng(2).getState(), sampler: new Rng(3).getState() },
};

beforeAll(async () => {
  await initNodeBackend('cpu');
});

/** The checkpoint without the tensors `drop` matches, values and all. */
function without(checkpoint: Checkpoint, drop: (t: Checkpoint['header']['tensors'][number]) => boolean): Checkpoint {
  const tensors = checkpoint.header.tensors.filter((t) => !drop(t));
  const parts = tensors.map((t) => checkpointTensor(checkpoint, t.group, t.name)!);
  const values = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  return { header: { ...checkpoint.header, tensors }, values };
}

describe('restoreCheckpoint', () => {
  it('refuses a checkpoint missing a weight, naming it, and changes nothing', async () => {
    const source = Supernet.create(config.space, 1);
    const whole = await captureCheckpoint(source, null, meta);
    const target = Supernet.create(config.space, 2);
    const optimizer = new NesterovSgd(target, { momentum: 0.9, weightDecay: 0, gradClip: 0 });
    const before = await target.read();
    const partial = without(whole, (t) => t.name === 'last.bn.beta');
    expect(() => restoreCheckpoint(partial, target, optimizer)).toThrow(
      /^checkpoint has no weight tensor "last\.bn\.beta"; a checkpoint holds every one of the supernet's 48 variables$/,
    );
    const after = await target.read();
    for (const [name, values] of before) expect(Array.from(after.get(name)!), name).toEqual(Array.from(values));
    // the whole one loads
    restoreCheckpoint(whole, target, optimizer);
    expect(Array.from((await target.read()).get('stem.conv')!)).toEqual(Array.from(checkpointTensor(whole, 'weight', 'stem.conv')!));
    optimizer.dispose();
    source.dispose();
    target.dispose();
  });

  it('refuses velocity for only some variables, and changes nothing', async () => {
    const source = Supernet.create(config.space, 1);
    const sourceOptimizer = new NesterovSgd(source, { momentum: 0.9, weightDecay: 0, gradClip: 0 });
    const whole = await captureCheckpoint(source, sourceOptimizer, meta);
    const target = Supernet.create(config.space, 2);
    const before = await target.read();
    const partial = without(whole, (t) => t.group === 'velocity' && t.name === 'head.w');
    const optimizer = new NesterovSgd(target, { momentum: 0.9, weightDecay: 0, gradClip: 0 });
    expect(() => restoreCheckpoint(partial, target, optimizer)).toThrow(
      /^checkpoint has velocity for 47 of the supernet's 48 variables but none for "head\.w"/,
    );
    const after = await target.read();
    for (const [name, values] of before) expect(Array.from(after.get(name)!), name).toEqual(Array.from(values));
    sourceOptimizer.dispose();
    optimizer.dispose();
    source.dispose();
    target.dispose();
  });
});
