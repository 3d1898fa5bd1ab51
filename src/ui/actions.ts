/**
 * Every command the studio offers, in one registry: the keyboard shortcuts and the `?`
 * overlay both read it, so a shortcut can never be listed without working or the reverse.
 */
import type { EngineController } from './engine-controller';
import type { StudioStore } from './store/studio-store';
import type { ThemeChoice } from './store/view-slice';
import { startProblems } from './start-guard';
import { selectActiveRunId, selectBusy } from './use-busy';

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
  /** for shortcuts that start or stop work: the question to ask first, or null when no run is in progress */
  confirm?(ctx: ActionContext): { question: string; confirmLabel: string } | null;
}

/** Refuses a start the Setup view would refuse, and shows that view, where the problems are listed. */
const refusedStart = ({ store }: ActionContext): boolean => {
  if (startProblems(store.getState()).length === 0) return false;
  store.getState().setView('setup');
  // the list sits by the Start button, which may be below the fold (no frames to wait for outside a page)
  if (typeof requestAnimationFrame === 'function')
    requestAnimationFrame(() => document.querySelector('[data-testid=settings-problems]')?.scrollIntoView({ block: 'center' }));
  return true;
};

/** Asks before queueing behind a run in progress; a start that will be refused anyway asks nothing. */
const askBeforeQueueing =
  (question: string, confirmLabel: string) =>
  ({ store }: ActionContext) =>
    selectBusy(store.getState()) && startProblems(store.getState()).length === 0 ? { question, confirmLabel } : null;

const nextTheme: Record<ThemeChoice, ThemeChoice> = { auto: 'light', light: 'dark', dark: 'auto' };

export const studioActions: StudioAction[] = [
  {
    id: 'help',
    label: 'Show or hide these shortcuts',
    keys: ['?'],
    perform: ({ store }) => store.getState().setHelpOpen(!store.getState().helpOpen),
  },
  { id: 'view-setup', label: 'Go to run setup', keys: ['1'], perform: ({ store }) => store.getState().setView('setup') },
  { id: 'view-train', label: 'Go to the training view', keys: ['2'], perform: ({ store }) => store.getState().setView('train') },
  { id: 'view-compare', label: 'Go to the comparison view', keys: ['3'], perform: ({ store }) => store.getState().setView('compare') },
  { id: 'view-explore', label: 'Go to the Pareto explorer', keys: ['4'], perform: ({ store }) => store.getState().setView('explore') },
  { id: 'view-runs', label: 'Go to the runs kept in this browser', keys: ['5'], perform: ({ store }) => store.getState().setView('runs') },
  {
    id: 'start',
    label: 'Start a run with the current settings',
    keys: ['s'],
    perform: (ctx) => {
      if (refusedStart(ctx)) return;
      const { store, controller } = ctx;
      // the Train view shows the new run, not one picked there earlier
      store.getState().selectRun(controller.startRun(store.getState().settings));
      store.getState().setView('train');
    },
    confirm: askBeforeQueueing('A run is in progress. Queue another run with the current settings after it?', 'Queue the run'),
  },
  {
    id: 'compare',
    label: 'Compare Uniform, BestUp-k and WorstUp-k with the current settings',
    keys: ['c'],
    perform: (ctx) => {
      if (refusedStart(ctx)) return;
      const { store, controller } = ctx;
      const groupId = controller.startComparison(store.getState().settings);
      store.getState().selectGroup(groupId);
      // its first run is the one the Train view should follow
      store.getState().selectRun(store.getState().groups[groupId]?.runIds[0] ?? null);
      store.getState().setView('compare');
    },
    confirm: askBeforeQueueing('A run is in progress. Queue a comparison (three more runs) after it?', 'Queue the comparison'),
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
  {
    id: 'stop',
    label: 'Stop the current run (and the rest of its comparison)',
    keys: ['x'],
    perform: ({ controller }) => controller.stop(),
    confirm: ({ store }) =>
      selectActiveRunId(store.getState())
        ? {
            question: 'Stop the current run (and the runs of its comparison still waiting)? It can resume from its last checkpoint.',
            confirmLabel: 'Stop the run',
          }
        : null,
  },
  {
    id: 'theme',
    label: 'Switch theme: auto, light, dark',
    keys: ['t'],
    perform: ({ store }) => store.getState().setTheme(nextTheme[store.getState().theme]),
  },
  { id: 'close', label: 'Close this overlay', keys: ['Escape'], perform: ({ store }) => store.getState().setHelpOpen(false) },
];

/** Runs a registered action by id, so buttons and shortcuts do the same thing. */
export function performAction(id: string, ctx: ActionContext): void {
  const action = studioActions.find((a) => a.id === id);
  if (!action) throw new Error(`no studio action "${id}"`);
  action.perform(ctx);
}

/** The action a key press triggers, ignoring presses while typing in a form field or with modifiers. */
export function actionForKey(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'> & { target: EventTarget | null },
): StudioAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const target = event.target as HTMLElement | null;
  const typing =
    target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
  if (typing && event.key !== 'Escape') return null;
  return studioActions.find((a) => a.keys.includes(event.key)) ?? null;
}
