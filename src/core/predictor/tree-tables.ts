/**
 * Trees compiled to lookup tables, so scoring the predictor pool's 10^6 rows has no
 * data-dependent branches: a shallow tree reads only a few features, so its leaf for every
 * combination of their values fits in a small table indexed by a mixed-radix code. Trees that
 * read the same features share one table (their values summed). Scoring a row is then one
 * multiply-add per feature and one load per table, instead of an unpredictable branch per
 * node (a 150-tree boosted model took 20-25 s on the pool walking nodes on this machine).
 * Trees whose table would pass `maxTable` entries (deep forest trees) stay walked.
 */
import type { TreeNodes } from './regression-tree';

export interface TreeTable {
  /** features read, ascending */
  features: Int32Array;
  /** code = sum over j of row[features[j]] * multipliers[j] */
  multipliers: Int32Array;
  table: Float64Array;
}

export interface CompiledTrees {
  tables: TreeTable[];
  /** roots of the trees left to walk */
  walked: Int32Array;
}

function featuresOf(nodes: TreeNodes, root: number): number[] {
  const used = new Set<number>();
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (nodes.feature[node] < 0) continue;
    used.add(nodes.feature[node]);
    stack.push(nodes.left[node], nodes.right[node]);
  }
  return [...used].sort((a, b) => a - b);
}

export function compileTrees(nodes: TreeNodes, roots: Int32Array, levels: Int32Array, maxTable = 4096): CompiledTrees {
  const byFeatures = new Map<string, TreeTable>();
  const walked: number[] = [];
  const row = new Uint8Array(levels.length);
  for (const root of roots) {
    const features = featuresOf(nodes, root);
    const size = features.reduce((p, f) => p * levels[f], 1);
    if (size > maxTable) {
      walked.push(root);
      continue;
    }
    const key = features.join(',');
    let entry = byFeatures.get(key);
    if (!entry) {
      const multipliers = new Int32Array(features.length);
      let m = 1;
      for (let j = features.length - 1; j >= 0; j--) {
        multipliers[j] = m;
        m *= levels[features[j]];
      }
      entry = { features: Int32Array.from(features), multipliers, table: new Float64Array(size) };
      byFeatures.set(key, entry);
    }
    for (let code = 0; code < size; code++) {
      let rest = code;
      for (let j = 0; j < features.length; j++) {
        row[features[j]] = Math.floor(rest / entry.multipliers[j]);
        rest %= entry.multipliers[j];
      }
      entry.table[code] += nodes.predict(root, row, 0);
    }
  }
  return { tables: [...byFeatures.values()], walked: Int32Array.from(walked) };
}

/** Adds every compiled tree's value for `n` rows of `stride` choice indices to `out`. */
export function addTreeScores(
  compiled: CompiledTrees,
  nodes: TreeNodes,
  rows: Uint8Array,
  stride: number,
  n: number,
  out: Float64Array,
): void {
  for (const { features, multipliers, table } of compiled.tables) {
    const k = features.length;
    for (let i = 0, base = 0; i < n; i++, base += stride) {
      let code = 0;
      for (let j = 0; j < k; j++) code += rows[base + features[j]] * multipliers[j];
      out[i] += table[code];
    }
  }
  const { feature, threshold, left, right, value } = nodes;
  for (const root of compiled.walked) {
    for (let i = 0, base = 0; i < n; i++, base += stride) {
      let node = root;
      while (feature[node] >= 0) node = rows[base + feature[node]] <= threshold[node] ? left[node] : right[node];
      out[i] += value[node];
    }
  }
}
