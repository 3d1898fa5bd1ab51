/**
 * Our fused kernels against plain tfjs ops, values and gradients, on the cpu backend (plain
 * JavaScript loops) and the wasm backend (SIMD loops where channels allow, JavaScript
 * otherwise): BN + swish reading a prefix of full-size gamma and beta, the depthwise conv
 * reading a centre crop of a full-size kernel, the 1x1 conv and the stem conv reading a
 * block of a full-size weight, the global average pool and the squeeze-excite gate. The references run on the cpu backend with tfjs's own ops
 * and gradients.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchNorm, type Activation } from '../../src/engine/batch-norm';
import { convOps } from '../../src/engine/conv-forms';
import { channelGate, spatialMean } from '../../src/engine/kernels/pool-gate';
import { withBackwardArena } from '../../src/engine/kernels/saved';
import { withBnKernelForm } from '../../src/cli/bn-kernel-forms';
import { maxAbsDiff, seededTensor, useBackend } from './helpers';

const seeded = seededTensor;

type Case = { f: (inputs: tf.Tensor[]) => tf.Tensor; ref: (inputs: tf.Tensor[]) => tf.Tensor; shapes: number[][] };

/** values and gradients of sum(f(inputs) * r) for a fixed random r, as plain arrays */
async function run(f: (inputs: tf.Tensor[]) => tf.Tensor, shapes: number[][], arena: boolean) {
  const inputs = shapes.map((s, i) => seeded(s, 10 + i));
  const y = f(inputs);
  const r = seeded(y.shape, 99);
  const loss = (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(xs), r));
  const grads = arena ? withBackwardArena(() => tf.grads(loss)(inputs)) : tf.grads(loss)(inputs);
  const out = { y: await y.data(), grads: await Promise.all(grads.map((g) => g.data())) };
  tf.dispose([...inputs, y, r, ...grads]);
  return out;
}

async function expectAgrees(c: Case, backend: 'cpu' | 'wasm', tolerance = 2e-4) {
  await useBackend('cpu');
  const ref = await run(c.ref, c.shapes, false);
  await useBackend(backend);
  for (const arena of [false, true]) {
    const got = await run(c.f, c.shapes, arena);
    const scale = Math.max(1, ...Array.from(ref.y, Math.abs));
    expect(maxAbsDiff(got.y, ref.y) / scale, `${backend} values (arena ${arena})`).toBeLessThan(tolerance);
    got.grads.forEach((g, i) => {
      const gScale = Math.max(1, ...Array.from(ref.grads[i], Math.abs));
      expect(maxAbsDiff(g, ref.grads[i]) / gScale, `${backend} gradient ${i} (arena ${arena})`).toBeLessThan(tolerance);
    });
  }
}

const refBnAct = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, act: Activation) => {
  const c = x.shape[3]!;
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const z = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), tf.slice(gamma, [0], [c])), tf.slice(beta, [0], [c]));
  return act === 'swish' ? tf.mul(z, tf.sigmoid(z)) : z;
};

const backends = ['cpu', 'wasm'] as const;

describe('fused BN + activation', () => {
  for (const backend of backends) {
    for (const [c, act] of [
      [16, 'swish'],
      [12, 'none'],
      [6, 'swish'],
    ] as const) {
      it(`${backend}: ${c} of 24 channels, ${act}`, async () => {
        await expectAgrees(
          {
            shapes: [[3, 5, 5, c], [24], [24]],
            f: ([x, g, b]) => batchNorm(x as tf.Tensor4D, 'l', tf.add(g, 1), b, { kind: 'batch' }, act),
            ref: ([x, g, b]) => refBnAct(x, tf.add(g, 1), b, act),
          },
          backend,
        );
      });
    }
    it(`${backend}: fixed statistics`, async () => {
      await useBackend(backend);
      const x = seeded([2, 4, 4, 12], 1) as tf.Tensor4D;
      const gamma = seeded([20], 2);
      const beta = seeded([20], 3);
      const stats = new Map([['l', { mean: seeded([12], 4) as tf.Tensor1D, variance: tf.abs(seeded([12], 5)) as tf.Tensor1D }]]);
      const y = await batchNorm(x, 'l', gamma, beta, { kind: 'fixed', stats }, 'swish').data();
      const s = stats.get('l')!;
      const z = tf.add(
        tf.mul(tf.div(tf.sub(x, s.mean), tf.sqrt(tf.add(s.variance, 1e-5))), tf.slice(gamma, [0], [12])),
        tf.slice(beta, [0], [12]),
      );
      const ref = await tf.mul(z, tf.sigmoid(z)).data();
      expect(maxAbsDiff(y, ref)).toBeLessThan(1e-5);
    });
  }
});

