/**
 * An exported subnet as a versioned JSON envelope (`{type, version, ...}`): the encoding, its
 * cost, its accuracy and how it was measured, and everything needed to rebuild or retrain it
 * (search space, dataset, seed, sampler, tool version). The standalone model with weights sits
 * next to it as tf.io files; `model` names them.
 */
import { z } from 'zod';
import { plainFileNameProblem, quoteName } from './file-name';
import { parseJsonText } from './json-text';
import { countMacs, countParams } from '../space/macs';
import { parseWithSchema, searchSpaceSchema, type SearchSpace } from '../space/space';
import { subnetHash, subnetKey, subnetProblems, subnetSchema, type Subnet } from '../space/subnet';
import { TOOL_NAME, TOOL_VERSION } from './version';

export const SUBNET_ENVELOPE_TYPE = 'nas-studio/subnet';
export const SUBNET_ENVELOPE_VERSION = 1;

export const accuracyMeasurementSchema = z.object({
  /** top-1 in [0, 1] */
  value: z.number().min(0).max(1),
  split: z.enum(['validation', 'test']),
  /** images it was measured on */
  images: z.number().int().min(1),
  /** 'supernet': the supernet's forward after BN recalibration; 'predictor': an estimate */
  method: z.enum(['supernet', 'predictor', 'standalone']),
  calibrationBatches: z.number().int().min(0),
  calibrationBatchSize: z.number().int().min(0),
});

export const subnetEnvelopeSchema = z.object({
  type: z.literal(SUBNET_ENVELOPE_TYPE),
  version: z.literal(SUBNET_ENVELOPE_VERSION),
  name: z.string().min(1).max(200),
  hash: z.string().regex(/^[0-9a-f]{8}$/),
  encoding: subnetSchema,
  macs: z.number().int().min(0),
  params: z.number().int().min(0),
  accuracy: accuracyMeasurementSchema.nullable(),
  latencyMs: z
    .object({ median: z.number().min(0), backend: z.string().max(40), repeats: z.number().int().min(1) })
    .nullable()
    .default(null),
  space: searchSpaceSchema,
  dataset: z.object({
    name: z.string().min(1).max(200),
    inputShape: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]),
    numClasses: z.number().int().min(2),
    normalisation: z.object({ mean: z.array(z.number()).min(1), std: z.array(z.number().positive()).min(1) }),
  }),
  training: z.object({
    seed: z.number().int(),
    sampler: z.string().max(100),
    epochs: z.number().int().min(0),
    steps: z.number().int().min(0),
  }),
  /** the tf.io files of the standalone model, beside the envelope; null when exported without weights */
  model: z
    .object({
      format: z.literal('tfjs-layers-model'),
      /** a plain file name in the envelope's folder: never a path, a URL or an absolute name */
      path: z
        .string()
        .min(1)
        .max(500)
        .superRefine((path, ctx) => {
          const problem = plainFileNameProblem(path);
          if (problem)
            ctx.addIssue({ code: 'custom', message: `${quoteName(path)} must be a plain file name in the envelope's folder: ${problem}` });
        }),
      /** what the model expects: [batch, height, width, channels] normalised images at the dataset's size */
      input: z.string().max(500),
      output: z.string().max(200),
    })
    .nullable(),
  tool: z.object({ name: z.literal(TOOL_NAME), version: z.string().max(40) }),
  createdAt: z.string().max(100),
});

export type SubnetEnvelope = z.infer<typeof subnetEnvelopeSchema>;

export interface EnvelopeInputs {
  space: SearchSpace;
  subnet: Subnet;
  accuracy: SubnetEnvelope['accuracy'];
  latencyMs?: SubnetEnvelope['latencyMs'];
  dataset: SubnetEnvelope['dataset'];
  training: SubnetEnvelope['training'];
  modelPath: string | null;
  name?: string;
}

export const MODEL_INPUT_DOC =
  'float32 [batch, height, width, channels] at the dataset size, normalised as (pixel / 255 - mean) / std per channel';

export function makeSubnetEnvelope(inputs: EnvelopeInputs): SubnetEnvelope {
  const problems = subnetProblems(inputs.space, inputs.subnet);
  if (problems.length) throw new Error(`cannot export an invalid subnet: ${problems.join('; ')}`);
  const pathProblem = inputs.modelPath ? plainFileNameProblem(inputs.modelPath) : null;
  if (pathProblem)
    throw new Error(
      `cannot export: the model path ${quoteName(inputs.modelPath!)} must be a plain file name beside the envelope: ${pathProblem}`,
    );
  const macs = countMacs(inputs.space, inputs.subnet);
  return {
    type: SUBNET_ENVELOPE_TYPE,
    version: SUBNET_ENVELOPE_VERSION,
    name: inputs.name ?? `${inputs.space.name}-${(macs / 1e6).toFixed(2)}M-${subnetHash(inputs.subnet)}`,
    hash: subnetHash(inputs.subnet),
    encoding: inputs.subnet,
    macs,
    params: countParams(inputs.space, inputs.subnet),
    accuracy: inputs.accuracy,
    latencyMs: inputs.latencyMs ?? null,
    space: inputs.space,
    dataset: inputs.dataset,
    training: inputs.training,
    model: inputs.modelPath
      ? { format: 'tfjs-layers-model', path: inputs.modelPath, input: MODEL_INPUT_DOC, output: 'float32 [batch, numClasses] logits' }
      : null,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    createdAt: new Date().toISOString(),
  };
}

