/**
 * Regression trees on ordinal features (a subnet's slot choice indices), the building block
 * of the tree-ensemble accuracy predictor. A split sends a row left when its value at the
 * split's feature is at most the threshold; a feature's values are small integers (0 .. the
 * slot's choice count - 1), so every threshold is tried exactly from per-value sums.
 *
 * Trees are stored flat in typed arrays (one node per index, leaves have feature -1), so an
 * ensemble of a few hundred trees scores the prior's 10^6-member pool without allocating.
 */
import type { Rng } from '../training/rng';

export interface TreeData {
  /** n rows of `featureCount` small non-negative integers, row-major */
  x: Uint8Array;
  featureCount: number;
  /** distinct values per feature (values of feature f lie in 0 .. levels[f] - 1) */
  levels: Int32Array;
}

export interface TreeOptions {
  maxDepth: number;
  /** a split must leave at least this many rows (counting bootstrap repeats) on each side */
  minLeaf: number;
  /** features tried per node (random subset, drawn with `rng`); >= featureCount tries all */
  featuresPerSplit: number;
}

/** Flat nodes of many trees; node i is a leaf when feature[i] < 0. */
export class TreeNodes {
  feature: Int32Array;
  threshold: Int32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  size = 0;

  constructor(capacity = 256) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Int32Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.value = new Float64Array(capacity);
  }

  add(): number {
    if (this.size === this.feature.length) this.grow();
    const i = this.size++;
    this.feature[i] = -1;
    return i;
  }

  /** The value of the leaf that row `row` of `x` (stride `stride`, from `offset`) reaches from `root`. */
  predict(root: number, x: ArrayLike<number>, offset: number): number {
    let node = root;
    const { feature, threshold, left, right } = this;
    while (feature[node] >= 0) node = x[offset + feature[node]] <= threshold[node] ? left[node] : right[node];
    return this.value[node];
  }

  private grow(): void {
    const n = this.feature.length * 2;
    const copy = <T extends Int32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
    this.feature = copy(this.feature, new Int32Array(n));
    this.threshold = copy(this.threshold, new Int32Array(n));
    this.left = copy(this.left, new Int32Array(n));
    this.right = copy(this.right, new Int32Array(n));
    this.value = copy(this.value, new Float64Array(n));
  }
}

/**
 * Grows one least-squares tree on rows `rows` (may repeat, for bootstrap samples) with targets
 * `y`, appending its nodes to `nodes`; returns the root. Ties between splits of equal gain
 * keep the first one found (feature order of the draw, then the lowest threshold), so the
 * tree depends only on the data, the options and the rng.
 */
export function growTree(data: TreeData, y: Float64Array, rows: Int32Array, options: TreeOptions, rng: Rng, nodes: TreeNodes): number {
  const F = data.featureCount;
  const maxLevels = Math.max(1, ...data.levels);
  const sums = new Float64Array(maxLevels);
  const counts = new Int32Array(maxLevels);
  const order = Int32Array.from({ length: F }, (_, f) => f);
  const tryCount = Math.max(1, Math.min(F, options.featuresPerSplit));

  const build = (members: Int32Array, depth: number): number => {
    const node = nodes.add();
    let total = 0;
    for (let i = 0; i < members.length; i++) total += y[members[i]];
    const n = members.length;
    nodes.value[node] = n > 0 ? total / n : 0;
    if (depth >= options.maxDepth || n < 2 * options.minLeaf) return node;

    // a partial Fisher-Yates shuffle picks the features tried at this node
    if (tryCount < F) {
      for (let i = 0; i < tryCount; i++) {
        const j = i + rng.int(F - i);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    let bestGain = 1e-12; // a split must reduce the squared error by more than rounding
    let bestFeature = -1;
    let bestThreshold = 0;
    const parentScore = (total * total) / n;
    for (let k = 0; k < tryCount; k++) {
      const f = tryCount < F ? order[k] : k;
      const L = data.levels[f];
      sums.fill(0, 0, L);
      counts.fill(0, 0, L);
      for (let i = 0; i < n; i++) {
        const r = members[i];
        const v = data.x[r * F + f];
        sums[v] += y[r];
        counts[v]++;
      }
      let leftSum = 0;
      let leftCount = 0;
      for (let t = 0; t < L - 1; t++) {
        leftSum += sums[t];
        leftCount += counts[t];
        const rightCount = n - leftCount;
        if (leftCount < options.minLeaf || rightCount < options.minLeaf) continue;
        const rightSum = total - leftSum;
        // the reduction in squared error: sum^2/count on each side minus the parent's
        const gain = (leftSum * leftSum) / leftCount + (rightSum * rightSum) / rightCount - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          bestThreshold = t;
        }
      }
    }
    if (bestFeature < 0) return node;

    let leftCount = 0;
    for (let i = 0; i < n; i++) if (data.x[members[i] * F + bestFeature] <= bestThreshold) leftCount++;
    const leftRows = new Int32Array(leftCount);
    const rightRows = new Int32Array(n - leftCount);
    for (let i = 0, a = 0, b = 0; i < n; i++) {
      const r = members[i];
      if (data.x[r * F + bestFeature] <= bestThreshold) leftRows[a++] = r;
      else rightRows[b++] = r;
    }
    nodes.feature[node] = bestFeature;
    nodes.threshold[node] = bestThreshold;
    const l = build(leftRows, depth + 1);
    nodes.left[node] = l;
    const r = build(rightRows, depth + 1);
    nodes.right[node] = r;
    return node;
  };
  return build(rows, 0);
}
