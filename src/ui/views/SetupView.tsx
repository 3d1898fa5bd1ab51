/** Run setup: every setting a run needs, the search space as a table, and the two ways to start. */
import type { ReactNode } from 'react';
import { presetSpace } from '../../core/space/presets';
import { backendPreferences } from '../../core/training/run-config';
import { estimatorKinds, samplerKinds, samplerRegistry, type Estimator } from '../../core/sampling/sampler-registry';
import { predictorKinds, type PredictorKind } from '../../core/predictor/predictor';
import { DEFAULT_VALIDATION_SIZE } from '../../core/training/run-config';
import { datasetNames, validateSettingValue, type SettingKey, type StudioSettings } from '../../core/training/studio-settings';
import { presetNames } from '../../core/space/presets';
import { useStudio, useStudioStore } from '../store/studio-store';
import { useController } from '../controller-context';
import { SpaceTable } from './SpaceTable';
import { performAction } from '../actions';
import { useBusy } from '../use-busy';
import { USER_DATASET_MISSING } from '../start-guard';
import { errorMessage } from '../../core/training/error-message';
import { durationText } from '../../core/training/duration-estimate';
import { estimatorNotes, methodNotes, PAPER } from '../../core/training/method-notes';
import { QuickStart } from './QuickStart';
import { useDurationEstimate } from './use-duration-estimate';

// short enough for the select's column (the image shape is in the space summary below)
const datasetLabels: Record<string, string> = { 'fashion-mnist': 'Fashion-MNIST (built in)' };

const samplerOptions = Object.fromEntries(samplerKinds.map((kind) => [kind, samplerRegistry[kind].option]));
const estimatorOptions: Record<Estimator, string> = { loss: 'minibatch loss', predictor: 'accuracy predictor' };
const predictorOptions: Record<PredictorKind, string> = { boosted: 'boosted trees', forest: 'random forest', ridge: 'ridge regression' };

/** Training images left once the run carves its validation split (as the engine does). */
const trainingSplitSize = (trainCount: number, batchSize: number) =>
  trainCount - Math.max(0, Math.min(DEFAULT_VALIDATION_SIZE, trainCount - batchSize));

