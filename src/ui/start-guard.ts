/**
 * Why a run cannot start with the current settings, in words. The Start button, the `s` and `c`
 * shortcuts and the controller all ask here, so a shortcut can never start a run the button
 * would refuse (it used to train Fashion-MNIST when "your own" data had no files loaded).
 */
import type { StudioState } from './store/studio-store';

export const USER_DATASET_MISSING =
  'Load your dataset files first: a link remembers that a run used your own data, not the files themselves.';

/** empty when a run can start */
export function startProblems(state: Pick<StudioState, 'settingsProblems' | 'settings' | 'userDataset'>): string[] {
  const problems = [...state.settingsProblems];
  if (state.settings.dataset === 'user' && !state.userDataset) problems.push(USER_DATASET_MISSING);
  return problems;
}
