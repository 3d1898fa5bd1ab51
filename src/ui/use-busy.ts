/** Whether any run is queued or in progress (the store, not the controller, so it re-renders). */
import type { RunPhase } from './store/runs-slice';
import type { StudioState } from './store/studio-store';
import { useStudio } from './store/studio-store';

/** phases of the run the engine is working on (at most one at a time) */
export const isInProgress = (phase: RunPhase): boolean =>
  phase === 'starting' || phase === 'running' || phase === 'paused' || phase === 'stopping';

export const selectActiveRunId = (s: StudioState): string | null => s.runOrder.find((id) => isInProgress(s.runs[id].phase)) ?? null;
export const selectBusy = (s: StudioState): boolean =>
  s.runOrder.some((id) => s.runs[id].phase === 'queued' || isInProgress(s.runs[id].phase));
export const useBusy = () => useStudio(selectBusy);
