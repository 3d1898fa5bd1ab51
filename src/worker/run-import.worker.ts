/**
 * Decodes a run file, checks it whole and writes it to IndexedDB, all off the UI thread (a 45 MB
 * header took 4.5 s to parse and validate), then sends the records back in pieces
 * (run-import-protocol.ts). Nothing is written before the file has passed every check.
 */
import { errorMessage } from '../core/training/error-message';
import { openRunDatabase } from '../storage/run-db';
import { prepareImport, saveImport } from '../storage/run-file-import';
import {
  encodeSteps,
  PART_PAUSE_MS,
  PARTS_PER_BURST,
  splitLargeArrays,
  stepBuffers,
  stepsFitColumns,
  STEPS_PER_PART,
  type ImportMessage,
  type ImportRequest,
} from './run-import-protocol';

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
    // the step history (a long run's bulk) goes as columns; what else is large, in JSON pieces
    const steps = stepsFitColumns(prepared.run.steps) ? prepared.run.steps : [];
    if (steps.length > 0) prepared.run.steps = [];
    const runParts = splitLargeArrays(prepared.run);
    const searchParts = prepared.search ? splitLargeArrays(prepared.search) : [];
    post({
      kind: 'head',
      run: prepared.run,
      search: prepared.search,
      parts: Math.ceil(steps.length / STEPS_PER_PART) + runParts.length + searchParts.length,
    });
    const messages: (() => void)[] = [];
    for (let from = 0; from < steps.length; from += STEPS_PER_PART) {
      messages.push(() => {
        const columns = encodeSteps(steps.slice(from, from + STEPS_PER_PART));
        (self as unknown as Worker).postMessage({ kind: 'steps', columns } satisfies ImportMessage, stepBuffers(columns));
      });
    }
    for (const part of runParts) messages.push(() => post({ kind: 'part', target: 'run', ...part }));
    for (const part of searchParts) messages.push(() => post({ kind: 'part', target: 'search', ...part }));
    for (let i = 0; i < messages.length; i++) {
      messages[i]();
      if (i % PARTS_PER_BURST === PARTS_PER_BURST - 1) await pause(PART_PAUSE_MS);
    }
    post({ kind: 'done' });
  } catch (error) {
    post({ kind: 'error', message: errorMessage(error) });
  }
};
