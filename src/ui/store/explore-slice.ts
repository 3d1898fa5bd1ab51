/** Searches on trained supernets and what the person does with their results in the explorer. */
import type { StateCreator } from 'zustand/vanilla';
import type { SearchState } from '../../core/records/run-record-schema';
import type { SearchConfigInput } from '../../core/search/search-config';
import type { GenerationReport, SearchResults } from '../../core/records/search-records';
import type { StudioState } from './studio-store';

export interface LatencyMeasurement {
  medianMs: number;
  repeats: number;
  backend: string;
}

// a search is defined once, in core (its schema validates stored and imported searches)
export type { SearchState };

export interface ExploreSlice {
  searches: Record<string, SearchState>;
  exploreRunId: string | null;
  /** the subnet shown in the details panel */
  focusKey: string | null;
  /** subnets chosen for export */
  selectedKeys: string[];
  /** MACs budget of the slider; null: no budget */
  budgetMacs: number | null;
  latency: Record<string, LatencyMeasurement>;
  beginSearch(runId: string, config: SearchConfigInput): void;
  addSearchGeneration(runId: string, report: GenerationReport): void;
  setSearchProgress(runId: string, done: number, total: number): void;
  finishSearch(runId: string, results: SearchResults): void;
  failSearch(runId: string, error: string): void;
  setExploreRun(runId: string | null): void;
  focusSubnet(key: string | null): void;
  toggleSelected(key: string): void;
  setBudget(macs: number | null): void;
  setLatency(key: string, latency: LatencyMeasurement): void;
  /** searches read back from storage or imported with their run */
  restoreSearches(searches: SearchState[]): void;
  removeSearch(runId: string): void;
}

export const createExploreSlice: StateCreator<StudioState, [], [], ExploreSlice> = (set) => {
  const update = (runId: string, change: (search: SearchState) => Partial<SearchState>) =>
    set((state) => {
      const search = state.searches[runId];
      return search ? { searches: { ...state.searches, [runId]: { ...search, ...change(search) } } } : {};
    });
  return {
    searches: {},
    exploreRunId: null,
    focusKey: null,
    selectedKeys: [],
    budgetMacs: null,
    latency: {},
    beginSearch: (runId, config) =>
      set((state) => ({
        searches: {
          ...state.searches,
          [runId]: {
            runId,
            phase: 'running',
            config,
            generations: [],
            evaluated: [],
            front: [],
            progress: null,
            results: null,
            error: null,
            startedAt: Date.now(),
          },
        },
        exploreRunId: runId,
        focusKey: null,
        selectedKeys: [],
      })),
    addSearchGeneration: (runId, report) =>
      update(runId, (search) => ({
        evaluated: search.evaluated.concat(report.evaluated),
        front: report.front,
        generations: [
          ...search.generations,
          {
            generation: report.generation,
            hypervolume: report.hypervolume,
            totalEvaluations: report.totalEvaluations,
            frontSize: report.front.length,
          },
        ],
      })),
    setSearchProgress: (runId, done, total) => update(runId, () => ({ progress: { done, total } })),
    // in predictor mode the front the person sees is the one re-measured for real
    finishSearch: (runId, results) =>
      update(runId, () => ({ results, front: results.refinedFront, phase: results.stopped ? 'stopped' : 'done', progress: null })),
    failSearch: (runId, error) =>
      set((state) => {
        const search = state.searches[runId];
        const failed: SearchState = search
          ? { ...search, phase: 'failed', error, progress: null }
          : {
              runId,
              phase: 'failed',
              config: {},
              generations: [],
              evaluated: [],
              front: [],
              progress: null,
              results: null,
              error,
              startedAt: Date.now(),
            };
        return { searches: { ...state.searches, [runId]: failed } };
      }),
    setExploreRun: (exploreRunId) => set({ exploreRunId, focusKey: null, selectedKeys: [] }),
    focusSubnet: (focusKey) => set({ focusKey }),
    toggleSelected: (key) =>
      set((state) => ({
        selectedKeys: state.selectedKeys.includes(key) ? state.selectedKeys.filter((k) => k !== key) : [...state.selectedKeys, key],
      })),
    setBudget: (budgetMacs) => set({ budgetMacs }),
    setLatency: (key, latency) => set((state) => ({ latency: { ...state.latency, [key]: latency } })),
    restoreSearches: (searches) =>
      set((state) => {
        const byRun = { ...state.searches };
        for (const search of searches) byRun[search.runId] = search;
        return { searches: byRun };
      }),
    removeSearch: (runId) =>
      set((state) => {
        const { [runId]: _removed, ...searches } = state.searches;
        return { searches, exploreRunId: state.exploreRunId === runId ? null : state.exploreRunId };
      }),
  };
};
