/** Training steps on the wasm backend (the 'portable' conv form): what changes, leaks, and learning. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionNormalisation } from '../../src/core/augment';
import { presetSpace } from '../../src/core/presets';
import { Rng } from '../../src/core/rng';
import { largestSubnet, smallestSubnet } from '../../src/core/subnet';
import { sampleUniform } from '../../src/core/uniform-sampler';
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

const uniformSandwich = (rng: Rng): TrainedSubnet[] => sandwich(largestSubnet(space), [sampleUniform(space, rng), sampleUniform(space, rng)], smallestSubnet(space));

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