/** The composed form WebGL runs (bn-act-composed.ts), checked here in its place on wasm. */
describe('composed BN + activation (the WebGL form)', () => {
  for (const [c, act] of [
    [16, 'swish'],
    [12, 'none'],
    [24, 'swish'],
  ] as const) {
    it(`on wasm: ${c} of 24 channels, ${act}, values and gradients`, async () => {
      await useBackend('wasm');
      await withBnKernelForm('wasm', 'composed', () =>
        expectAgrees(
          {
            shapes: [[3, 5, 5, c], [24], [24]],
            f: ([x, g, b]) => batchNorm(x as tf.Tensor4D, 'l', tf.add(g, 1), b, { kind: 'batch' }, act),
            ref: ([x, g, b]) => refBnAct(x, tf.add(g, 1), b, act),
          },
          'wasm',
        ),
      );
    });
  }
  it('on wasm: keeps far fewer bytes alive for the backward pass than the same layers as tfjs ops', async () => {
    await useBackend('wasm');
    const x = seeded([8, 8, 8, 16], 1);
    const [gamma, beta] = [seeded([24], 2), seeded([24], 3)];
    // three BN + swish layers under autodiff: what each form keeps between forward and backward
    const loss = (input: tf.Tensor) => {
      let h = input as tf.Tensor4D;
      for (let i = 0; i < 3; i++) h = batchNorm(h, `l${i}`, gamma, beta, { kind: 'batch' }, 'swish');
      return tf.sum(h);
    };
    const peak = async (form: 'composed' | 'ops' | 'host') =>
      withBnKernelForm('wasm', form, async () => {
        const before = tf.memory().numBytes;
        const info = await tf.profile(() => tf.dispose(tf.grad(loss)(x)));
        return info.peakBytes - before;
      });
    const [composed, ops, host] = [await peak('composed'), await peak('ops'), await peak('host')];
    const layer = x.size * 4;
    expect(composed, `composed ${composed} B, ops ${ops} B, host ${host} B (a layer's input: ${layer} B)`).toBeLessThan(ops / 2);
    expect(composed, 'composed against the host kernel').toBeLessThanOrEqual(host);
    tf.dispose([x, gamma, beta]);
  });
  it('on wasm: fixed statistics, and no tensor left behind', async () => {
    await useBackend('wasm');
    await withBnKernelForm('wasm', 'composed', async () => {
      const x = seeded([2, 4, 4, 12], 1) as tf.Tensor4D;
      const [gamma, beta] = [seeded([20], 2), seeded([20], 3)];
      const s = { mean: seeded([12], 4) as tf.Tensor1D, variance: tf.abs(seeded([12], 5)) as tf.Tensor1D };
      const before = tf.memory().numTensors;
      const y = batchNorm(x, 'l', gamma, beta, { kind: 'fixed', stats: new Map([['l', s]]) }, 'swish');
      expect(tf.memory().numTensors).toBe(before + 1);
      const z = tf.add(
        tf.mul(tf.div(tf.sub(x, s.mean), tf.sqrt(tf.add(s.variance, 1e-5))), tf.slice(gamma, [0], [12])),
        tf.slice(beta, [0], [12]),
      );
      expect(maxAbsDiff(await y.data(), await tf.mul(z, tf.sigmoid(z)).data())).toBeLessThan(1e-5);
    });
  });
});

describe('fused depthwise conv (portable form)', () => {
  const cases = [
    { size: 14, c: 16, k: 5, stride: 1 },
    { size: 14, c: 12, k: 3, stride: 2 },
    { size: 7, c: 8, k: 5, stride: 2 },
    { size: 5, c: 6, k: 3, stride: 1 },
    { size: 4, c: 8, k: 5, stride: 1 },
  ];
  for (const backend of backends) {
    for (const { size, c, k, stride } of cases) {
      it(`${backend}: ${k}x${k} crop of 5x5, stride ${stride}, ${c} of ${c + 4} channels on ${size}x${size}`, async () => {
        const crop = (w: tf.Tensor) => tf.slice(w, [(5 - k) / 2, (5 - k) / 2, 0, 0], [k, k, c, 1]) as tf.Tensor4D;
        await expectAgrees(
          {
            shapes: [
              [2, size, size, c],
              [5, 5, c + 4, 1],
            ],
            f: ([x, w]) => convOps('portable').depthwise(x as tf.Tensor4D, w, stride, k),
            ref: ([x, w]) => tf.depthwiseConv2d(x as tf.Tensor4D, crop(w), stride, Math.floor(k / 2)),
          },
          backend,
        );
      });
    }
  }
});

