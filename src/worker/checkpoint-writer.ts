/**
 * Writes a run's checkpoint bytes into the studio's IndexedDB from the engine worker: the
 * structured clone of megabytes into IndexedDB then costs the worker a few ms between training
 * steps instead of blocking the UI thread. The UI switches the run record to the new key.
 */
import { newCheckpointKey, openRunDatabase, type RunDatabase } from '../storage/run-db';
import type { CheckpointEvent } from './protocol';
import { errorMessage } from '../core/training/error-message';

const databases = new Map<string, Promise<RunDatabase>>();

function database(name: string): Promise<RunDatabase> {
  let db = databases.get(name);
  if (!db) {
    db = openRunDatabase(name);
    databases.set(name, db);
    // a failed open is tried again at the next checkpoint
    db.catch(() => databases.delete(name));
  }
  return db;
}

/** Stores the bytes under a fresh key; a failure (a full quota above all) comes back as words, never thrown. */
export async function writeCheckpoint(
  storeName: string,
  runId: string,
  step: number,
  bytes: Uint8Array,
): Promise<Pick<CheckpointEvent, 'key' | 'storageError'>> {
  const key = newCheckpointKey(runId, step);
  try {
    await (await database(storeName)).putCheckpointBytes(key, runId, bytes);
    return { key };
  } catch (error) {
    return { key: null, storageError: errorMessage(error) };
  }
}
