import { describe, expect, it } from 'vitest';
import { choiceIndicesOf } from '../../src/core/space/fast-macs';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { slotsOf, type Subnet } from '../../src/core/space/subnet';
import { fitTreeEnsemble } from '../../src/core/predictor/tree-ensemble';
import { addTreeScores, compileTrees } from '../../src/core/predictor/tree-tables';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';

const space = presetSpace('fashion');
const S = slotsOf(space).length;
const levels = Int32Array.from(slotsOf(space), (s) => s.choices.length);
const rng = new Rng(11);
const target = (s: Subnet) => s.resolution / 28 + (s.width[0] !== s.width[1] ? 0.3 : 0) + s.depth.reduce((a, b) => a + b, 0) / 20;
const train = Array.from({ length: 120 }, () => {
  const subnet = sampleUniform(space, rng);
  return { subnet, accuracy: target(subnet) + 0.02 * rng.normal() };
});
const rows = Array.from({ length: 300 }, () => sampleUniform(space, rng));
const packed = new Uint8Array(rows.length * S);
rows.forEach((s, i) => packed.set(choiceIndicesOf(space, s), i * S));

describe('tree tables', () => {
  it.each(['boosted', 'forest'] as const)('%s: the pool scorer agrees with scoreChoices row by row', (kind) => {
    const p = fitTreeEnsemble(space, train, kind, { seed: 2 });
    const out = new Float64Array(rows.length);
    p.scoreRows(packed, S, rows.length, out);
    rows.forEach((s, i) => expect(out[i]).toBeCloseTo(p.scoreSubnet(s), 10));
  });

  it('tables the trees that fit, walks the others, and sums either way to the same values', () => {
    const p = fitTreeEnsemble(space, train, 'forest', { seed: 3, trees: 20 });
    const nodes = p['nodes'];
    const all = compileTrees(nodes, p.roots, levels, 1 << 30);
    const none = compileTrees(nodes, p.roots, levels, 1);
    expect(none.tables).toHaveLength(0);
    expect(none.walked).toHaveLength(20);
    const shallow = fitTreeEnsemble(space, train, 'boosted', { seed: 3, trees: 30, maxDepth: 2 });
    const compiled = compileTrees(shallow['nodes'], shallow.roots, levels);
    expect(compiled.walked).toHaveLength(0);
    // trees on the same features share one table
    expect(compiled.tables.length).toBeLessThanOrEqual(30);
    for (const t of compiled.tables) expect(t.table.length).toBe(Array.from(t.features).reduce((a, f) => a * levels[f], 1));
    const a = new Float64Array(rows.length);
    const b = new Float64Array(rows.length);
    addTreeScores(all, nodes, packed, S, rows.length, a);
    addTreeScores(none, nodes, packed, S, rows.length, b);
    for (let i = 0; i < rows.length; i++) expect(a[i]).toBeCloseTo(b[i], 10);
  });
});
