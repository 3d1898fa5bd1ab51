import { describe, expect, it } from 'vitest';
import {
  bestUnderBudget,
  costAccuracy,
  dominates,
  hypervolume,
  macsAccuracyHypervolume,
  nonDominated,
  paretoFront,
  type CostAccuracy,
} from '../../src/core/search/pareto';
import { Rng } from '../../src/core/training/rng';

const identity = (p: readonly number[]) => p;

describe('dominates', () => {
  it('needs no worse in every objective and strictly better in one', () => {
    expect(dominates([1, 2], [2, 3])).toBe(true);
    expect(dominates([1, 2], [1, 3])).toBe(true);
    expect(dominates([1, 2], [2, 2])).toBe(true);
    expect(dominates([2, 3], [1, 2])).toBe(false);
  });

  it('equal vectors do not dominate each other', () => {
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([0, 0, 0], [0, 0, 0])).toBe(false);
  });

  it('trade-offs do not dominate either way', () => {
    expect(dominates([1, 3], [2, 2])).toBe(false);
    expect(dominates([2, 2], [1, 3])).toBe(false);
  });

  it('works in 3 and more objectives', () => {
    expect(dominates([1, 1, 1], [1, 1, 2])).toBe(true);
    expect(dominates([1, 1, 3], [1, 2, 2])).toBe(false);
    expect(dominates([0, 0, 0, 0], [0, 0, 0, 1e-9])).toBe(true);
    expect(dominates([0, 0, 0, 1e-9], [0, 0, 0, 0])).toBe(false);
  });

  it('handles negative objectives (maximised ones negated)', () => {
    expect(dominates([1, -0.9], [1, -0.8])).toBe(true);
    expect(dominates([1, -0.8], [1, -0.9])).toBe(false);
  });
});

