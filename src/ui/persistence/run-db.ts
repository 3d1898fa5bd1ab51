/**
 * The studio's runs in IndexedDB (through `idb`): run records, their latest supernet
 * checkpoint, searches, comparison groups and the datasets people loaded, so a reload or a
 * closed tab loses nothing. Each write is one transaction; a failure (a full quota above all)
 * comes back as a StorageError whose message says what was not saved and what to do.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SearchState } from '../store/explore-slice';
import type { ComparisonGroup, RunRecord } from '../store/runs-slice';

export interface StoredDataset {
  id: string;
  name: string;
  files: { name: string; bytes: Uint8Array }[];
  savedAt: number;
}

interface StudioDb extends DBSchema {
  runs: { key: string; value: RunRecord };
  checkpoints: { key: string; value: { runId: string; bytes: Uint8Array } };
  searches: { key: string; value: SearchState };
  groups: { key: string; value: ComparisonGroup };
  datasets: { key: string; value: StoredDataset };
}

export const DB_NAME = 'nas-studio';
const DB_VERSION = 1;

export class StorageError extends Error {
  readonly quota: boolean;
  constructor(message: string, quota: boolean) {
    super(message);
    this.name = 'StorageError';
    this.quota = quota;
  }
}

const isQuotaError = (error: unknown) =>
  error instanceof Error && (error.name === 'QuotaExceededError' || /quota/i.test(error.message));

/** A message for a failed write that names what was lost and why. */
export function describeStorageError(error: unknown, what: string): StorageError {
  if (error instanceof StorageError) return error;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (isQuotaError(error)) {
    return new StorageError(`Could not save ${what}: the browser's storage quota is full (${detail}). Export runs you want to keep and delete them on the Runs view to make room; until then a reload loses what was not saved.`, true);
  }
  return new StorageError(`Could not save ${what}: ${detail}`, false);
}

export interface RunDatabase {
  loadAll(): Promise<{ runs: RunRecord[]; searches: SearchState[]; groups: ComparisonGroup[] }>;
  saveRun(run: RunRecord): Promise<void>;
  /** the record and its checkpoint in one transaction, so they never disagree */
  saveRunWithCheckpoint(run: RunRecord, checkpoint: Uint8Array | null): Promise<void>;
  loadCheckpoint(runId: string): Promise<Uint8Array | null>;
  saveSearch(search: SearchState): Promise<void>;
  saveGroup(group: ComparisonGroup): Promise<void>;
  deleteRun(runId: string): Promise<void>;
  saveDataset(dataset: StoredDataset): Promise<void>;
  loadDataset(id: string): Promise<StoredDataset | null>;
  close(): void;
}

/** Opens (creating on first use) the studio's database; throws where the browser offers no IndexedDB. */
export async function openRunDatabase(name = DB_NAME): Promise<RunDatabase> {
  if (typeof indexedDB === 'undefined') throw new StorageError('This browser offers no IndexedDB (a private window?): runs will not survive a reload.', false);
  const db: IDBPDatabase<StudioDb> = await openDB<StudioDb>(name, DB_VERSION, {
    upgrade(database) {
      database.createObjectStore('runs', { keyPath: 'id' });
      database.createObjectStore('checkpoints', { keyPath: 'runId' });
      database.createObjectStore('searches', { keyPath: 'runId' });
      database.createObjectStore('groups', { keyPath: 'id' });
      database.createObjectStore('datasets', { keyPath: 'id' });
    },
  });
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
      const [runs, searches, groups] = await Promise.all([tx.objectStore('runs').getAll(), tx.objectStore('searches').getAll(), tx.objectStore('groups').getAll()]);
      await tx.done;
      return { runs, searches, groups };
    },
    saveRun: (run) => guard(`run "${run.name}"`, async () => void (await db.put('runs', run))),
    saveRunWithCheckpoint: (run, checkpoint) =>
      guard(`the checkpoint of run "${run.name}"`, async () => {
        const tx = db.transaction(['runs', 'checkpoints'], 'readwrite');
        const checkpoints = tx.objectStore('checkpoints');
        await Promise.all([tx.objectStore('runs').put(run), checkpoint ? checkpoints.put({ runId: run.id, bytes: checkpoint }) : checkpoints.delete(run.id), tx.done]);
      }),
    async loadCheckpoint(runId) {
      return (await db.get('checkpoints', runId))?.bytes ?? null;
    },
    saveSearch: (search) => guard('the search', async () => void (await db.put('searches', search))),
    saveGroup: (group) => guard('the comparison', async () => void (await db.put('groups', group))),
    deleteRun: (runId) =>
      guard('the deletion', async () => {
        const tx = db.transaction(['runs', 'checkpoints', 'searches'], 'readwrite');
        await Promise.all([tx.objectStore('runs').delete(runId), tx.objectStore('checkpoints').delete(runId), tx.objectStore('searches').delete(runId), tx.done]);
      }),
    saveDataset: (dataset) => guard(`dataset "${dataset.name}"`, async () => void (await db.put('datasets', dataset))),
    async loadDataset(id) {
      return (await db.get('datasets', id)) ?? null;
    },
    close: () => db.close(),
  };
}
