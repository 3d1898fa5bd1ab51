import { describe, expect, it } from 'vitest';
import { choiceIndicesOf } from '../../src/core/space/fast-macs';
import { fitAccuracyPredictor } from '../../src/core/predictor/fit-predictor';
import { evaluatePredictor, fitRidgePredictor, kendallTau } from '../../src/core/predictor/predictor';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import type { Subnet } from '../../src/core/space/subnet';
import { fitTreeEnsemble, type TreeEnsembleKind } from '../../src/core/predictor/tree-ensemble';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';

const space = presetSpace('fashion');
const kinds: TreeEnsembleKind[] = ['forest', 'boosted'];

/**
 * A pure interaction, like the shortcut conv that exists only when the stem width differs
 * from stage 1's: +1 when the two widths differ, 0 when they match. Each width alone carries
 * no signal, so an additive model (ridge) can only guess.
 */
const xorTarget = (subnet: Subnet) => ((subnet.width[0] === 8) !== (subnet.width[1] === 8) ? 1 : 0);

function sample(n: number, seed: number, target: (s: Subnet) => number, noise = 0.05) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const subnet = sampleUniform(space, rng);
    return { subnet, accuracy: target(subnet) + noise * rng.normal() };
  });
}

describe('tree ensembles', () => {
  const train = sample(150, 1, xorTarget);
  const heldOut = sample(100, 2, xorTarget, 0);

  it.each(kinds)('%s fits an XOR of two widths that ridge cannot', (kind) => {
    const trees = fitTreeEnsemble(space, train, kind, { seed: 3 });
    const ridge = fitRidgePredictor(space, train);
    const treeTau = evaluatePredictor(trees, heldOut).kendallTau;
    const ridgeTau = evaluatePredictor(ridge, heldOut).kendallTau;
    // with two target values, tau-b peaks below 1 (ties in the truth): the ceiling is a perfect separation
    const truth = heldOut.map((ex) => ex.accuracy);
    const ceiling = kendallTau(
      truth.map((t, i) => t + i * 1e-9),
      truth,
    );
    console.log(`XOR target: ${kind} tau ${treeTau.toFixed(3)}, ridge tau ${ridgeTau.toFixed(3)}, ceiling ${ceiling.toFixed(3)}`);
    expect(treeTau).toBeGreaterThan(0.75 * ceiling);
    expect(Math.abs(ridgeTau)).toBeLessThan(0.25 * ceiling);
    // predictions on the accuracy scale: higher on average where the widths differ
    const mean = (c: number) => {
      const xs = heldOut.filter((ex) => ex.accuracy === c).map((ex) => trees.scoreSubnet(ex.subnet));
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean(1) - mean(0)).toBeGreaterThan(0.2);
  });

  it.each(kinds)('%s is deterministic from its seed and changes with it', (kind) => {
    const a = fitTreeEnsemble(space, train, kind, { seed: 7 });
    const b = fitTreeEnsemble(space, train, kind, { seed: 7 });
    const c = fitTreeEnsemble(space, train, kind, { seed: 8 });
    const scores = (p: typeof a) => heldOut.map((ex) => p.scoreSubnet(ex.subnet));
    expect(scores(a)).toEqual(scores(b));
    expect(scores(a)).not.toEqual(scores(c));
  });

  it.each(kinds)('%s handles one, two and a few samples, and constant targets', (kind) => {
    const one = sample(1, 4, () => 0.7, 0);
    expect(fitTreeEnsemble(space, one, kind).scoreSubnet(heldOut[0].subnet)).toBeCloseTo(0.7, 12);
    const two = sample(2, 5, (s) => s.resolution / 100, 0);
    const p2 = fitTreeEnsemble(space, two, kind);
    for (const ex of heldOut) expect(Number.isFinite(p2.scoreSubnet(ex.subnet))).toBe(true);
    const constant = sample(20, 6, () => 0.5, 0);
    const pc = fitTreeEnsemble(space, constant, kind);
    expect(pc.scoreSubnet(heldOut[1].subnet)).toBeCloseTo(0.5, 12);
    expect(pc.nodeCount).toBe(pc.roots.length); // nothing to split: one leaf per tree
    expect(() => fitTreeEnsemble(space, [], kind)).toThrow(/no training examples/);
    expect(() => fitTreeEnsemble(space, [{ subnet: one[0].subnet, accuracy: NaN }], kind)).toThrow(/accuracy NaN/);
  });

  it.each(kinds)('%s ranks a smooth additive target well too', (kind) => {
    const coefRng = new Rng(42);
    const coef = Array.from({ length: 19 }, () => coefRng.normal() * 0.02);
    const truth = (s: Subnet) => choiceIndicesOf(space, s).reduce((a, c, i) => a + coef[i] * c, 0.6);
    const tau = evaluatePredictor(fitTreeEnsemble(space, sample(300, 9, truth, 0.002), kind), sample(200, 10, truth, 0)).kendallTau;
    expect(tau).toBeGreaterThan(0.6);
  });

  it('scoreChoices reads a row at an offset; fitAccuracyPredictor dispatches on kind', () => {
    const p = fitAccuracyPredictor(space, train, { kind: 'boosted', seed: 1 });
    expect(p.kind).toBe('boosted');
    const rows = new Uint8Array(3 * 19);
    heldOut.slice(0, 3).forEach((ex, i) => rows.set(choiceIndicesOf(space, ex.subnet), i * 19));
    heldOut.slice(0, 3).forEach((ex, i) => expect(p.scoreChoices(rows, i * 19)).toBe(p.scoreSubnet(ex.subnet)));
    expect(fitAccuracyPredictor(space, train, { kind: 'ridge' }).kind).toBe('ridge');
    expect(() => fitAccuracyPredictor(space, train, { kind: 'svm' as never })).toThrow(/unknown predictor kind/);
  });
});
