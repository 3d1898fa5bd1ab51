import { describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '../../src/core/records/checkpoint-format';
import { countMacs } from '../../src/core/space/macs';
import { presetSpace } from '../../src/core/space/presets';
import { decodeRunArchive, encodeRunArchive } from '../../src/core/records/run-archive';
import { parseRunConfig, type RunConfigInput } from '../../src/core/training/run-config';
import { runFromResults } from '../../src/core/records/run-from-results';
import { persistedRunSchema } from '../../src/core/records/run-record-schema';
import { defaultSettings, runConfigFromSettings, type StudioSettings } from '../../src/core/training/studio-settings';
import { largestSubnet, smallestSubnet, subnetKey } from '../../src/core/space/subnet';
import type { RunResults } from '../../src/engine/training-run';
import { makeCheckpoint } from './run-fixtures';

const space = presetSpace('tiny');
const small = smallestSubnet(space);
const large = largestSubnet(space);
const macsSmall = countMacs(space, small);
const macsLarge = countMacs(space, large);
const settings: StudioSettings = {
  ...defaultSettings,
  space: 'tiny',
  epochs: 1,
  stepsPerEpoch: 3,
  batchSize: 16,
  learningRate: 0.1,
  seed: 4,
  ranges: 2,
  perRange: 1,
  rangeImages: 200,
};
/** as `npm run train -- --no-augment` would have it: things the studio form cannot say */
const configInput: RunConfigInput = { ...runConfigFromSettings(settings), augment: false, calibrationBatches: 32, backend: 'wasm' };

const evaluation = (accuracy: number, total = 200) => ({
  accuracy,
  correct: Math.round(accuracy * total),
  total,
  calibrationBatches: 32,
  ms: 12.5,
});

function makeResults(overrides: Partial<RunResults> = {}): RunResults {
  const config = parseRunConfig(configInput);
  const step = (n: number) => ({
    step: n,
    epoch: 0,
    lr: 0.03 * (n + 1),
    roles: ['largest', 'sampled', 'sampled', 'smallest'] as RunResults['steps'][number]['roles'],
    subnets: [subnetKey(large), subnetKey(small), subnetKey(small), subnetKey(small)],
    macs: [macsLarge, macsSmall, macsSmall, macsSmall],
    bins: [9, 0, 0, 0],
    losses: [2.5 - n * 0.25, 2.31, 2.3, 2.32],
    ms: 100 + n,
  });
  return {
    type: 'nas-studio/run-results',
    version: 1,
    config,
    backend: { name: 'wasm', requested: 'wasm', adapter: 'WebAssembly (SIMD, no threads)', fallbacks: [] },
    convForm: 'portable',
    sampler: 'uniform',
    data: { trainImages: 55_000, validationImages: 5000, testImages: 10_000, normalisation: { mean: [0.286], std: [0.353] } },
    supernetParameters: 12_345,
    subnets: { largest: { encoding: large, macs: macsLarge }, smallest: { encoding: small, macs: macsSmall } },
    prior: { samples: 1_000_000, edges: [macsSmall, 300_000, macsLarge], frequencies: [0.6, 0.4], buildMs: 900 },
    epochs: [
      {
        epoch: 0,
        steps: 3,
        seconds: 1.5,
        meanLoss: { largest: 2.2, sampled: 2.31, smallest: 2.32 },
        validation: { largest: evaluation(0.3), smallest: evaluation(0.2) },
      },
    ],
    steps: [step(0), step(1), step(2)],
    rangeEvaluations: [
      {
        step: 3,
        epoch: 0,
        split: 'validation',
        calibrationBatches: 4,
        images: 200,
        ranges: [
          {
            index: 0,
            loMacs: macsSmall,
            hiMacs: 300_000,
            subnets: [{ key: subnetKey(small), encoding: small, macs: macsSmall, accuracy: 0.2 }],
            accuracies: [0.2],
            summary: { min: 0.2, q1: 0.2, median: 0.2, q3: 0.2, max: 0.2, count: 1 },
          },
          { index: 1, loMacs: 300_000, hiMacs: macsLarge, subnets: [], accuracies: [], summary: null },
        ],
        ms: 500,
      },
    ],
    predictorReports: [],
    conditionalSampling: null,
    test: { largest: evaluation(0.31, 10_000), smallest: evaluation(0.21, 10_000) },
    timing: {
      startedAt: '2026-11-27T23:38:56.595Z',
      trainingSeconds: 0.3,
      evaluationSeconds: 0.5,
      totalSeconds: 1.9,
      msPerStep: 101,
      imagesPerSecond: 158.4,
    },
    stopped: false,
    ...overrides,
  };
}

function makeInput(results = makeResults()) {
  const checkpoint = makeCheckpoint(configInput);
  checkpoint.header.createdAt = '2026-11-28T01:09:05.731Z';
  checkpoint.header.progress = { step: 3, epoch: 1, stepInEpoch: 0 };
  const bytes = encodeCheckpoint(checkpoint);
  return { results, checkpoint, bytes };
}

describe('runFromResults', () => {
  it('maps a CLI run to a studio run record', () => {
    const { results, checkpoint, bytes } = makeInput();
    const { run, notes } = runFromResults({
      results,
      checkpoint: { header: checkpoint.header, bytes: bytes.length },
      source: { results: 'r.json', checkpoint: 'r.ckpt' },
    });

    expect(run.config).toEqual(checkpoint.header.config);
    // --no-augment is a setting now; the calibration batches still are not
    expect(run.settings).toEqual({ ...settings, backend: 'wasm', augment: false });
    expect(run).toMatchObject({
      label: 'Uniform',
      sampler: 'uniform',
      groupId: null,
      datasetId: null,
      datasetName: 'Fashion-MNIST',
      phase: 'done',
      error: null,
      resumes: [],
    });
    expect(run.id).toMatch(/^cli-4-[0-9a-f]{8}$/);
    expect(run.name).toBe('Uniform · tiny · Fashion-MNIST · 1 epoch (CLI)');
    expect(run.createdAt).toBe(Date.parse('2026-11-27T23:38:56.595Z'));
    expect(run.backend).toEqual(results.backend);
    expect(run.start).toEqual({
      totalSteps: 3,
      stepsPerEpoch: 3,
      firstStep: 0,
      prior: { samples: 1_000_000, edges: [macsSmall, 300_000, macsLarge], frequencies: [0.6, 0.4] },
      macs: { smallest: macsSmall, largest: macsLarge },
      convForm: 'portable',
    });
    expect(run.steps).toHaveLength(3);
    expect(run.steps[1]).toEqual({
      step: 1,
      lr: 0.06,
      roles: ['largest', 'sampled', 'sampled', 'smallest'],
      macs: [macsLarge, macsSmall, macsSmall, macsSmall],
      losses: [2.25, 2.31, 2.3, 2.32],
      bins: [9, 0, 0, 0],
    });
    expect(run.steps[1]).not.toHaveProperty('targetBins');
    expect(run.epochs).toEqual(results.epochs);
    expect(run.rangeHistory).toEqual(results.rangeEvaluations);
    expect(run.outcome).toEqual({ stopped: false, test: results.test, trainingSeconds: 0.3 });
    expect(run.progress).toEqual({ step: 3, totalSteps: 3, epoch: 0, elapsedMs: 1900, etaMs: 0, imagesPerSecond: 158.4 });
    expect(run.checkpoint).toEqual({
      step: 3,
      epoch: 1,
      stepInEpoch: 0,
      savedAt: Date.parse('2026-11-28T01:09:05.731Z'),
      bytes: bytes.length,
    });
    expect(run.log[0]).toMatch(/^trained by `npm run train` in Node on wasm/);
    expect(run.log.some((l) => /test top-1: largest 31\.00%, smallest 21\.00%/.test(l))).toBe(true);
    expect(run.log.at(-1)).toBe('made into a studio run with `npm run export-run` from r.json and r.ckpt');
    // what the settings cannot say is named
    expect(notes).toEqual([expect.stringMatching(/calibrationBatches 32 \(settings: 8\)/)]);
    expect(notes[0]).not.toMatch(/augment/);
    expect(run.log).toContain(notes[0]);
    expect(persistedRunSchema.safeParse(run).success).toBe(true);
  });

  it('gives a run file the studio imports, with the checkpoint bytes as they were', () => {
    const { results, checkpoint, bytes } = makeInput();
    const { run } = runFromResults({ results, checkpoint: { header: checkpoint.header, bytes: bytes.length } });
    const archive = encodeRunArchive({ run, search: null, checkpoint: bytes, toolVersion: '0.1.0' });
    const back = decodeRunArchive(archive, 'cli.nasrun');
    expect(back.run).toEqual(run);
    expect(back.search).toBeNull();
    expect(back.checkpointBytes).toEqual(bytes);
    expect(back.checkpoint!.header.progress.step).toBe(3);
  });

  it('keeps the same id for the same run and a different one for another', () => {
    const { results, checkpoint, bytes } = makeInput();
    const id = (r: RunResults) => runFromResults({ results: r, checkpoint: { header: checkpoint.header, bytes: bytes.length } }).run.id;
    expect(id(results)).toBe(id(makeResults()));
    expect(id(makeResults({ timing: { ...results.timing, startedAt: '2026-11-29T00:00:00.000Z' } }))).not.toBe(id(results));
  });

  it('marks a stopped run stopped, and names a checkpoint behind the results', () => {
    const { checkpoint, bytes } = makeInput();
    checkpoint.header.progress = { step: 2, epoch: 0, stepInEpoch: 2 };
    const { run, notes } = runFromResults({
      results: makeResults({ stopped: true }),
      checkpoint: { header: checkpoint.header, bytes: bytes.length },
    });
    expect(run.phase).toBe('stopped');
    expect(run.outcome?.stopped).toBe(true);
    expect(run.checkpoint).toMatchObject({ step: 2, epoch: 0, stepInEpoch: 2 });
    expect(notes.some((n) => /weights after step 2, not after the last step 3/.test(n))).toBe(true);
  });

  it('keeps the targets of an attentive sampler and the name given', () => {
    const results = makeResults();
    results.steps = results.steps.map((s) => ({ ...s, targetBins: [1, 0] }));
    const { checkpoint, bytes } = makeInput(results);
    const { run } = runFromResults({ results, checkpoint: { header: checkpoint.header, bytes: bytes.length }, name: 'my CLI run' });
    expect(run.steps[0].targetBins).toEqual([1, 0]);
    expect(run.name).toBe('my CLI run');
  });

  it('refuses a checkpoint of another run and a file that is not results', () => {
    const { results, bytes } = makeInput();
    const other = makeCheckpoint({ ...configInput, seed: 9 });
    expect(() => runFromResults({ results, checkpoint: { header: other.header, bytes: bytes.length } })).toThrow(
      /not taken by the run of these results \(config\.seed: 4 vs 9\)/,
    );
    expect(() => runFromResults({ results: { ...results, type: 'nas-studio/subnet' } as unknown as RunResults, checkpoint: null })).toThrow(
      /not a results file/,
    );
  });

  it('refuses a space the studio has no preset for', () => {
    const results = makeResults({ config: parseRunConfig({ ...configInput, space: { ...space, name: 'mine' } }) });
    expect(() => runFromResults({ results, checkpoint: null })).toThrow(/"mine" is not one of the studio's presets/);
  });
});
