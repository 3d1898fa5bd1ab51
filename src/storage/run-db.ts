/**
 * The studio's runs in IndexedDB (through `idb`): run records, their latest supernet
 * checkpoint, searches, comparison groups and the datasets people loaded, so a reload or a
 * closed tab loses nothing. Each write is one transaction; a failure (a full quota above all)
 * comes back as a StorageError whose message says what was not saved and what to do.
 *
 * Checkpoint bytes are written by the engine worker (copying megabytes into IndexedDB on the UI
 * thread was a long task) under a key of their own; the run record then switches to the new key
 * and the run's older checkpoints are deleted in one transaction, so the record always names
 * bytes that exist, whenever the page goes away.
 *
 * Storage is a layer of its own: the UI and the engine worker both open this database, so it
 * imports neither (only core's record types).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ComparisonGroup, RunRecord, SearchState } from '../core/records/run-record-schema';

export interface StoredDataset {
  id: string;
  name: string;
  files: { name: string; bytes: Uint8Array }[];
  savedAt: number;
}

interface StudioDb extends DBSchema {
  runs: { key: string; value: RunRecord };
  checkpoints: { key: string; value: StoredCheckpoint; indexes: { runId: string } };
  searches: { key: string; value: SearchState };
  groups: { key: string; value: ComparisonGroup };
  datasets: { key: string; value: StoredDataset };
}

interface StoredCheckpoint {
  key: string;
  runId: string;
  bytes: Uint8Array;
}

export const DB_NAME = 'nas-studio';
/** 1: one checkpoint per run, under the run id; 2: checkpoints under keys of their own */
const DB_VERSION = 2;

/** A fresh key for a run's checkpoint bytes, unique even when a restarted run reaches the same step again. */
export const newCheckpointKey = (runId: string, step: number) =>
  `${runId}@${step}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Where a run's checkpoint bytes are kept: records from before keyed checkpoints (and migrated ones) use the run id. */
export const checkpointKeyOf = (run: Pick<RunRecord, 'id' | 'checkpoint'>) => run.checkpoint?.key ?? run.id;

export class StorageError extends Error {
  readonly quota: boolean;
  constructor(message: string, quota: boolean) {
    super(message);
    this.name = 'StorageError';
    this.quota = quota;
  }
}

const isQuotaError = (error: unknown) => error instanceof Error && (error.name === 'QuotaExceededError' || /quota/i.test(error.message));

/** A message for a failed write that names what was lost and why. */
export function describeStorageError(error: unknown, what: string): StorageError {
  if (error instanceof StorageError) return error;
  // Chromium's QuotaExceededError carries no message: the name alone then
  const detail = error instanceof Error ? (error.message ? `${error.name}: ${error.message}` : error.name) : String(error);
  if (isQuotaError(error)) {
    return new StorageError(
      `Could not save ${what}: the browser's storage quota is full (${detail}). Export runs you want to keep and delete them on the Runs view to make room; until then a reload loses what was not saved.`,
      true,
    );
  }
  return new StorageError(`Could not save ${what}: ${detail}`, false);
}

export interface RunDatabase {
  /** the IndexedDB database's name, for the worker to open it too */
  readonly name: string;
  loadAll(): Promise<{ runs: RunRecord[]; searches: SearchState[]; groups: ComparisonGroup[] }>;
  saveRun(run: RunRecord): Promise<void>;
  /** Checkpoint bytes under a new key; no record names them until saveRunWithCheckpoint switches to it. */
  putCheckpointBytes(key: string, runId: string, bytes: Uint8Array): Promise<void>;
  /**
   * The record, with `bytes` (when given) stored under the key its checkpoint names, and every
   * other checkpoint of the run deleted: one transaction, so record and bytes never disagree.
   */
  saveRunWithCheckpoint(run: RunRecord, bytes?: Uint8Array | null): Promise<void>;
  loadCheckpoint(run: Pick<RunRecord, 'id' | 'checkpoint'>): Promise<Uint8Array | null>;
  /** Deletes checkpoint bytes no run record names (written just before a reload, or of runs gone); returns how many. */
  pruneCheckpoints(runs: Pick<RunRecord, 'id' | 'checkpoint'>[]): Promise<number>;
  saveSearch(search: SearchState): Promise<void>;
  saveGroup(group: ComparisonGroup): Promise<void>;
  deleteRun(runId: string): Promise<void>;
  saveDataset(dataset: StoredDataset): Promise<void>;
  loadDataset(id: string): Promise<StoredDataset | null>;
  close(): void;
}

/**
 * Waits for a write transaction's requests and its end. When the transaction aborts (a full
 * quota), its pending requests fail with a bare AbortError that may arrive first; the
 * transaction's own error is the one that says why.
 */
