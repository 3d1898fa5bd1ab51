/**
 * Importing a run file off the UI thread: the worker decodes and checks the file, writes it to
 * IndexedDB, then sends the run and its search back in pieces. One message holding a run of
 * hundreds of thousands of steps would be one long task on the UI thread while the browser
 * rebuilds it (structured clone); each piece here is at most about PART_BYTES of JSON, sent in
 * small bursts so the page keeps pace instead of working through a queue of hundreds.
 */
import type { SearchState } from '../ui/store/explore-slice';
import type { RunRecord } from '../ui/store/runs-slice';

/**
 * The worker sends PARTS_PER_BURST pieces, then waits PART_PAUSE_MS: the UI thread rebuilds each
 * piece in its own short task, and the pauses leave it idle periods in which the browser can run
 * its garbage collector (a run's objects all survive, so collecting them in the middle of a
 * piece is what made long tasks). The worker depends on none of the page's timers.
 */
export const PARTS_PER_BURST = 4;
export const PART_PAUSE_MS = 25;

export interface ImportRequest {
  file: Blob;
  fileName: string;
  /** ids the library already holds: an imported run with one of them gets a fresh id */
  takenIds: string[];
  /** the studio's IndexedDB, or null where the browser keeps nothing */
  dbName: string | null;
}

export type ImportTarget = 'run' | 'search';

export type ImportMessage =
  /** the records with their large arrays emptied; `parts` messages refill them */
  | { kind: 'head'; run: RunRecord; search: SearchState | null; parts: number }
  /** items to append, in order, to the array at `path` of the run or the search */
  | { kind: 'part'; target: ImportTarget; path: string[]; items: unknown[] }
  | { kind: 'done' }
  | { kind: 'error'; message: string };

/** About this much JSON per message: a fraction of a frame to rebuild. */
export const PART_BYTES = 32 * 1024;

export interface ArrayPart {
  path: string[];
  items: unknown[];
}

/**
 * Empties, in place, every array under `root` that holds more than `maxBytes` of JSON, and
 * returns its items in slices of about `maxBytes` (one item may exceed it alone). Objects are
 * walked with an explicit stack; arrays below the size are left whole.
 */
export function splitLargeArrays(root: object, maxBytes = PART_BYTES): ArrayPart[] {
  const parts: ArrayPart[] = [];
  const stack: [Record<string, unknown>, string[]][] = [[root as Record<string, unknown>, []]];
  while (stack.length > 0) {
    const [object, path] = stack.pop()!;
    for (const key of Object.keys(object)) {
      const child = object[key];
      if (Array.isArray(child)) {
        if (child.length < 2 || (JSON.stringify(child)?.length ?? 0) <= maxBytes) continue;
        let slice: unknown[] = [];
        let bytes = 0;
        for (const item of child) {
          const size = JSON.stringify(item)?.length ?? 4;
          if (slice.length > 0 && bytes + size > maxBytes) {
            parts.push({ path: [...path, key], items: slice });
            slice = [];
            bytes = 0;
          }
          slice.push(item);
          bytes += size;
        }
        if (slice.length > 0) parts.push({ path: [...path, key], items: slice });
        object[key] = [];
      } else if (typeof child === 'object' && child !== null) {
        stack.push([child as Record<string, unknown>, [...path, key]]);
      }
    }
  }
  return parts;
}

/** Appends a part's items to the array it came from. */
export function refill(root: object, part: Pick<ArrayPart, 'path' | 'items'>): void {
  let at: unknown = root;
  for (const key of part.path) at = (at as Record<string, unknown>)[key];
  if (!Array.isArray(at)) throw new Error(`the import worker sent items for ${part.path.join('.')}, which is not an array`);
  for (const item of part.items) at.push(item);
}
