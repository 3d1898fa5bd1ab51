import { describe, expect, it } from 'vitest';
import { buildFlopsPrior } from '../../src/core/sampling/flops-prior';
import { countMacs } from '../../src/core/space/macs';
import { OnlinePredictor } from '../../src/core/predictor/online-predictor';
import { PredictorPool } from '../../src/core/predictor/predictor-pool';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { subnetKey, type Subnet } from '../../src/core/space/subnet';

const space = presetSpace('fashion');
const prior = buildFlopsPrior(space, { samples: 20_000, seed: 3 });
// an accuracy with an interaction, so the tree kinds have something to find
const accuracy = (s: Subnet) => 0.5 + countMacs(space, s) / 1e8 + (s.width[0] !== s.width[1] ? 0.03 : 0);

describe('OnlinePredictor', () => {
  it.each(['ridge', 'boosted', 'forest'] as const)(
    '%s: probes random members first, then the picks it would train, never one it has measured',
    (kind) => {
      const online = new OnlinePredictor(space, new PredictorPool(space, prior), { lambda: 1, holdOut: 0.2, kind, seed: 1 });
      const rng = new Rng(2);
      expect(online.refresh(0)).toBeNull(); // nothing measured yet
      const first = online.probeCandidates(12, 'best', rng);
      expect(new Set(first.map(subnetKey)).size).toBe(12);
      online.add(first.map((subnet) => ({ subnet, accuracy: accuracy(subnet) })));
      const report = online.refresh(10)!;
      expect(report).toMatchObject({ step: 10, kind, trainedOn: 10, heldOut: 2 });
      const known = new Set(first.map(subnetKey));
      const picks = online.probeCandidates(4, 'best', rng);
      expect(picks.length).toBeGreaterThan(0);
      for (const p of picks) expect(known.has(subnetKey(p))).toBe(false);
      // a refit on the probes changes which architecture the pool favours in some bin
      const bestBefore = Array.from({ length: prior.counts.length }, (_, b) => online['pool'].pick(b, 'best', Infinity, rng)?.index ?? -1);
      online.add(picks.map((subnet) => ({ subnet, accuracy: accuracy(subnet) - 0.2 }))); // the favourites disappoint
      online.refresh(20);
      const bestAfter = Array.from({ length: prior.counts.length }, (_, b) => online['pool'].pick(b, 'best', Infinity, rng)?.index ?? -1);
      expect(bestAfter).not.toEqual(bestBefore);
    },
  );
});