export async function committed(tx: { done: Promise<void>; error: DOMException | null }, requests: Promise<unknown>[]): Promise<void> {
  try {
    await Promise.all([...requests, tx.done]);
  } catch (error) {
    await tx.done.catch(() => {});
    throw tx.error ?? error;
  }
}

/** Opens (creating on first use) the studio's database; throws where the browser offers no IndexedDB. */
export async function openRunDatabase(name = DB_NAME): Promise<RunDatabase> {
  if (typeof indexedDB === 'undefined')
    throw new StorageError('This browser offers no IndexedDB (a private window?): runs will not survive a reload.', false);
  const db: IDBPDatabase<StudioDb> = await openDB<StudioDb>(name, DB_VERSION, {
    // only requests of the upgrade transaction are awaited here, which keeps it alive
    async upgrade(database, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        database.createObjectStore('runs', { keyPath: 'id' });
        database.createObjectStore('searches', { keyPath: 'runId' });
        database.createObjectStore('groups', { keyPath: 'id' });
        database.createObjectStore('datasets', { keyPath: 'id' });
      }
      if (oldVersion < 2) {
        // version 1 kept { runId, bytes } keyed by run id: they move under that same key
        const legacy = oldVersion >= 1 ? await tx.objectStore('checkpoints').getAll() : [];
        if (oldVersion >= 1) database.deleteObjectStore('checkpoints');
        const checkpoints = database.createObjectStore('checkpoints', { keyPath: 'key' });
        checkpoints.createIndex('runId', 'runId');
        for (const old of legacy) await checkpoints.put({ key: old.runId, runId: old.runId, bytes: old.bytes });
      }
    },
  });
  const putOne = <S extends 'runs' | 'checkpoints' | 'searches' | 'groups' | 'datasets'>(store: S, value: StudioDb[S]['value']) => {
    const tx = db.transaction(store, 'readwrite');
    return committed(tx, [tx.store.put(value)]);
  };
  const guard = async <T>(what: string, write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      throw describeStorageError(error, what);
    }
  };
  return {
    async loadAll() {
      const tx = db.transaction(['runs', 'searches', 'groups'], 'readonly');
      const [runs, searches, groups] = await Promise.all([
        tx.objectStore('runs').getAll(),
        tx.objectStore('searches').getAll(),
        tx.objectStore('groups').getAll(),
      ]);
      await tx.done;
      return { runs, searches, groups };
    },
    saveRun: (run) => guard(`run "${run.name}"`, () => putOne('runs', run)),
    name,
    putCheckpointBytes: (key, runId, bytes) => guard('the checkpoint', () => putOne('checkpoints', { key, runId, bytes })),
    saveRunWithCheckpoint: (run, bytes) =>
      guard(`the checkpoint of run "${run.name}"`, async () => {
        const tx = db.transaction(['runs', 'checkpoints'], 'readwrite');
        const checkpoints = tx.objectStore('checkpoints');
        const keep = run.checkpoint ? checkpointKeyOf(run) : null;
        const writes: Promise<unknown>[] = [tx.objectStore('runs').put(run)];
        if (keep && bytes) writes.push(checkpoints.put({ key: keep, runId: run.id, bytes }));
        for (const key of await checkpoints.index('runId').getAllKeys(run.id)) if (key !== keep) writes.push(checkpoints.delete(key));
        await committed(tx, writes);
      }),
    async loadCheckpoint(run) {
      return (await db.get('checkpoints', checkpointKeyOf(run)))?.bytes ?? null;
    },
    async pruneCheckpoints(runs) {
      const named = new Set(runs.filter((r) => r.checkpoint).map(checkpointKeyOf));
      const tx = db.transaction('checkpoints', 'readwrite');
      const stale = (await tx.store.getAllKeys()).filter((key) => !named.has(key));
      await committed(
        tx,
        stale.map((key) => tx.store.delete(key)),
      );
      return stale.length;
    },
    saveSearch: (search) => guard('the search', () => putOne('searches', search)),
    saveGroup: (group) => guard('the comparison', () => putOne('groups', group)),
    deleteRun: (runId) =>
      guard('the deletion', async () => {
        const tx = db.transaction(['runs', 'checkpoints', 'searches'], 'readwrite');
        const checkpoints = tx.objectStore('checkpoints');
        const keys = await checkpoints.index('runId').getAllKeys(runId);
        await committed(tx, [
          tx.objectStore('runs').delete(runId),
          ...keys.map((key) => checkpoints.delete(key)),
          tx.objectStore('searches').delete(runId),
        ]);
      }),
    saveDataset: (dataset) => guard(`dataset "${dataset.name}"`, () => putOne('datasets', dataset)),
    async loadDataset(id) {
      return (await db.get('datasets', id)) ?? null;
    },
    close: () => db.close(),
  };
}
