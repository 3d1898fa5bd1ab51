/**
 * A small but realistic finished run for the run-file tests: three steps of the tiny space,
 * one epoch, one range evaluation, an outcome, a search in predictor mode and a whole checkpoint
 * (every variable of the tiny supernet, random values) taken after the epoch (its config is the run's config parsed, as the engine writes it).
 */
import { CHECKPOINT_TYPE, CHECKPOINT_VERSION, encodeCheckpoint, type Checkpoint } from '../../src/core/records/checkpoint-format';
import { countMacs, countParams } from '../../src/core/space/macs';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { parseRunConfig } from '../../src/core/training/run-config';
import type { PersistedRun, PersistedSearch } from '../../src/core/records/run-record-schema';
import { defaultSettings, runConfigFromSettings, type StudioSettings } from '../../src/core/training/studio-settings';
import { largestSubnet, smallestSubnet, subnetHash, subnetKey } from '../../src/core/space/subnet';
import { supernetVariableSpecs } from '../../src/core/space/supernet-specs';

export const RUN_ID = 'run-m5x2k1-0';
const space = presetSpace('tiny');
const settings: StudioSettings = {
  ...defaultSettings,
  space: 'tiny',
  epochs: 2,
  stepsPerEpoch: 3,
  batchSize: 16,
  learningRate: 0.1,
  ranges: 2,
  perRange: 1,
  rangeImages: 200,
};
const small = smallestSubnet(space);
const large = largestSubnet(space);
const macsSmall = countMacs(space, small);
const macsLarge = countMacs(space, large);
const tinySpecs = supernetVariableSpecs(space);
const tinyValues = tinySpecs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);

export function makeCheckpoint(config: unknown = runConfigFromSettings(settings)): Checkpoint {
  const rng = new Rng(5);
  return {
    header: {
      type: CHECKPOINT_TYPE,
      version: CHECKPOINT_VERSION,
      createdAt: '2025-03-04T05:06:07.000Z',
      config: parseRunConfig(config),
      progress: { step: 3, epoch: 1, stepInEpoch: 0 },
      normalisation: { mean: [0.286], std: [0.353] },
      rng: { orderAtEpochStart: new Rng(1).getState(), augment: new Rng(2).getState(), sampler: new Rng(3).getState() },
      // every variable of the tiny supernet, weights then velocity, as the engine writes them
      tensors: (['weight', 'velocity'] as const).flatMap((group) => tinySpecs.map((s) => ({ name: s.name, group, shape: s.shape }))),
    },
    values: Float32Array.from({ length: 2 * tinyValues }, () => rng.normal() * 0.1),
  };
}

export const makeCheckpointBytes = (config?: unknown) => encodeCheckpoint(makeCheckpoint(config));

const evaluation = (accuracy: number, total = 200) => ({
  accuracy,
  correct: Math.round(accuracy * total),
  total,
  calibrationBatches: 8,
  ms: 41.5,
});

