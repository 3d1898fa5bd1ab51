/**
 * Schemas for a run record, its search and a comparison group: the studio's store holds them,
 * IndexedDB keeps them and run files carry them, all as the types derived here (RunRecord,
 * SearchState, ComparisonGroup). The records inside them are in run-records.ts and
 * search-records.ts.
 *
 * Bounds are generous for real runs and there to refuse hostile files: every string and array
 * has a maximum, every number is finite. Unknown keys are dropped.
 */
import { z } from 'zod';
import { runConfigSchema } from '../training/run-config';
import {
  backendInfoSchema,
  checkpointInfoSchema,
  count,
  epochRecordSchema,
  nonNegative,
  rangeEvaluationSchema,
  runOutcomeSchema,
  runProgressSchema,
  runStartSchema,
  stepPointSchema,
  text,
  timestamp,
} from './run-records';
import { searchConfigSchema } from '../search/search-config';
import { evaluatedList, frontList, searchResultsSchema } from './search-records';
import { studioSettingsSchema } from '../training/studio-settings';

// the schema of a run's backend was first kept here
export { backendInfoSchema };

export const recordIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'ids are 1-100 letters, digits, ".", "_" or "-"');

/** The input's own keys that the schema kept, recursively: unknown keys go, defaults are not added. */
function keepKnownKeys(input: unknown, parsed: unknown): unknown {
  if (Array.isArray(input) && Array.isArray(parsed)) return input.map((item, i) => keepKnownKeys(item, parsed[i]));
  if (isRecord(input) && isRecord(parsed)) {
    return Object.fromEntries(
      Object.keys(input)
        .filter((k) => Object.hasOwn(parsed, k))
        .map((k) => [k, keepKnownKeys(input[k], parsed[k])]),
    );
  }
  return input;
}
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * A config kept as the input it was given (a run resumes with exactly it), accepted when the
 * config schema accepts it; that schema's problems are reported at their own paths.
 */
function validInput<S extends z.ZodType>(schema: S) {
  return z.custom<z.input<S>>().transform((value, ctx) => {
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return keepKnownKeys(value, result.data) as z.input<S>;
  });
}

/** 'interrupted': the page was reloaded or closed while the run trained (it can resume from its checkpoint) */
export const runPhases = ['queued', 'starting', 'running', 'paused', 'stopping', 'done', 'stopped', 'failed', 'interrupted'] as const;
export type RunPhase = (typeof runPhases)[number];
/** phases of a run the engine is (or will be) training */
export const activePhases: readonly RunPhase[] = ['queued', 'starting', 'running', 'paused', 'stopping'];
export const isActivePhase = (phase: RunPhase) => activePhases.includes(phase);
export const MAX_RUN_STEPS = 2_000_000;
export const MAX_LOG_LINES = 500;

export const persistedRunSchema = z.object({
  id: recordIdSchema,
  name: text(200),
  label: text(200),
  sampler: studioSettingsSchema.shape.sampler,
  groupId: recordIdSchema.nullable(),
  settings: studioSettingsSchema,
  config: validInput(runConfigSchema),
  datasetId: recordIdSchema.nullable(),
  datasetName: text(200),
  phase: z.enum(runPhases),
  backend: backendInfoSchema.nullable(),
  start: runStartSchema.nullable(),
  steps: z.array(stepPointSchema).max(MAX_RUN_STEPS),
  epochs: z.array(epochRecordSchema).max(1000),
  rangeHistory: z.array(rangeEvaluationSchema).max(100_000),
  progress: runProgressSchema.nullable(),
  outcome: runOutcomeSchema.nullable(),
  log: z.array(text(2000)).max(MAX_LOG_LINES),
  error: text(10_000).nullable(),
  checkpoint: checkpointInfoSchema.nullable(),
  resumes: z.array(count).max(100_000),
  createdAt: timestamp,
});

export const persistedSearchSchema = z.object({
  runId: recordIdSchema,
  phase: z.enum(['running', 'done', 'stopped', 'failed']),
  config: validInput(searchConfigSchema),
  generations: z.array(z.object({ generation: count, hypervolume: nonNegative, totalEvaluations: count, frontSize: count })).max(1001),
  evaluated: evaluatedList,
  front: frontList,
  progress: z.object({ done: count, total: count }).nullable(),
  results: searchResultsSchema.nullable(),
  error: text(10_000).nullable(),
  startedAt: timestamp,
});

export const comparisonGroupSchema = z.object({
  id: recordIdSchema,
  runIds: z.array(recordIdSchema).max(100),
  settings: studioSettingsSchema,
  createdAt: timestamp,
});

/** A run as the studio holds, stores and exports it. */
export type PersistedRun = z.infer<typeof persistedRunSchema>;
/** A run's search as the studio holds, stores and exports it. */
export type PersistedSearch = z.infer<typeof persistedSearchSchema>;
export type PersistedComparisonGroup = z.infer<typeof comparisonGroupSchema>;
export type RunRecord = PersistedRun;
export type SearchState = PersistedSearch;
export type ComparisonGroup = PersistedComparisonGroup;
