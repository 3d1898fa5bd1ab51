/** Training steps on the wasm backend (the 'portable' conv form): what changes, leaks, and learning. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionNormalisation } from '../../src/core/data/augment';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { largestSubnet, smallestSubnet } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';
import { batchTensors } from '../../src/engine/batches';
import { regionMask, type UsedRegions } from '../../src/engine/param-view';
import { forwardSubnet } from '../../src/engine/forward';
import { Supernet } from '../../src/engine/supernet';
import { sandwich, Trainer, type TrainedSubnet } from '../../src/engine/trainer';
import { loadFashionMnistFromDisk } from '../../src/cli/node-runtime';
import { seededImages, seededLabels, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const space = presetSpace('tiny');
const config = { momentum: 0.9, weightDecay: 1e-4, gradClip: 1, labelSmoothing: 0.1, convForm: 'portable' as const, dropout: 0 };

const uniformSandwich = (rng: Rng): TrainedSubnet[] =>
  sandwich(largestSubnet(space), [sampleUniform(space, rng), sampleUniform(space, rng)], smallestSubnet(space));

describe('trainer', () => {
  it('a step changes only the weights the active subnets use', async () => {
    const net = Supernet.create(space, 2);
    const trainer = new Trainer(net, config);
    const batch = { images: seededImages(8, 28, 1), labels: seededLabels(8, 10) };
    // warm the momentum buffers everywhere first, so a masked update is really tested
    await trainer.step(batch, uniformSandwich(new Rng(1)), 0.05);
    const before = await net.read();
    const small = smallestSubnet(space);
    const used: UsedRegions = new Map();
    tf.tidy(() => void forwardSubnet(net, small, batch.images, { bn: { kind: 'batch' }, convForm: 'portable', usedRegions: used }));
    await trainer.step(batch, [{ subnet: small, role: 'smallest' }], 0.05);
    const after = await net.read();
    let changedInside = 0;
    for (const spec of net.specs) {
      const a = before.get(spec.name)!;
      const b = after.get(spec.name)!;
      const regions = used.get(spec.name);
      const mask = regions ? regionMask(regions, spec.shape) : new Float32Array(a.length);
      for (let i = 0; i < a.length; i++) {
        if (mask[i] === 0) expect(b[i], `${spec.name}[${i}] is outside the smallest subnet`).toBe(a[i]);
        else if (b[i] !== a[i]) changedInside++;
      }
    }
    // unused variables exist (deeper blocks), and weights inside did move
    expect(net.specs.some((s) => !used.has(s.name))).toBe(true);
    expect(changedInside).toBeGreaterThan(100);
    trainer.dispose();
    net.dispose();
  });

  it('keeps tf.memory().numTensors flat between step 10 and step 100', async () => {
    const net = Supernet.create(space, 3);
    const trainer = new Trainer(net, config);
    const batch = { images: seededImages(4, 28, 1), labels: seededLabels(4, 10) };
    const rng = new Rng(4);
    let at10 = -1;
    for (let step = 1; step <= 100; step++) {
      await trainer.step(batch, uniformSandwich(rng), 0.01, step);
      if (step === 10) at10 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(at10);
    trainer.dispose();
    net.dispose();
  });

  it('lowers the loss over 60 sandwich steps on a small subset of Fashion-MNIST', async () => {
    const { train } = await loadFashionMnistFromDisk();
    const net = Supernet.create(space, 5);
    const trainer = new Trainer(net, config);
    const rng = new Rng(6);
    const subset = Array.from({ length: 256 }, (_, i) => i);
    const largestLosses: number[] = [];
    const smallestLosses: number[] = [];
    for (let step = 0; step < 60; step++) {
      const indices = Array.from({ length: 32 }, () => subset[rng.int(subset.length)]);
      const batch = batchTensors(train, indices, fashionNormalisation);
      const losses = await trainer.step(batch, uniformSandwich(rng), 0.1, step);
      largestLosses.push(losses[0]);
      smallestLosses.push(losses[3]);
      batch.images.dispose();
      batch.labels.dispose();
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(largestLosses.slice(-10))).toBeLessThan(mean(largestLosses.slice(0, 10)) - 0.3);
    expect(mean(smallestLosses.slice(-10))).toBeLessThan(mean(smallestLosses.slice(0, 10)));
    trainer.dispose();
    net.dispose();
  });
});

describe('drop-connect', () => {
  const batch = () => ({ images: seededImages(16, 28, 1, 31), labels: seededLabels(16, 10, 32) });
  const logits = (net: Supernet, images: tf.Tensor4D, dropConnect?: { rate: number; rng: Rng }) =>
    tf.tidy(() =>
      Array.from(forwardSubnet(net, largestSubnet(space), images, { bn: { kind: 'batch' }, convForm: 'portable', dropConnect }).dataSync()),
    );

  it('changes the largest net forward, repeats from the same stream, and is a no-op at rate 0', () => {
    const net = Supernet.create(space, 7);
    // the last BN gamma of each block starts at zero, so a fresh net's branches add nothing: open them
    for (const spec of net.specs.filter((s) => s.name.endsWith('.bn3.gamma'))) net.get(spec.name).assign(tf.onesLike(net.get(spec.name)));
    const { images } = batch();
    const plain = logits(net, images);
    const dropped = logits(net, images, { rate: 0.9, rng: new Rng(3) });
    expect(dropped).not.toEqual(plain);
    expect(logits(net, images, { rate: 0.9, rng: new Rng(3) })).toEqual(dropped);
    expect(logits(net, images, { rate: 0, rng: new Rng(3) })).toEqual(plain);
    net.dispose();
  });

  it('the trainer applies it to the largest net only, from the step seed, so a step repeats exactly', async () => {
    const run = async (dropConnect: number, seed: number) => {
      const net = Supernet.create(space, 8);
      const trainer = new Trainer(net, { ...config, dropConnect });
      const b = batch();
      // a first step opens the zero-initialised last BN gammas, so the second step's branches matter
      await trainer.step(b, uniformSandwich(new Rng(9)), 0.1, seed);
      const losses = await trainer.step(b, uniformSandwich(new Rng(10)), 0.1, seed + 1);
      trainer.dispose();
      net.dispose();
      return losses;
    };
    const off = await run(0, 1);
    const on = await run(0.9, 1);
    expect(await run(0.9, 1)).toEqual(on);
    expect(on[0]).not.toBe(off[0]);
    expect(await run(0.9, 2)).not.toEqual(on);
    // without the largest net in the step, the rate changes nothing
    const withoutLargest = async (dropConnect: number) => {
      const net = Supernet.create(space, 8);
      const trainer = new Trainer(net, { ...config, dropConnect });
      const b = batch();
      const steps = [
        await trainer.step(b, [{ subnet: largestSubnet(space), role: 'sampled' }], 0.1, 1),
        await trainer.step(b, [{ subnet: largestSubnet(space), role: 'sampled' }], 0.1, 2),
      ];
      trainer.dispose();
      net.dispose();
      return steps;
    };
    expect(await withoutLargest(0.9)).toEqual(await withoutLargest(0));
  });
});
