/** What the person is looking at: the view, the selected run or comparison, theme, overlays. */
import type { StateCreator } from 'zustand/vanilla';
import type { StudioState } from './studio-store';

export type ViewName = 'setup' | 'train' | 'compare' | 'explore' | 'runs';
export type ThemeChoice = 'auto' | 'light' | 'dark';

export interface ViewSlice {
  view: ViewName;
  selectedRunId: string | null;
  selectedGroupId: string | null;
  /** index into the selected run's range-evaluation history; null follows the latest */
  historyIndex: number | null;
  theme: ThemeChoice;
  helpOpen: boolean;
  /** a failed save to IndexedDB (a full quota above all): shown until dismissed, never swallowed */
  storageProblem: string | null;
  reportStorageProblem(message: string | null): void;
  setView(view: ViewName): void;
  selectRun(id: string | null): void;
  selectGroup(id: string | null): void;
  setHistoryIndex(index: number | null): void;
  setTheme(theme: ThemeChoice): void;
  setHelpOpen(open: boolean): void;
}

export const createViewSlice: StateCreator<StudioState, [], [], ViewSlice> = (set) => ({
  view: 'setup',
  selectedRunId: null,
  selectedGroupId: null,
  historyIndex: null,
  theme: 'auto',
  helpOpen: false,
  storageProblem: null,
  reportStorageProblem: (storageProblem) => set({ storageProblem }),
  setView: (view) => set({ view }),
  selectRun: (selectedRunId) => set({ selectedRunId, historyIndex: null }),
  selectGroup: (selectedGroupId) => set({ selectedGroupId }),
  setHistoryIndex: (historyIndex) => set({ historyIndex }),
  setTheme: (theme) => set({ theme }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
});