export function SetupView() {
  const settings = useStudio((s) => s.settings);
  const problems = useStudio((s) => s.settingsProblems);
  const store = useStudioStore();
  const controller = useController();
  const busy = useBusy();
  const set = <K extends SettingKey>(key: K, value: StudioSettings[K]) => store.getState().setSetting(key, value);
  const userDataset = useStudio((s) => s.userDataset);
  const datasetStatus = useStudio((s) => s.datasetStatus);
  const datasetShape =
    settings.dataset === 'user' && userDataset
      ? { height: userDataset.shape[0], width: userDataset.shape[1], channels: userDataset.shape[2] }
      : { height: 28, width: 28, channels: 1 };
  const datasetProblem = settings.dataset === 'user' && !userDataset ? USER_DATASET_MISSING : null;
  const loadFiles = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const state = store.getState();
    state.setDatasetStatus({ loading: true, error: null });
    try {
      const files = await Promise.all([...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
      const summary = await controller.loadDataset(files);
      state.setUserDataset(summary);
      state.setSetting('dataset', 'user');
      state.setSetting('space', summary.preset);
      state.setDatasetStatus({ loading: false, error: null });
    } catch (error) {
      // the current settings, runs and any dataset loaded before stay as they were
      state.setDatasetStatus({ loading: false, error: errorMessage(error) });
    }
  };
  const spaces = presetNames.filter((n) => {
    const input = presetSpace(n).input;
    return input.height === datasetShape.height && input.width === datasetShape.width && input.channels === datasetShape.channels;
  });

  const select = (key: SettingKey, options: readonly string[], labels: Record<string, string> = {}) => (
    <select name={key} value={String(settings[key])} onChange={(e) => set(key, e.target.value as never)}>
      {options.map((o) => (
        <option key={o} value={o}>
          {labels[o] ?? o}
        </option>
      ))}
    </select>
  );
  const check = (key: 'augment' | 'noiseFloor', label: string) => (
    <span className="check">
      <input type="checkbox" name={key} checked={settings[key]} onChange={(e) => set(key, e.target.checked)} /> {label}
    </span>
  );
  const number = (key: SettingKey, step = 1) => (
    <NumberField name={key} value={settings[key] as number} step={step} onChange={(v) => set(key, v as never)} />
  );
  const field = (label: string, control: ReactNode, hint?: string) => (
    <label className="field">
      <span>{label}</span>
      {control}
      {hint && <small className="hint">{hint}</small>}
    </label>
  );
  // the buttons and the `s` / `c` shortcuts run the same registered actions
  const start = () => performAction('start', { store, controller });
  const compare = () => performAction('compare', { store, controller });
  const canStart = problems.length === 0 && !datasetProblem;
  const firstVisit = useStudio((s) => s.runOrder.length === 0);
  const estimate = useDurationEstimate(settings);
  const sampler = samplerRegistry[settings.sampler];

  return (
    <div className="setup">
      {firstVisit && <QuickStart />}
      <section className="panel">
        <h2>Data and search space</h2>
        <div className="form">
          {field(
            'Dataset',
            select('dataset', datasetNames, {
              ...datasetLabels,
              user: userDataset ? `${userDataset.name} (${userDataset.shape.join('x')})` : 'your files (load them)',
            }),
          )}
          <label className="field">
            <span>Load your own</span>
            <input
              type="file"
              multiple
              name="dataset-files"
              accept=".gz,.bin,.idx,.idx1-ubyte,.idx3-ubyte,application/octet-stream"
              onChange={(e) => void loadFiles(e.target.files)}
            />
            <small className="hint">four MNIST-format idx files (gzip or plain), or CIFAR-10 binary batches</small>
          </label>
          {field('Search space', select('space', spaces), 'presets that fit the dataset’s image shape')}
        </div>
        {datasetStatus.loading && <p className="muted">Reading your files…</p>}
        {datasetStatus.error && (
          <p className="error" role="alert" data-testid="dataset-error">
            {datasetStatus.error}
          </p>
        )}
        {userDataset && settings.dataset === 'user' && (
          <p data-testid="dataset-summary">
            {userDataset.name}: {userDataset.trainCount.toLocaleString('en')} training and {userDataset.testCount.toLocaleString('en')} test
            images of {userDataset.shape.join('x')}, {userDataset.numClasses} classes; search space “{userDataset.preset}” fits them.
          </p>
        )}
        <SpaceTable spaceName={settings.space} />
      </section>
      <section className="panel">
        <h2>Sampling</h2>
        <p className="note" data-testid="note-sandwich">
          {methodNotes.sandwich} The samplers are those of {PAPER.citation}.
        </p>
        <div className="form">
          {field('Sampler', select('sampler', samplerKinds, samplerOptions), sampler.explain)}
          {/* k and the estimator mean nothing to a sampler that ranks no candidates: hidden, not left editable */}
          {sampler.estimators.length > 0 &&
            field('Estimator', select('estimator', estimatorKinds, estimatorOptions), estimatorNotes[settings.estimator])}
          {sampler.estimators.includes('predictor') &&
            settings.estimator === 'predictor' &&
            field('Predictor', select('predictorKind', predictorKinds, predictorOptions), methodNotes.predictorKind)}
          {sampler.k &&
            field(
              'k (candidates)',
              number('k'),
              `${sampler.name}-k: candidates of one FLOPs bin ranked per pick; more candidates, a stronger preference`,
            )}
        </div>
        {!sampler.k && (
          <p className="note" data-testid="note-compare-k">
            Compare still trains BestUp-{settings.k} and WorstUp-{settings.k} ({estimatorOptions[settings.estimator]}); pick either sampler
            to change k or the estimator.
          </p>
        )}
        {sampler.k && (
          <div className="notes" data-testid="note-attentive">
            <p className="note">{methodNotes.flopsPrior}</p>
            <p className="note">{methodNotes.conditionalSampler}</p>
          </div>
        )}
      </section>
      <section className="panel">
        <h2>Training</h2>
        <div className="form">
          {field('Epochs', number('epochs'))}
          {field('Steps per epoch', number('stepsPerEpoch'), '0 = the whole training split')}
          {field(
            'Training images',
            number('trainSubset'),
            `0 = all ${trainingSplitSize(settings.dataset === 'user' && userDataset ? userDataset.trainCount : 60_000, settings.batchSize).toLocaleString('en')}`,
          )}
          {field('Batch size', number('batchSize'))}
          {field('Learning rate', number('learningRate', 0.01))}
          {field('Augmentation', check('augment', 'crops and flips'), methodNotes.augment)}
          {field('Drop-connect', number('dropConnect', 0.05), methodNotes.dropConnect)}
          {field('Seed', number('seed'))}
          {field('Seeds (Compare)', number('seeds'), 'Compare trains every sampler with seeds seed … seed + N − 1')}
          {field('Noise floor (Compare)', check('noiseFloor', 'one more Uniform run per seed'), methodNotes.noiseFloor)}
          {field(
            'Backend',
            select('backend', backendPreferences),
            'auto: wasm, unless a GPU (not a software renderer) is faster in a short probe',
          )}
        </div>
      </section>
      <section className="panel">
        <h2>Evaluation</h2>
        <p className="note" data-testid="note-bn">
          {methodNotes.batchNorm}
        </p>
        <div className="form">
          {field('FLOPs ranges', number('ranges'), 'box plots: one per range')}
          {field('Subnets per range', number('perRange'))}
          {field('Evaluate every N steps', number('evalEvery'), '0 = at the end of each epoch')}
          {field('Validation images', number('rangeImages'), 'per evaluated subnet; 0 = all 5,000')}
          {field('Largest/smallest images', number('evalImages'), 'validation each epoch and test at the end; 0 = all')}
        </div>
      </section>
      {(problems.length > 0 || datasetProblem) && (
        <div className="error" role="alert" data-testid="settings-problems">
          {[...problems, ...(datasetProblem ? [datasetProblem] : [])].map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      <div className="actions sticky-actions">
        <button className="primary" onClick={start} disabled={!canStart} title="Start a run with these settings (s)" data-testid="start">
          Start
        </button>
        <button onClick={compare} disabled={!canStart} title="Run Uniform, BestUp-k and WorstUp-k with the same seed and budget (c)">
          Compare samplers
        </button>
        {busy ? (
          <span className="muted">A run is in progress; new runs wait in the queue.</span>
        ) : (
          <span
            className="muted"
            data-testid="estimate"
            data-run-seconds={estimate ? Math.round(estimate.runSeconds) : undefined}
            data-comparison-seconds={estimate ? Math.round(estimate.comparisonSeconds) : undefined}
          >
            {estimate
              ? `Start: ${durationText(estimate.runSeconds)}; Compare: ${durationText(estimate.comparisonSeconds)} (${estimate.comparisonRuns} runs), from ${estimate.source === 'run' ? 'the last run' : 'a short probe'} on this machine`
              : 'estimating the duration…'}
          </span>
        )}
      </div>
    </div>
  );
}

/** A number input that keeps what the person typed until it is valid, and says what is wrong otherwise. */
function NumberField({ name, value, step, onChange }: { name: SettingKey; value: number; step: number; onChange: (v: number) => void }) {
  const error = validateSettingValue(name, value);
  return (
    <>
      <input
        type="number"
        name={name}
        step={step}
        value={Number.isFinite(value) ? value : ''}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))}
      />
      {error && <small className="field-error">{error}</small>}
    </>
  );
}
