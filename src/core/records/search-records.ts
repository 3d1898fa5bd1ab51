/**
 * The records an evolutionary search produces, defined once: evolution (core) builds them, the
 * engine and the worker pass them on, the UI shows and persists them, the CLI writes them to
 * JSON. Types are `z.infer` of the schemas, which also validate stored and imported searches.
 */
import { z } from 'zod';
import {
  accuracySchema,
  backendInfoSchema,
  count,
  nonNegative,
  numberOrNaN,
  persistedSubnetSchema,
  subnetKeyText,
  text,
} from './run-records';
import { predictorKinds } from '../predictor/predictor';
import { searchConfigSchema } from '../search/search-config';

export const originSchema = z.enum(['smallest', 'seed', 'mutation', 'crossover']);
export type Origin = z.infer<typeof originSchema>;

/** evolution's EvaluatedSubnet: accuracy is a predictor's estimate in predictor mode, so it may leave [0, 1] */
export const evaluatedSubnetSchema = z.object({
  subnet: persistedSubnetSchema,
  key: subnetKeyText,
  hash: z.string().regex(/^[0-9a-f]{8}$/, 'a subnet hash is 8 hex digits'),
  macs: nonNegative,
  params: count,
  /** fitness: validation accuracy in [0, 1], or the predictor's estimate of it */
  accuracy: z.number(),
  generation: count,
  origin: originSchema,
});
export type EvaluatedSubnet = z.infer<typeof evaluatedSubnetSchema>;
const MAX_EVALUATED = 1_000_000;
export const evaluatedList = z.array(evaluatedSubnetSchema).max(MAX_EVALUATED);
export const frontList = z.array(evaluatedSubnetSchema).max(100_000);

/** One generation of a search, as evolution reports it (and the worker sends it to the UI). */
export const generationReportSchema = z.object({
  generation: count,
  /** subnets first evaluated in this generation */
  evaluated: evaluatedList,
  front: frontList,
  archive: evaluatedList,
  hypervolume: nonNegative,
  totalEvaluations: count,
  /** children not produced because maxTries ran out (window too narrow, space exhausted) */
  giveUps: count,
});
export type GenerationReport = z.infer<typeof generationReportSchema>;

export const SEARCH_RESULTS_VERSION = 1;

/** The results JSON of a search (`npm run search`, and what the worker resolves with). */
export const searchResultsSchema = z.object({
  type: z.literal('nas-studio/search-results'),
  // the type says number (a `v === 1` predicate would narrow it to 1); this format knows version 1 only
  version: z.number().refine((v): boolean => v === SEARCH_RESULTS_VERSION, 'only search results version 1 are known'),
  config: searchConfigSchema,
  backend: backendInfoSchema,
  supernet: z.object({ space: text(64), sampler: text(200), step: count, epoch: count, seed: count }),
  window: z.object({ minMacs: nonNegative, maxMacs: nonNegative }),
  evaluated: evaluatedList,
  front: frontList,
  /** the front with real validation accuracy (differs from `front` in predictor mode) */
  refinedFront: frontList,
  /** test accuracy of the refined front, when asked for, keyed by subnet key */
  testAccuracy: z.record(z.string().regex(/^[a-z0-9.-]{1,1000}$/, 'not a subnet key'), accuracySchema).nullable(),
  generations: z
    .array(
      z.object({
        generation: count,
        evaluated: count,
        frontSize: count,
        hypervolume: nonNegative,
        totalEvaluations: count,
        seconds: nonNegative,
        giveUps: count,
      }),
    )
    .max(1001),
  predictor: z.object({ kind: z.enum(predictorKinds).optional(), trainedOn: count, heldOut: count, kendallTau: numberOrNaN }).nullable(),
  hypervolume: nonNegative,
  timing: z.object({ seconds: nonNegative, realEvaluations: count, msPerRealEvaluation: nonNegative }),
  stopped: z.boolean(),
});
export type SearchResults = z.infer<typeof searchResultsSchema>;
