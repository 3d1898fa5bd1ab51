/**
 * The supernet checkpoint as bytes: everything needed to continue a run exactly where it
 * stopped (weights, optimizer velocity, step, RNG states) or to search it later.
 *
 * Layout: 8 magic bytes "NASCKPT1", a little-endian uint32 header length, the header as UTF-8
 * JSON, zero padding to a multiple of 4 bytes, then every tensor's float32 values (little
 * endian) back to back in the header's order. One flat file, so it can live in IndexedDB, a
 * download or a Node folder alike; a damaged one is rejected with a message saying what is wrong.
 */
import { z } from 'zod';
import { quoteName } from './file-name';
import { tryParseJson } from './json-text';
import { runConfigSchema } from '../training/run-config';
import { parseWithSchema, type SearchSpace } from '../space/space';
import { supernetVariableSpecs } from '../space/supernet-specs';
import { subnetProblems, subnetSchema } from '../space/subnet';

export const CHECKPOINT_TYPE = 'nas-studio/supernet-checkpoint';
export const CHECKPOINT_VERSION = 1;
const MAGIC = 'NASCKPT1';
/** a header is a few tens of kB; anything far larger is not one of ours */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

const rngStateSchema = z.tuple([
  z.number().int().min(0).max(0xffffffff),
  z.number().int().min(0).max(0xffffffff),
  z.number().int().min(0).max(0xffffffff),
  z.number().int().min(0).max(0xffffffff),
]);

export const checkpointTensorSchema = z.object({
  name: z.string().min(1).max(200),
  group: z.enum(['weight', 'velocity']),
  shape: z
    .array(
      z
        .number()
        .int()
        .min(1)
        .max(1 << 24),
    )
    .max(8),
});

export const checkpointHeaderSchema = z.object({
  type: z.literal(CHECKPOINT_TYPE),
  version: z.literal(CHECKPOINT_VERSION),
  createdAt: z.string().max(100),
  config: runConfigSchema,
  /** steps done in total, the epoch the next step belongs to, and steps done within it */
  progress: z.object({
    step: z.number().int().min(0),
    epoch: z.number().int().min(0),
    stepInEpoch: z.number().int().min(0),
  }),
  normalisation: z.object({ mean: z.array(z.number()).min(1).max(16), std: z.array(z.number().positive()).min(1).max(16) }),
  /**
   * the batch-order stream as it was before this epoch's shuffle, and the others as they are now
   * (`probes`: the predictor probes' stream; absent from checkpoints written before it was saved)
   */
  rng: z.object({
    orderAtEpochStart: rngStateSchema,
    augment: rngStateSchema,
    sampler: rngStateSchema,
    probes: rngStateSchema.optional(),
  }),
  /**
   * the online predictor of a sampler that picks by one (BestUp-1M, WorstUp-1M): the subnets
   * measured so far with their accuracies, and the step of its last refit (null before the first)
   */
  predictor: z
    .object({
      // a range evaluation or a probe adds a few subnets: a run of thousands of steps measures
      // a few thousand; the refit on resume must stay quick
      examples: z.array(z.object({ subnet: subnetSchema, accuracy: z.number().min(0).max(1) })).max(50_000),
      refitAt: z.number().int().min(0).nullable(),
    })
    .optional(),
  tensors: z.array(checkpointTensorSchema).max(100_000),
});

export type CheckpointHeader = z.infer<typeof checkpointHeaderSchema>;
export type CheckpointTensor = z.infer<typeof checkpointTensorSchema>;

export interface Checkpoint {
  header: CheckpointHeader;
  /** the tensors' values in header order */
  values: Float32Array;
}

export const tensorSize = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Where each tensor's values start in `values`, checking names are unique. */
export function tensorOffsets(tensors: readonly CheckpointTensor[]): {
  offsets: Map<string, { offset: number; size: number; shape: number[] }>;
  total: number;
} {
  const offsets = new Map<string, { offset: number; size: number; shape: number[] }>();
  let total = 0;
  for (const t of tensors) {
    const key = `${t.group}:${t.name}`;
    if (offsets.has(key)) throw new Error(`checkpoint lists tensor "${t.name}" (${t.group}) twice`);
    const size = tensorSize(t.shape);
    offsets.set(key, { offset: total, size, shape: t.shape });
    total += size;
  }
  return { offsets, total };
}

/**
 * What keeps a tensor list from being the whole supernet whose variables are `specs`: a tensor
 * the supernet does not have, one of another shape, a weight missing, or velocity for only some
 * variables (a checkpoint holds the velocity of every variable or of none). Null when whole. The
 * words follow "checkpoint" or "it": 'has no weight tensor "head.b" ...'.
 */
