/**
 * A subnet taken away: the JSON envelope, the standalone tf.io model (model.json + one weights
 * file) holding the sliced weights and recalibrated BN statistics, and the AttentiveNAS-shaped
 * YAML. The same files come out in Node (written to a folder) and in the browser (downloads).
 */
import * as tf from '@tensorflow/tfjs';
import { attentiveNasYaml } from '../core/space/attentivenas-config';
import type { ImageSet } from '../core/data/idx';
import type { Normalisation } from '../core/data/augment';
import type { ExportFile } from '../core/records/export-records';
import { samplerLabel } from '../core/sampling/sampler-registry';
import { makeSubnetEnvelope, parseSubnetEnvelope, type EnvelopeInputs, type SubnetEnvelope } from '../core/records/subnet-envelope';
import type { Subnet } from '../core/space/subnet';
import { disposeBnStats } from './batch-norm';
import { countCorrect, recalibrateBn } from './evaluate';
import { buildStandaloneModel } from './standalone';
import type { TrainedSupernet } from './trained-supernet';

export type { ExportFile } from '../core/records/export-records';

export interface SubnetExport {
  envelope: SubnetEnvelope;
  files: ExportFile[];
}

export interface ExportOptions {
  accuracy: SubnetEnvelope['accuracy'];
  latencyMs?: SubnetEnvelope['latencyMs'];
  datasetName: string;
  /** the training steps done when the checkpoint was taken */
  steps?: number;
  withWeights?: boolean;
  name?: string;
}

const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);

/** Recalibrates BN for the subnet on the run's calibration batches and builds its standalone model. */
export async function standaloneModelOf(
  trained: TrainedSupernet,
  subnet: Subnet,
  name = 'subnet',
  calibrationBatches?: number,
): Promise<tf.LayersModel> {
  const calibration = calibrationBatches ? trained.calibrationFor(calibrationBatches) : trained.calibration;
  const stats = await recalibrateBn(trained.net, subnet, calibration.data, calibration.batches, trained.convForm);
  try {
    const { height, width } = trained.config.space.input;
    return buildStandaloneModel(trained.net, subnet, stats, { name: safeName(name).replace(/[.-]/g, '_'), inputSize: { height, width } });
  } finally {
    disposeBnStats(stats);
  }
}

/** model.json (tf.io layers format) and its weights, as tf.loadLayersModel reads them. */
export async function modelFiles(
  model: tf.LayersModel,
  baseName: string,
): Promise<{ modelJson: string; weights: Uint8Array; weightsName: string }> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  const saved = artifacts as tf.io.ModelArtifacts | null;
  if (!saved?.weightData || !saved.weightSpecs) throw new Error('tfjs did not return the model weights');
  const weightsName = `${baseName}.weights.bin`;
  const modelJson: tf.io.ModelJSON = {
    modelTopology: saved.modelTopology as object,
    format: saved.format ?? 'layers-model',
    generatedBy: saved.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: [weightsName], weights: saved.weightSpecs }],
  };
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(saved.weightData));
  return { modelJson: JSON.stringify(modelJson), weights, weightsName };
}

export async function exportSubnet(trained: TrainedSupernet, subnet: Subnet, options: ExportOptions): Promise<SubnetExport> {
  const { config, checkpoint } = trained;
  const space = config.space;
  const inputs: EnvelopeInputs = {
    space,
    subnet,
    accuracy: options.accuracy,
    latencyMs: options.latencyMs,
    dataset: {
      name: options.datasetName,
      inputShape: [space.input.height, space.input.width, space.input.channels],
      numClasses: space.numClasses,
      normalisation: checkpoint.normalisation,
    },
    training: {
      seed: config.seed,
      sampler: samplerLabel(config.sampler),
      epochs: checkpoint.progress.epoch,
      steps: options.steps ?? checkpoint.progress.step,
    },
    modelPath: null,
    name: options.name,
  };
  const envelopeDraft = makeSubnetEnvelope(inputs);
  const base = safeName(envelopeDraft.name);
  const files: ExportFile[] = [];
  let envelope = envelopeDraft;
  if (options.withWeights !== false) {
    // the BN statistics come from the same batches the recorded accuracy was measured with
    const model = await standaloneModelOf(trained, subnet, base, options.accuracy?.calibrationBatches || undefined);
    try {
      const { modelJson, weights, weightsName } = await modelFiles(model, base);
      envelope = makeSubnetEnvelope({ ...inputs, name: envelopeDraft.name, modelPath: `${base}.model.json` });
      files.push(
        { name: `${base}.model.json`, data: modelJson, mime: 'application/json' },
        { name: weightsName, data: weights, mime: 'application/octet-stream' },
      );
    } finally {
      model.dispose();
    }
  }
  // validate what we write with the same reader an import uses
  parseSubnetEnvelope(JSON.parse(JSON.stringify(envelope)), `export of ${base}`);
  files.unshift({ name: `${base}.json`, data: JSON.stringify(envelope, null, 2), mime: 'application/json' });
  files.push({ name: `${base}.attentivenas.yaml`, data: attentiveNasYaml(space, subnet), mime: 'text/yaml' });
  return { envelope, files };
}

/** Loads an exported model from its model.json text and weights bytes. */
export async function loadExportedModel(modelJson: string, weights: Uint8Array): Promise<tf.LayersModel> {
  let parsed: tf.io.ModelJSON;
  try {
    parsed = JSON.parse(modelJson) as tf.io.ModelJSON;
  } catch (error) {
    throw new Error(`model.json is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const specs = parsed.weightsManifest?.flatMap((group) => group.weights);
  if (!parsed.modelTopology || !specs) throw new Error('model.json has no modelTopology or weightsManifest; is it a tfjs layers model?');
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: specs, weightData: buffer, format: parsed.format }),
  );
}

/** Top-1 of a standalone model on images of a set (normalised as the envelope says). */
export async function standaloneAccuracy(
  model: tf.LayersModel,
  set: ImageSet,
  norm: Normalisation,
  indices?: ArrayLike<number>,
  batchSize = 500,
): Promise<number> {
  const all = indices ?? Uint32Array.from({ length: set.count }, (_, i) => i);
  return (await countCorrect((images) => model.predict(images) as tf.Tensor2D, { set, norm }, all, batchSize)).accuracy;
}
