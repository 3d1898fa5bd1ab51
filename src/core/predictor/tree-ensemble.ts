/**
 * Tree-ensemble accuracy predictors on a subnet's slot choice indices (ordinal: narrower /
 * shallower / smaller kernel first), where ridge on one-hot choices is additive and so
 * cannot express interactions such as "stem width != stage 1 width switches on a shortcut
 * conv". Two kinds, sharing one tree grower:
 *  - 'forest': a random forest as the AttentiveNAS reference uses (bootstrap rows, deep
 *    trees, predictions averaged; every feature tried per split, scikit-learn's default for
 *    regression: a random third fitted a pure two-width interaction worse, tau 0.59 vs 0.64);
 *  - 'boosted': gradient-boosted trees (shallow trees fitted to residuals, shrinkage, row
 *    subsampling without replacement), which tends to do better on a few hundred rows.
 * Deterministic from a seed; targets are standardised before the fit and mapped back, so
 * scores are on the accuracy scale like ridge's.
 */
import { choiceIndicesOf } from '../space/fast-macs';
import type { AccuracyPredictor } from './predictor';
import { growTree, TreeNodes, type TreeData } from './regression-tree';
import { Rng } from '../training/rng';
import { addTreeScores, compileTrees, type CompiledTrees } from './tree-tables';
import type { SearchSpace } from '../space/space';
import { slotsOf, type Subnet } from '../space/subnet';

export type TreeEnsembleKind = 'forest' | 'boosted';

export interface TreeEnsembleOptions {
  trees: number;
  maxDepth: number;
  minLeaf: number;
  /** fraction of the features (slots) tried per split */
  featureFraction: number;
  /** boosted: shrinkage per tree */
  learningRate: number;
  /** boosted: fraction of rows each tree sees (drawn without replacement); forest always bootstraps */
  subsample: number;
  seed: number;
}

export const DEFAULT_TREE_OPTIONS: Record<TreeEnsembleKind, TreeEnsembleOptions> = {
  forest: { trees: 100, maxDepth: 12, minLeaf: 2, featureFraction: 1, learningRate: 1, subsample: 1, seed: 0 },
  // depth 2 (pairwise interactions): the same held-out tau as depth 3 with 150 trees on the
  // fashion measurement (0.441 vs 0.440 over 20 splits) and 3x cheaper to score the pool
  boosted: { trees: 100, maxDepth: 2, minLeaf: 3, featureFraction: 1, learningRate: 0.1, subsample: 0.8, seed: 0 },
};

export class TreeEnsemblePredictor implements AccuracyPredictor {
  private compiled: CompiledTrees | null = null;

  constructor(
    private readonly space: SearchSpace,
    readonly kind: TreeEnsembleKind,
    readonly trainedOn: number,
    private readonly nodes: TreeNodes,
    readonly roots: Int32Array,
    /** score = base + scale * sum of the trees' leaf values */
    private readonly base: number,
    private readonly scale: number,
  ) {}

  get nodeCount(): number {
    return this.nodes.size;
  }

  scoreChoices(choiceIndices: ArrayLike<number>, offset = 0): number {
    let sum = 0;
    for (let t = 0; t < this.roots.length; t++) sum += this.nodes.predict(this.roots[t], choiceIndices, offset);
    return this.base + this.scale * sum;
  }

  scoreSubnet(subnet: Subnet): number {
    return this.scoreChoices(choiceIndicesOf(this.space, subnet));
  }

  /**
   * Scores `n` rows of `stride` choice indices into `out` (the predictor pool's 10^6 members)
   * through lookup tables (tree-tables.ts); equal to scoreChoices up to rounding, since the
   * trees are summed in another order.
   */
  scoreRows(rows: Uint8Array, stride: number, n: number, out: Float64Array): void {
    this.compiled ??= compileTrees(
      this.nodes,
      this.roots,
      Int32Array.from(slotsOf(this.space), (s) => s.choices.length),
    );
    out.fill(0, 0, n);
    addTreeScores(this.compiled, this.nodes, rows, stride, n, out);
    for (let i = 0; i < n; i++) out[i] = this.base + this.scale * out[i];
  }
}