/**
 * Reads an envelope back: the schema first, then the facts that must agree with each other
 * (the encoding belongs to the space, MACs/params/hash match it, the dataset fits the space).
 * Every failure names the field.
 */
export function parseSubnetEnvelope(data: unknown, source = 'subnet file'): SubnetEnvelope {
  if (data && typeof data === 'object' && 'type' in data && (data as { type: unknown }).type !== SUBNET_ENVELOPE_TYPE) {
    throw new Error(`${source}: type is ${JSON.stringify((data as { type: unknown }).type)}, expected "${SUBNET_ENVELOPE_TYPE}"`);
  }
  if (
    data &&
    typeof data === 'object' &&
    'version' in data &&
    typeof (data as { version: unknown }).version === 'number' &&
    (data as { version: number }).version > SUBNET_ENVELOPE_VERSION
  ) {
    throw new Error(
      `${source}: version ${(data as { version: number }).version} is newer than this studio reads (${SUBNET_ENVELOPE_VERSION}); update NAS Studio`,
    );
  }
  const envelope = parseWithSchema(subnetEnvelopeSchema, data, source);
  const problems = subnetProblems(envelope.space, envelope.encoding);
  if (problems.length) throw new Error(`${source}: encoding does not fit its search space: ${problems.join('; ')}`);
  const macs = countMacs(envelope.space, envelope.encoding);
  if (macs !== envelope.macs) throw new Error(`${source}: macs is ${envelope.macs} but the encoding has ${macs}`);
  const params = countParams(envelope.space, envelope.encoding);
  if (params !== envelope.params) throw new Error(`${source}: params is ${envelope.params} but the encoding has ${params}`);
  if (subnetHash(envelope.encoding) !== envelope.hash)
    throw new Error(`${source}: hash ${envelope.hash} does not match the encoding ${subnetKey(envelope.encoding)}`);
  const [h, w, c] = envelope.dataset.inputShape;
  const input = envelope.space.input;
  if (h !== input.height || w !== input.width || c !== input.channels) {
    throw new Error(
      `${source}: dataset.inputShape ${h}x${w}x${c} does not match the space's input ${input.height}x${input.width}x${input.channels}`,
    );
  }
  if (envelope.dataset.numClasses !== envelope.space.numClasses)
    throw new Error(`${source}: dataset.numClasses ${envelope.dataset.numClasses} differs from the space's ${envelope.space.numClasses}`);
  if (envelope.dataset.normalisation.mean.length !== c || envelope.dataset.normalisation.std.length !== c) {
    throw new Error(`${source}: dataset.normalisation needs ${c} mean and std values (one per channel)`);
  }
  return envelope;
}

/**
 * Parses envelope JSON text, naming the problem (by line and column, never quoting the text)
 * when it is not JSON at all. A leading byte-order mark is ignored, as a browser's File.text() does.
 */
export function readSubnetEnvelopeText(text: string, source = 'subnet file'): SubnetEnvelope {
  return parseSubnetEnvelope(parseJsonText(text, source), source);
}

/**
 * The weights files a tf.io model.json names, each checked to be a plain file name in the
 * model.json's folder; an Error naming the field (weightsManifest.G.paths.P) otherwise.
 */
export function modelWeightsFiles(modelJson: unknown, source = 'model.json'): string[] {
  const manifest = (modelJson as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0)
    throw new Error(`${source}: weightsManifest is missing or empty; is it a tfjs layers model?`);
  const names: string[] = [];
  manifest.forEach((group, g) => {
    const paths = (group as { paths?: unknown } | null)?.paths;
    if (!Array.isArray(paths) || paths.length === 0) throw new Error(`${source}: weightsManifest.${g}.paths is missing or empty`);
    paths.forEach((path, p) => {
      if (typeof path !== 'string') throw new Error(`${source}: weightsManifest.${g}.paths.${p} is not a string`);
      const problem = plainFileNameProblem(path);
      if (problem)
        throw new Error(
          `${source}: weightsManifest.${g}.paths.${p} ${quoteName(path)} must be a plain file name in the model's folder: ${problem}`,
        );
      names.push(path);
    });
  });
  return names;
}