export function checkpointTensorProblem(
  tensors: readonly CheckpointTensor[],
  specs: readonly { name: string; shape: readonly number[] }[],
): string | null {
  const shapes = new Map(specs.map((s) => [s.name, s.shape.join('x')]));
  const present = { weight: new Set<string>(), velocity: new Set<string>() };
  const stray = tensors.find((t) => !shapes.has(t.name));
  if (stray) return `has tensor ${quoteName(stray.name)}, which this search space's supernet does not have`;
  for (const t of tensors) {
    const expected = shapes.get(t.name)!;
    const shape = t.shape.join('x');
    if (shape !== expected)
      return `has tensor ${quoteName(t.name)} (${t.group}) of shape ${shape || '[] (a scalar)'}, but this search space's supernet's is ${expected}`;
    present[t.group].add(t.name);
  }
  const missingWeight = specs.find((s) => !present.weight.has(s.name));
  if (missingWeight) {
    const count = specs.length - present.weight.size;
    return `has no weight tensor ${quoteName(missingWeight.name)}${count > 1 ? ` (nor ${count - 1} more)` : ''}; a checkpoint holds every one of the supernet's ${specs.length} variables`;
  }
  if (present.velocity.size > 0) {
    const missingVelocity = specs.find((s) => !present.velocity.has(s.name));
    if (missingVelocity) {
      return `has velocity for ${present.velocity.size} of the supernet's ${specs.length} variables but none for ${quoteName(missingVelocity.name)}; a checkpoint holds the velocity of every variable or of none`;
    }
  }
  return null;
}

/** checkpointTensorProblem against the supernet of `space`. */
export const checkpointSpaceProblem = (tensors: readonly CheckpointTensor[], space: SearchSpace): string | null =>
  checkpointTensorProblem(tensors, supernetVariableSpecs(space));

/** The values of one tensor, as a view into the checkpoint (no copy). */
export function checkpointTensor(checkpoint: Checkpoint, group: CheckpointTensor['group'], name: string): Float32Array | undefined {
  const entry = tensorOffsets(checkpoint.header.tensors).offsets.get(`${group}:${name}`);
  return entry ? checkpoint.values.subarray(entry.offset, entry.offset + entry.size) : undefined;
}

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const { total } = tensorOffsets(checkpoint.header.tensors);
  if (total !== checkpoint.values.length)
    throw new Error(`checkpoint header describes ${total} values but ${checkpoint.values.length} are given`);
  const header = new TextEncoder().encode(JSON.stringify(checkpoint.header));
  const headerEnd = 12 + header.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const bytes = new Uint8Array(dataStart + total * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, header.length, true);
  bytes.set(header, 12);
  const view = new DataView(bytes.buffer, dataStart);
  // explicit little-endian writes: the file must read the same on any machine
  for (let i = 0; i < total; i++) view.setFloat32(i * 4, checkpoint.values[i], true);
  return bytes;
}

/**
 * Parses checkpoint bytes; every failure names what is wrong. The tensors must be exactly the
 * supernet of the search space the header's config claims (checkpointTensorProblem).
 */
export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): Checkpoint {
  const fail = (why: string): never => {
    throw new Error(`${source} is not a valid NAS Studio checkpoint: ${why}`);
  };
  if (bytes.length < 12) fail(`it is only ${bytes.length} bytes long`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== MAGIC) fail(`it starts with ${JSON.stringify(magic.replace(/[^\x20-\x7e]/g, '?'))}, expected "${MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (headerLength > MAX_HEADER_BYTES) fail(`its header claims ${headerLength} bytes, more than the ${MAX_HEADER_BYTES} allowed`);
  if (12 + headerLength > bytes.length)
    fail(`it is truncated: the header needs ${headerLength} bytes but only ${bytes.length - 12} follow`);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + headerLength));
  } catch {
    fail('its header is not JSON (it is not valid UTF-8 text)');
  }
  const json = tryParseJson(text);
  if ('problem' in json) {
    return fail(
      json.problem.startsWith('is not JSON: ')
        ? `its header is not JSON (${json.problem.slice('is not JSON: '.length)})`
        : `its header ${json.problem}`,
    );
  }
  const parsed = json.value;
  const header = parseWithSchema(checkpointHeaderSchema, parsed, `${source} header`);
  let total: number;
  try {
    total = tensorOffsets(header.tensors).total;
  } catch (error) {
    return fail((error as Error).message);
  }
  const dataStart = Math.ceil((12 + headerLength) / 4) * 4;
  const expected = dataStart + total * 4;
  if (bytes.length < expected)
    fail(`it is truncated: ${bytes.length} bytes, the header's ${header.tensors.length} tensors need ${expected}`);
  if (bytes.length > expected) fail(`it has ${bytes.length - expected} bytes after the last tensor`);
  // whole or nothing: every variable of the supernet its config's space defines, each in its shape
  const incomplete = checkpointSpaceProblem(header.tensors, header.config.space);
  if (incomplete) fail(`it ${incomplete}`);
  const refitAt = header.predictor?.refitAt;
  if (refitAt != null && refitAt > header.progress.step)
    fail(`predictor.refitAt is step ${refitAt}, after the checkpoint's step ${header.progress.step}`);
  header.predictor?.examples.forEach((e, i) => {
    const problems = subnetProblems(header.config.space, e.subnet);
    if (problems.length) fail(`predictor.examples[${i}].subnet is not a subnet of its space: ${problems.join('; ')}`);
  });
  const values = new Float32Array(total);
  const data = new DataView(bytes.buffer, bytes.byteOffset + dataStart, total * 4);
  for (let i = 0; i < total; i++) values[i] = data.getFloat32(i * 4, true);
  for (let i = 0; i < total; i++)
    if (!Number.isFinite(values[i])) fail(`value ${i} is ${values[i]}; a checkpoint holds finite numbers only`);
  return { header, values };
}
