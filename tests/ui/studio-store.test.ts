import { describe, expect, it, vi } from 'vitest';
import { defaultSettings, runConfigFromSettings, type StudioSettings } from '../../src/core/training/studio-settings';
import type { RangeEvaluation } from '../../src/engine/range-eval';
import type { RunProgress, RunResults, StepRecord } from '../../src/engine/training-run';
import { actionForKey, studioActions, type StudioAction } from '../../src/ui/actions';
import type { EngineController } from '../../src/ui/engine-controller';
import type { RunPhase } from '../../src/ui/store/runs-slice';
import { createStudioStore, type StudioStore } from '../../src/ui/store/studio-store';
import { selectActiveRunId, selectBusy } from '../../src/ui/use-busy';
import type { StepBatch } from '../../src/worker/protocol';

const newRun = (id: string, change: { sampler?: StudioSettings['sampler']; groupId?: string | null } = {}) => ({
  id,
  label: `label ${id}`,
  sampler: change.sampler ?? ('uniform' as const),
  groupId: change.groupId ?? null,
  settings: { ...defaultSettings },
  config: runConfigFromSettings(defaultSettings, change.sampler ?? 'uniform'),
  datasetId: null,
  datasetName: 'Fashion-MNIST',
});

const storeWithRun = (id = 'run-a', phase?: RunPhase): StudioStore => {
  const store = createStudioStore();
  store.getState().addRun(newRun(id));
  if (phase) store.getState().setRunPhase(id, phase);
  return store;
};

const stepRecord = (step: number, change: Partial<StepRecord> = {}): StepRecord => ({
  step,
  epoch: 0,
  lr: 0.1 + step / 1000,
  roles: ['largest', 'sampled', 'sampled', 'smallest'],
  subnets: ['big', 'mid-1', 'mid-2', 'small'],
  macs: [4e6, 2e6 + step, 1e6 + step, 1.7e5],
  bins: [9, 5, 2, 0],
  losses: [2.3 - step / 100, 2.4, 2.5, 2.6],
  ms: 12.5,
  ...change,
});

const progress = (step: number, totalSteps = 100): RunProgress => ({
  step,
  totalSteps,
  epoch: 0,
  elapsedMs: step * 10,
  etaMs: (totalSteps - step) * 10,
  imagesPerSecond: 1000,
});

const batch = (steps: number[], records: Partial<StepRecord> = {}): StepBatch => ({
  records: steps.map((s) => stepRecord(s, records)),
  progress: progress(steps[steps.length - 1] + 1),
});

const rangeEvaluation = (step: number): RangeEvaluation => ({
  step,
  epoch: 0,
  split: 'validation',
  calibrationBatches: 4,
  images: 100,
  ranges: [],
  ms: 5,
});

const results = (stopped: boolean) =>
  ({
    type: 'nas-studio/run-results',
    version: 1,
    stopped,
    steps: [],
    epochs: [],
    rangeEvaluations: [],
    test: stopped
      ? null
      : {
          largest: { accuracy: 0.9, correct: 90, total: 100, calibrationBatches: 8, ms: 5 },
          smallest: { accuracy: 0.8, correct: 80, total: 100, calibrationBatches: 8, ms: 4 },
        },
    timing: { trainingSeconds: 12.5 },
  }) as unknown as RunResults;

const fakeController = (groupId = 'cmp-fake') => {
  const spies = {
    startRun: vi.fn((_settings: StudioSettings) => 'run-fake'),
    startComparison: vi.fn((_settings: StudioSettings) => groupId),
    pause: vi.fn(),
    resume: vi.fn(),
    stop: vi.fn(),
  };
  return { spies, controller: spies as unknown as EngineController };
};

