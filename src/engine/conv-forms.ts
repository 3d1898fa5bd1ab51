/**
 * Three ways to compute the same convolutions; all pad symmetrically by k//2, PyTorch style,
 * so they agree to float rounding (a test checks it).
 * - 'native': tfjs's conv ops and tfjs's own gradients. Cannot train on wasm, which lacks
 *   Conv2DBackpropFilter and the depthwise backprop kernels (docs/design.md, Backends and conv forms).
 * - 'matmul': every conv as shifted slices of the padded input times matMul (depthwise:
 *   times mul), gradients written in the same slices-and-mul form. Trains everywhere.
 * - 'portable': forward kernels only. Depthwise runs tfjs's depthwiseConv2d forward, and its
 *   gradients are again depthwiseConv2d forwards (input gradient: the flipped kernel over
 *   the zero-upsampled output gradient; filter gradient: the batch folded into channels and
 *   the output gradient used as a dilated kernel). 1x1 convs are matMuls, the small stem conv
 *   uses the matmul form. Trains everywhere; on wasm one 5x5 depthwise layer (forward and
 *   both gradients, batch 32) took 35 ms against 167 ms for 'matmul', and 'matmul' does not
 *   fit a batch-128 sandwich step in the wasm heap (4 GB) at all (`npm run bench`).
 */
import * as tf from '@tensorflow/tfjs';
import { convOutSize } from '../core/space/plan';
import { convFormSchema, type ConvForm } from '../core/records/run-records';
import { CONV, convKernel } from './kernels/conv';
import { DEPTHWISE, DEPTHWISE_BN_FIXED, depthwiseBnFixedKernel, depthwiseKernel, type FixedBn } from './kernels/depthwise';
import type { Activation } from './kernels/bn-act';
import { pointwiseKernel } from './kernels/pointwise';
import { hasKernel } from './kernels/registry';

export type { ConvForm } from '../core/records/run-records';
export const convForms: ConvForm[] = [...convFormSchema.options];

export interface ConvOps {
  /**
   * full k x k conv with the [k, k, cin, cout] block (cin = channels of x) of a weight
   * [k, k, cinMax, coutMax]; cout defaults to coutMax
   */
  conv(x: tf.Tensor4D, w: tf.Tensor, stride: number, cout?: number): tf.Tensor4D;
  /**
   * depthwise k x k conv with the centre k x k crop of the first C channels (C = channels of
   * x) of a weight [K, K, cMax, 1]; k defaults to K
   */
  depthwise(x: tf.Tensor4D, w: tf.Tensor, stride: number, k?: number): tf.Tensor4D;
  /** 1x1 conv with the [cin, cout] block of a full-size weight [cinMax, coutMax] (every form: one fused kernel) */
  pointwise(x: tf.Tensor4D, w: tf.Tensor, cout: number): tf.Tensor4D;
  /**
   * `depthwise`, then BN on fixed statistics and an activation, as one forward-only kernel:
   * present where a backend has it (cpu, wasm; portable form), for evaluation
   */
  depthwiseBnFixed?(x: tf.Tensor4D, w: tf.Tensor, stride: number, k: number, bn: FixedBn, act: Activation): tf.Tensor4D;
}

/** The centre k x k crop of the first `channels` channels of a [K, K, cMax, 1] kernel. */
function centreCrop(w: tf.Tensor, k: number, channels: number): tf.Tensor4D {
  const [kMax, , cMax] = w.shape;
  if (k === kMax && channels === cMax) return w as tf.Tensor4D;
  const offset = (kMax - k) / 2;
  return tf.slice(w, [offset, offset, 0, 0], [k, k, channels, 1]) as tf.Tensor4D;
}

/** The [k, k, cin, cout] block of a [k, k, cinMax, coutMax] weight. */
function channelBlock(w: tf.Tensor, cin: number, cout: number): tf.Tensor4D {
  const [k, , cinMax, coutMax] = w.shape;
  return (cin === cinMax && cout === coutMax ? w : tf.slice(w, [0, 0, 0, 0], [k, k, cin, cout])) as tf.Tensor4D;
}

const nativeOps: ConvOps = {
  conv: (x, w, stride, cout) => tf.conv2d(x, channelBlock(w, x.shape[3], cout ?? w.shape[3]!), stride, Math.floor(w.shape[0] / 2)),
  depthwise: (x, w, stride, k) => {
    const crop = centreCrop(w, k ?? w.shape[0], x.shape[3]);
    return tf.depthwiseConv2d(x, crop, stride, Math.floor(crop.shape[0] / 2));
  },
  pointwise: pointwiseKernel,
};

/**
 * x[:, top:top+h, left:left+w, :] taken as a 3D slice of [n, H, W*c]: the same values, but
 * each copied run is w*c long instead of c, which made tfjs-backend-wasm's Slice (a JS loop
 * of one copy per run) about 5x faster here.
 */
