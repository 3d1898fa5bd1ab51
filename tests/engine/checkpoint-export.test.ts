/**
 * Checkpoints and exports on a real (tiny) trained supernet: the byte round trip is exact,
 * a run resumed from a mid-epoch checkpoint ends with the same weights as one never stopped,
 * and an exported subnet loaded as a plain tfjs model gives the supernet's logits and accuracy.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../src/core/records/checkpoint-format';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { parseRunConfig } from '../../src/core/training/run-config';
import { largestSubnet, smallestSubnet, subnetKey } from '../../src/core/space/subnet';
import { readSubnetEnvelopeText } from '../../src/core/records/subnet-envelope';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';
import { initNodeBackend, loadFashionMnistFromDisk } from '../../src/cli/node-runtime';
import type { BackendInfo } from '../../src/engine/backend';
import { disposeBnStats } from '../../src/engine/batch-norm';
import { batchTensors, disposeBatch } from '../../src/engine/batches';
import { captureCheckpoint, restoreCheckpoint } from '../../src/engine/checkpoint';
import { evaluateSubnet, recalibrateBn } from '../../src/engine/evaluate';
import { forwardSubnet } from '../../src/engine/forward';
import { NesterovSgd } from '../../src/engine/optimizer';
import { exportSubnet, loadExportedModel, standaloneAccuracy } from '../../src/engine/subnet-export';
import { Supernet } from '../../src/engine/supernet';
import { runSearch } from '../../src/engine/search-run';
import { openTrainedSupernet } from '../../src/engine/trained-supernet';
import { trainSupernet, type RunData } from '../../src/engine/training-run';
import { maxAbsDiff } from './helpers';

let backend: BackendInfo;
let data: RunData;
const config = parseRunConfig({
  space: presetSpace('tiny'),
  seed: 5,
  epochs: 2,
  stepsPerEpoch: 4,
  batchSize: 16,
  learningRate: 0.1,
  calibrationBatches: 2,
  evalSubset: 100,
  prior: { samples: 2000 },
  rangeEval: { ranges: 2, perRange: 1, images: 50, calibrationBatches: 1 },
});
const checkpoints: Checkpoint[] = [];

beforeAll(async () => {
  backend = await initNodeBackend('wasm');
  data = await loadFashionMnistFromDisk();
  await trainSupernet(config, data, backend, { onCheckpoint: (c) => void checkpoints.push(c) }, { checkpointEverySteps: 3 });
});

const final = () => checkpoints[checkpoints.length - 1];

describe('checkpoints', () => {
  it('are taken mid-epoch and at every epoch end, with the progress they were taken at', () => {
    expect(checkpoints.map((c) => c.header.progress)).toEqual([
      { step: 3, epoch: 0, stepInEpoch: 3 },
      { step: 4, epoch: 1, stepInEpoch: 0 },
      { step: 6, epoch: 1, stepInEpoch: 2 },
      { step: 8, epoch: 2, stepInEpoch: 0 },
    ]);
  });

  it('survive encode and decode bit for bit, and restore weights and velocity exactly', async () => {
    const decoded = decodeCheckpoint(encodeCheckpoint(final()));
    expect(decoded.header).toEqual(final().header);
    expect(Buffer.from(decoded.values.buffer).equals(Buffer.from(final().values.buffer))).toBe(true);
    const net = Supernet.create(config.space, 99);
    const optimizer = new NesterovSgd(net, { momentum: 0.9, weightDecay: 0, gradClip: 0 });
    restoreCheckpoint(decoded, net, optimizer);
    const again = await captureCheckpoint(net, optimizer, {
      config,
      progress: decoded.header.progress,
      normalisation: decoded.header.normalisation,
      rng: decoded.header.rng,
    });
    expect(again.header.tensors).toEqual(decoded.header.tensors);
    expect(Buffer.from(again.values.buffer).equals(Buffer.from(decoded.values.buffer))).toBe(true);
    // the velocity is really in there: momentum after 8 steps is not zero
    const velocityStart = decoded.header.tensors.findIndex((t) => t.group === 'velocity');
    expect(velocityStart).toBeGreaterThan(0);
    expect(again.values.subarray(again.values.length / 2).some((v) => v !== 0)).toBe(true);
    optimizer.dispose();
    net.dispose();
  });

  it('resume a run from a mid-epoch checkpoint to the same weights as the run never stopped', async () => {
    const midEpoch = checkpoints[0];
    const resumed: Checkpoint[] = [];
    const results = await trainSupernet(config, data, backend, { onCheckpoint: (c) => void resumed.push(c) }, { resumeFrom: midEpoch });
    expect(results.steps[0].step).toBe(3);
    expect(resumed[resumed.length - 1].header.progress).toEqual(final().header.progress);
    expect(maxAbsDiff(resumed[resumed.length - 1].values, final().values)).toBe(0);
  });

  it('refuses to resume with a different config, and rejects a checkpoint of another space', async () => {
    await expect(trainSupernet({ ...config, learningRate: 0.2 }, data, backend, {}, { resumeFrom: final() })).rejects.toThrow(
      /different run config/,
    );
    const other = Supernet.create(presetSpace('fashion'), 1);
    expect(() => restoreCheckpoint(final(), other)).toThrow(
      /checkpoint has tensor "s1.b0.se.reduce.w", which this search space.s supernet does not have/,
    );
    other.dispose();
  });
});

describe('exported subnets', () => {
  it('load as plain tfjs models that give the supernet logits and the same test accuracy', async () => {
    const trained = openTrainedSupernet(final(), data, backend, { calibrationBatches: 2, validationImages: 200 });
    const rng = new Rng(4);
    const subnets = [
      largestSubnet(config.space),
      smallestSubnet(config.space),
      sampleUniform(config.space, rng),
      sampleUniform(config.space, rng),
    ];
    expect(new Set(subnets.map((s) => s.resolution)).size).toBeGreaterThan(1);
    const probeIndices = Uint32Array.from({ length: 64 }, (_, i) => i * 7);
    const testIndices = Uint32Array.from({ length: 600 }, (_, i) => i);
    for (const subnet of subnets) {
      const validation = await trained.evaluate(subnet);
      const exported = await exportSubnet(trained, subnet, {
        accuracy: {
          value: validation.accuracy,
          split: 'validation',
          images: validation.total,
          method: 'supernet',
          calibrationBatches: 2,
          calibrationBatchSize: config.batchSize,
        },
        datasetName: 'Fashion-MNIST',
      });
      const names = exported.files.map((f) => f.name);
      expect(names).toHaveLength(4);
      const envelopeFile = exported.files[0];
      const envelope = readSubnetEnvelopeText(envelopeFile.data as string);
      expect(subnetKey(envelope.encoding)).toBe(subnetKey(subnet));
      const modelJson = exported.files.find((f) => f.name === envelope.model!.path)!.data as string;
      const weights = exported.files.find((f) => f.name.endsWith('.weights.bin'))!.data as Uint8Array;
      expect(JSON.parse(modelJson).weightsManifest[0].paths).toEqual([names.find((n) => n.endsWith('.weights.bin'))]);
      const model = await loadExportedModel(modelJson, weights);

      const stats = await recalibrateBn(trained.net, subnet, trained.calibration.data, trained.calibration.batches, trained.convForm);
      const batch = batchTensors(data.test, probeIndices, trained.test.norm);
      const expected = tf.tidy(() =>
        forwardSubnet(trained.net, subnet, batch.images, { bn: { kind: 'fixed', stats }, convForm: trained.convForm }),
      );
      const actual = model.predict(batch.images) as tf.Tensor;
      expect(actual.shape).toEqual([64, 10]);
      expect(maxAbsDiff(await actual.data(), await expected.data()), subnetKey(subnet)).toBeLessThan(1e-4);
      const supernetTest = await evaluateSubnet(trained.net, subnet, trained.calibration, trained.test, testIndices, 200, trained.convForm);
      const standaloneTest = await standaloneAccuracy(model, data.test, trained.test.norm, testIndices);
      expect(standaloneTest).toBeCloseTo(supernetTest.accuracy, 10);
      tf.dispose([expected, actual]);
      disposeBatch(batch);
      disposeBnStats(stats);
      model.dispose();
    }
    trained.dispose();
  });
});

describe('search on a trained supernet', () => {
  it('finds a front with real accuracies, and in predictor mode re-measures the front for real', async () => {
    const trained = openTrainedSupernet(final(), data, backend, { calibrationBatches: 1, validationImages: 100 });
    const evolution = { population: 6, generations: 2, mutationsPerGeneration: 3, crossoversPerGeneration: 3, archiveBins: 4 };
    const generations: number[] = [];
    const real = await runSearch(trained, { seed: 2, evolution, calibrationBatches: 1, validationImages: 100 }, backend, {
      onGeneration: (r) => void generations.push(r.generation),
    });
    expect(generations).toEqual([0, 1, 2]);
    expect(real.evaluated.length).toBe(real.timing.realEvaluations);
    expect(new Set(real.evaluated.map((e) => e.key)).size).toBe(real.evaluated.length);
    expect(real.front.length).toBeGreaterThan(0);
    // every front accuracy is a real measurement on 100 validation images
    for (const e of real.front) expect(Math.round(e.accuracy * 100)).toBeCloseTo(e.accuracy * 100, 6);
    const fast = await runSearch(
      trained,
      { seed: 2, evolution, fitness: 'predictor', predictorSamples: 10, calibrationBatches: 1, validationImages: 100 },
      backend,
    );
    expect(fast.predictor?.trainedOn).toBe(8);
    // real evaluations: the predictor's samples plus the re-measured front only
    expect(fast.timing.realEvaluations).toBe(10 + fast.front.length);
    for (const e of fast.refinedFront) expect((await trained.evaluate(e.subnet)).accuracy).toBeCloseTo(e.accuracy, 10);
    trained.dispose();
  });
});
