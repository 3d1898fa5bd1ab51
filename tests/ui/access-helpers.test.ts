import { describe, expect, it } from 'vitest';
import type { EvaluatedSubnet } from '../../src/core/search/evolution';
import { describeOrigin, nextPointKey } from '../../src/ui/charts/scatter-keys';
import { startProblems, USER_DATASET_MISSING } from '../../src/ui/start-guard';
import { builtInDataUrl } from '../../src/worker/data-url';

const point = (key: string, macs: number, accuracy: number): EvaluatedSubnet => ({ key, macs, accuracy }) as EvaluatedSubnet;

describe('keyboard over the Pareto scatter', () => {
  const byMacs = [point('a', 1, 0.5), point('b', 2, 0.7), point('c', 3, 0.6), point('d', 4, 0.8)];
  const front = [byMacs[0], byMacs[1], byMacs[3]];
  it('steps through every point by MACs and stops at the ends', () => {
    expect(nextPointKey('ArrowRight', null, byMacs, front)).toBe('a');
    expect(nextPointKey('ArrowRight', 'a', byMacs, front)).toBe('b');
    expect(nextPointKey('ArrowLeft', 'a', byMacs, front)).toBe('a');
    expect(nextPointKey('End', 'a', byMacs, front)).toBe('d');
    expect(nextPointKey('Home', 'd', byMacs, front)).toBe('a');
  });
  it('moves along the front, joining it at the nearest MACs from off it', () => {
    expect(nextPointKey('ArrowUp', 'b', byMacs, front)).toBe('d');
    expect(nextPointKey('ArrowDown', 'b', byMacs, front)).toBe('a');
    expect(nextPointKey('ArrowUp', 'c', byMacs, front)).toBe('b');
  });
  it('leaves other keys alone', () => {
    expect(nextPointKey('Enter', 'a', byMacs, front)).toBeUndefined();
    expect(nextPointKey('ArrowRight', null, [], [])).toBeUndefined();
  });
  it('says how a subnet was found in words', () => {
    expect(describeOrigin({ generation: 0, origin: 'smallest' })).toBe('generation 0: the smallest subnet, put into the first population');
  });
});

describe('start guard', () => {
  it('refuses your own data with no files loaded', () => {
    const settings = { dataset: 'user' } as never;
    expect(startProblems({ settingsProblems: [], settings, userDataset: null })).toEqual([USER_DATASET_MISSING]);
    expect(startProblems({ settingsProblems: [], settings: { dataset: 'fashion-mnist' } as never, userDataset: null })).toEqual([]);
  });
});

describe('built-in data URL', () => {
  it('is relative to index.html for a relative base (any path of a static host)', () => {
    expect(builtInDataUrl('./', 'https://u.github.io/repo/assets/engine.worker-x.js', 'fashion-mnist').href).toBe(
      'https://u.github.io/repo/data/fashion-mnist/',
    );
  });
  it('is read from the origin for an absolute base (the dev server)', () => {
    expect(builtInDataUrl('/', 'http://localhost:5173/src/worker/engine.worker.ts?worker_file', 'fashion-mnist').href).toBe(
      'http://localhost:5173/data/fashion-mnist/',
    );
  });
});
