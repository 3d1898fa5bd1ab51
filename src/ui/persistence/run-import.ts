/**
 * Importing a run file from the Runs view without freezing the page: a worker decodes, checks
 * and stores it (run-import.worker.ts) and the records come back in pieces small enough to
 * rebuild within a frame. Where there are no workers (tests in Node), the import runs here.
 */
import { decodeSteps, refill, type ImportMessage, type ImportRequest } from '../../worker/run-import-protocol';
import type { SearchState } from '../store/explore-slice';
import type { RunRecord } from '../store/runs-slice';
import type { StudioStore } from '../store/studio-store';
import type { RunDatabase } from '../../storage/run-db';
import { importRun, joinLibrary } from './run-library';

export async function importRunFile(store: StudioStore, db: RunDatabase | null, file: File): Promise<RunRecord> {
  if (typeof Worker === 'undefined') return importRun(store, db, new Uint8Array(await file.arrayBuffer()), file.name);
  const worker = new Worker(new URL('../../worker/run-import.worker.ts', import.meta.url), { type: 'module', name: 'nas-run-import' });
  try {
    const records = await new Promise<{ run: RunRecord; search: SearchState | null }>((resolve, reject) => {
      let head: { run: RunRecord; search: SearchState | null } | null = null;
      worker.onmessage = (event: MessageEvent<ImportMessage>) => {
        const message = event.data;
        try {
          if (message.kind === 'head') head = { run: message.run, search: message.search };
          else if (message.kind === 'part') {
            const root = message.target === 'run' ? head?.run : head?.search;
            if (!root) throw new Error('the import worker sent items before the records');
            refill(root, message);
          } else if (message.kind === 'steps') {
            if (!head) throw new Error('the import worker sent steps before the records');
            for (const step of decodeSteps(message.columns)) head.run.steps.push(step);
          } else if (message.kind === 'done') {
            if (!head) throw new Error('the import worker finished without sending the run');
            resolve(head);
          } else reject(new Error(message.message));
        } catch (error) {
          reject(error);
        }
      };
      worker.onerror = (event) => reject(new Error(`the import worker failed: ${event.message || 'it could not start'}`));
      const request: ImportRequest = { file, fileName: file.name, takenIds: Object.keys(store.getState().runs), dbName: db?.name ?? null };
      worker.postMessage(request);
    });
    joinLibrary(store, records, db !== null);
    return records.run;
  } finally {
    worker.terminate();
  }
}
