/**
 * One training run as one file: its record, its search and its latest supernet checkpoint, so
 * a person can move a run to another browser or keep it, and resume or search it after import.
 *
 * Layout (like the checkpoint's): 8 magic bytes "NASRUN01", a little-endian uint32 header
 * length, the header as UTF-8 JSON, zero padding to a multiple of 4 bytes, then a complete
 * NASCKPT1 checkpoint or nothing. Every damaged or foreign file is refused with a message that
 * starts with the file's name and says what is wrong; nothing in it is trusted before it is checked.
 */
import { z } from 'zod';
import { decodeCheckpoint, type Checkpoint } from './checkpoint-format';
import { tryParseJson } from './json-text';
import { runConfigSchema } from '../training/run-config';
import { persistedRunSchema, persistedSearchSchema, type PersistedRun, type PersistedSearch } from './run-record-schema';
import { describeZodError } from '../space/space';

export const RUN_ARCHIVE_TYPE = 'nas-studio/run';
export const RUN_ARCHIVE_VERSION = 1;
const MAGIC = 'NASRUN01';
const CHECKPOINT_MAGIC = 'NASCKPT1';
const PREAMBLE = 12;
/** a long run's step history is a few MB of JSON; far more is not a run of ours */
export const MAX_RUN_HEADER_BYTES = 64 * 1024 * 1024;

export const runArchiveHeaderSchema = z.object({
  type: z.literal(RUN_ARCHIVE_TYPE),
  version: z.literal(RUN_ARCHIVE_VERSION),
  toolVersion: z.string().min(1).max(100),
  exportedAt: z.iso.datetime(),
  run: persistedRunSchema,
  search: persistedSearchSchema.nullable(),
  /** length of the checkpoint after the header; 0: none */
  checkpointBytes: z.number().int().min(0),
});

export interface RunArchiveInput {
  run: PersistedRun;
  search: PersistedSearch | null;
  /** a complete checkpoint file as encodeCheckpoint makes it */
  checkpoint: Uint8Array | null;
  toolVersion: string;
  exportedAt?: string;
}

export interface RunArchive {
  run: PersistedRun;
  search: PersistedSearch | null;
  checkpoint: Checkpoint | null;
  /** the checkpoint file as it was in the archive (a copy), to store as it is */
  checkpointBytes: Uint8Array | null;
  toolVersion: string;
  exportedAt: string;
}

const padded = (n: number) => Math.ceil(n / 4) * 4;

export function encodeRunArchive(input: RunArchiveInput): Uint8Array {
  const fail = (why: string): never => {
    throw new Error(`Cannot export the run: ${why}`);
  };
  const parsed = runArchiveHeaderSchema.safeParse({
    type: RUN_ARCHIVE_TYPE,
    version: RUN_ARCHIVE_VERSION,
    toolVersion: input.toolVersion,
    exportedAt: input.exportedAt ?? new Date().toISOString(),
    run: input.run,
    search: input.search,
    checkpointBytes: input.checkpoint?.length ?? 0,
  });
  if (!parsed.success) return fail(`it would not import again: ${describeIssues(parsed.error)}`);
  const header = parsed.data;
  let checkpoint: Checkpoint | null = null;
  if (input.checkpoint) {
    try {
      checkpoint = decodeCheckpoint(input.checkpoint, 'its checkpoint');
    } catch (error) {
      fail((error as Error).message);
    }
  }
  const problem = inconsistency(header.run, header.search, checkpoint, header.checkpointBytes);
  if (problem) fail(problem);
  // JSON writes the NaN a record may hold as null; the schema reads null back as NaN
  const json = new TextEncoder().encode(JSON.stringify(header));
  if (json.length > MAX_RUN_HEADER_BYTES)
    fail(`its record is ${mib(json.length)} of JSON, more than the ${mib(MAX_RUN_HEADER_BYTES)} a run file may hold`);
  const dataStart = padded(PREAMBLE + json.length);
  const bytes = new Uint8Array(dataStart + header.checkpointBytes);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, json.length, true);
  bytes.set(json, PREAMBLE);
  if (input.checkpoint) bytes.set(input.checkpoint, dataStart);
  return bytes;
}

