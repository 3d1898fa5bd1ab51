/**
 * Run records read back from storage or from a run file, made ready for this browser: a run
 * that was training when the page went away is marked interrupted, and an imported run gets an
 * id and a checkpoint key of this library's own. Used by the UI and by the import worker, so it
 * imports neither (only core and this storage layer).
 */
import { decodeRunArchive } from '../core/records/run-archive';
import { isActivePhase, type RunRecord, type SearchState } from '../core/records/run-record-schema';
import { newCheckpointKey, type RunDatabase } from './run-db';

/** A run read back after a reload: one that was training did not finish, and says so. */
export function afterReload(run: RunRecord): RunRecord {
  if (!isActivePhase(run.phase)) return run;
  const at = run.progress ? ` at step ${run.progress.step}` : '';
  return { ...run, phase: 'interrupted', log: [...run.log, `interrupted by a reload or a closed tab${at}`] };
}

/** A search read back after a reload: one that was running stopped where its last generation left it. */
export function searchAfterReload(search: SearchState): SearchState {
  return search.phase === 'running' ? { ...search, phase: 'stopped', progress: null } : search;
}

let imported = 0;

/** An exported run made ready to join this library: decoded and checked, under an id not taken here. */
export interface PreparedImport {
  run: RunRecord;
  search: SearchState | null;
  checkpointBytes: Uint8Array | null;
}

/** Decodes a run file (every check, before anything is written); it gets a fresh id when `isTaken` says its own is. */
export function prepareImport(bytes: Uint8Array, fileName: string, isTaken: (id: string) => boolean): PreparedImport {
  const decoded = decodeRunArchive(bytes, fileName);
  const taken = isTaken(decoded.run.id);
  const id = taken ? `${decoded.run.id.slice(0, 80)}-i${Date.now().toString(36)}${(imported++).toString(36)}` : decoded.run.id;
  const info = decoded.run.checkpoint;
  // the bytes go under a key of this browser's own; the exporter's key means nothing here
  const checkpoint = info ? { ...info, key: newCheckpointKey(id, info.step) } : null;
  const run: RunRecord = afterReload({ ...decoded.run, id, groupId: null, createdAt: Date.now(), checkpoint });
  const search = decoded.search ? searchAfterReload({ ...decoded.search, runId: id }) : null;
  return { run, search, checkpointBytes: decoded.checkpointBytes };
}

/** Writes an import: the record with its checkpoint in one transaction, then its search. */
export async function saveImport(db: RunDatabase | null, prepared: PreparedImport): Promise<void> {
  if (!db) return;
  await db.saveRunWithCheckpoint(prepared.run, prepared.checkpointBytes);
  if (prepared.search) await db.saveSearch(prepared.search);
}