function shiftedWindow(x: tf.Tensor4D, top: number, left: number, h: number, w: number): tf.Tensor4D {
  const [n, H, W, c] = x.shape;
  const flat = tf.reshape(x, [n, H, W * c]);
  return tf.reshape(tf.slice(flat, [0, top, left * c], [n, h, w * c]), [n, h, w, c]);
}

/**
 * The k*k shifted views of x that a k x k conv with this stride reads, each [n, oh, ow, c],
 * in (row, column) order. Stride 2 reads from the four even/odd phase images of the padded
 * input, so only plain slices and reshapes are needed (they have gradients everywhere).
 */
export function convTaps(x: tf.Tensor4D, k: number, stride: number): tf.Tensor4D[] {
  const [n, h, w, c] = x.shape;
  const p = Math.floor(k / 2);
  const oh = convOutSize(h, k, stride);
  const ow = convOutSize(w, k, stride);
  const taps: tf.Tensor4D[] = [];
  if (stride === 1) {
    const xp =
      p > 0
        ? tf.pad(x, [
            [0, 0],
            [p, p],
            [p, p],
            [0, 0],
          ])
        : x;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) taps.push(shiftedWindow(xp, i, j, oh, ow));
    return taps;
  }
  if (stride !== 2) throw new Error(`matmul conv form supports stride 1 or 2, got ${stride}`);
  const half = Math.floor((k - 1) / 2);
  const hp = 2 * (half + oh);
  const wp = 2 * (half + ow);
  const xp = tf.pad(x, [
    [0, 0],
    [p, hp - h - p],
    [p, wp - w - p],
    [0, 0],
  ]);
  // rows: [n, hp/2, 2 * wp * c] -> even rows are the first half of the last axis
  const rowPairs = tf.reshape(xp, [n, hp / 2, 2 * wp * c]);
  const phases: tf.Tensor4D[][] = [0, 1].map((a) => {
    const rows = tf.slice(rowPairs, [0, 0, a * wp * c], [n, hp / 2, wp * c]);
    const colPairs = tf.reshape(rows, [n, hp / 2, wp / 2, 2 * c]);
    return [0, 1].map((b) => tf.slice(colPairs, [0, 0, 0, b * c], [n, hp / 2, wp / 2, c]) as tf.Tensor4D);
  });
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const phase = phases[i % 2][j % 2];
      taps.push(shiftedWindow(phase, Math.floor(i / 2), Math.floor(j / 2), oh, ow));
    }
  }
  return taps;
}

// No concat: on wasm the gradient of concat (SplitV) cost more than the rest of the step
// together; per-tap products summed with addN have cheap gradients everywhere.
const matmulOps: ConvOps = {
  conv: (x, full, stride, coutWanted) => {
    const w = channelBlock(full, x.shape[3], coutWanted ?? full.shape[3]!);
    const [k, , cin, cout] = w.shape;
    const taps = convTaps(x, k, stride);
    const [n, oh, ow] = taps[0].shape;
    const perTap = tf.reshape(w, [k * k, cin, cout]);
    const products = taps.map((tap, t) =>
      tf.matMul(tf.reshape(tap, [n * oh * ow, cin]), tf.reshape(tf.slice(perTap, [t, 0, 0], [1, cin, cout]), [cin, cout])),
    );
    return tf.reshape(products.length === 1 ? products[0] : tf.addN(products), [n, oh, ow, cout]);
  },
  depthwise: (x, w, stride, k) => decomposedDepthwise(x, centreCrop(w, k ?? w.shape[0], x.shape[3]), stride),
  pointwise: pointwiseKernel,
};

