/**
 * Batch assembly on plain arrays, identical in Node and the browser: gather images by index,
 * optionally augment (random shift by up to `maxShift` pixels with zero fill, and horizontal
 * flip with p = 0.5), and normalise to (x/255 - mean) / std. Output is NHWC float32.
 */
import type { Rng } from '../training/rng';

export interface Normalisation {
  mean: number[];
  std: number[];
}

export interface BatchSource {
  images: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

export interface Augmentation {
  maxShift: number;
  flip: boolean;
}

export const noAugmentation: Augmentation = { maxShift: 0, flip: false };
export const defaultAugmentation: Augmentation = { maxShift: 2, flip: true };

export function assembleBatch(
  source: BatchSource,
  indices: ArrayLike<number>,
  norm: Normalisation,
  augmentation: Augmentation,
  rng: Rng | null,
  out?: Float32Array,
): Float32Array {
  const { height: h, width: w, channels: c } = source;
  const pixels = h * w * c;
  const batch = out ?? new Float32Array(indices.length * pixels);
  const scale = norm.std.map((s) => 1 / (255 * s));
  const offset = norm.mean.map((m, ch) => -m / norm.std[ch]);
  // value of a zero-filled (shifted-in) pixel after normalisation: black
  const fill = offset;
  const augment = rng !== null && (augmentation.maxShift > 0 || augmentation.flip);
  for (let n = 0; n < indices.length; n++) {
    const src = indices[n] * pixels;
    const dst = n * pixels;
    let dy = 0;
    let dx = 0;
    let flip = false;
    if (augment && rng) {
      const span = 2 * augmentation.maxShift + 1;
      dy = rng.int(span) - augmentation.maxShift;
      dx = rng.int(span) - augmentation.maxShift;
      flip = augmentation.flip && rng.next() < 0.5;
    }
    for (let y = 0; y < h; y++) {
      const sy = y - dy;
      for (let x = 0; x < w; x++) {
        const sx0 = x - dx;
        const sx = flip ? w - 1 - sx0 : sx0;
        const o = dst + (y * w + x) * c;
        if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
          for (let ch = 0; ch < c; ch++) batch[o + ch] = fill[ch];
        } else {
          const i = src + (sy * w + sx) * c;
          for (let ch = 0; ch < c; ch++) batch[o + ch] = source.images[i + ch] * scale[ch] + offset[ch];
        }
      }
    }
  }
  return batch;
}

export const fashionNormalisation: Normalisation = { mean: [0.286], std: [0.353] };

/** Per-channel mean and standard deviation of a data set's pixels, in [0, 1] units. */
export function computeNormalisation(source: BatchSource, count: number): Normalisation {
  const c = source.channels;
  const sum = new Float64Array(c);
  const sumSq = new Float64Array(c);
  const values = count * source.height * source.width * c;
  for (let i = 0; i < values; i++) {
    const v = source.images[i] / 255;
    sum[i % c] += v;
    sumSq[i % c] += v * v;
  }
  const perChannel = values / c;
  const mean = Array.from(sum, (s) => s / perChannel);
  const std = Array.from(sumSq, (s, ch) => Math.sqrt(Math.max(1e-12, s / perChannel - mean[ch] * mean[ch])));
  return { mean, std };
}
