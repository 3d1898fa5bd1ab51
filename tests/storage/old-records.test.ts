/**
 * Records written before the run records had one schema in core still open: a version 1
 * IndexedDB database (checkpoints under run ids) holding a run whose backend has no reason or
 * thread count, whose checkpoint has no key and whose steps have no target bins, and a run file
 * of that run. The fixtures are frozen JSON of those shapes, not made from today's types.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRunArchive } from '../../src/core/records/run-archive';
import { persistedRunSchema, persistedSearchSchema, type RunRecord, type SearchState } from '../../src/core/records/run-record-schema';
import { checkpointKeyOf, openRunDatabase, type RunDatabase } from '../../src/storage/run-db';
import { restoreLibrary } from '../../src/ui/persistence/run-library';
import { createStudioStore } from '../../src/ui/store/studio-store';
import { makeCheckpointBytes } from '../core/run-fixtures';
import { studioSettingsSchema } from '../../src/core/training/studio-settings';
import oldRunJson from './fixtures/old-run-record.json';
import oldSearchJson from './fixtures/old-search-record.json';

/** as IndexedDB's structured clone kept it: NaN stays NaN (JSON wrote it as null) */
const oldRun = (): unknown => {
  const run = structuredClone(oldRunJson) as { epochs: { meanLoss: Record<string, number | null> }[] };
  for (const e of run.epochs) for (const k of Object.keys(e.meanLoss)) e.meanLoss[k] ??= NaN;
  return run;
};
const oldSearch = (): unknown => {
  const search = structuredClone(oldSearchJson) as { results: { predictor: { kendallTau: number | null } } };
  search.results.predictor.kendallTau ??= NaN;
  return search;
};

const opened: RunDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('records of the old shapes', () => {
  it('are valid records of today', () => {
    const run = persistedRunSchema.parse(oldRunJson);
    expect(run.backend).toEqual(oldRunJson.backend);
    expect(run.checkpoint?.key).toBeUndefined();
    expect(run.steps[0].targetBins).toBeUndefined();
    expect(run.epochs[0].meanLoss.sampled).toBeNaN();
    expect(persistedSearchSchema.parse(oldSearchJson).results?.predictor?.kendallTau).toBeNaN();
  });

  it('a version 1 database opens, and its run and search come back into the studio with their checkpoint', async () => {
    const name = 'old-records-v1';
    const v1 = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore('runs', { keyPath: 'id' });
        database.createObjectStore('checkpoints', { keyPath: 'runId' });
        database.createObjectStore('searches', { keyPath: 'runId' });
        database.createObjectStore('groups', { keyPath: 'id' });
        database.createObjectStore('datasets', { keyPath: 'id' });
      },
    });
    const bytes = makeCheckpointBytes();
    const run = oldRun() as RunRecord;
    await v1.put('runs', run);
    await v1.put('searches', oldSearch() as SearchState);
    await v1.put('checkpoints', { runId: run.id, bytes });
    v1.close();

    const db = await openRunDatabase(name);
    opened.push(db);
    const store = createStudioStore();
    expect(await restoreLibrary(store, db)).toBe(1);
    const restored = store.getState().runs[run.id];
    expect(restored).toEqual(run);
    expect(persistedRunSchema.safeParse(restored).success).toBe(true);
    expect(store.getState().searches[run.id]).toEqual(oldSearch());
    expect(checkpointKeyOf(restored)).toBe(run.id);
    expect(await db.loadCheckpoint(restored)).toEqual(bytes);
  });

  it('a run file of that run, with its search and checkpoint, decodes', () => {
    const checkpoint = makeCheckpointBytes();
    // the checkpoint is made today, so its header carries today's config defaults: the record names its size
    const run = { ...oldRunJson, checkpoint: { ...oldRunJson.checkpoint, bytes: checkpoint.byteLength } };
    const header = new TextEncoder().encode(
      JSON.stringify({
        type: 'nas-studio/run',
        version: 1,
        toolVersion: '0.1.0',
        exportedAt: '2025-03-04T05:10:00.000Z',
        run,
        search: oldSearchJson,
        checkpointBytes: checkpoint.byteLength,
      }),
    );
    // the layout run-archive.ts documents: magic, little-endian header length, header, zero padding, checkpoint
    const padded = Math.ceil(header.byteLength / 4) * 4;
    const file = new Uint8Array(12 + padded + checkpoint.byteLength);
    file.set(new TextEncoder().encode('NASRUN01'));
    new DataView(file.buffer).setUint32(8, header.byteLength, true);
    file.set(header, 12);
    file.set(checkpoint, 12 + padded);

    const decoded = decodeRunArchive(file, 'old.nasrun');
    // settings the old record predates (seeds, augment, noiseFloor) read as their defaults
    const settings = studioSettingsSchema.parse((oldRunJson as { settings: unknown }).settings);
    expect(decoded.run).toEqual({ ...(oldRun() as object), checkpoint: run.checkpoint, settings });
    // as does the search's predictor kind, which the old record predates
    expect(decoded.search).toEqual(persistedSearchSchema.parse(oldSearchJson));
    expect(decoded.checkpointBytes).toEqual(checkpoint);
  });
});