describe('nonDominated', () => {
  it('is empty for no items and keeps a single item', () => {
    expect(nonDominated([], identity)).toEqual([]);
    expect(nonDominated([[5, 5]], identity)).toEqual([[5, 5]]);
  });

  it('2D: drops dominated points and sorts by the first objective', () => {
    const pts = [
      [3, 1],
      [2, 2],
      [4, 4], // dominated by all three
      [1, 3],
      [2.5, 2.5], // dominated by [2, 2]
    ];
    expect(nonDominated(pts, identity)).toEqual([
      [1, 3],
      [2, 2],
      [3, 1],
    ]);
  });

  it('2D: ties in one objective keep only the better of the other', () => {
    const pts = [
      [1, 5],
      [1, 4],
      [2, 4],
      [2, 3],
    ];
    expect(nonDominated(pts, identity)).toEqual([
      [1, 4],
      [2, 3],
    ]);
  });

  it('keeps the first of duplicated objective vectors only', () => {
    const items = [
      { id: 'a', v: [1, 2] },
      { id: 'b', v: [2, 1] },
      { id: 'c', v: [1, 2] },
      { id: 'd', v: [2, 1] },
      { id: 'e', v: [1, 2] },
    ];
    const front = nonDominated(items, (item) => item.v);
    expect(front.map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('returns the original items (not copies) and does not reorder the input', () => {
    const items = [
      { id: 'x', v: [3, 0] },
      { id: 'y', v: [0, 3] },
    ];
    const copy = [...items];
    const front = nonDominated(items, (item) => item.v);
    expect(front[0]).toBe(items[1]);
    expect(front[1]).toBe(items[0]);
    expect(items).toEqual(copy);
  });

  it('3D: a point on no 2D front can still be non-dominated', () => {
    const pts = [
      [1, 1, 5],
      [2, 2, 1], // worse than [1,1,5] in x and y, better in z
      [2, 2, 6], // dominated by both
      [1, 1, 5], // duplicate
      [3, 0, 9],
      [0, 9, 9],
    ];
    expect(nonDominated(pts, identity)).toEqual([
      [0, 9, 9],
      [1, 1, 5],
      [2, 2, 1],
      [3, 0, 9],
    ]);
  });

  it('3D: the whole set when nothing dominates anything', () => {
    const pts = [
      [1, 2, 3],
      [2, 3, 1],
      [3, 1, 2],
    ];
    expect(nonDominated(pts, identity)).toEqual(pts);
  });

  it('all-equal points collapse to one', () => {
    const pts = [
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ];
    const front = nonDominated(pts, identity);
    expect(front).toHaveLength(1);
    expect(front[0]).toBe(pts[0]);
  });

  it('agrees with a brute-force O(n^2) filter on random 3D sets', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 30; trial++) {
      // small integer grid so ties and duplicates are common
      const pts = Array.from({ length: 40 }, () => [rng.int(6), rng.int(6), rng.int(6)]);
      const front = nonDominated(pts, identity);
      const key = (p: readonly number[]) => p.join(',');
      const expected = new Set(pts.filter((p) => !pts.some((q) => dominates(q, p))).map(key));
      expect(new Set(front.map(key))).toEqual(expected);
      // no duplicates in the front
      expect(new Set(front.map(key)).size).toBe(front.length);
      // nothing in the front is dominated by anything in the input
      for (const p of front) expect(pts.some((q) => dominates(q, p))).toBe(false);
    }
  });
});

describe('paretoFront', () => {
  interface Item extends CostAccuracy {
    id: string;
  }
  const items: Item[] = [
    { id: 'small', macs: 10, accuracy: 0.5 },
    { id: 'mid', macs: 20, accuracy: 0.7 },
    { id: 'bad', macs: 25, accuracy: 0.6 }, // dominated by mid
    { id: 'big', macs: 40, accuracy: 0.9 },
    { id: 'waste', macs: 50, accuracy: 0.9 }, // same accuracy, more MACs
    { id: 'same-as-mid', macs: 20, accuracy: 0.7 }, // duplicate of mid
  ];

  it('minimises MACs and maximises accuracy, ascending in both', () => {
    const front = paretoFront(items);
    expect(front.map((i) => i.id)).toEqual(['small', 'mid', 'big']);
    for (let i = 1; i < front.length; i++) {
      expect(front[i].macs).toBeGreaterThan(front[i - 1].macs);
      expect(front[i].accuracy).toBeGreaterThan(front[i - 1].accuracy);
    }
  });

  it('with latency as a third objective keeps slower-on-paper but faster subnets', () => {
    const withLatency: Item[] = [
      { id: 'a', macs: 10, accuracy: 0.8, latencyMs: 5 },
      { id: 'b', macs: 20, accuracy: 0.7, latencyMs: 2 }, // dominated in 2D, fastest in 3D
      { id: 'c', macs: 20, accuracy: 0.7, latencyMs: 3 }, // dominated by b
      { id: 'd', macs: 30, accuracy: 0.6 }, // no latency: treated as Infinity, dominated by a
    ];
    expect(paretoFront(withLatency).map((i) => i.id)).toEqual(['a']);
    expect(paretoFront(withLatency, true).map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('costAccuracy maps to minimised vectors', () => {
    expect(costAccuracy()({ macs: 5, accuracy: 0.25, latencyMs: 3 })).toEqual([5, -0.25]);
    expect(costAccuracy(true)({ macs: 5, accuracy: 0.25, latencyMs: 3 })).toEqual([5, -0.25, 3]);
    expect(costAccuracy(true)({ macs: 5, accuracy: 0.25 })).toEqual([5, -0.25, Infinity]);
  });

  it('is empty for no items', () => {
    expect(paretoFront([])).toEqual([]);
  });
});

/** Exact hypervolume by brute force over the grid of all coordinates (independent of the slicing code). */
function gridHypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const d = reference.length;
  const inside = points.filter((p) => p.every((x, i) => x < reference[i]));
  const axes = Array.from({ length: d }, (_, i) => [...new Set([...inside.map((p) => p[i]), reference[i]])].sort((a, b) => a - b));
  let volume = 0;
  const corner: number[] = new Array(d).fill(0);
  const walk = (axis: number, cellVolume: number) => {
    if (axis === d) {
      if (inside.some((p) => p.every((x, i) => x <= corner[i]))) volume += cellVolume;
      return;
    }
    const coords = axes[axis];
    for (let j = 0; j + 1 < coords.length; j++) {
      corner[axis] = coords[j];
      walk(axis + 1, cellVolume * (coords[j + 1] - coords[j]));
    }
  };
  if (inside.length) walk(0, 1);
  return volume;
}

describe('hypervolume', () => {
  it('2D staircase (1,3),(2,2),(3,1) against (4,4) is 6', () => {
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
        ],
        [4, 4],
      ),
    ).toBeCloseTo(6, 12);
  });

  it('2D single point is the box to the reference', () => {
    expect(hypervolume([[1, 2]], [4, 4])).toBeCloseTo(6, 12);
    expect(hypervolume([[0, 0]], [2, 3])).toBeCloseTo(6, 12);
  });

  it('2D with negative coordinates (maximised objective negated)', () => {
    // (0.5, -0.8) vs (1, 0): 0.5 * 0.8
    expect(hypervolume([[0.5, -0.8]], [1, 0])).toBeCloseTo(0.4, 12);
  });

  it('is 0 for no points', () => {
    expect(hypervolume([], [1, 1])).toBe(0);
    expect(hypervolume([], [1, 1, 1])).toBe(0);
  });

  it('ignores points on or beyond the reference in any objective', () => {
    const ref = [4, 4];
    expect(hypervolume([[4, 0]], ref)).toBe(0);
    expect(hypervolume([[0, 4]], ref)).toBe(0);
    expect(hypervolume([[5, 5]], ref)).toBe(0);
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
          [4, 0],
          [-1, 10],
        ],
        ref,
      ),
    ).toBeCloseTo(6, 12);
  });

  it('ignores points of the wrong dimension', () => {
    expect(hypervolume([[1, 1, 1]], [2, 2])).toBe(0);
    expect(hypervolume([[1], [1, 1]], [2, 2])).toBeCloseTo(1, 12);
  });

  it('duplicates and dominated points add nothing', () => {
    const base = [
      [1, 3],
      [3, 1],
    ];
    // (1,3)->area 3*1, (3,1)->1*3, overlap [3,4]x[3,4] = 1 -> 5
    expect(hypervolume(base, [4, 4])).toBeCloseTo(5, 12);
    expect(hypervolume([...base, [1, 3], [3, 1], [3, 3.5]], [4, 4])).toBeCloseTo(5, 12);
  });

  it('1D is the distance from the best point to the reference', () => {
    expect(hypervolume([[2], [3]], [5])).toBeCloseTo(3, 12);
  });

  it('3D: single point (0,0,0) against (1,1,1) is 1', () => {
    expect(hypervolume([[0, 0, 0]], [1, 1, 1])).toBeCloseTo(1, 12);
  });

  it('3D: two overlapping boxes by inclusion-exclusion', () => {
    // [0,1]x[0,1]x[0.5,1] = 0.5, [0.5,1]x[0.5,1]x[0,1] = 0.25, overlap [0.5,1]^3 = 0.125
    const pts = [
      [0, 0, 0.5],
      [0.5, 0.5, 0],
    ];
    expect(hypervolume(pts, [1, 1, 1])).toBeCloseTo(0.625, 12);
    expect(hypervolume([...pts].reverse(), [1, 1, 1])).toBeCloseTo(0.625, 12);
  });

  it('3D: three symmetric points', () => {
    // each box 2*1*1 = 2; each pairwise overlap and the triple overlap are [2,3]^3 = 1: 6 - 3 + 1
    const pts = [
      [1, 2, 2],
      [2, 1, 2],
      [2, 2, 1],
    ];
    expect(hypervolume(pts, [3, 3, 3])).toBeCloseTo(4, 12);
  });

  it('3D: points tied in the last objective', () => {
    // same z: the 2D staircase area 6 (of the first two coords against (4,4)) times depth 1
    const pts = [
      [1, 3, 0],
      [2, 2, 0],
      [3, 1, 0],
    ];
    expect(hypervolume(pts, [4, 4, 1])).toBeCloseTo(6, 12);
  });

  it('does not modify its input', () => {
    const pts = [
      [3, 1],
      [1, 3],
    ];
    const copy = pts.map((p) => [...p]);
    hypervolume(pts, [4, 4]);
    expect(pts).toEqual(copy);
  });

  it('matches an exact grid brute force on random 2D and 3D sets', () => {
    const rng = new Rng(11);
    for (const d of [2, 3]) {
      for (let trial = 0; trial < 20; trial++) {
        const n = 1 + rng.int(d === 2 ? 30 : 12);
        // a few points beyond the reference (x up to 1.2) to exercise the filter
        const pts = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.next() * 1.2));
        const ref = new Array(d).fill(1);
        expect(hypervolume(pts, ref)).toBeCloseTo(gridHypervolume(pts, ref), 10);
      }
    }
  });

  it('equals the hypervolume of its non-dominated subset; dominated points change nothing', () => {
    const rng = new Rng(2024);
    for (const d of [2, 3]) {
      for (let trial = 0; trial < 25; trial++) {
        const ref = new Array(d).fill(10);
        const pts = Array.from({ length: 5 + rng.int(20) }, () => Array.from({ length: d }, () => rng.int(12) + rng.next()));
        const hv = hypervolume(pts, ref);
        expect(hypervolume(nonDominated(pts, identity), ref)).toBeCloseTo(hv, 9);
        // a point no better than an existing one in every objective
        const parent = pts[rng.int(pts.length)];
        const dominated = parent.map((x) => x + rng.next() * 2);
        expect(hypervolume([...pts, dominated], ref)).toBeCloseTo(hv, 9);
        // and a point strictly better than a front point inside the reference grows it
        const front = nonDominated(
          pts.filter((p) => p.every((x) => x < 10)),
          identity,
        );
        expect(front.length).toBeGreaterThan(0);
        const better = front[rng.int(front.length)].map((x) => x - 0.5);
        expect(hypervolume([...pts, better], ref)).toBeGreaterThan(hv + 1e-9);
      }
    }
  });

  it('2D agrees with a Monte Carlo estimate', () => {
    const rng = new Rng(99);
    for (let trial = 0; trial < 5; trial++) {
      const pts = Array.from({ length: 3 + rng.int(15) }, () => [rng.next(), rng.next()]);
      const samples = 40_000;
      let hits = 0;
      for (let s = 0; s < samples; s++) {
        const x = rng.next();
        const y = rng.next();
        if (pts.some((p) => p[0] <= x && p[1] <= y)) hits++;
      }
      const estimate = hits / samples;
      // standard error is at most 0.5 / sqrt(40000) = 0.0025; allow 4 of them
      expect(Math.abs(hypervolume(pts, [1, 1]) - estimate)).toBeLessThan(0.01);
    }
  });
});

