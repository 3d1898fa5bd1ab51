/**
 * Decodes a run file, checks it whole and writes it to IndexedDB, all off the UI thread (a 45 MB
 * header took 4.5 s to parse and validate), then sends the records back in pieces
 * (run-import-protocol.ts). Nothing is written before the file has passed every check.
 */
import { errorMessage } from '../core/error-message';
import { openRunDatabase } from '../ui/persistence/run-db';
import { prepareImport, saveImport } from '../ui/persistence/run-library';
import { PART_PAUSE_MS, PARTS_PER_BURST, splitLargeArrays, type ImportMessage, type ImportRequest } from './run-import-protocol';

const post = (message: ImportMessage) => (self as unknown as Worker).postMessage(message);
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

self.onmessage = async (event: MessageEvent<ImportRequest>) => {
  const { file, fileName, takenIds, dbName } = event.data;
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const taken = new Set(takenIds);
    const prepared = prepareImport(bytes, fileName, (id) => taken.has(id));
    if (dbName !== null) {
      const db = await openRunDatabase(dbName);
      try {
        await saveImport(db, prepared);
      } finally {
        db.close();
      }
    }
    const runParts = splitLargeArrays(prepared.run);
    const searchParts = prepared.search ? splitLargeArrays(prepared.search) : [];
    post({ kind: 'head', run: prepared.run, search: prepared.search, parts: runParts.length + searchParts.length });
    const parts = [...runParts.map((p) => ({ target: 'run' as const, ...p })), ...searchParts.map((p) => ({ target: 'search' as const, ...p }))];
    for (let i = 0; i < parts.length; i++) {
      post({ kind: 'part', ...parts[i] });
      if (i % PARTS_PER_BURST === PARTS_PER_BURST - 1) await pause(PART_PAUSE_MS);
    }
    post({ kind: 'done' });
  } catch (error) {
    post({ kind: 'error', message: errorMessage(error) });
  }
};
