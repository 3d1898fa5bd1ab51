import { describe, expect, it } from 'vitest';
import { bilinearResizeMatrix } from '../../src/core/space/resize-matrix';
import { Rng } from '../../src/core/training/rng';

const rows = (m: Float32Array, inSize: number) =>
  Array.from({ length: m.length / inSize }, (_, o) => Array.from(m.subarray(o * inSize, (o + 1) * inSize)));

const expectRows = (m: Float32Array, inSize: number, expected: number[][]) => {
  const got = rows(m, inSize);
  expect(got).toHaveLength(expected.length);
  got.forEach((row, o) => row.forEach((v, i) => expect(v).toBeCloseTo(expected[o][i], 6)));
};

/** 1D bilinear resize the direct way (half-pixel centres, edge clamp), for comparison. */
function resizeDirect(x: readonly number[], outSize: number): number[] {
  const inSize = x.length;
  return Array.from({ length: outSize }, (_, o) => {
    const source = Math.min(inSize - 1, Math.max(0, ((o + 0.5) * inSize) / outSize - 0.5));
    const lo = Math.floor(source);
    const hi = Math.min(inSize - 1, lo + 1);
    const t = source - lo;
    return x[lo] * (1 - t) + x[hi] * t;
  });
}

const apply = (m: Float32Array, inSize: number, x: readonly number[]) =>
  rows(m, inSize).map((row) => row.reduce((s, w, i) => s + w * x[i], 0));

describe('bilinearResizeMatrix', () => {
  it('has outSize x inSize entries', () => {
    expect(bilinearResizeMatrix(4, 2)).toHaveLength(8);
    expect(bilinearResizeMatrix(2, 4)).toHaveLength(8);
    expect(bilinearResizeMatrix(28, 12)).toHaveLength(12 * 28);
  });

  it('is the identity when the sizes match', () => {
    for (const n of [1, 2, 5, 28]) {
      const m = bilinearResizeMatrix(n, n);
      rows(m, n).forEach((row, o) => row.forEach((v, i) => expect(v).toBe(o === i ? 1 : 0)));
    }
  });

  it('4 -> 2 averages neighbouring pairs', () => {
    // sources (0.5)*2 - 0.5 = 0.5 and (1.5)*2 - 0.5 = 2.5
    expectRows(bilinearResizeMatrix(4, 2), 4, [
      [0.5, 0.5, 0, 0],
      [0, 0, 0.5, 0.5],
    ]);
  });

  it('2 -> 4 interpolates at quarter steps and clamps at the edges', () => {
    // sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
    expectRows(bilinearResizeMatrix(2, 4), 2, [
      [1, 0],
      [0.75, 0.25],
      [0.25, 0.75],
      [0, 1],
    ]);
  });

  it('3 -> 2, 4 -> 1, 5 -> 1 and 1 -> 3 by hand', () => {
    // sources 0.25 and 1.75
    expectRows(bilinearResizeMatrix(3, 2), 3, [
      [0.75, 0.25, 0],
      [0, 0.25, 0.75],
    ]);
    // source 1.5
    expectRows(bilinearResizeMatrix(4, 1), 4, [[0, 0.5, 0.5, 0]]);
    // source 2 exactly
    expectRows(bilinearResizeMatrix(5, 1), 5, [[0, 0, 1, 0, 0]]);
    // one input pixel: every output copies it
    expectRows(bilinearResizeMatrix(1, 3), 1, [[1], [1], [1]]);
  });

  it('every row sums to 1, with at most two adjacent non-negative weights', () => {
    for (const [inSize, outSize] of [
      [28, 12],
      [28, 16],
      [28, 20],
      [28, 24],
      [32, 24],
      [12, 28],
      [7, 3],
      [3, 7],
      [28, 28],
      [5, 9],
    ]) {
      const m = bilinearResizeMatrix(inSize, outSize);
      for (const row of rows(m, inSize)) {
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        const nonzero = row.flatMap((v, i) => (v !== 0 ? [i] : []));
        expect(nonzero.length).toBeGreaterThanOrEqual(1);
        expect(nonzero.length).toBeLessThanOrEqual(2);
        if (nonzero.length === 2) expect(nonzero[1] - nonzero[0]).toBe(1);
        for (const v of row) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('maps a ramp to the clamped half-pixel source positions', () => {
    for (const [inSize, outSize] of [
      [28, 12],
      [12, 28],
      [7, 5],
      [4, 9],
    ]) {
      const ramp = Array.from({ length: inSize }, (_, i) => i);
      const out = apply(bilinearResizeMatrix(inSize, outSize), inSize, ramp);
      out.forEach((v, o) => {
        const source = ((o + 0.5) * inSize) / outSize - 0.5;
        expect(v).toBeCloseTo(Math.min(inSize - 1, Math.max(0, source)), 5);
      });
    }
  });

  it('matches a direct bilinear resize of random signals', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 40; trial++) {
      const inSize = 1 + rng.int(32);
      const outSize = 1 + rng.int(32);
      const x = Array.from({ length: inSize }, () => rng.normal());
      const viaMatrix = apply(bilinearResizeMatrix(inSize, outSize), inSize, x);
      const direct = resizeDirect(x, outSize);
      viaMatrix.forEach((v, o) => expect(v).toBeCloseTo(direct[o], 5));
    }
  });
});
