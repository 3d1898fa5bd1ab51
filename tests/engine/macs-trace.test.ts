/** The analytic MACs counter equals a layer-by-layer count of the network tfjs actually runs. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countedLayers, countMacs } from '../../src/core/space/macs';
import { planSubnet } from '../../src/core/space/plan';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { largestSubnet, smallestSubnet } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';
import { forwardSubnet, type TracedLayer } from '../../src/engine/forward';
import { Supernet } from '../../src/engine/supernet';
import { seededImages, useBackend } from './helpers';

beforeAll(() => useBackend('cpu'));

const tracedMacs = (l: TracedLayer) => (l.inChannels * l.outChannels * l.kernelSize * l.kernelSize * l.outHeight * l.outWidth) / l.groups;

describe('MACs counter vs the built network', () => {
  for (const spaceName of ['fashion', 'cifar', 'quick', 'tiny']) {
    it(`matches layer by layer for 25 random subnets of ${spaceName}, plus largest and smallest`, () => {
      const space = presetSpace(spaceName);
      const net = Supernet.create(space, 1);
      const rng = new Rng(11);
      const subnets = [largestSubnet(space), smallestSubnet(space), ...Array.from({ length: 25 }, () => sampleUniform(space, rng))];
      const images = seededImages(1, space.input.height, space.input.channels);
      for (const subnet of subnets) {
        const traced: TracedLayer[] = [];
        tf.tidy(() => {
          forwardSubnet(net, subnet, images, { bn: { kind: 'batch' }, convForm: 'native', trace: (l) => traced.push(l) });
        });
        const counted = countedLayers(planSubnet(space, subnet));
        expect(traced.map((l) => l.name)).toEqual(counted.map((l) => l.name));
        traced.forEach((l, i) => expect(tracedMacs(l), l.name).toBe(counted[i].macs));
        expect(traced.reduce((s, l) => s + tracedMacs(l), 0)).toBe(countMacs(space, subnet));
      }
      images.dispose();
      net.dispose();
    });
  }
});
