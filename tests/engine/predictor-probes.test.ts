/** BestUp-1M (acc) between range evaluations: probes refit the predictor, and the run counts what it trained. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend, loadFashionMnistFromDisk } from '../../src/cli/node-runtime';
import { trainSupernet, type RunData } from '../../src/engine/training-run';
import type { BackendInfo } from '../../src/engine/backend';
import { predictorRunConfig } from './helpers';

let backend: BackendInfo;
let data: RunData;
beforeAll(async () => {
  backend = await initNodeBackend('wasm');
  data = await loadFashionMnistFromDisk();
});

describe('predictor probes in a run', () => {
  it('refit the boosted predictor every 2 steps on probed subnets and count the distinct middle subnets', async () => {
    const config = predictorRunConfig({ predictor: { kind: 'boosted', refreshEvery: 2, probes: 4 } });
    const logs: string[] = [];
    const results = await trainSupernet(config, data, backend, { onLog: (m) => logs.push(m) });
    const probed = results.predictorReports.filter((r) => r.probed !== undefined);
    // probes at steps 2, 4 and 6 (step 8 ends the epoch: the range evaluation refits instead);
    // the first fit needs 8 examples, so the probes of step 2 only collect
    expect(probed.map((r) => r.step)).toEqual([4, 6]);
    for (const r of results.predictorReports) expect(r.kind).toBe('boosted');
    expect(results.predictorReports.at(-1)!.step).toBe(8);
    expect(results.sampledArchitectures).toEqual({ distinct: expect.any(Number), sampled: 16 });
    expect(results.sampledArchitectures!.distinct).toBeGreaterThan(1);
    expect(logs.some((l) => /trained \d+ distinct architectures in 16 middle subnets/.test(l))).toBe(true);
    expect(logs.some((l) => /boosted predictor refit at step \d+ with 4 probed subnets/.test(l))).toBe(true);
  });
});
