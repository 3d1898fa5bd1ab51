/**
 * The studio's runs in IndexedDB (fake-indexeddb in Node): records, checkpoints and searches
 * round-trip; a reload marks a training run interrupted; a resume rewinds to the checkpoint;
 * writes are coalesced and a failed one (a full quota) reaches the person.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeRunArchive } from '../../src/core/records/run-archive';
import { datasetFingerprint } from '../../src/ui/persistence/dataset-fingerprint';
import { openDB } from 'idb';
import {
  checkpointKeyOf,
  committed,
  describeStorageError,
  newCheckpointKey,
  openRunDatabase,
  type RunDatabase,
} from '../../src/storage/run-db';
import { writeCheckpoint } from '../../src/worker/checkpoint-writer';
import { afterReload, deleteRun, exportRun, importRun, restoreLibrary, runFileName } from '../../src/ui/persistence/run-library';
import { importRunFile } from '../../src/ui/persistence/run-import';
import { persistStudio } from '../../src/ui/persistence/run-persister';
import type { SearchState } from '../../src/ui/store/explore-slice';
import { resumePoint, rewoundRun, type RunRecord } from '../../src/ui/store/runs-slice';
import { createStudioStore } from '../../src/ui/store/studio-store';
import { makeCheckpointBytes, makeRun, makeSearch, RUN_ID } from '../core/run-fixtures';

let dbCount = 0;
const opened: RunDatabase[] = [];
const freshDb = async () => {
  const db = await openRunDatabase(`test-${dbCount++}`);
  opened.push(db);
  return db;
};
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  vi.useRealTimers();
});

const run = (change: Partial<RunRecord> = {}): RunRecord => ({ ...(makeRun() as RunRecord), ...change });
const search = (): SearchState => makeSearch() as SearchState;

describe('run database', () => {
  it('keeps runs, checkpoints, searches and groups', async () => {
    const db = await freshDb();
    const bytes = makeCheckpointBytes();
    await db.saveRunWithCheckpoint(run(), bytes);
    await db.saveSearch(search());
    await db.saveGroup({ id: 'cmp-1', runIds: [RUN_ID], settings: run().settings, createdAt: 5 });
    const all = await db.loadAll();
    expect(all.runs).toEqual([run()]);
    expect(all.searches).toEqual([search()]);
    expect(all.groups.map((g) => g.id)).toEqual(['cmp-1']);
    expect(await db.loadCheckpoint(run())).toEqual(bytes);
  });

  it('saving a run without a checkpoint removes the old one; deleting removes run, checkpoint and search', async () => {
    const db = await freshDb();
    await db.saveRunWithCheckpoint(run(), makeCheckpointBytes());
    await db.saveRunWithCheckpoint(run({ checkpoint: null }));
    expect(await db.loadCheckpoint(run())).toBeNull();
    await db.saveRunWithCheckpoint(run(), makeCheckpointBytes());
    await db.saveSearch(search());
    await db.deleteRun(RUN_ID);
    expect(await db.loadAll()).toEqual({ runs: [], searches: [], groups: [] });
    expect(await db.loadCheckpoint(run())).toBeNull();
  });

  it('a checkpoint written under a new key counts only once the record names it, and the old one goes then', async () => {
    const db = await freshDb();
    const first = makeCheckpointBytes();
    const older = run({ checkpoint: { ...run().checkpoint!, key: newCheckpointKey(RUN_ID, 3) } });
    await db.saveRunWithCheckpoint(older, first);
    // the worker writes the next checkpoint's bytes; the page may go away before the record follows
    const second = makeCheckpointBytes().map((b, i) => (i > 40 ? b ^ 1 : b));
    const key = newCheckpointKey(RUN_ID, 6);
    expect(key).not.toBe(checkpointKeyOf(older));
    await db.putCheckpointBytes(key, RUN_ID, second);
    const [stored] = (await db.loadAll()).runs;
    expect(await db.loadCheckpoint(stored)).toEqual(first);
    const newer = run({ checkpoint: { ...run().checkpoint!, step: 6, key } });
    await db.saveRunWithCheckpoint(newer);
    expect(await db.loadCheckpoint(newer)).toEqual(second);
    expect(await db.loadCheckpoint(older)).toBeNull();
  });

  it('deletes checkpoint bytes that no record names', async () => {
    const db = await freshDb();
    await db.saveRunWithCheckpoint(run(), makeCheckpointBytes());
    const orphans = [newCheckpointKey(RUN_ID, 9), newCheckpointKey('run-gone', 1)];
    for (const key of orphans) await db.putCheckpointBytes(key, key.split('@')[0], makeCheckpointBytes());
    const named = (key: string) => run({ checkpoint: { ...run().checkpoint!, key } });
    expect(await db.loadCheckpoint(named(orphans[0]))).not.toBeNull();
    const store = createStudioStore();
    await restoreLibrary(store, db);
    for (const key of orphans) expect(await db.loadCheckpoint(named(key))).toBeNull();
    expect(await db.pruneCheckpoints([run()])).toBe(0);
    expect(await db.loadCheckpoint(run())).toEqual(makeCheckpointBytes());
    expect(store.getState().storageProblem).toBeNull();
  });

  it('moves the checkpoints of a version 1 database under their run ids', async () => {
    const name = `test-v1-${dbCount++}`;
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
    await v1.put('runs', run());
    await v1.put('checkpoints', { runId: RUN_ID, bytes });
    v1.close();
    const db = await openRunDatabase(name);
    opened.push(db);
    expect((await db.loadAll()).runs).toEqual([run()]);
    expect(checkpointKeyOf(run())).toBe(RUN_ID);
    expect(await db.loadCheckpoint(run())).toEqual(bytes);
    await db.deleteRun(RUN_ID);
    expect(await db.loadCheckpoint(run())).toBeNull();
  });

  it('the engine worker writes checkpoint bytes itself, and says in words when it cannot', async () => {
    const db = await freshDb();
    const bytes = makeCheckpointBytes();
    const written = await writeCheckpoint(db.name, RUN_ID, 6, bytes);
    expect(written.storageError).toBeUndefined();
    expect(await db.loadCheckpoint(run({ checkpoint: { ...run().checkpoint!, key: written.key! } }))).toEqual(bytes);
    const saved = globalThis.indexedDB;
    try {
      (globalThis as { indexedDB?: IDBFactory }).indexedDB = undefined;
      const failed = await writeCheckpoint('test-nowhere', RUN_ID, 6, bytes);
      expect(failed.key).toBeNull();
      expect(failed.storageError).toMatch(/offers no IndexedDB/);
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('an aborted write reports why the transaction aborted, not the AbortError its requests got first', async () => {
    const quota = new DOMException('', 'QuotaExceededError');
    const done = Promise.reject(quota);
    const aborted = Promise.reject(new DOMException('The transaction was aborted, so the request cannot be fulfilled.', 'AbortError'));
    await expect(committed({ done, error: quota }, [aborted])).rejects.toBe(quota);
    const other = new Error('constraint');
    await expect(committed({ done: Promise.reject(other), error: null }, [Promise.resolve()])).rejects.toBe(other);
  });

  it('keeps datasets by id', async () => {
    const db = await freshDb();
    const files = [{ name: 'a.bin', bytes: new Uint8Array([1, 2, 3]) }];
    await db.saveDataset({ id: 'ds-1', name: 'mine', files, savedAt: 1 });
    expect((await db.loadDataset('ds-1'))?.files[0].bytes).toEqual(files[0].bytes);
    expect(await db.loadDataset('ds-2')).toBeNull();
  });

  it('names a full quota and what was not saved', () => {
    const quota = describeStorageError(new DOMException('The quota has been exceeded.', 'QuotaExceededError'), 'the checkpoint of run "a"');
    expect(quota.quota).toBe(true);
    expect(quota.message).toMatch(/Could not save the checkpoint of run "a": the browser's storage quota is full \(QuotaExceededError/);
    expect(quota.message).toMatch(/delete them on the Runs view/);
    expect(describeStorageError(new DOMException('', 'QuotaExceededError'), 'run "a"').message).toMatch(
      /quota is full \(QuotaExceededError\)\./,
    );
    const other = describeStorageError(new Error('disk on fire'), 'run "b"');
    expect(other.quota).toBe(false);
    expect(other.message).toBe('Could not save run "b": Error: disk on fire');
  });
});

describe('restoring after a reload', () => {
  it('marks a run that was training as interrupted and says where', () => {
    const restored = afterReload(run({ phase: 'running' }));
    expect(restored.phase).toBe('interrupted');
    expect(restored.log.at(-1)).toBe('interrupted by a reload or a closed tab at step 3');
    for (const phase of ['done', 'stopped', 'failed'] as const) expect(afterReload(run({ phase })).phase).toBe(phase);
  });

  it('puts every stored run and its search back into the store', async () => {
    const db = await freshDb();
    await db.saveRunWithCheckpoint(run({ phase: 'paused' }), makeCheckpointBytes());
    await db.saveRun(run({ id: 'run-older', createdAt: 1, checkpoint: null }));
    await db.saveSearch({ ...search(), phase: 'running' });
    await db.saveSearch({ ...search(), runId: 'run-gone' });
    await db.saveGroup({ id: 'cmp-1', runIds: ['run-gone', 'run-older'], settings: run().settings, createdAt: 1 });
    await db.saveGroup({ id: 'cmp-2', runIds: ['run-gone'], settings: run().settings, createdAt: 1 });
    const store = createStudioStore();
    expect(await restoreLibrary(store, db)).toBe(2);
    const state = store.getState();
    expect(state.runOrder).toEqual(['run-older', RUN_ID]);
    expect(state.runs[RUN_ID].phase).toBe('interrupted');
    expect(state.searches[RUN_ID].phase).toBe('stopped');
    expect(state.searches['run-gone']).toBeUndefined();
    // comparisons keep only the runs that still exist, and an empty one goes
    expect(Object.values(state.groups).map((g) => [g.id, g.runIds])).toEqual([['cmp-1', ['run-older']]]);
  });
});

describe('resuming from a checkpoint', () => {
  const long = () =>
    run({
      phase: 'interrupted',
      steps: Array.from({ length: 10 }, (_, i) => ({ ...makeRun().steps[0], step: i })),
      epochs: [0, 1].map((epoch) => ({ ...makeRun().epochs[0], epoch, steps: 4 * (epoch + 1) })),
      rangeHistory: [2, 4, 6, 8].map((step) => ({ ...makeRun().rangeHistory[0], step })),
      checkpoint: { step: 6, epoch: 1, stepInEpoch: 2, savedAt: 1, bytes: 10 },
      start: { ...makeRun().start!, totalSteps: 12 },
    });

  it('drops what came after the checkpoint: steps, epochs and range evaluations', () => {
    const rewound = rewoundRun(long());
    expect(rewound.steps.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rewound.epochs.map((e) => e.epoch)).toEqual([0]);
    // the evaluation at the checkpoint's step ran on the weights it holds, and is not repeated
    expect(rewound.rangeHistory.map((r) => r.step)).toEqual([2, 4, 6]);
    expect(rewound).toMatchObject({ phase: 'queued', progress: null, outcome: null, error: null, resumes: [6] });
  });

  it('starting over drops the whole history but keeps the name, settings and log', () => {
    const store = createStudioStore();
    store.getState().restoreRuns([long()]);
    store.getState().resetRun(RUN_ID);
    const again = store.getState().runs[RUN_ID];
    expect(again).toMatchObject({
      phase: 'queued',
      steps: [],
      epochs: [],
      rangeHistory: [],
      checkpoint: null,
      outcome: null,
      start: null,
      name: long().name,
      settings: long().settings,
    });
    expect(again.log.at(-1)).toBe('starting over');
  });

  it('offers a resume only for a run that ended early and has a checkpoint', () => {
    expect(resumePoint(long())?.step).toBe(6);
    expect(resumePoint({ ...long(), phase: 'failed' })?.step).toBe(6);
    expect(resumePoint({ ...long(), phase: 'running' })).toBeNull();
    expect(resumePoint({ ...long(), phase: 'done' })).toBeNull();
    expect(resumePoint({ ...long(), checkpoint: null })).toBeNull();
    // a checkpoint at the last step: nothing left to train
    expect(resumePoint({ ...long(), checkpoint: { ...long().checkpoint!, step: 12 } })).toBeNull();
    expect(() => rewoundRun({ ...long(), checkpoint: null })).toThrow(/no checkpoint to resume from/);
  });
});

describe('the persister', () => {
  it('coalesces changes into one write a moment later, and writes at once when a phase changes', async () => {
    vi.useFakeTimers();
    const saved: RunRecord[] = [];
    const db = {
      saveRun: vi.fn(async (r: RunRecord) => void saved.push(r)),
      saveSearch: vi.fn(async () => {}),
      saveGroup: vi.fn(async () => {}),
    } as unknown as RunDatabase;
    const store = createStudioStore();
    store.getState().restoreRuns([run({ phase: 'running' })]);
    persistStudio(store, db, 1000);
    store.getState().addRunLog(RUN_ID, 'one');
    store.getState().addRunLog(RUN_ID, 'two');
    await vi.advanceTimersByTimeAsync(999);
    expect(saved).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toHaveLength(1);
    expect(saved[0].log.slice(-2)).toEqual(['one', 'two']);
    store.getState().setRunPhase(RUN_ID, 'done');
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toHaveLength(2);
    expect(saved[1].phase).toBe('done');
  });

  it('reports a failed write to the person instead of swallowing it', async () => {
    const db = {
      saveRun: vi.fn(async () => Promise.reject(describeStorageError(new DOMException('full', 'QuotaExceededError'), 'run "x"'))),
      saveSearch: vi.fn(),
      saveGroup: vi.fn(),
    } as unknown as RunDatabase;
    const store = createStudioStore();
    const persister = persistStudio(store, db, 10);
    store.getState().restoreRuns([run()]);
    await persister.flush();
    expect(store.getState().storageProblem).toMatch(/Could not save run "x": the browser's storage quota is full/);
  });

  it('writes through to a real database that a new store restores from', async () => {
    const db = await freshDb();
    const store = createStudioStore();
    const persister = persistStudio(store, db, 10);
    store.getState().restoreRuns([run({ phase: 'running' })]);
    store.getState().renameRun(RUN_ID, '  my run  ');
    await persister.flush();
    persister.stop();
    const again = createStudioStore();
    await restoreLibrary(again, db);
    expect(again.getState().runs[RUN_ID]).toMatchObject({ name: 'my run', phase: 'interrupted' });
  });
});

describe('the run library', () => {
  it('exports a run with its checkpoint and search, and imports it back under a fresh id when the id is taken', async () => {
    const db = await freshDb();
    const store = createStudioStore();
    const bytes = makeCheckpointBytes();
    await db.saveRunWithCheckpoint(run(), bytes);
    await db.saveSearch(search());
    await restoreLibrary(store, db);
    const file = await exportRun(store, db, RUN_ID);
    expect(file.name).toBe('Uniform-tiny-Fashion-MNIST.nasrun');
    expect(decodeRunArchive(file.bytes).checkpointBytes).toEqual(bytes);
    const copy = await importRun(store, db, file.bytes, file.name);
    expect(copy.id).not.toBe(RUN_ID);
    expect(store.getState().runOrder).toHaveLength(2);
    expect(store.getState().searches[copy.id].runId).toBe(copy.id);
    expect(copy.checkpoint?.key).toMatch(new RegExp(`^${copy.id}@`));
    expect(await db.loadCheckpoint(copy)).toEqual(bytes);
  });

  it('an imported run is written once, by the import; the persister takes it as saved', async () => {
    const db = await freshDb();
    const store = createStudioStore();
    const saveRun = vi.spyOn(db, 'saveRun');
    const saveSearch = vi.spyOn(db, 'saveSearch');
    const persister = persistStudio(store, db, 10);
    const file = await exportRun(
      (() => {
        const other = createStudioStore();
        other.getState().restoreRuns([run({ checkpoint: null })]);
        return other;
      })(),
      null,
      RUN_ID,
    );
    const imported = await importRun(store, db, file.bytes, file.name);
    await persister.flush();
    persister.stop();
    expect(saveRun).not.toHaveBeenCalled();
    expect(saveSearch).not.toHaveBeenCalled();
    expect((await db.loadAll()).runs.map((r) => r.id)).toEqual([imported.id]);
    // a later change is written as usual
    const again = persistStudio(store, db, 10);
    store.getState().renameRun(imported.id, 'renamed');
    await again.flush();
    again.stop();
    expect(saveRun).toHaveBeenCalledTimes(1);
  });

  it('importRunFile imports on this thread where there are no workers', async () => {
    const db = await freshDb();
    const store = createStudioStore();
    const other = createStudioStore();
    other.getState().restoreRuns([run({ checkpoint: null })]);
    const file = await exportRun(other, null, RUN_ID);
    const imported = await importRunFile(store, db, new File([file.bytes as BlobPart], file.name));
    expect(imported.id).toBe(RUN_ID);
    expect(store.getState().runOrder).toEqual([RUN_ID]);
    await expect(importRunFile(store, db, new File([new Uint8Array(0)], 'empty.nasrun'))).rejects.toThrow(
      /^empty\.nasrun is not a valid NAS Studio run export: the file is empty$/,
    );
  });

  it('a damaged file changes nothing and names the problem', async () => {
    const db = await freshDb();
    const store = createStudioStore();
    await expect(importRun(store, db, new Uint8Array(0), 'empty.nasrun')).rejects.toThrow(/empty\.nasrun/);
    await expect(importRun(store, db, new TextEncoder().encode('{"type":"nas-studio/subnet"}'), 'x.json')).rejects.toThrow(/JSON/);
    expect(store.getState().runOrder).toEqual([]);
    expect((await db.loadAll()).runs).toEqual([]);
  });

  it('refuses to export or delete a run that is training, and deletes one that is not', async () => {
    const db = await freshDb();
    const store = createStudioStore();
    await db.saveRunWithCheckpoint(run(), makeCheckpointBytes());
    store.getState().restoreRuns([run({ phase: 'running' })]);
    await expect(exportRun(store, db, RUN_ID)).rejects.toThrow(/is running; export it when it has stopped/);
    await expect(deleteRun(store, db, RUN_ID)).rejects.toThrow(/is running; stop it before deleting it/);
    store.getState().setRunPhase(RUN_ID, 'stopped');
    await deleteRun(store, db, RUN_ID);
    expect(store.getState().runs[RUN_ID]).toBeUndefined();
    expect(await db.loadCheckpoint(run())).toBeNull();
  });

  it('exporting a run whose checkpoint is missing from storage says so', async () => {
    const db = await freshDb();
    const store = createStudioStore();
    store.getState().restoreRuns([run()]);
    await expect(exportRun(store, db, RUN_ID)).rejects.toThrow(/is not in this browser’s storage/);
  });

  it('file names are safe on any file system', () => {
    expect(runFileName(run({ name: '../../etc/passwd' }))).toBe('etc-passwd.nasrun');
    expect(runFileName(run({ name: '***' }))).toBe('run.nasrun');
  });
});

describe('dataset fingerprint', () => {
  const a = { name: 'train-images-idx3-ubyte.gz', bytes: new Uint8Array([1, 2, 3]) };
  const b = { name: 'train-labels-idx1-ubyte.gz', bytes: new Uint8Array([4, 5]) };
  it('is the same for the same files in any order, and differs when a byte does', async () => {
    expect(await datasetFingerprint([a, b])).toBe(await datasetFingerprint([b, a]));
    expect(await datasetFingerprint([a, b])).toMatch(/^ds-[0-9a-f]{24}$/);
    expect(await datasetFingerprint([a, { ...b, bytes: new Uint8Array([4, 6]) }])).not.toBe(await datasetFingerprint([a, b]));
  });
});
