/**
 * Two sandwich steps from a fixed seed give the same losses, weights and optimizer state,
 * to float tolerance, as the engine before its kernels were fused (fixture written by
 * sandwich-golden.ts from the unfused engine, on each backend and conv form).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenCases, goldenPath, goldenRun, oldCheckpointPath, resumedStep, type GoldenRun, type VariableDigest } from './sandwich-golden';

const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as Record<string, GoldenRun>;

function expectClose(label: string, actual: number, expected: number, tolerance: number) {
  const err = Math.abs(actual - expected);
  expect(err, `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

function expectDigest(label: string, actual: VariableDigest, expected: VariableDigest) {
  expectClose(`${label} sum of squares`, actual.sumSquares, expected.sumSquares, 1e-4);
  expectClose(`${label} sum`, actual.sum, expected.sum, 1e-4);
  actual.samples.forEach((v, i) => expectClose(`${label} sample ${i}`, v, expected.samples[i], 1e-4));
}

function expectRun(actual: GoldenRun, expected: GoldenRun) {
  actual.losses.forEach((row, s) => row.forEach((l, i) => expectClose(`loss step ${s} subnet ${i}`, l, expected.losses[s][i], 1e-4)));
  expect(Object.keys(actual.weights)).toEqual(Object.keys(expected.weights));
  for (const name of Object.keys(expected.weights)) {
    expectDigest(`weight ${name}`, actual.weights[name], expected.weights[name]);
    expectDigest(`velocity ${name}`, actual.velocity[name], expected.velocity[name]);
  }
}

describe('sandwich step against the unfused engine', () => {
  for (const { backend, form } of goldenCases) {
    it(`${backend} / ${form}: same losses, weights and velocity after two steps`, async () => {
      expectRun(await goldenRun(backend, form), golden[`${backend}/${form}`]);
    });
  }

  it('resumes a checkpoint the unfused engine wrote, and its next step matches that engine', async () => {
    const bytes = new Uint8Array(readFileSync(oldCheckpointPath));
    const { run } = await resumedStep(bytes);
    expectRun(run, golden['wasm/portable resumed']);
  });
});
