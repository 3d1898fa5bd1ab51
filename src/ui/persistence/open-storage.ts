/**
 * Opens the studio's IndexedDB, puts the runs it holds back into the store, then keeps it in
 * step with the store. Where the browser keeps nothing, the studio still works and says so.
 */
import type { StudioStore } from '../store/studio-store';
import { restoreLibrary } from './run-library';
import { persistStudio } from './run-persister';
import { openRunDatabase, type RunDatabase } from '../../storage/run-db';
import { errorMessage } from '../../core/training/error-message';

export async function openStudioStorage(store: StudioStore): Promise<RunDatabase | null> {
  try {
    const db = await openRunDatabase();
    await restoreLibrary(store, db);
    persistStudio(store, db);
    return db;
  } catch (error) {
    store.getState().reportStorageProblem(`Runs cannot be kept in this browser, so a reload will lose them: ${errorMessage(error)}`);
    return null;
  }
}
