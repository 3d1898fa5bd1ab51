/**
 * A first page of the studio: start a short run in the engine worker and watch it train.
 * The full studio (run setup, box plots, comparisons) builds on this store and worker.
 */
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { countMacs, toMflops } from '../core/macs';
import { presetNames, presetSpace } from '../core/presets';
import { backendPreferences, type RunConfigInput } from '../core/run-config';
import { countSubnets, largestSubnet, smallestSubnet } from '../core/subnet';
import { proxyEvents, startEngineWorker, type EngineClient } from '../worker/engine-client';
import { LossChart } from './LossChart';
import { createRunStore } from './run-store';

interface FormState {
  space: string;
  backend: (typeof backendPreferences)[number];
  epochs: number;
  stepsPerEpoch: number;
  trainSubset: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** accuracy per FLOPs range at the end of each epoch: B ranges, N subnets in each */
  ranges: number;
  perRange: number;
}

const defaults: FormState = { space: 'tiny', backend: 'auto', epochs: 1, stepsPerEpoch: 20, trainSubset: 0, batchSize: 32, learningRate: 0.1, seed: 1, ranges: 4, perRange: 3 };

function formFromUrl(): FormState {
  const params = new URLSearchParams(location.search);
  const form = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof FormState)[]) {
    const raw = params.get(key);
    if (raw === null) continue;
    if (typeof defaults[key] === 'number') {
      const n = Number(raw);
      if (Number.isFinite(n)) (form as Record<string, unknown>)[key] = n;
    } else (form as Record<string, unknown>)[key] = raw;
  }
  return form;
}

const formatMs = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
};

