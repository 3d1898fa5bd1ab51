import { describe, expect, it } from 'vitest';
import { hashString32, Rng } from '../../src/core/training/rng';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.nextUint32());

describe('Rng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draw(new Rng(42), 100)).toEqual(draw(new Rng(42), 100));
  });

  it('gives different sequences for different seeds', () => {
    const a = draw(new Rng(1), 20);
    const b = draw(new Rng(2), 20);
    expect(a).not.toEqual(b);
    // not merely shifted or sharing a prefix: almost every position differs
    expect(a.filter((x, i) => x === b[i]).length).toBeLessThan(2);
  });

  it('derives distinct, reproducible streams per label and per seed', () => {
    const init = draw(Rng.derive(7, 'init'), 20);
    expect(draw(Rng.derive(7, 'init'), 20)).toEqual(init);
    expect(draw(Rng.derive(7, 'sampler'), 20)).not.toEqual(init);
    expect(draw(Rng.derive(8, 'init'), 20)).not.toEqual(init);
    // a derived stream is not the plain seeded stream
    expect(draw(new Rng(7), 20)).not.toEqual(init);
  });

  it('hashString32 is a stable uint32 (FNV-1a reference values)', () => {
    expect(hashString32('')).toBe(0x811c9dc5);
    expect(hashString32('a')).toBe(0xe40c292c);
    expect(hashString32('foobar')).toBe(0xbf9cf968);
  });

  it('resumes exactly from getState()', () => {
    const rng = new Rng(123);
    draw(rng, 37);
    rng.normal();
    const state = rng.getState();
    expect(state).toHaveLength(4);
    const expected = [...draw(rng, 50), rng.next(), rng.int(1000)];
    const resumed = new Rng(state);
    expect([...draw(resumed, 50), resumed.next(), resumed.int(1000)]).toEqual(expected);
  });

  it('getState() returns a copy, not a live view', () => {
    const rng = new Rng(5);
    const state = rng.getState();
    const snapshot = [...state];
    rng.nextUint32();
    expect(state).toEqual(snapshot);
    expect(rng.getState()).not.toEqual(snapshot);
  });

  it('next() stays in [0, 1)', () => {
    const rng = new Rng(9);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(max - min).toBeGreaterThan(0.99);
  });

  it('int(n) stays in range and is roughly uniform over 100k draws', () => {
    const rng = new Rng(2024);
    const n = 10;
    const draws = 100_000;
    const counts = new Array(n).fill(0);
    for (let i = 0; i < draws; i++) {
      const k = rng.int(n);
      if (!Number.isInteger(k) || k < 0 || k >= n) throw new Error(`int(${n}) gave ${k}`);
      counts[k]++;
    }
    const expected = draws / n;
    const chiSquare = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: p(chi2 > 40) is about 1e-5; a broken generator gives thousands
    expect(chiSquare).toBeLessThan(40);
  });

  it('int(1) is always 0 and int rejects n <= 0', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 100; i++) expect(rng.int(1)).toBe(0);
    expect(() => rng.int(0)).toThrow(/n > 0/);
    expect(() => rng.int(-3)).toThrow(/n > 0/);
  });

  it('pick returns members and rejects an empty list', () => {
    const rng = new Rng(4);
    const items = ['a', 'b', 'c'] as const;
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(rng.pick(items));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    expect(() => rng.pick([])).toThrow(/empty/);
  });

  it('normal() has mean ~0 and variance ~1', () => {
    const rng = new Rng(11);
    const n = 20_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(sumSq / n - mean * mean - 1)).toBeLessThan(0.05);
  });

  it('shuffle is an in-place permutation, deterministic per seed', () => {
    const original = Array.from({ length: 100 }, (_, i) => i);
    const a = new Rng(77).shuffle([...original]);
    const b = new Rng(77).shuffle([...original]);
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(original);
    expect(a).not.toEqual(original);

    const typed = Uint32Array.from(original);
    const result = new Rng(77).shuffle(typed);
    expect(result).toBe(typed);
    expect(Array.from(typed)).toEqual(a);
  });

  it('shuffle puts each element in each position about equally often', () => {
    const rng = new Rng(99);
    const n = 4;
    const trials = 20_000;
    const counts = Array.from({ length: n }, () => new Array(n).fill(0));
    for (let t = 0; t < trials; t++) {
      const xs = rng.shuffle([0, 1, 2, 3]);
      xs.forEach((v, pos) => counts[v][pos]++);
    }
    for (const row of counts) for (const c of row) expect(Math.abs(c / trials - 1 / n)).toBeLessThan(0.02);
  });
});