const action = (id: string): StudioAction => {
  const found = studioActions.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id}`);
  return found;
};

const key = (k: string, change: { ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean; target?: unknown } = {}) => ({
  key: k,
  ctrlKey: change.ctrlKey ?? false,
  metaKey: change.metaKey ?? false,
  altKey: change.altKey ?? false,
  target: (change.target ?? null) as EventTarget | null,
});

describe('createStudioStore', () => {
  it('starts in the setup view with default settings and no runs', () => {
    const s = createStudioStore().getState();
    expect(s.runs).toEqual({});
    expect(s.runOrder).toEqual([]);
    expect(s.groups).toEqual({});
    expect(s.settings).toEqual(defaultSettings);
    expect(s.linkProblems).toEqual([]);
    expect(s.settingsProblems).toEqual([]);
    expect(s.view).toBe('setup');
    expect(s.selectedRunId).toBeNull();
    expect(s.selectedGroupId).toBeNull();
    expect(s.historyIndex).toBeNull();
    expect(s.theme).toBe('auto');
    expect(s.helpOpen).toBe(false);
  });

  it('makes independent stores', () => {
    const a = createStudioStore();
    const b = createStudioStore();
    a.getState().addRun(newRun('run-a'));
    a.getState().setSetting('epochs', 7);
    a.getState().setView('train');
    a.getState().setTheme('dark');
    a.getState().addGroup({ id: 'g', runIds: ['run-a'], settings: defaultSettings, createdAt: 1 });
    expect(Object.keys(a.getState().runs)).toEqual(['run-a']);
    expect(b.getState().runs).toEqual({});
    expect(b.getState().runOrder).toEqual([]);
    expect(b.getState().groups).toEqual({});
    expect(b.getState().settings.epochs).toBe(1);
    expect(b.getState().view).toBe('setup');
    expect(b.getState().theme).toBe('auto');
    // and the shared defaults were not written through
    expect(defaultSettings.epochs).toBe(1);
  });
});

describe('runs slice', () => {
  it('addRun creates a queued run with empty histories, in order', () => {
    const store = createStudioStore();
    const before = Date.now();
    store.getState().addRun(newRun('run-a', { sampler: 'bestup', groupId: 'g1' }));
    store.getState().addRun(newRun('run-b'));
    const run = store.getState().runs['run-a'];
    expect(run).toMatchObject({ id: 'run-a', label: 'label run-a', sampler: 'bestup', groupId: 'g1', settings: defaultSettings });
    expect(run.phase).toBe('queued');
    expect(run.steps).toEqual([]);
    expect(run.epochs).toEqual([]);
    expect(run.rangeHistory).toEqual([]);
    expect(run.log).toEqual([]);
    expect(run.progress).toBeNull();
    expect(run.outcome).toBeNull();
    expect(run.checkpoint).toBeNull();
    expect(run.resumes).toEqual([]);
    expect(run.name).toBe('label run-a · fashion · Fashion-MNIST');
    expect(run.backend).toBeNull();
    expect(run.start).toBeNull();
    expect(run.error).toBeNull();
    expect(run.createdAt).toBeGreaterThanOrEqual(before);
    expect(run.createdAt).toBeLessThanOrEqual(Date.now());
    expect(store.getState().runOrder).toEqual(['run-a', 'run-b']);
  });

  it('addRunSteps appends compact step points and sets progress', () => {
    const store = storeWithRun('run-a', 'running');
    store.getState().addRunSteps('run-a', batch([0, 1], { candidates: [{ subnet: 'x', macs: 1, score: 0.5 }], targetBins: [3, 4] }));
    store.getState().addRunSteps('run-a', batch([2]));
    const run = store.getState().runs['run-a'];
    expect(run.steps.map((p) => p.step)).toEqual([0, 1, 2]);
    const allowed = new Set(['step', 'lr', 'roles', 'macs', 'losses', 'targetBins', 'bins']);
    for (const point of run.steps) {
      for (const k of Object.keys(point)) expect(allowed.has(k), `unexpected key ${k}`).toBe(true);
      expect(point).not.toHaveProperty('candidates');
      expect(point).not.toHaveProperty('subnets');
      expect(point).not.toHaveProperty('ms');
      expect(point).not.toHaveProperty('epoch');
    }
    const full = stepRecord(1);
    expect(run.steps[1]).toEqual({
      step: 1,
      lr: full.lr,
      roles: full.roles,
      macs: full.macs,
      losses: full.losses,
      targetBins: [3, 4],
      bins: full.bins,
    });
    expect(run.steps[2].targetBins).toBeUndefined();
    expect(run.progress).toEqual(progress(3));
  });

  it('addRunSteps moves starting to running', () => {
    const store = storeWithRun('run-a', 'starting');
    store.getState().addRunSteps('run-a', batch([0]));
    expect(store.getState().runs['run-a'].phase).toBe('running');
  });

  it.each(['paused', 'stopping', 'queued'] as const)('addRunSteps leaves %s alone', (phase) => {
    const store = storeWithRun('run-a', phase);
    store.getState().addRunSteps('run-a', batch([0, 1]));
    expect(store.getState().runs['run-a'].phase).toBe(phase);
    expect(store.getState().runs['run-a'].steps).toHaveLength(2);
  });

  it('events for an unknown run id change nothing', () => {
    const store = storeWithRun('run-a', 'running');
    const before = store.getState();
    const snapshot = structuredClone({ runs: before.runs, runOrder: before.runOrder, groups: before.groups });
    const s = store.getState();
    s.setRunPhase('nope', 'failed');
    s.setRunBackend('nope', { name: 'cpu' } as never);
    s.setRunStart('nope', { totalSteps: 1 } as never);
    s.addRunSteps('nope', batch([0]));
    s.addRunEpoch('nope', { epoch: 0 } as never);
    s.addRunRanges('nope', rangeEvaluation(0));
    s.addRunLog('nope', 'hello');
    s.finishRun('nope', results(false));
    s.failRun('nope', 'boom');
    const after = store.getState();
    expect(after.runs).toBe(before.runs);
    expect(after.runOrder).toBe(before.runOrder);
    expect({ runs: after.runs, runOrder: after.runOrder, groups: after.groups }).toEqual(snapshot);
    expect(after.runs['nope']).toBeUndefined();
  });

  it('updates to one run leave the others alone', () => {
    const store = storeWithRun('run-a', 'running');
    store.getState().addRun(newRun('run-b'));
    const b = store.getState().runs['run-b'];
    store.getState().addRunSteps('run-a', batch([0]));
    store.getState().addRunLog('run-a', 'hi');
    store.getState().failRun('run-a', 'boom');
    expect(store.getState().runs['run-b']).toBe(b);
    expect(store.getState().runs['run-b'].phase).toBe('queued');
  });

  it('addRunRanges keeps the history in order', () => {
    const store = storeWithRun('run-a', 'running');
    for (const step of [10, 20, 30]) store.getState().addRunRanges('run-a', rangeEvaluation(step));
    expect(store.getState().runs['run-a'].rangeHistory.map((e) => e.step)).toEqual([10, 20, 30]);
    expect(store.getState().runs['run-a'].rangeHistory[1]).toEqual(rangeEvaluation(20));
  });

  it('addRunEpoch appends', () => {
    const store = storeWithRun('run-a', 'running');
    store.getState().addRunEpoch('run-a', { epoch: 0 } as never);
    store.getState().addRunEpoch('run-a', { epoch: 1 } as never);
    expect(store.getState().runs['run-a'].epochs.map((e) => e.epoch)).toEqual([0, 1]);
  });

  it('addRunLog caps the log at 200 lines, keeping the newest', () => {
    const store = storeWithRun('run-a', 'running');
    for (let i = 0; i < 199; i++) store.getState().addRunLog('run-a', `line ${i}`);
    expect(store.getState().runs['run-a'].log).toHaveLength(199);
    store.getState().addRunLog('run-a', 'line 199');
    expect(store.getState().runs['run-a'].log).toHaveLength(200);
    expect(store.getState().runs['run-a'].log[0]).toBe('line 0');
    for (let i = 200; i < 250; i++) store.getState().addRunLog('run-a', `line ${i}`);
    const log = store.getState().runs['run-a'].log;
    expect(log).toHaveLength(200);
    expect(log[0]).toBe('line 50');
    expect(log[199]).toBe('line 249');
    expect(log).toEqual(Array.from({ length: 200 }, (_, i) => `line ${i + 50}`));
  });

  it('setRunBackend and setRunStart store what they are given', () => {
    const store = storeWithRun('run-a', 'starting');
    const backend = { name: 'webgpu' } as never;
    const start = { totalSteps: 40, stepsPerEpoch: 20, firstStep: 0 } as never;
    store.getState().setRunBackend('run-a', backend);
    store.getState().setRunStart('run-a', start);
    expect(store.getState().runs['run-a'].backend).toBe(backend);
    expect(store.getState().runs['run-a'].start).toBe(start);
  });

  it('finishRun sets done, or stopped when the results say so', () => {
    const store = storeWithRun('run-a', 'running');
    store.getState().addRun(newRun('run-b'));
    store.getState().setRunPhase('run-b', 'stopping');
    const done = results(false);
    store.getState().finishRun('run-a', done);
    store.getState().finishRun('run-b', results(true));
    expect(store.getState().runs['run-a'].phase).toBe('done');
    expect(store.getState().runs['run-a'].outcome).toEqual({
      stopped: false,
      test: done.test,
      trainingSeconds: done.timing.trainingSeconds,
      predictor: null,
    });
    expect(store.getState().runs['run-b'].phase).toBe('stopped');
    expect(store.getState().runs['run-b'].outcome?.stopped).toBe(true);
  });

  it('failRun sets the error and the failed phase', () => {
    const store = storeWithRun('run-a', 'running');
    store.getState().failRun('run-a', 'the engine worker crashed');
    expect(store.getState().runs['run-a'].phase).toBe('failed');
    expect(store.getState().runs['run-a'].error).toBe('the engine worker crashed');
  });

  it('addGroup stores comparison groups by id', () => {
    const store = createStudioStore();
    const group = { id: 'cmp-1', runIds: ['a', 'b', 'c'], settings: defaultSettings, createdAt: 5 };
    store.getState().addGroup(group);
    store.getState().addGroup({ ...group, id: 'cmp-2' });
    expect(store.getState().groups['cmp-1']).toEqual(group);
    expect(Object.keys(store.getState().groups).sort()).toEqual(['cmp-1', 'cmp-2']);
  });
});

describe('settings slice', () => {
  it('setSetting updates the value and the problems', () => {
    const store = createStudioStore();
    store.getState().setSetting('epochs', NaN);
    expect(Number.isNaN(store.getState().settings.epochs)).toBe(true);
    expect(store.getState().settingsProblems).toHaveLength(1);
    expect(store.getState().settingsProblems[0].startsWith('epochs: ')).toBe(true);
    store.getState().setSetting('epochs', 4);
    expect(store.getState().settings.epochs).toBe(4);
    expect(store.getState().settingsProblems).toEqual([]);
  });

  it('setSetting runs the cross-field checks', () => {
    const store = createStudioStore();
    store.getState().setSetting('sampler', 'bestup');
    store.getState().setSetting('k', 5000);
    expect(store.getState().settingsProblems).toHaveLength(1);
    expect(store.getState().settingsProblems[0]).toContain('k = 5000');
    store.getState().setSetting('estimator', 'predictor');
    expect(store.getState().settingsProblems).toEqual([]);
    store.getState().setSetting('trainSubset', 10);
    expect(store.getState().settingsProblems).toHaveLength(1);
    expect(store.getState().settingsProblems[0]).toContain('training images (10)');
  });

  it('setSetting does not change other values, and makes a new settings object', () => {
    const store = createStudioStore();
    const before = store.getState().settings;
    store.getState().setSetting('seed', 77);
    expect(store.getState().settings).not.toBe(before);
    expect(store.getState().settings).toEqual({ ...defaultSettings, seed: 77 });
    expect(before.seed).toBe(1);
  });

  it('loadSettingsFromQuery loads good values and reports bad ones as link problems', () => {
    const store = createStudioStore();
    store.getState().loadSettingsFromQuery('?epochs=abc&seed=7&backend=metal&sampler=worstup');
    const s = store.getState();
    expect(s.settings).toEqual({ ...defaultSettings, seed: 7, sampler: 'worstup' });
    expect(s.linkProblems).toHaveLength(2);
    expect(s.linkProblems[0].startsWith('epochs=')).toBe(true);
    expect(s.linkProblems[1].startsWith('backend=')).toBe(true);
    // the values fell back to valid defaults, so Start is not blocked
    expect(s.settingsProblems).toEqual([]);
    store.getState().dismissLinkProblems();
    expect(store.getState().linkProblems).toEqual([]);
    expect(store.getState().settings.seed).toBe(7);
  });

  it('loadSettingsFromQuery with a conflicting link blocks Start', () => {
    const store = createStudioStore();
    store.getState().loadSettingsFromQuery('sampler=bestup&k=2000');
    expect(store.getState().settings.k).toBe(2000);
    expect(store.getState().settingsProblems).toHaveLength(1);
    expect(store.getState().linkProblems).toHaveLength(1);
  });
});

describe('view slice', () => {
  it('selectRun resets the history index', () => {
    const store = createStudioStore();
    store.getState().selectRun('run-a');
    store.getState().setHistoryIndex(3);
    expect(store.getState().historyIndex).toBe(3);
    store.getState().selectRun('run-b');
    expect(store.getState().selectedRunId).toBe('run-b');
    expect(store.getState().historyIndex).toBeNull();
    store.getState().setHistoryIndex(1);
    store.getState().selectRun(null);
    expect(store.getState().selectedRunId).toBeNull();
    expect(store.getState().historyIndex).toBeNull();
  });

  it('setters set', () => {
    const store = createStudioStore();
    store.getState().setView('compare');
    store.getState().selectGroup('cmp-1');
    store.getState().setTheme('light');
    store.getState().setHelpOpen(true);
    expect(store.getState()).toMatchObject({ view: 'compare', selectedGroupId: 'cmp-1', theme: 'light', helpOpen: true });
  });
});

describe('selectors', () => {
  it('selectBusy: true while any run is queued or in progress', () => {
    const store = createStudioStore();
    expect(selectBusy(store.getState())).toBe(false);
    store.getState().addRun(newRun('a'));
    expect(selectBusy(store.getState())).toBe(true);
    for (const phase of ['starting', 'running', 'paused', 'stopping'] as const) {
      store.getState().setRunPhase('a', phase);
      expect(selectBusy(store.getState()), phase).toBe(true);
    }
    for (const phase of ['done', 'stopped', 'failed'] as const) {
      store.getState().setRunPhase('a', phase);
      expect(selectBusy(store.getState()), phase).toBe(false);
    }
    store.getState().addRun(newRun('b'));
    expect(selectBusy(store.getState())).toBe(true);
  });

  it('selectActiveRunId: the first run in progress; queued runs do not count', () => {
    const store = createStudioStore();
    expect(selectActiveRunId(store.getState())).toBeNull();
    store.getState().addRun(newRun('a'));
    store.getState().addRun(newRun('b'));
    store.getState().addRun(newRun('c'));
    expect(selectActiveRunId(store.getState())).toBeNull();
    store.getState().setRunPhase('a', 'done');
    store.getState().setRunPhase('b', 'starting');
    expect(selectActiveRunId(store.getState())).toBe('b');
    for (const phase of ['running', 'paused', 'stopping'] as const) {
      store.getState().setRunPhase('b', phase);
      expect(selectActiveRunId(store.getState()), phase).toBe('b');
    }
    store.getState().setRunPhase('b', 'stopped');
    expect(selectActiveRunId(store.getState())).toBeNull();
    store.getState().setRunPhase('c', 'running');
    expect(selectActiveRunId(store.getState())).toBe('c');
  });
});

describe('actionForKey', () => {
  it('maps the shortcuts to their actions', () => {
    const cases: [string, string][] = [
      ['?', 'help'],
      ['s', 'start'],
      ['c', 'compare'],
      ['p', 'pause'],
      ['x', 'stop'],
      ['t', 'theme'],
      ['1', 'view-setup'],
      ['2', 'view-train'],
      ['3', 'view-compare'],
      ['4', 'view-explore'],
      ['5', 'view-runs'],
      ['Escape', 'close'],
    ];
    for (const [k, id] of cases) expect(actionForKey(key(k))?.id, k).toBe(id);
  });

  it('returns null for keys without an action', () => {
    for (const k of ['q', 'S', '6', 'Enter', ' ', 'ArrowUp']) expect(actionForKey(key(k)), k).toBeNull();
  });

  it('ignores keys with ctrl, meta or alt', () => {
    for (const k of ['s', 'p', 'x', '1', '?', 'Escape']) {
      expect(actionForKey(key(k, { ctrlKey: true })), `ctrl+${k}`).toBeNull();
      expect(actionForKey(key(k, { metaKey: true })), `meta+${k}`).toBeNull();
      expect(actionForKey(key(k, { altKey: true })), `alt+${k}`).toBeNull();
    }
  });

  it.each(['INPUT', 'SELECT', 'TEXTAREA'])('ignores keys typed into %s, except Escape', (tagName) => {
    const target = { tagName, isContentEditable: false };
    for (const k of ['s', 'p', 'x', 't', '1', '?']) expect(actionForKey(key(k, { target })), k).toBeNull();
    expect(actionForKey(key('Escape', { target }))?.id).toBe('close');
  });

  it('ignores keys typed into a contenteditable element', () => {
    expect(actionForKey(key('s', { target: { tagName: 'DIV', isContentEditable: true } }))).toBeNull();
  });

  it('acts on keys pressed on other elements', () => {
    for (const tagName of ['BUTTON', 'BODY', 'DIV'])
      expect(actionForKey(key('s', { target: { tagName, isContentEditable: false } }))?.id, tagName).toBe('start');
  });

  it('every key and every id in the registry is unique', () => {
    const keys = studioActions.flatMap((a) => a.keys);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = studioActions.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of studioActions) {
      expect(a.keys.length, a.id).toBeGreaterThan(0);
      expect(a.label.length, a.id).toBeGreaterThan(0);
      // and every key finds its own action
      for (const k of a.keys) expect(actionForKey(key(k))).toBe(a);
    }
  });
});

describe('performing actions', () => {
  it('theme cycles auto, light, dark, auto', () => {
    const store = createStudioStore();
    const { controller } = fakeController();
    const seen: string[] = [store.getState().theme];
    for (let i = 0; i < 3; i++) {
      action('theme').perform({ store, controller });
      seen.push(store.getState().theme);
    }
    expect(seen).toEqual(['auto', 'light', 'dark', 'auto']);
  });

  it('help toggles the overlay and close (Escape) shuts it', () => {
    const store = createStudioStore();
    const { controller } = fakeController();
    action('help').perform({ store, controller });
    expect(store.getState().helpOpen).toBe(true);
    action('help').perform({ store, controller });
    expect(store.getState().helpOpen).toBe(false);
    action('help').perform({ store, controller });
    action('close').perform({ store, controller });
    expect(store.getState().helpOpen).toBe(false);
    action('close').perform({ store, controller });
    expect(store.getState().helpOpen).toBe(false);
  });

  it('the view actions switch views', () => {
    const store = createStudioStore();
    const { controller } = fakeController();
    action('view-train').perform({ store, controller });
    expect(store.getState().view).toBe('train');
    action('view-compare').perform({ store, controller });
    expect(store.getState().view).toBe('compare');
    action('view-setup').perform({ store, controller });
    expect(store.getState().view).toBe('setup');
  });

  it('start runs the store settings and shows the training view', () => {
    const store = createStudioStore();
    store.getState().setSetting('seed', 31);
    store.getState().setSetting('sampler', 'worstup');
    const { controller, spies } = fakeController();
    action('start').perform({ store, controller });
    expect(spies.startRun).toHaveBeenCalledTimes(1);
    expect(spies.startRun.mock.calls[0][0]).toEqual({ ...defaultSettings, seed: 31, sampler: 'worstup' });
    expect(spies.startRun.mock.calls[0][0]).toBe(store.getState().settings);
    expect(spies.startComparison).not.toHaveBeenCalled();
    expect(store.getState().view).toBe('train');
  });

  it('start with settings problems only goes to setup', () => {
    const store = createStudioStore();
    store.getState().setSetting('epochs', NaN);
    store.getState().setView('compare');
    const { controller, spies } = fakeController();
    action('start').perform({ store, controller });
    expect(spies.startRun).not.toHaveBeenCalled();
    expect(store.getState().view).toBe('setup');
  });

  it('compare starts a comparison and selects its group', () => {
    const store = createStudioStore();
    store.getState().setSetting('k', 9);
    const { controller, spies } = fakeController('cmp-42');
    action('compare').perform({ store, controller });
    expect(spies.startComparison).toHaveBeenCalledTimes(1);
    expect(spies.startComparison.mock.calls[0][0]).toEqual({ ...defaultSettings, k: 9 });
    expect(spies.startRun).not.toHaveBeenCalled();
    expect(store.getState().selectedGroupId).toBe('cmp-42');
    expect(store.getState().view).toBe('compare');
  });

  it('compare with settings problems only goes to setup', () => {
    const store = createStudioStore();
    store.getState().setSetting('trainSubset', 3);
    store.getState().setView('train');
    const { controller, spies } = fakeController();
    action('compare').perform({ store, controller });
    expect(spies.startComparison).not.toHaveBeenCalled();
    expect(store.getState().selectedGroupId).toBeNull();
    expect(store.getState().view).toBe('setup');
  });

  it('pause resumes a paused run', () => {
    const store = storeWithRun('run-a', 'paused');
    const { controller, spies } = fakeController();
    action('pause').perform({ store, controller });
    expect(spies.resume).toHaveBeenCalledTimes(1);
    expect(spies.pause).not.toHaveBeenCalled();
  });

  it('pause pauses a running run', () => {
    const store = storeWithRun('run-a', 'running');
    const { controller, spies } = fakeController();
    action('pause').perform({ store, controller });
    expect(spies.pause).toHaveBeenCalledTimes(1);
    expect(spies.resume).not.toHaveBeenCalled();
  });

  it('pause looks at the active run, not at an earlier finished one', () => {
    const store = storeWithRun('run-a', 'done');
    store.getState().addRun(newRun('run-b'));
    store.getState().setRunPhase('run-b', 'paused');
    const { controller, spies } = fakeController();
    action('pause').perform({ store, controller });
    expect(spies.resume).toHaveBeenCalledTimes(1);
    expect(spies.pause).not.toHaveBeenCalled();
  });

  it('stop calls the controller and nothing else', () => {
    const store = storeWithRun('run-a', 'running');
    const { controller, spies } = fakeController();
    action('stop').perform({ store, controller });
    expect(spies.stop).toHaveBeenCalledTimes(1);
    expect(spies.pause).not.toHaveBeenCalled();
    expect(spies.startRun).not.toHaveBeenCalled();
  });
});
