/**
 * The studio shell: header with the views, theme and help; keyboard shortcuts from the action
 * registry; settings mirrored into the URL so a link reproduces a run.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { settingsToQuery } from '../core/training/studio-settings';
import { actionForKey, type StudioAction } from './actions';
import { ConfirmDialog } from './dialogs/ConfirmDialog';
import { HelpOverlay } from './dialogs/HelpOverlay';
import { IsolationNotice } from './IsolationNotice';
import { ControllerContext, useController } from './controller-context';
import { EngineController } from './engine-controller';
import { prewarmCanvasText } from './charts/canvas';
import { openStudioStorage } from './persistence/open-storage';
import { createStudioStore, StudioContext, useStudio, useStudioStore } from './store/studio-store';
import type { ThemeChoice, ViewName } from './store/view-slice';
import { CompareView } from './views/CompareView';
import { ExploreView } from './views/ExploreView';
import { RunsView } from './views/RunsView';
import { SetupView } from './views/SetupView';
import { TrainView } from './views/TrainView';

const THEME_KEY = 'nas-studio.theme';

export function App() {
  const store = useMemo(() => {
    const s = createStudioStore();
    s.getState().loadSettingsFromQuery(location.search);
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark' || saved === 'auto') s.getState().setTheme(saved);
    return s;
  }, []);
  const controller = useMemo(() => {
    const made = new EngineController(store, openStudioStorage(store));
    // a handle for scripted checks in the browser (the fault tests lose the GPU device through it)
    (window as unknown as { nasStudio?: unknown }).nasStudio = { store, controller: made };
    return made;
  }, [store]);
  useEffect(() => () => controller.dispose(), [controller]);
  useEffect(() => {
    // once the page is idle: parsing the engine's script and resolving the charts' font then
    // compete with nothing the person sees, and not with the first steps of a run
    const prewarm = () => {
      controller.prewarm();
      prewarmCanvasText();
    };
    const handle = typeof requestIdleCallback === 'function' ? requestIdleCallback(prewarm, { timeout: 3000 }) : setTimeout(prewarm, 1000);
    return () => (typeof cancelIdleCallback === 'function' ? cancelIdleCallback(handle as number) : clearTimeout(handle));
  }, [controller]);
  return (
    <StudioContext.Provider value={store}>
      <ControllerContext.Provider value={controller}>
        <Shell />
      </ControllerContext.Provider>
    </StudioContext.Provider>
  );
}

const views: { id: ViewName; label: string; key: string }[] = [
  { id: 'setup', label: 'Setup', key: '1' },
  { id: 'train', label: 'Train', key: '2' },
  { id: 'compare', label: 'Compare', key: '3' },
  { id: 'explore', label: 'Explore', key: '4' },
  { id: 'runs', label: 'Runs', key: '5' },
];

function Shell() {
  const store = useStudioStore();
  const view = useStudio((s) => s.view);
  const theme = useStudio((s) => s.theme);
  const helpOpen = useStudio((s) => s.helpOpen);
  const settings = useStudio((s) => s.settings);
  const linkProblems = useStudio((s) => s.linkProblems);
  const storageProblem = useStudio((s) => s.storageProblem);
  const runCount = useStudio((s) => s.runOrder.length);
  const groupCount = useStudio((s) => Object.keys(s.groups).length);
  const controller = useController();
  const [pending, setPending] = useState<{ action: StudioAction; question: string; confirmLabel: string } | null>(null);
  const pendingRef = useRef(pending);
  pendingRef.current = pending;

  useEffect(() => {
    const url = new URL(location.href);
    url.search = settingsToQuery(settings);
    history.replaceState(null, '', url);
  }, [settings]);

  useEffect(() => {
    if (theme === 'auto') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', theme);
    localStorage.setItem(THEME_KEY, theme);
  }, [theme]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = actionForKey(event);
      if (!action || pendingRef.current) return;
      event.preventDefault();
      const ask = action.confirm?.({ store, controller });
      if (ask) setPending({ action, ...ask });
      else action.perform({ store, controller });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, controller]);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <h1>NAS Studio</h1>
          <span className="tagline">AttentiveNAS supernets, trained on your GPU</span>
        </div>
        <nav className="tabs" aria-label="views">
          {views.map((v) => (
            <button
              key={v.id}
              className={view === v.id ? 'tab active' : 'tab'}
              aria-current={view === v.id ? 'page' : undefined}
              onClick={() => store.getState().setView(v.id)}
              title={`${v.label} (${v.key})`}
            >
              {v.label}
              {v.id === 'train' && runCount > 0 && <span className="badge">{runCount}</span>}
              {v.id === 'compare' && groupCount > 0 && <span className="badge">{groupCount}</span>}
            </button>
          ))}
        </nav>
        <div className="topbar-tools">
          <ThemeSwitch theme={theme} onChange={(t) => store.getState().setTheme(t)} />
          <button
            className="icon"
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            onClick={() => store.getState().setHelpOpen(true)}
          >
            ?
          </button>
        </div>
      </header>
      {linkProblems.length > 0 && (
        <div className="notice banner" role="status" data-testid="link-problems">
          {linkProblems.map((p) => (
            <p key={p}>{p}</p>
          ))}
          <button className="link" onClick={() => store.getState().dismissLinkProblems()}>
            dismiss
          </button>
        </div>
      )}
      {storageProblem && (
        <div className="error banner" role="alert" data-testid="storage-problem">
          <p>{storageProblem}</p>
          <button className="link" onClick={() => store.getState().reportStorageProblem(null)}>
            dismiss
          </button>
        </div>
      )}
      <IsolationNotice />
      <main>
        {view === 'setup' && <SetupView />}
        {view === 'train' && <TrainView />}
        {view === 'compare' && <CompareView />}
        {view === 'explore' && <ExploreView />}
        {view === 'runs' && <RunsView />}
      </main>
      {helpOpen && <HelpOverlay onClose={() => store.getState().setHelpOpen(false)} />}
      {pending && (
        <ConfirmDialog
          question={pending.question}
          confirmLabel={pending.confirmLabel}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            setPending(null);
            pending.action.perform({ store, controller });
          }}
        />
      )}
    </div>
  );
}

function ThemeSwitch({ theme, onChange }: { theme: ThemeChoice; onChange: (t: ThemeChoice) => void }) {
  return (
    <select
      aria-label="Theme"
      value={theme}
      onChange={(e) => onChange(e.target.value as ThemeChoice)}
      className="theme-switch"
      title="Theme (t)"
    >
      <option value="auto">auto theme</option>
      <option value="light">light</option>
      <option value="dark">dark</option>
    </select>
  );
}