/** sum over taps of tap * w[tap]: a depthwise correlation with symmetric padding k//2 */
function depthwiseByTaps(x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D {
  const [k, , c] = w.shape;
  const taps = convTaps(x, k, stride);
  const perTap = tf.reshape(w, [k * k, c]);
  const products = taps.map((tap, t) => tf.mul(tap, tf.reshape(tf.slice(perTap, [t, 0], [1, c]), [c])));
  return (products.length === 1 ? products[0] : tf.addN(products)) as tf.Tensor4D;
}

/** Inserts s-1 zeros after every row and column: [n, h, w, c] -> [n, s*h, s*w, c] (s = 2). */
function zeroUpsample2(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const cols = tf.reshape(tf.concat([x, tf.zerosLike(x)], 3), [n, h, 2 * w * c]);
  return tf.reshape(tf.concat([cols, tf.zerosLike(cols)], 2), [n, 2 * h, 2 * w, c]);
}

/**
 * Depthwise conv as taps times mul, with a hand-written gradient in the same form. Autodiff
 * through the taps would keep k*k copies of the input alive until the step ends (1.9 GB at
 * batch 32 on the fashion space); this keeps only x and w, and the gradients are again
 * slices and muls, so it trains on every backend.
 */
const decomposedDepthwise = (x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D => {
  const op = tf.customGrad(((input: tf.Tensor4D, filter: tf.Tensor4D, save: tf.GradSaveFunc) => {
    save([input, filter]);
    return {
      value: depthwiseByTaps(input, filter, stride),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const [k, , c] = ws.shape;
        const [, h, wd] = xs.shape;
        const p = Math.floor(k / 2);
        // filter gradient: each tap of x times dy, summed over batch and space
        const taps = convTaps(xs, k, stride);
        const dw = tf.reshape(tf.stack(taps.map((tap) => tf.sum(tf.mul(tap, dy), [0, 1, 2]))), [k, k, c, 1]);
        // input gradient: correlation of the zero-upsampled dy with the flipped kernel
        const up = stride === 1 ? dy : zeroUpsample2(dy);
        const [, uh, uw] = up.shape;
        const padded = tf.pad(up, [
          [0, 0],
          [p, Math.max(0, h + p - uh)],
          [p, Math.max(0, wd + p - uw)],
          [0, 0],
        ]);
        const flipped = tf.reverse(ws, [0, 1]) as tf.Tensor4D;
        const perTap = tf.reshape(flipped, [k * k, c]);
        const parts: tf.Tensor4D[] = [];
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k; j++) {
            const wt = tf.reshape(tf.slice(perTap, [i * k + j, 0], [1, c]), [c]);
            parts.push(tf.mul(shiftedWindow(padded as tf.Tensor4D, i, j, h, wd), wt) as tf.Tensor4D);
          }
        }
        return [tf.addN(parts), dw];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D;
  return op(x, w);
};

/** Input gradient of a depthwise conv, using only the depthwise forward kernel. */
function depthwiseInputGrad(dy: tf.Tensor4D, w: tf.Tensor4D, stride: number, height: number, width: number): tf.Tensor4D {
  const k = w.shape[0];
  const p = Math.floor(k / 2);
  const up = stride === 1 ? dy : zeroUpsample2(dy);
  const fit = (len: number, size: number) => size + k - 1 - p - len; // right padding (may be < 0)
  const padRight = [fit(up.shape[1], height), fit(up.shape[2], width)];
  let padded = tf.pad(up, [
    [0, 0],
    [p, Math.max(0, padRight[0])],
    [p, Math.max(0, padRight[1])],
    [0, 0],
  ]) as tf.Tensor4D;
  if (padRight[0] < 0 || padRight[1] < 0) {
    padded = tf.slice(padded, [0, 0, 0, 0], [-1, height + k - 1, width + k - 1, -1]);
  }
  return tf.depthwiseConv2d(padded, tf.reverse(w, [0, 1]) as tf.Tensor4D, 1, 'valid');
}

/** Filter gradient of a depthwise conv: batch folded into channels, dy as a dilated kernel. */
function depthwiseFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, stride: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [, oh, ow] = dy.shape;
  const p = Math.floor(k / 2);
  const xp = tf.pad(x, [
    [0, 0],
    [p, p],
    [p, p],
    [0, 0],
  ]);
  const input = tf.reshape(tf.transpose(xp, [1, 2, 0, 3]), [1, h + 2 * p, w + 2 * p, n * c]) as tf.Tensor4D;
  const kernel = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [oh, ow, n * c, 1]) as tf.Tensor4D;
  const full = tf.depthwiseConv2d(input, kernel, 1, 'valid', 'NHWC', stride);
  const perImage = tf.reshape(tf.slice(full, [0, 0, 0, 0], [1, k, k, n * c]), [k, k, n, c]);
  return tf.reshape(tf.sum(perImage, 2), [k, k, c, 1]);
}

const portableDepthwise = (x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D => {
  const op = tf.customGrad(((input: tf.Tensor4D, filter: tf.Tensor4D, save: tf.GradSaveFunc) => {
    save([input, filter]);
    const k = filter.shape[0];
    return {
      value: tf.depthwiseConv2d(input, filter, stride, Math.floor(k / 2)),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        return [depthwiseInputGrad(dy, ws, stride, xs.shape[1], xs.shape[2]), depthwiseFilterGrad(xs, dy, k, stride)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D;
  return op(x, w);
};

const portableOps: ConvOps = {
  conv: (x, w, stride, cout) => (hasKernel(CONV) ? convKernel(x, w, stride, cout ?? w.shape[3]!) : matmulOps.conv(x, w, stride, cout)),
  // our fused kernel where the backend has it (cpu, wasm); the composite form elsewhere
  depthwise: (x, w, stride, k) =>
    hasKernel(DEPTHWISE)
      ? depthwiseKernel(x, w, k ?? w.shape[0], stride)
      : portableDepthwise(x, centreCrop(w, k ?? w.shape[0], x.shape[3]), stride),
  pointwise: matmulOps.pointwise,
};
const portableOpsFused: ConvOps = { ...portableOps, depthwiseBnFixed: depthwiseBnFixedKernel };

export function convOps(form: ConvForm): ConvOps {
  return form === 'native' ? nativeOps : form === 'matmul' ? matmulOps : hasKernel(DEPTHWISE_BN_FIXED) ? portableOpsFused : portableOps;
}
