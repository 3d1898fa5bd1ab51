/** Whether any run is queued or in progress (the store, not the controller, so it re-renders). */
import type { StudioState } from './store/studio-store';
import { useStudio } from './store/studio-store';

const activePhases = new Set(['queued', 'starting', 'running', 'paused', 'stopping']);

export const selectActiveRunId = (s: StudioState): string | null => s.runOrder.find((id) => ['starting', 'running', 'paused', 'stopping'].includes(s.runs[id].phase)) ?? null;
export const selectBusy = (s: StudioState): boolean => s.runOrder.some((id) => activePhases.has(s.runs[id].phase));
export const useBusy = () => useStudio(selectBusy);
