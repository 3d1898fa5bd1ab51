/**
 * The person's runs as a library: read back from IndexedDB when the studio opens (a run that
 * was training is marked interrupted and can resume from its checkpoint), renamed, deleted,
 * exported to one file and imported from one. Every failure is a message naming the problem.
 */
import { encodeRunArchive } from '../../core/records/run-archive';
import { isActivePhase, type RunRecord, type SearchState } from '../../core/records/run-record-schema';
import { TOOL_VERSION } from '../../core/records/version';
import type { StudioStore } from '../store/studio-store';
import type { RunDatabase } from '../../storage/run-db';
import { afterReload, prepareImport, saveImport, searchAfterReload, type PreparedImport } from '../../storage/run-file-import';
import { markSaved } from './run-persister';
import { errorMessage } from '../../core/training/error-message';

// the parts an import worker shares live in storage; the studio reaches them here too
export { afterReload, prepareImport, saveImport, searchAfterReload, type PreparedImport };

export async function restoreLibrary(store: StudioStore, db: RunDatabase): Promise<number> {
  const { runs, searches, groups } = await db.loadAll();
  const known = new Set(runs.map((r) => r.id));
  // a comparison keeps only the runs that still exist (one may have been deleted since)
  const kept = groups.map((g) => ({ ...g, runIds: g.runIds.filter((id) => known.has(id)) })).filter((g) => g.runIds.length > 0);
  store.getState().restoreRuns(runs.map(afterReload), kept);
  store.getState().restoreSearches(searches.filter((s) => known.has(s.runId)).map(searchAfterReload));
  // bytes a worker wrote just before the page went away, which no record came to name
  await db
    .pruneCheckpoints(runs)
    .catch((error: unknown) => store.getState().reportStorageProblem(`Could not tidy unused checkpoints: ${errorMessage(error)}`));
  return runs.length;
}

export async function deleteRun(store: StudioStore, db: RunDatabase | null, id: string): Promise<void> {
  const run = store.getState().runs[id];
  if (!run) return;
  if (isActivePhase(run.phase)) throw new Error(`run “${run.name}” is ${run.phase}; stop it before deleting it`);
  await db?.deleteRun(id);
  store.getState().removeSearch(id);
  store.getState().removeRun(id);
}

/** File name for an exported run: its name made safe for any file system. */
export const runFileName = (run: RunRecord) =>
  `${
    run.name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 80) || 'run'
  }.nasrun`;

export async function exportRun(store: StudioStore, db: RunDatabase | null, id: string): Promise<{ name: string; bytes: Uint8Array }> {
  const state = store.getState();
  const run = state.runs[id];
  if (!run) throw new Error('this run no longer exists');
  if (isActivePhase(run.phase)) throw new Error(`run “${run.name}” is ${run.phase}; export it when it has stopped`);
  const checkpoint = run.checkpoint && db ? await db.loadCheckpoint(run) : null;
  if (run.checkpoint && !checkpoint)
    throw new Error(`the checkpoint of run “${run.name}” is not in this browser’s storage; it cannot be exported with its weights`);
  const bytes = encodeRunArchive({ run, search: searchForExport(state.searches[id]), checkpoint, toolVersion: TOOL_VERSION });
  return { name: runFileName(run), bytes };
}

const searchForExport = (search: SearchState | undefined) => (search && search.phase !== 'failed' ? searchAfterReload(search) : null);

/** Puts a saved import into the store, where the persister takes it as saved already. */
export function joinLibrary(store: StudioStore, prepared: Pick<PreparedImport, 'run' | 'search'>, saved: boolean): void {
  if (saved) {
    markSaved(prepared.run);
    if (prepared.search) markSaved(prepared.search);
  }
  store.getState().restoreRuns([prepared.run]);
  if (prepared.search) store.getState().restoreSearches([prepared.search]);
}

/**
 * Reads an exported run on this thread; it joins the library under a fresh id when its id is
 * taken. The studio imports through importRunFile (run-import.ts), which does this in a worker.
 */
export async function importRun(store: StudioStore, db: RunDatabase | null, bytes: Uint8Array, fileName: string): Promise<RunRecord> {
  const prepared = prepareImport(bytes, fileName, (id) => store.getState().runs[id] !== undefined);
  await saveImport(db, prepared);
  joinLibrary(store, prepared, db !== null);
  return prepared.run;
}
