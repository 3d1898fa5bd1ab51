/**
 * The studio's state: one zustand store made by a factory (tests and embeds get their own),
 * split into slices, handed down through React context and read through selectors.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { createStore } from 'zustand/vanilla';
import { createExploreSlice, type ExploreSlice } from './explore-slice';
import { createRunsSlice, type RunsSlice } from './runs-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import { createViewSlice, type ViewSlice } from './view-slice';

export type StudioState = RunsSlice & SettingsSlice & ViewSlice & ExploreSlice;

export const createStudioStore = () =>
  createStore<StudioState>()((...a) => ({
    ...createRunsSlice(...a),
    ...createSettingsSlice(...a),
    ...createViewSlice(...a),
    ...createExploreSlice(...a),
  }));

export type StudioStore = ReturnType<typeof createStudioStore>;

export const StudioContext = createContext<StudioStore | null>(null);

export function useStudioStore(): StudioStore {
  const store = useContext(StudioContext);
  if (!store) throw new Error('useStudio must be used inside <StudioContext.Provider>');
  return store;
}

export function useStudio<T>(selector: (state: StudioState) => T): T {
  return useStore(useStudioStore(), selector);
}

/** For selectors that build a new array or object: re-renders only when its items change. */
export function useStudioShallow<T>(selector: (state: StudioState) => T): T {
  return useStore(useStudioStore(), useShallow(selector));
}
