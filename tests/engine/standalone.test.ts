/** A subnet's supernet forward equals a plain tf.LayersModel built from the sliced weights. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { largestSubnet, smallestSubnet, subnetKey } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';
import { BnCalibrator, disposeBnStats } from '../../src/engine/batch-norm';
import { forwardSubnet, resizeTo } from '../../src/engine/forward';
import { buildStandaloneModel } from '../../src/engine/standalone';
import { Supernet } from '../../src/engine/supernet';
import { maxAbsDiff, seededImages, useBackend } from './helpers';

beforeAll(() => useBackend('cpu'));

describe('standalone model from sliced weights', () => {
  it('gives the same logits as the supernet forward with the same BN statistics', async () => {
    const space = presetSpace('fashion');
    const net = Supernet.create(space, 3);
    // make BN and residual branches non-trivial: zero-initialised gammas would hide bugs
    const rng = new Rng(5);
    for (const spec of net.specs) {
      if (spec.name.endsWith('.gamma') || spec.name.endsWith('.beta') || spec.name.endsWith('.b')) {
        const size = spec.shape.reduce((a, b) => a * b, 1);
        net.get(spec.name).assign(
          tf.tensor(
            Float32Array.from({ length: size }, () => 0.5 + 0.3 * rng.normal()),
            spec.shape,
          ),
        );
      }
    }
    const subnets = [largestSubnet(space), smallestSubnet(space), ...Array.from({ length: 3 }, () => sampleUniform(space, rng))];
    const calibration = [seededImages(16, 28, 1, 21), seededImages(16, 28, 1, 22)];
    const probe = seededImages(6, 28, 1, 23);
    for (const subnet of subnets) {
      const calibrator = new BnCalibrator();
      for (const images of calibration) tf.tidy(() => void forwardSubnet(net, subnet, images, { bn: calibrator.mode, convForm: 'native' }));
      const stats = calibrator.finish();
      const expected = tf.tidy(() => forwardSubnet(net, subnet, probe, { bn: { kind: 'fixed', stats }, convForm: 'native' }));
      const model = buildStandaloneModel(net, subnet, stats);
      const actual = tf.tidy(() => model.predict(resizeTo(probe, subnet.resolution)) as tf.Tensor);
      expect(actual.shape).toEqual(expected.shape);
      const diff = maxAbsDiff(await actual.data(), await expected.data());
      expect(diff, subnetKey(subnet)).toBeLessThan(1e-4);
      // and the logits are not trivially equal (e.g. all zero)
      const spread = tf.tidy(() => tf.moments(expected).variance.dataSync()[0]);
      expect(spread).toBeGreaterThan(1e-6);
      model.dispose();
      expected.dispose();
      actual.dispose();
      disposeBnStats(stats);
    }
    net.dispose();
  });
});
