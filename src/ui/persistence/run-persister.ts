/**
 * Keeps IndexedDB in step with the store: a run, search or comparison that changed is written
 * a moment later (changes in between are coalesced into one write), and at once when a run's
 * phase changes. A failed write is shown to the person, never swallowed.
 */
import type { StudioStore } from '../store/studio-store';
import type { RunDatabase } from '../../storage/run-db';
import { errorMessage } from '../../core/training/error-message';

/**
 * Records already written by whoever put them in the store (an import writes its run and search
 * itself, from a worker): the persister then takes them as saved instead of writing them again,
 * which for a big run would be a long structured clone on the UI thread.
 */
const savedElsewhere = new WeakSet<object>();
export const markSaved = (record: object): void => void savedElsewhere.add(record);

export interface Persister {
  /** writes everything pending now */
  flush(): Promise<void>;
  stop(): void;
}

export function persistStudio(store: StudioStore, db: RunDatabase, delayMs = 1000): Persister {
  const state0 = store.getState();
  // what is in storage already: the records the store was restored from
  const savedRuns = new Map(Object.entries(state0.runs));
  const savedSearches = new Map(Object.entries(state0.searches));
  const savedGroups = new Map(Object.entries(state0.groups));
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();

  const report = (error: unknown) => store.getState().reportStorageProblem(errorMessage(error));

  const writePending = async () => {
    timer = null;
    const state = store.getState();
    const writes: Promise<void>[] = [];
    for (const [id, run] of Object.entries(state.runs)) {
      if (savedRuns.get(id) === run) continue;
      savedRuns.set(id, run);
      if (savedElsewhere.has(run)) continue;
      writes.push(db.saveRun(run));
    }
    for (const [id, search] of Object.entries(state.searches)) {
      if (savedSearches.get(id) === search || !state.runs[id]) continue;
      savedSearches.set(id, search);
      if (savedElsewhere.has(search)) continue;
      writes.push(db.saveSearch(search));
    }
    for (const [id, group] of Object.entries(state.groups)) {
      if (savedGroups.get(id) === group) continue;
      savedGroups.set(id, group);
      writes.push(db.saveGroup(group));
    }
    const outcomes = await Promise.allSettled(writes);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) report(failed.reason);
  };

  const schedule = (soon: boolean) => {
    if (timer !== null && !soon) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => (writing = writing.then(writePending)), soon ? 0 : delayMs);
  };

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.runs === previous.runs && state.searches === previous.searches && state.groups === previous.groups) return;
    const phaseChanged = Object.entries(state.runs).some(([id, run]) => previous.runs[id] && previous.runs[id].phase !== run.phase);
    schedule(phaseChanged);
  });

  return {
    flush: () => {
      if (timer !== null) clearTimeout(timer);
      writing = writing.then(writePending);
      return writing;
    },
    stop: () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    },
  };
}
