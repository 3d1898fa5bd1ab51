/**
 * The pieces a run import comes back in: every large array is emptied and sent in slices of
 * about PART_BYTES of JSON, and refilling the emptied records in order gives the records back.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeSteps,
  encodeSteps,
  PART_BYTES,
  refill,
  splitLargeArrays,
  stepBuffers,
  stepsFitColumns,
} from '../../src/worker/run-import-protocol';
import { makeRun, makeSearch } from '../core/run-fixtures';

/** A run of `steps` steps, as a long training run's record holds them. */
function longRun(steps: number) {
  const run = makeRun(null);
  const step = run.steps[1];
  run.steps = Array.from({ length: steps }, (_, i) => ({ ...step, step: i, losses: [2.3 - i * 1e-6, NaN, 2.29, 2.35] }));
  return run;
}

describe('splitLargeArrays / refill', () => {
  it('sends a 60,000-step run in slices of at most PART_BYTES and refills it exactly', () => {
    const run = longRun(60_000);
    const original = structuredClone(run);
    const parts = splitLargeArrays(run);
    expect(run.steps).toEqual([]);
    expect(parts.every((p) => p.path.join('.') === 'steps')).toBe(true);
    expect(parts.length).toBeGreaterThan(10);
    for (const part of parts) expect(JSON.stringify(part.items).length).toBeLessThanOrEqual(PART_BYTES + part.items.length + 2);
    // what the UI thread receives: a clone of the skeleton, then each part in order
    const received = structuredClone(run);
    for (const part of structuredClone(parts)) refill(received, part);
    expect(received).toEqual(original);
    expect(received.steps[59_999].losses[1]).toBeNaN();
  });

  it('leaves small records whole', () => {
    const run = makeRun(null);
    const search = makeSearch();
    expect(splitLargeArrays(run)).toEqual([]);
    expect(splitLargeArrays(search)).toEqual([]);
    expect(run).toEqual(makeRun(null));
  });

  it('splits nested arrays with their path, and refuses a path that is not an array', () => {
    const search = makeSearch();
    search.evaluated = Array.from({ length: 3000 }, () => search.evaluated[0]);
    const parts = splitLargeArrays(search, 64 * 1024);
    expect(new Set(parts.map((p) => p.path.join('.')))).toEqual(new Set(['evaluated']));
    expect(() => refill(search, { path: ['config'], items: [1] })).toThrow(/config, which is not an array/);
  });
});

describe('encodeSteps / decodeSteps', () => {
  it('carry a step history as typed arrays and give it back exactly: NaN, -0, no targetBins, other roles', () => {
    const steps = longRun(1000).steps.map((s, i) =>
      i % 3 === 0
        ? { ...s, targetBins: undefined, roles: ['largest', 'custom', 'smallest'], macs: [1, 2, 3], losses: [-0, NaN, 1e-300] }
        : s,
    );
    for (const s of steps) if (s.targetBins === undefined) delete (s as { targetBins?: number[] }).targetBins;
    expect(stepsFitColumns(steps)).toBe(true);
    const columns = structuredClone(encodeSteps(steps), { transfer: stepBuffers(encodeSteps(steps)) });
    const back = decodeSteps(columns);
    expect(back).toEqual(steps);
    expect(Object.is(back[0].losses[0], -0)).toBe(true);
    expect(back[0].losses[1]).toBeNaN();
    expect('targetBins' in back[0]).toBe(false);
    expect(back[1].targetBins).toEqual(steps[1].targetBins);
  });

  it('only steps of the known shape go as columns', () => {
    const run = longRun(3);
    expect(stepsFitColumns([{ ...run.steps[0], extra: 1 } as never])).toBe(false);
    expect(stepsFitColumns([{ ...run.steps[0], macs: Array(300).fill(1) }])).toBe(false);
    expect(stepsFitColumns([{ ...run.steps[0], roles: [5] } as never])).toBe(false);
  });
});