describe('fused 1x1 conv and stem conv', () => {
  for (const backend of backends) {
    it(`${backend}: 1x1 conv with the [6, 10] block of a [8, 12] weight`, async () => {
      await expectAgrees(
        {
          shapes: [
            [2, 3, 3, 6],
            [8, 12],
          ],
          f: ([x, w]) => convOps('portable').pointwise(x as tf.Tensor4D, w, 10),
          ref: ([x, w]) => tf.reshape(tf.matMul(tf.reshape(x, [18, 6]), tf.slice(w, [0, 0], [6, 10])), [2, 3, 3, 10]),
        },
        backend,
      );
    });
    it(`${backend}: 3x3 stride-2 stem conv with the first 8 of 16 output channels, input gradient too`, async () => {
      await expectAgrees(
        {
          shapes: [
            [2, 9, 9, 3],
            [3, 3, 3, 16],
          ],
          f: ([x, w]) => convOps('portable').conv(x as tf.Tensor4D, w, 2, 8),
          ref: ([x, w]) => tf.conv2d(x as tf.Tensor4D, tf.slice(w, [0, 0, 0, 0], [3, 3, 3, 8]) as tf.Tensor4D, 2, 1),
        },
        backend,
      );
    });
  }
});

describe('fused global average pool and squeeze-excite gate', () => {
  for (const backend of backends) {
    // 10 channels: SIMD lanes and a scalar tail
    for (const keepDims of [false, true]) {
      it(`${backend}: spatial mean of [3, 5, 4, 10]${keepDims ? ', dims kept' : ''}`, async () => {
        await expectAgrees(
          {
            shapes: [[3, 5, 4, 10]],
            f: ([x]) => (keepDims ? spatialMean(x as tf.Tensor4D, true) : spatialMean(x as tf.Tensor4D)),
            ref: ([x]) => tf.mean(x, [1, 2], keepDims),
          },
          backend,
        );
      });
    }
    it(`${backend}: channel gate of [3, 5, 4, 10] by [3, 1, 1, 10]`, async () => {
      await expectAgrees(
        {
          shapes: [
            [3, 5, 4, 10],
            [3, 1, 1, 10],
          ],
          f: ([x, g]) => channelGate(x as tf.Tensor4D, g as tf.Tensor4D),
          ref: ([x, g]) => tf.mul(x, g),
        },
        backend,
      );
    });
  }
});

describe('depthwise conv with BN on fixed statistics fused in (evaluation)', () => {
  for (const backend of backends) {
    // 16 channels: the SIMD path on wasm; 6: the JavaScript loops
    for (const [c, stride, act] of [
      [16, 1, 'swish'],
      [16, 2, 'none'],
      [6, 1, 'swish'],
    ] as const) {
      it(`${backend}: 3x3 crop of 5x5, stride ${stride}, ${c} of ${c + 4} channels, ${act}`, async () => {
        await useBackend(backend);
        const x = seeded([2, 7, 7, c], 1) as tf.Tensor4D;
        const w = seeded([5, 5, c + 4, 1], 2);
        const bn = { gamma: seeded([c + 4], 3), beta: seeded([c + 4], 4), mean: seeded([c], 5), variance: tf.abs(seeded([c], 6)) };
        const ops = convOps('portable');
        expect(ops.depthwiseBnFixed, 'the fused kernel is registered').toBeDefined();
        const fused = await ops.depthwiseBnFixed!(x, w, stride, 3, bn, act).data();
        const stats = new Map([['l', { mean: bn.mean as tf.Tensor1D, variance: bn.variance as tf.Tensor1D }]]);
        const separate = await batchNorm(ops.depthwise(x, w, stride, 3), 'l', bn.gamma, bn.beta, { kind: 'fixed', stats }, act).data();
        expect(maxAbsDiff(fused, separate)).toBeLessThan(1e-5);
      });
    }
  }
});
