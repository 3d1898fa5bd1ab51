import { describe, expect, it } from 'vitest';
import {
  assembleBatch,
  computeNormalisation,
  defaultAugmentation,
  noAugmentation,
  type BatchSource,
  type Normalisation,
} from '../../src/core/data/augment';
import { Rng } from '../../src/core/training/rng';

const H = 5;
const W = 6;

/** count images of H x W x channels with distinct, non-zero, asymmetric pixel values */
function makeSource(count: number, channels = 1): BatchSource {
  const images = new Uint8Array(count * H * W * channels);
  for (let i = 0; i < images.length; i++) images[i] = 1 + ((i * 37 + 11) % 254);
  return { images, height: H, width: W, channels };
}

const pixelsOf = (s: BatchSource) => s.height * s.width * s.channels;

/** The expected normalised image n, optionally mirrored and shifted by (dy, dx) with black fill. */
function expectedImage(source: BatchSource, n: number, norm: Normalisation, dy = 0, dx = 0, flip = false): number[] {
  const { height: h, width: w, channels: c } = source;
  const out: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        const sy = y - dy;
        let sx = x - dx;
        if (flip) sx = w - 1 - sx;
        const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
        const v = inside ? source.images[n * h * w * c + (sy * w + sx) * c + ch] : 0;
        out.push((v / 255 - norm.mean[ch]) / norm.std[ch]);
      }
    }
  }
  return out;
}

function closeTo(actual: ArrayLike<number>, expected: number[], tol = 1e-5): boolean {
  if (actual.length !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (Math.abs(actual[i] - expected[i]) > tol) return false;
  return true;
}

const slice = (batch: Float32Array, n: number, pixels: number) => batch.subarray(n * pixels, (n + 1) * pixels);

describe('assembleBatch', () => {
  const norm: Normalisation = { mean: [0.3], std: [0.4] };

  it('without augmentation gathers by index and normalises as (v/255 - mean) / std', () => {
    const source = makeSource(4);
    const pixels = pixelsOf(source);
    const indices = [2, 0, 2];
    const batch = assembleBatch(source, indices, norm, noAugmentation, new Rng(1));
    expect(batch).toBeInstanceOf(Float32Array);
    expect(batch).toHaveLength(3 * pixels);
    indices.forEach((index, n) => {
      const expected = expectedImage(source, index, norm);
      const got = slice(batch, n, pixels);
      for (let i = 0; i < pixels; i++) expect(got[i]).toBeCloseTo(expected[i], 5);
    });
    // spot check one value by hand: image 0, pixel 0 is 1 + 11 = 12
    expect(batch[pixels]).toBeCloseTo((12 / 255 - 0.3) / 0.4, 6);
  });

  it('normalises each channel with its own mean and std (NHWC)', () => {
    const source = makeSource(2, 3);
    const rgb: Normalisation = { mean: [0.1, 0.5, 0.9], std: [0.2, 0.25, 0.5] };
    const batch = assembleBatch(source, [1], rgb, noAugmentation, null);
    expect(closeTo(batch, expectedImage(source, 1, rgb))).toBe(true);
  });

  it('does not augment when rng is null, even with defaultAugmentation', () => {
    const source = makeSource(3);
    const batch = assembleBatch(source, [0, 1, 2], norm, defaultAugmentation, null);
    for (let n = 0; n < 3; n++) expect(closeTo(slice(batch, n, pixelsOf(source)), expectedImage(source, n, norm))).toBe(true);
  });

  it('writes into a given output buffer', () => {
    const source = makeSource(2);
    const out = new Float32Array(2 * pixelsOf(source)).fill(Number.NaN);
    const result = assembleBatch(source, [1, 0], norm, noAugmentation, null, out);
    expect(result).toBe(out);
    expect(out.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('flip-only augmentation gives the original or its exact mirror, and both occur', () => {
    const source = makeSource(24);
    const pixels = pixelsOf(source);
    const indices = Array.from({ length: 24 }, (_, i) => i);
    const batch = assembleBatch(source, indices, norm, { maxShift: 0, flip: true }, new Rng(3));
    let flipped = 0;
    let kept = 0;
    for (const n of indices) {
      const got = slice(batch, n, pixels);
      const same = closeTo(got, expectedImage(source, n, norm));
      const mirror = closeTo(got, expectedImage(source, n, norm, 0, 0, true));
      expect(same || mirror).toBe(true);
      if (mirror) flipped++;
      if (same) kept++;
    }
    expect(flipped).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });

  it('shift augmentation gives a translation by at most maxShift with black fill', () => {
    const source = makeSource(16);
    const pixels = pixelsOf(source);
    const indices = Array.from({ length: 16 }, (_, i) => i);
    const batch = assembleBatch(source, indices, norm, { maxShift: 2, flip: false }, new Rng(4));
    const shifts = new Set<string>();
    for (const n of indices) {
      const got = slice(batch, n, pixels);
      let match: string | null = null;
      for (let dy = -2; dy <= 2 && !match; dy++) {
        for (let dx = -2; dx <= 2 && !match; dx++) {
          if (closeTo(got, expectedImage(source, n, norm, dy, dx))) match = `${dy},${dx}`;
        }
      }
      expect(match).not.toBeNull();
      shifts.add(match!);
    }
    expect(shifts.size).toBeGreaterThan(3);
  });

  it('gives the same batch for the same seed and a different one for another seed', () => {
    const source = makeSource(8);
    const indices = [7, 3, 3, 0, 5, 1, 6, 2];
    const a = assembleBatch(source, indices, norm, defaultAugmentation, new Rng(42));
    const b = assembleBatch(source, indices, norm, defaultAugmentation, new Rng(42));
    const c = assembleBatch(source, indices, norm, defaultAugmentation, new Rng(43));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });
});

describe('computeNormalisation', () => {
  it('gives the value and a tiny std for a constant image', () => {
    const source: BatchSource = { images: new Uint8Array(2 * H * W).fill(51), height: H, width: W, channels: 1 };
    const { mean, std } = computeNormalisation(source, 2);
    expect(mean).toHaveLength(1);
    expect(mean[0]).toBeCloseTo(0.2, 12);
    expect(std[0]).toBeGreaterThan(0);
    expect(std[0]).toBeLessThan(1e-3);
  });

  it('computes per-channel mean and population std', () => {
    // channel 0 alternates 0 and 255 -> mean 0.5, std 0.5; channel 1 is 102 -> mean 0.4
    const count = 2;
    const values = count * H * W;
    const images = new Uint8Array(values * 2);
    for (let i = 0; i < values; i++) {
      images[2 * i] = i % 2 === 0 ? 0 : 255;
      images[2 * i + 1] = 102;
    }
    const { mean, std } = computeNormalisation({ images, height: H, width: W, channels: 2 }, count);
    expect(mean[0]).toBeCloseTo(0.5, 12);
    expect(std[0]).toBeCloseTo(0.5, 12);
    expect(mean[1]).toBeCloseTo(0.4, 12);
    expect(std[1]).toBeLessThan(1e-3);
  });

  it('only looks at the first count images', () => {
    const images = new Uint8Array(3 * H * W);
    images.fill(255, 2 * H * W);
    const { mean } = computeNormalisation({ images, height: H, width: W, channels: 1 }, 2);
    expect(mean[0]).toBe(0);
  });
});