export function App() {
  const store = useMemo(createRunStore, []);
  const run = useStore(store);
  const [form, setForm] = useState<FormState>(formFromUrl);
  const engineRef = useRef<EngineClient | null>(null);

  useEffect(() => {
    const { engine, worker } = startEngineWorker();
    engineRef.current = engine;
    worker.addEventListener('error', (e) => store.getState().fail(`the engine worker crashed: ${e.message || 'unknown error'}`));
    return () => worker.terminate();
  }, [store]);

  const spaceInfo = useMemo(() => {
    try {
      const space = presetSpace(form.space);
      return { space, subnets: countSubnets(space), min: toMflops(countMacs(space, smallestSubnet(space))), max: toMflops(countMacs(space, largestSubnet(space))) };
    } catch {
      return null;
    }
  }, [form.space]);

  const busy = run.phase === 'starting' || run.phase === 'running' || run.phase === 'paused';

  async function start() {
    const engine = engineRef.current;
    if (!engine || !spaceInfo) return;
    const s = store.getState();
    s.begin();
    const url = new URL(location.href);
    for (const [k, v] of Object.entries(form)) url.searchParams.set(k, String(v));
    history.replaceState(null, '', url);
    try {
      s.setBackend(await engine.initBackend(form.backend));
      const config: RunConfigInput = {
        space: spaceInfo.space,
        seed: form.seed,
        epochs: form.epochs,
        stepsPerEpoch: form.stepsPerEpoch,
        trainSubset: form.trainSubset,
        batchSize: form.batchSize,
        learningRate: form.learningRate,
        backend: form.backend,
        calibrationBatches: 4,
        evalSubset: 500,
        // kept light for a first look; the studio view with box plots (a later issue) exposes the rest
        rangeEval: { ranges: form.ranges, perRange: form.perRange, calibrationBatches: 2, images: 300 },
      };
      const results = await engine.train(
        config,
        proxyEvents({
          onSteps: (batch) => store.getState().addSteps(batch),
          onEpoch: (record) => store.getState().addEpoch(record),
          onLog: (message) => store.getState().addLog(message),
          onRangeEvaluation: (evaluation) => store.getState().setRanges(evaluation),
        }),
      );
      store.getState().finish(results);
    } catch (error) {
      store.getState().fail(error instanceof Error ? error.message : String(error));
    }
  }

  const field = <K extends keyof FormState>(key: K, label: string, input: ReactElement) => (
    <label className="field" key={key}>
      <span>{label}</span>
      {input}
    </label>
  );
  const numberInput = (key: keyof FormState, step = 1, min = 0) => (
    <input
      type="number"
      name={key}
      step={step}
      min={min}
      value={form[key] as number}
      disabled={busy}
      onChange={(e) => setForm({ ...form, [key]: Number(e.target.value) })}
    />
  );

  const last = run.steps[run.steps.length - 1];
  const first = run.steps[0];
  return (
    <main className="app">
      <header>
        <h1>NAS Studio</h1>
        <p className="tagline">Train an AttentiveNAS weight-sharing supernet on Fashion-MNIST, on your own GPU.</p>
      </header>

      <section className="panel">
        <h2>Run</h2>
        <div className="form">
          {field(
            'space',
            'Search space',
            <select name="space" value={form.space} disabled={busy} onChange={(e) => setForm({ ...form, space: e.target.value })}>
              {presetNames.filter((n) => n !== 'cifar').map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>,
          )}
          {field(
            'backend',
            'Backend',
            <select name="backend" value={form.backend} disabled={busy} onChange={(e) => setForm({ ...form, backend: e.target.value as FormState['backend'] })}>
              {backendPreferences.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>,
          )}
          {field('epochs', 'Epochs', numberInput('epochs', 1, 1))}
          {field('stepsPerEpoch', 'Steps per epoch (0 = all)', numberInput('stepsPerEpoch'))}
          {field('trainSubset', 'Training images (0 = all)', numberInput('trainSubset'))}
          {field('batchSize', 'Batch size', numberInput('batchSize', 1, 2))}
          {field('learningRate', 'Learning rate', numberInput('learningRate', 0.01, 0))}
          {field('seed', 'Seed', numberInput('seed'))}
          {field('ranges', 'FLOPs ranges', numberInput('ranges', 1, 1))}
          {field('perRange', 'Subnets per range', numberInput('perRange', 1, 1))}
        </div>
        {spaceInfo && (
          <p className="muted" data-testid="space-summary">
            {spaceInfo.subnets.toLocaleString('en')} subnets, {spaceInfo.min.toFixed(2)} to {spaceInfo.max.toFixed(2)} MFLOPs (multiply-adds)
          </p>
        )}
        <div className="actions">
          <button className="primary" onClick={start} disabled={busy || !spaceInfo}>
            Start
          </button>
          {run.phase === 'running' && <button onClick={() => { engineRef.current?.pause(); store.getState().setPhase('paused'); }}>Pause</button>}
          {run.phase === 'paused' && <button onClick={() => { engineRef.current?.resume(); store.getState().setPhase('running'); }}>Resume</button>}
          {busy && <button onClick={() => engineRef.current?.stop()}>Stop</button>}
        </div>
      </section>

      <section className="panel status">
        <h2>Status</h2>
        <p data-testid="phase">
          State: <strong>{run.phase}</strong>
        </p>
        {run.backend ? (
          <p data-testid="backend" data-backend={run.backend.name}>
            Backend: <strong>{run.backend.name}</strong> in the engine worker · {run.backend.adapter}
          </p>
        ) : (
          <p className="muted">The backend is chosen when a run starts.</p>
        )}
        {run.backend && run.backend.fallbacks.length > 0 && (
          <p className="notice" data-testid="fallback-notice">
            Fell back to {run.backend.name}: {run.backend.fallbacks.map((f) => `${f.name} (${f.reason})`).join('; ')}
          </p>
        )}
        {run.progress && (
          <p data-testid="progress">
            Step {run.progress.step} of {run.progress.totalSteps} · elapsed {formatMs(run.progress.elapsedMs)} · ETA {formatMs(run.progress.etaMs)} ·{' '}
            {run.progress.imagesPerSecond.toFixed(1)} images/s
          </p>
        )}
        {first && last && (
          <p data-testid="loss-summary" data-first-loss={first.losses[0]} data-last-loss={last.losses[0]} data-steps={run.steps.length}>
            Largest-subnet loss: {first.losses[0].toFixed(4)} at step 1 → {last.losses[0].toFixed(4)} at step {last.step + 1}
          </p>
        )}
        {run.error && (
          <p className="error" role="alert" data-testid="error">
            {run.error}
          </p>
        )}
      </section>

      <section className="panel">
        <h2>Loss</h2>
        <LossChart steps={run.steps} />
      </section>

      {run.epochs.length > 0 && (
        <section className="panel">
          <h2>Validation top-1 after BN recalibration</h2>
          <table data-testid="epochs">
            <thead>
              <tr>
                <th>Epoch</th>
                <th>Largest</th>
                <th>Smallest</th>
              </tr>
            </thead>
            <tbody>
              {run.epochs.map((e) => (
                <tr key={e.epoch}>
                  <td>{e.epoch + 1}</td>
                  <td>{(e.validation.largest.accuracy * 100).toFixed(1)}%</td>
                  <td>{(e.validation.smallest.accuracy * 100).toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {run.ranges && (
        <section className="panel">
          <h2>Accuracy per FLOPs range (validation, after BN recalibration) at step {run.ranges.step}</h2>
          <table data-testid="ranges">
            <thead>
              <tr>
                <th>MFLOPs</th>
                <th>Subnets</th>
                <th>Min</th>
                <th>Median</th>
                <th>Max</th>
              </tr>
            </thead>
            <tbody>
              {run.ranges.ranges.map((r) => (
                <tr key={r.index}>
                  <td>
                    {(r.loMacs / 1e6).toFixed(2)}–{(r.hiMacs / 1e6).toFixed(2)}
                  </td>
                  <td>{r.accuracies.length}</td>
                  <td>{r.summary ? `${(r.summary.min * 100).toFixed(1)}%` : '–'}</td>
                  <td>{r.summary ? `${(r.summary.median * 100).toFixed(1)}%` : '–'}</td>
                  <td>{r.summary ? `${(r.summary.max * 100).toFixed(1)}%` : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section className="panel">
        <h2>Log</h2>
        <pre className="log" data-testid="log">{run.log.join('\n') || 'Nothing yet.'}</pre>
      </section>
    </main>
  );
}
