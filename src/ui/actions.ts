/**
 * Every command the studio offers, in one registry: the keyboard shortcuts and the `?`
 * overlay both read it, so a shortcut can never be listed without working or the reverse.
 */
import type { EngineController } from './engine-controller';
import type { StudioStore } from './store/studio-store';
import type { ThemeChoice } from './store/view-slice';
import { selectActiveRunId } from './use-busy';

export interface ActionContext {
  store: StudioStore;
  controller: EngineController;
}

export interface StudioAction {
  id: string;
  label: string;
  /** KeyboardEvent.key values */
  keys: string[];
  perform(ctx: ActionContext): void;
}

const nextTheme: Record<ThemeChoice, ThemeChoice> = { auto: 'light', light: 'dark', dark: 'auto' };

export const studioActions: StudioAction[] = [
  { id: 'help', label: 'Show or hide these shortcuts', keys: ['?'], perform: ({ store }) => store.getState().setHelpOpen(!store.getState().helpOpen) },
  { id: 'view-setup', label: 'Go to run setup', keys: ['1'], perform: ({ store }) => store.getState().setView('setup') },
  { id: 'view-train', label: 'Go to the training view', keys: ['2'], perform: ({ store }) => store.getState().setView('train') },
  { id: 'view-compare', label: 'Go to the comparison view', keys: ['3'], perform: ({ store }) => store.getState().setView('compare') },
  { id: 'view-explore', label: 'Go to the Pareto explorer', keys: ['4'], perform: ({ store }) => store.getState().setView('explore') },
  { id: 'view-runs', label: 'Go to the runs kept in this browser', keys: ['5'], perform: ({ store }) => store.getState().setView('runs') },
  {
    id: 'start',
    label: 'Start a run with the current settings',
    keys: ['s'],
    perform: ({ store, controller }) => {
      if (store.getState().settingsProblems.length) return store.getState().setView('setup');
      controller.startRun(store.getState().settings);
      store.getState().setView('train');
    },
  },
  {
    id: 'compare',
    label: 'Compare Uniform, BestUp-k and WorstUp-k with the current settings',
    keys: ['c'],
    perform: ({ store, controller }) => {
      if (store.getState().settingsProblems.length) return store.getState().setView('setup');
      store.getState().selectGroup(controller.startComparison(store.getState().settings));
      store.getState().setView('compare');
    },
  },
  {
    id: 'pause',
    label: 'Pause or resume the current run',
    keys: ['p'],
    perform: ({ store, controller }) => {
      const id = selectActiveRunId(store.getState());
      if (id && store.getState().runs[id].phase === 'paused') controller.resume();
      else controller.pause();
    },
  },
  { id: 'stop', label: 'Stop the current run (and the rest of its comparison)', keys: ['x'], perform: ({ controller }) => controller.stop() },
  { id: 'theme', label: 'Switch theme: auto, light, dark', keys: ['t'], perform: ({ store }) => store.getState().setTheme(nextTheme[store.getState().theme]) },
  { id: 'close', label: 'Close this overlay', keys: ['Escape'], perform: ({ store }) => store.getState().setHelpOpen(false) },
];

/** Runs a registered action by id, so buttons and shortcuts do the same thing. */
export function performAction(id: string, ctx: ActionContext): void {
  const action = studioActions.find((a) => a.id === id);
  if (!action) throw new Error(`no studio action "${id}"`);
  action.perform(ctx);
}

/** The action a key press triggers, ignoring presses while typing in a form field or with modifiers. */
export function actionForKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'> & { target: EventTarget | null }): StudioAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const target = event.target as HTMLElement | null;
  const typing = target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
  if (typing && event.key !== 'Escape') return null;
  return studioActions.find((a) => a.keys.includes(event.key)) ?? null;
}
