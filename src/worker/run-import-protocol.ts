/**
 * Importing a run file off the UI thread: the worker decodes and checks the file, writes it to
 * IndexedDB, then sends the run and its search back in pieces. One message holding a run of
 * hundreds of thousands of steps would be one long task on the UI thread while the browser
 * rebuilds it (structured clone); each piece here is at most about PART_BYTES of JSON, sent in
 * small bursts so the page keeps pace instead of working through a queue of hundreds.
 */
import type { RunRecord, SearchState } from '../core/records/run-record-schema';
import type { StepPoint } from '../core/records/run-records';

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
  /** steps to append to the run's, as columns (see encodeSteps) */
  | { kind: 'steps'; columns: StepColumns }
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

// ---------------------------------------------------------------- the step history as columns

/** Steps per 'steps' message. */
export const STEPS_PER_PART = 500;

/** A list of numbers per step: its length (255: absent) and the values back to back. */
interface NumberLists {
  lengths: Uint8Array;
  values: Float64Array;
}

/**
 * Steps as typed arrays: they cross to the UI thread without being rebuilt object by object
 * (the structured clone of hundreds of thousands of small objects left the collector long
 * pauses there); decodeSteps builds the objects in plain JavaScript, which the engine allocates
 * where long-lived objects go.
 */
export interface StepColumns {
  count: number;
  step: Float64Array;
  lr: Float64Array;
  roles: { lengths: Uint8Array; codes: Uint16Array; names: string[] };
  macs: NumberLists;
  losses: NumberLists;
  targetBins: NumberLists;
  bins: NumberLists;
}

const ABSENT = 255;
const STEP_KEYS = new Set(['step', 'lr', 'roles', 'macs', 'losses', 'targetBins', 'bins']);

/** Whether every step has only the fields StepColumns carries, in lists of at most 254 entries. */
export function stepsFitColumns(steps: readonly StepPoint[]): boolean {
  const list = (xs: unknown, optional = false) =>
    xs === undefined ? optional : Array.isArray(xs) && xs.length < ABSENT && xs.every((x) => typeof x === 'number');
  return steps.every(
    (s) =>
      Object.keys(s).every((k) => STEP_KEYS.has(k)) &&
      typeof s.step === 'number' &&
      typeof s.lr === 'number' &&
      Array.isArray(s.roles) &&
      s.roles.length < ABSENT &&
      s.roles.every((r) => typeof r === 'string') &&
      list(s.macs) &&
      list(s.losses) &&
      list(s.targetBins, true) &&
      list(s.bins),
  );
}

export function encodeSteps(steps: readonly StepPoint[]): StepColumns {
  const count = steps.length;
  const names: string[] = [];
  const codeOf = new Map<string, number>();
  const lists = (field: 'macs' | 'losses' | 'targetBins' | 'bins'): NumberLists => {
    const lengths = new Uint8Array(count);
    let total = 0;
    steps.forEach((s, i) => {
      const xs = s[field];
      lengths[i] = xs === undefined ? ABSENT : xs.length;
      total += xs?.length ?? 0;
    });
    const values = new Float64Array(total);
    let at = 0;
    for (const s of steps) for (const x of s[field] ?? []) values[at++] = x;
    return { lengths, values };
  };
  const roleLengths = new Uint8Array(count);
  const codes = new Uint16Array(steps.reduce((n, s) => n + s.roles.length, 0));
  let at = 0;
  steps.forEach((s, i) => {
    roleLengths[i] = s.roles.length;
    for (const role of s.roles) {
      let code = codeOf.get(role);
      if (code === undefined) {
        code = names.push(role) - 1;
        codeOf.set(role, code);
      }
      codes[at++] = code;
    }
  });
  return {
    count,
    step: Float64Array.from(steps, (s) => s.step),
    lr: Float64Array.from(steps, (s) => s.lr),
    roles: { lengths: roleLengths, codes, names },
    macs: lists('macs'),
    losses: lists('losses'),
    targetBins: lists('targetBins'),
    bins: lists('bins'),
  };
}

/** The typed arrays of `columns`, to transfer rather than copy. */
export const stepBuffers = (c: StepColumns): ArrayBuffer[] =>
  [
    c.step,
    c.lr,
    c.roles.lengths,
    c.roles.codes,
    c.macs.lengths,
    c.macs.values,
    c.losses.lengths,
    c.losses.values,
    c.targetBins.lengths,
    c.targetBins.values,
    c.bins.lengths,
    c.bins.values,
  ].map((a) => a.buffer as ArrayBuffer);

export function decodeSteps(c: StepColumns): StepPoint[] {
  const reader = (lists: NumberLists) => {
    let at = 0;
    return (i: number): number[] | undefined => {
      const n = lists.lengths[i];
      if (n === ABSENT) return undefined;
      const out = new Array<number>(n);
      for (let k = 0; k < n; k++) out[k] = lists.values[at + k];
      at += n;
      return out;
    };
  };
  const macs = reader(c.macs);
  const losses = reader(c.losses);
  const targetBins = reader(c.targetBins);
  const bins = reader(c.bins);
  let roleAt = 0;
  const steps: StepPoint[] = new Array(c.count);
  for (let i = 0; i < c.count; i++) {
    const n = c.roles.lengths[i];
    const roles = new Array<string>(n);
    for (let k = 0; k < n; k++) roles[k] = c.roles.names[c.roles.codes[roleAt + k]];
    roleAt += n;
    const step: StepPoint = { step: c.step[i], lr: c.lr[i], roles, macs: macs(i)!, losses: losses(i)!, bins: [] };
    const target = targetBins(i);
    if (target !== undefined) step.targetBins = target;
    step.bins = bins(i)!;
    steps[i] = step;
  }
  return steps;
}