function checkOptions(o: TreeEnsembleOptions): void {
  const bad = (name: string, value: number) => new Error(`fitTreeEnsemble: ${name} is ${value}`);
  if (!(Number.isInteger(o.trees) && o.trees >= 1)) throw bad('trees', o.trees);
  if (!(Number.isInteger(o.maxDepth) && o.maxDepth >= 0)) throw bad('maxDepth', o.maxDepth);
  if (!(Number.isInteger(o.minLeaf) && o.minLeaf >= 1)) throw bad('minLeaf', o.minLeaf);
  if (!(o.featureFraction > 0 && o.featureFraction <= 1)) throw bad('featureFraction', o.featureFraction);
  if (!(o.learningRate > 0 && o.learningRate <= 1)) throw bad('learningRate', o.learningRate);
  if (!(o.subsample > 0 && o.subsample <= 1)) throw bad('subsample', o.subsample);
}

export function fitTreeEnsemble(
  space: SearchSpace,
  examples: { subnet: Subnet; accuracy: number }[],
  kind: TreeEnsembleKind,
  overrides: Partial<TreeEnsembleOptions> = {},
): TreeEnsemblePredictor {
  const o = { ...DEFAULT_TREE_OPTIONS[kind], ...overrides };
  checkOptions(o);
  if (examples.length === 0) throw new Error('fitTreeEnsemble: no training examples');
  const slots = slotsOf(space);
  const F = slots.length;
  const n = examples.length;
  const data: TreeData = { x: new Uint8Array(n * F), featureCount: F, levels: Int32Array.from(slots, (s) => s.choices.length) };
  let mu = 0;
  examples.forEach((ex, i) => {
    if (!Number.isFinite(ex.accuracy)) throw new Error(`fitTreeEnsemble: example ${i} has accuracy ${ex.accuracy}`);
    data.x.set(choiceIndicesOf(space, ex.subnet), i * F);
    mu += ex.accuracy;
  });
  mu /= n;
  let variance = 0;
  for (const ex of examples) variance += (ex.accuracy - mu) ** 2;
  const sd = Math.sqrt(variance / n) || 1;
  const y = Float64Array.from(examples, (ex) => (ex.accuracy - mu) / sd);

  const rng = Rng.derive(o.seed, `tree-ensemble:${kind}`);
  const nodes = new TreeNodes(o.trees * 16);
  const roots = new Int32Array(o.trees);
  const treeOptions = { maxDepth: o.maxDepth, minLeaf: o.minLeaf, featuresPerSplit: Math.max(1, Math.round(o.featureFraction * F)) };

  if (kind === 'forest') {
    const rows = new Int32Array(n);
    for (let t = 0; t < o.trees; t++) {
      for (let i = 0; i < n; i++) rows[i] = rng.int(n);
      roots[t] = growTree(data, y, rows, treeOptions, rng, nodes);
    }
    return new TreeEnsemblePredictor(space, kind, n, nodes, roots, mu, sd / o.trees);
  }

  // boosting on the squared loss: each tree fits the residuals of the ensemble so far
  const residual = Float64Array.from(y);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const take = Math.max(1, Math.round(o.subsample * n));
  for (let t = 0; t < o.trees; t++) {
    let rows = all;
    if (take < n) {
      rng.shuffle(all);
      rows = all.slice(0, take);
    }
    roots[t] = growTree(data, residual, rows, treeOptions, rng, nodes);
    for (let i = 0; i < n; i++) residual[i] -= o.learningRate * nodes.predict(roots[t], data.x, i * F);
  }
  return new TreeEnsemblePredictor(space, kind, n, nodes, roots, mu, sd * o.learningRate);
}