describe('macsAccuracyHypervolume', () => {
  it('a single point is its normalised box', () => {
    expect(macsAccuracyHypervolume([{ macs: 50, accuracy: 0.8 }], { maxMacs: 100, minAccuracy: 0 })).toBeCloseTo(0.4, 12);
    // accuracy rescaled over (0.5, 1]: (0.8 - 0.5) / 0.5 = 0.6, times 0.5 of MACs
    expect(macsAccuracyHypervolume([{ macs: 50, accuracy: 0.8 }], { maxMacs: 100, minAccuracy: 0.5 })).toBeCloseTo(0.3, 12);
  });

  it('a two-point staircase', () => {
    // (0.25, 0.5) and (0.75, 0.9): 0.5 * 0.5 + 0.25 * 0.9
    const front = [
      { macs: 25, accuracy: 0.5 },
      { macs: 75, accuracy: 0.9 },
    ];
    expect(macsAccuracyHypervolume(front, { maxMacs: 100, minAccuracy: 0 })).toBeCloseTo(0.475, 12);
  });

  it('is 1 for a free perfect subnet and 0 for none or useless ones', () => {
    expect(macsAccuracyHypervolume([{ macs: 0, accuracy: 1 }], { maxMacs: 100, minAccuracy: 0.1 })).toBeCloseTo(1, 12);
    expect(macsAccuracyHypervolume([], { maxMacs: 100, minAccuracy: 0 })).toBe(0);
    // at the MACs reference, or at/below the accuracy floor: outside
    expect(macsAccuracyHypervolume([{ macs: 100, accuracy: 0.9 }], { maxMacs: 100, minAccuracy: 0 })).toBe(0);
    expect(macsAccuracyHypervolume([{ macs: 10, accuracy: 0.1 }], { maxMacs: 100, minAccuracy: 0.1 })).toBe(0);
    expect(macsAccuracyHypervolume([{ macs: 10, accuracy: 0.05 }], { maxMacs: 100, minAccuracy: 0.1 })).toBe(0);
  });

  it('stays in [0, 1] on random fronts and only grows when points are added', () => {
    const rng = new Rng(5);
    const ref = { maxMacs: 4e6, minAccuracy: 0.1 };
    let items: CostAccuracy[] = [];
    let previous = 0;
    for (let i = 0; i < 60; i++) {
      items = [...items, { macs: rng.next() * 5e6, accuracy: rng.next() }];
      const hv = macsAccuracyHypervolume(items, ref);
      expect(hv).toBeGreaterThanOrEqual(previous - 1e-12);
      expect(hv).toBeGreaterThanOrEqual(0);
      expect(hv).toBeLessThanOrEqual(1);
      previous = hv;
    }
    expect(previous).toBeGreaterThan(0);
  });

  it('throws on a reference with no area', () => {
    const msg = /hypervolume reference must have maxMacs > 0 and minAccuracy < 1/;
    expect(() => macsAccuracyHypervolume([], { maxMacs: 0, minAccuracy: 0 })).toThrow(msg);
    expect(() => macsAccuracyHypervolume([], { maxMacs: -5, minAccuracy: 0 })).toThrow(msg);
    expect(() => macsAccuracyHypervolume([], { maxMacs: 100, minAccuracy: 1 })).toThrow(msg);
    expect(() => macsAccuracyHypervolume([], { maxMacs: 100, minAccuracy: 1.5 })).toThrow(msg);
    expect(() => macsAccuracyHypervolume([], { maxMacs: NaN, minAccuracy: 0 })).toThrow(msg);
  });
});

describe('bestUnderBudget', () => {
  const items = [
    { id: 'a', macs: 10, accuracy: 0.5 },
    { id: 'b', macs: 30, accuracy: 0.8 },
    { id: 'c', macs: 20, accuracy: 0.8 }, // same accuracy as b, fewer MACs
    { id: 'd', macs: 50, accuracy: 0.95 },
  ];

  it('picks the most accurate item at or under the budget', () => {
    expect(bestUnderBudget(items, 15)?.id).toBe('a');
    expect(bestUnderBudget(items, 49.9)?.id).toBe('c');
    expect(bestUnderBudget(items, 50)?.id).toBe('d'); // inclusive
    expect(bestUnderBudget(items, 1e9)?.id).toBe('d');
  });

  it('breaks accuracy ties by fewer MACs whatever the order', () => {
    expect(bestUnderBudget(items, 30)?.id).toBe('c');
    expect(bestUnderBudget([...items].reverse(), 30)?.id).toBe('c');
  });

  it('returns null when nothing fits', () => {
    expect(bestUnderBudget(items, 9)).toBeNull();
    expect(bestUnderBudget([], 100)).toBeNull();
  });
});
