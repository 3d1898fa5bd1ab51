/** The three conv forms compute the same values and the same gradients (cpu backend has all kernels). */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { convOps, convForms, convTaps } from '../../src/engine/conv-forms';
import { maxAbsDiff, seededImages, useBackend } from './helpers';
import { Rng } from '../../src/core/training/rng';

beforeAll(() => useBackend('cpu'));

function seededKernel(shape: number[], seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  return tf.tensor4d(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape as [number, number, number, number],
  );
}

const cases = [
  { size: 14, c: 8, k: 3, stride: 1 },
  { size: 14, c: 8, k: 5, stride: 2 },
  { size: 7, c: 16, k: 3, stride: 2 },
  { size: 7, c: 16, k: 5, stride: 2 },
  { size: 5, c: 8, k: 5, stride: 1 },
  { size: 4, c: 8, k: 1, stride: 2 },
];

describe('conv forms agree', () => {
  for (const { size, c, k, stride } of cases) {
    it(`depthwise ${k}x${k} stride ${stride} on ${size}x${size}x${c}: values and both gradients`, async () => {
      const x = seededImages(2, size, c, 1);
      const w = seededKernel([k, k, c, 1], 2);
      const results = await Promise.all(
        convForms.map(async (form) => {
          const ops = convOps(form);
          const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(ops.depthwise(a as tf.Tensor4D, b as tf.Tensor4D, stride)));
          const y = ops.depthwise(x, w, stride);
          const [dx, dw] = tf.grads(f)([x, w]);
          return { form, y: await y.data(), shape: y.shape, dx: await dx.data(), dw: await dw.data() };
        }),
      );
      const [ref, ...others] = results;
      for (const r of others) {
        expect(r.shape, r.form).toEqual(ref.shape);
        expect(maxAbsDiff(r.y, ref.y), `${r.form} values`).toBeLessThan(1e-4);
        expect(maxAbsDiff(r.dx, ref.dx), `${r.form} input gradient`).toBeLessThan(1e-3);
        expect(maxAbsDiff(r.dw, ref.dw), `${r.form} filter gradient`).toBeLessThan(1e-2);
      }
    });
  }

  it('full conv (stem) agrees, stride 2, 3 input channels', async () => {
    const x = seededImages(2, 9, 3, 3);
    const w = seededKernel([3, 3, 3, 8], 4);
    const outs = await Promise.all(
      convForms.map(async (form) => {
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(convOps(form).conv(a as tf.Tensor4D, b as tf.Tensor4D, 2)));
        const [, dw] = tf.grads(f)([x, w]);
        return { y: await convOps(form).conv(x, w, 2).data(), dw: await dw.data() };
      }),
    );
    for (const o of outs.slice(1)) {
      expect(maxAbsDiff(o.y, outs[0].y)).toBeLessThan(1e-4);
      expect(maxAbsDiff(o.dw, outs[0].dw)).toBeLessThan(1e-2);
    }
  });

  it('taps of a stride-2 conv read the right pixels', async () => {
    // x[n, y, x, 0] = 10*y + x; tap (i, j) of output (oy, ox) reads padded (2*oy + i, 2*ox + j)
    const size = 5;
    const x = tf.tensor4d(
      Float32Array.from({ length: size * size }, (_, i) => 10 * Math.floor(i / size) + (i % size)),
      [1, size, size, 1],
    );
    const taps = convTaps(x, 3, 2);
    const tap22 = await taps[8].data(); // i = j = 2: padded (2oy+2, 2ox+2) = original (2oy+1, 2ox+1)
    // rows 1, 3, 5 and columns 1, 3, 5 of a 5x5 image: index 5 is the zero padding
    expect(Array.from(tap22)).toEqual([11, 13, 0, 31, 33, 0, 0, 0, 0]);
  });
});