/** Reads a run file; every failure is an Error whose message starts with `source`. */
export function decodeRunArchive(bytes: Uint8Array, source = 'run file'): RunArchive {
  const fail = (why: string): never => {
    throw new Error(`${source} is not a valid NAS Studio run export: ${why}`);
  };
  if (bytes.length === 0) fail('the file is empty');
  const foreign = foreignFormat(bytes);
  if (foreign) fail(foreign);
  if (bytes.length < PREAMBLE) fail(`it is truncated: only ${bytes.length} bytes, fewer than the ${PREAMBLE} its start takes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (headerLength > MAX_RUN_HEADER_BYTES) fail(`its header claims ${headerLength} bytes, more than the ${MAX_RUN_HEADER_BYTES} allowed`);
  if (PREAMBLE + headerLength > bytes.length)
    fail(`it is truncated: the header needs ${headerLength} bytes but only ${bytes.length - PREAMBLE} follow`);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE, PREAMBLE + headerLength));
  } catch {
    fail('its header is not UTF-8 text');
  }
  // no reviver: the engine runs one recursively, and a header nested 3,000 levels deep overflowed
  // the stack; "__proto__" keys are dropped and the depth limited with an explicit stack instead
  const parsedJson = tryParseJson(text);
  if ('problem' in parsedJson) {
    return fail(
      parsedJson.problem.startsWith('is not JSON: ')
        ? `its header is not JSON (${parsedJson.problem.slice('is not JSON: '.length)})`
        : `its header ${parsedJson.problem}`,
    );
  }
  const json = parsedJson.value;
  const versionProblem = envelopeProblem(json);
  if (versionProblem) fail(versionProblem);
  const parsed = runArchiveHeaderSchema.safeParse(json);
  if (!parsed.success) return fail(`its header is invalid: ${describeIssues(parsed.error)}`);
  const header = parsed.data;

  const dataStart = padded(PREAMBLE + headerLength);
  const expected = dataStart + header.checkpointBytes;
  if (bytes.length < expected)
    fail(`it is truncated: ${bytes.length} bytes, its header and ${header.checkpointBytes}-byte checkpoint need ${expected}`);
  if (bytes.length > expected)
    fail(`it has ${bytes.length - expected} bytes after the ${header.checkpointBytes ? 'checkpoint' : 'header'}`);
  for (let i = PREAMBLE + headerLength; i < dataStart; i++) if (bytes[i] !== 0) fail('the padding after its header is not zero');

  let checkpoint: Checkpoint | null = null;
  let checkpointBytes: Uint8Array | null = null;
  if (header.checkpointBytes > 0) {
    // a copy, so keeping the checkpoint does not keep the whole file alive
    checkpointBytes = bytes.slice(dataStart, expected);
    try {
      checkpoint = decodeCheckpoint(checkpointBytes, 'its checkpoint');
    } catch (error) {
      fail((error as Error).message);
    }
  }
  const problem = inconsistency(header.run, header.search, checkpoint, header.checkpointBytes);
  if (problem) fail(problem);
  return {
    run: header.run,
    search: header.search,
    checkpoint,
    checkpointBytes,
    toolVersion: header.toolVersion,
    exportedAt: header.exportedAt,
  };
}

/** A file of another kind people may pick by mistake, named; null when it may be a run file. */
function foreignFormat(bytes: Uint8Array): string | null {
  const start = new TextDecoder().decode(bytes.subarray(0, 8));
  if (start === CHECKPOINT_MAGIC) return 'this is a supernet checkpoint, not a run export';
  const firstChar = new TextDecoder().decode(bytes.subarray(0, 64)).replace(/^[\ufeff\s]+/, '')[0];
  if (firstChar === '{' || firstChar === '[') return 'it looks like JSON (a subnet export or search results?), not a run export';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'it is gzip-compressed; a run export is not';
  const length = Math.min(8, bytes.length);
  for (let i = 0; i < length; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i))
      return `it starts with ${JSON.stringify(start.replace(/[^\x20-\x7e]/g, '?'))}, expected "${MAGIC}"`;
  }
  return null;
}

/** Type and version first, so a file from a newer studio says so rather than listing fields. */
function envelopeProblem(json: unknown): string | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'its header is not a JSON object';
  const { type, version } = json as { type?: unknown; version?: unknown };
  if (type !== RUN_ARCHIVE_TYPE) return `its header's type is ${shortJson(type)}, expected "${RUN_ARCHIVE_TYPE}"`;
  if (typeof version === 'number' && version > RUN_ARCHIVE_VERSION) {
    return `it is format version ${version}, written by a newer NAS Studio; this one reads version ${RUN_ARCHIVE_VERSION}`;
  }
  if (version !== RUN_ARCHIVE_VERSION) return `its format version is ${shortJson(version)}, expected ${RUN_ARCHIVE_VERSION}`;
  return null;
}

/** What disagrees between the record, its search and its checkpoint; null when they agree. */
function inconsistency(
  run: PersistedRun,
  search: PersistedSearch | null,
  checkpoint: Checkpoint | null,
  checkpointBytes: number,
): string | null {
  if (search && search.runId !== run.id)
    return `its search belongs to run ${shortJson(search.runId)}, not to this run ${shortJson(run.id)}`;
  const info = run.checkpoint;
  if (!info && checkpoint) return 'it holds a checkpoint but its run record says the run has none';
  if (info && !checkpoint) return `its run record names a checkpoint at step ${info.step} but the file holds none`;
  if (!info || !checkpoint) return null;
  const at = checkpoint.header.progress;
  for (const key of ['step', 'epoch', 'stepInEpoch'] as const) {
    if (info[key] !== at[key])
      return `its run record's checkpoint is at ${key} ${info[key]} but the checkpoint itself is at ${key} ${at[key]}`;
  }
  if (info.bytes !== checkpointBytes) return `its run record says the checkpoint is ${info.bytes} bytes but it is ${checkpointBytes}`;
  const difference = firstDifference(runConfigSchema.parse(run.config), runConfigSchema.parse(checkpoint.header.config), 'config');
  if (difference) return `its checkpoint was trained with another config than its run record's (${difference})`;
  return null;
}

/** The first path where two JSON values differ, with both values; null when equal. */
function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : `${path}: ${shortJson(a)} in the record, ${shortJson(b)} in the checkpoint`;
}

/** The first few problems: a hostile file can hold millions. */
function describeIssues(error: z.ZodError, shown = 5): string {
  const more = error.issues.length - shown;
  return describeZodError(new z.ZodError(error.issues.slice(0, shown))) + (more > 0 ? `; and ${more} more` : '');
}

const shortJson = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