export function makeRun(checkpointBytes: Uint8Array | null = makeCheckpointBytes()): PersistedRun {
  const step = (n: number) => ({
    step: n,
    lr: 0.02 * (n + 1),
    roles: ['largest', 'sampled', 'sampled', 'smallest'],
    macs: [macsLarge, 410_000, 300_000, macsSmall],
    losses: [2.3 - n * 0.1, 2.31, 2.29 - n * 0.05, 2.35],
    targetBins: [3, 1],
    bins: [9, 4, 2, 0],
  });
  return {
    id: RUN_ID,
    name: 'Uniform · tiny · Fashion-MNIST',
    label: 'Uniform',
    sampler: 'uniform',
    groupId: null,
    settings,
    config: runConfigFromSettings(settings),
    datasetId: null,
    datasetName: 'Fashion-MNIST',
    phase: 'stopped',
    backend: {
      name: 'webgl',
      requested: 'auto',
      adapter: 'ANGLE (Intel, Mesa Intel(R) UHD Graphics)',
      fallbacks: [{ name: 'webgpu', reason: 'no WebGPU adapter' }],
    },
    start: {
      totalSteps: 6,
      stepsPerEpoch: 3,
      firstStep: 0,
      prior: { samples: 1_000_000, edges: [macsSmall, 300_000, macsLarge], frequencies: [0.6, 0.4] },
      macs: { smallest: macsSmall, largest: macsLarge },
      convForm: 'native',
    },
    steps: [step(0), step(1), step(2)],
    epochs: [
      {
        epoch: 0,
        steps: 3,
        seconds: 1.25,
        meanLoss: { largest: 2.2, sampled: 2.28, smallest: 2.35 },
        validation: { largest: evaluation(0.215), smallest: evaluation(0.18) },
      },
    ],
    rangeHistory: [
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
            subnets: [{ key: subnetKey(small), encoding: small, macs: macsSmall, accuracy: 0.18 }],
            accuracies: [0.18],
            summary: { min: 0.18, q1: 0.18, median: 0.18, q3: 0.18, max: 0.18, count: 1 },
          },
          { index: 1, loMacs: 300_000, hiMacs: macsLarge, subnets: [], accuracies: [], summary: null },
        ],
        ms: 812.25,
      },
    ],
    progress: { step: 3, totalSteps: 6, epoch: 1, elapsedMs: 2100, etaMs: 2000, imagesPerSecond: 150.5 },
    outcome: { stopped: true, test: { largest: evaluation(0.2, 10_000), smallest: evaluation(0.17, 10_000) }, trainingSeconds: 1.2 },
    log: ['backend webgl (ANGLE)', 'epoch 1: loss largest 2.2000', 'stopped after step 3'],
    error: null,
    checkpoint: checkpointBytes ? { step: 3, epoch: 1, stepInEpoch: 0, savedAt: 1_741_064_767_000, bytes: checkpointBytes.length } : null,
    resumes: [],
    createdAt: 1_741_064_700_000,
  };
}

export function makeSearch(runId = RUN_ID): PersistedSearch {
  const entry = (subnet: typeof small, accuracy: number, generation: number, origin: 'smallest' | 'seed' | 'mutation') => ({
    subnet,
    key: subnetKey(subnet),
    hash: subnetHash(subnet),
    macs: countMacs(space, subnet),
    params: countParams(space, subnet),
    accuracy,
    generation,
    origin,
  });
  const evaluated = [entry(small, 0.18, 0, 'smallest'), entry(large, 0.21, 0, 'seed')];
  const config = { seed: 2, fitness: 'predictor' as const, evolution: { population: 2, generations: 1 } };
  return {
    runId,
    phase: 'done',
    config,
    generations: [{ generation: 0, hypervolume: 0.19, totalEvaluations: 2, frontSize: 2 }],
    evaluated,
    front: evaluated,
    progress: null,
    results: {
      type: 'nas-studio/search-results',
      version: 1,
      config: {
        seed: 2,
        evolution: {
          population: 2,
          generations: 1,
          mutationsPerGeneration: 12,
          crossoversPerGeneration: 12,
          mutationProbability: 0.2,
          crossoverProbability: 0.5,
          archiveBins: 16,
          maxTries: 200,
        },
        fitness: 'predictor',
        predictorKind: 'ridge',
        predictorSamples: 60,
        calibrationBatches: 8,
        validationImages: 2000,
        testFront: true,
      },
      backend: { name: 'cpu', requested: 'cpu', adapter: 'JavaScript', fallbacks: [] },
      supernet: { space: 'tiny', sampler: 'Uniform', step: 3, epoch: 1, seed: 1 },
      window: { minMacs: macsSmall, maxMacs: macsLarge },
      evaluated,
      front: evaluated,
      refinedFront: evaluated,
      testAccuracy: { [evaluated[0].key]: 0.17, [evaluated[1].key]: 0.2 },
      generations: [{ generation: 0, evaluated: 2, frontSize: 2, hypervolume: 0.19, totalEvaluations: 2, seconds: 3.5, giveUps: 0 }],
      // Kendall tau of a constant list is NaN: the file must carry it
      predictor: { trainedOn: 48, heldOut: 12, kendallTau: NaN },
      hypervolume: 0.19,
      timing: { seconds: 4.25, realEvaluations: 62, msPerRealEvaluation: 60.5 },
      stopped: false,
    },
    error: null,
    startedAt: 1_741_064_800_000,
  };
}
