/** The live training view of one run: status, losses, trained subnets, prior, box plots with history. */
import { useDeferredValue, useRef } from 'react';
import { epochsTable, priorTable, rangeEvaluationsTable } from '../../core/records/run-tables';
import { ExportMenu } from '../export/ExportMenu';
import { runReport } from '../export/run-report';
import { downloadFiles } from '../download';
import { svgChartImage } from '../export/chart-image';
import { useController } from '../controller-context';
import { BoxPlot } from '../charts/BoxPlot';
import { LossChart } from '../charts/LossChart';
import { samplerColor } from '../charts/palette';
import { PriorChart } from '../charts/PriorChart';
import { SubnetStrip } from '../charts/SubnetStrip';
import { pct, rangeLabel } from '../format';
import { resumePoint, type RunRecord } from '../store/runs-slice';
import { useStudio, useStudioShallow, useStudioStore } from '../store/studio-store';
import { EmptyState } from './EmptyState';
import { RunStatus } from './RunStatus';

export function TrainView() {
  const runOrder = useStudioShallow((s) => s.runOrder);
  const selected = useStudio((s) => s.selectedRunId);
  const id = selected && runOrder.includes(selected) ? selected : runOrder[runOrder.length - 1];
  const store = useStudioStore();
  if (!id) {
    return (
      <EmptyState title="No run yet" action={{ label: 'Set up a run', perform: () => store.getState().setView('setup') }}>
        Set up a run and press Start (or <kbd>s</kbd>). Its losses, the subnets it trains and the accuracy per FLOPs range appear here as it
        trains.
      </EmptyState>
    );
  }
  // each panel subscribes to the part of the run it draws, so a progress message re-renders
  // the panels whose data changed and nothing else (the main thread stays under 50 ms a task)
  return (
    <div className="train">
      {runOrder.length > 1 && <RunPicker current={id} />}
      <StatusPanel id={id} />
      <div className="grid-2">
        <StepsPanels id={id} />
      </div>
      <div className="grid-2">
        <section className="panel">
          <h2>Accuracy per FLOPs range</h2>
          <RangeBoxes id={id} />
        </section>
        <PriorPanel id={id} />
      </div>
      <EpochsPanel id={id} />
      <LogPanel id={id} />
    </div>
  );
}

function StatusPanel({ id }: { id: string }) {
  // text only: cheap to re-render on every progress message
  const run = useStudio((s) => s.runs[id]);
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>Run</h2>
        <div className="actions">
          <RunControls run={run} />
          <button
            type="button"
            data-testid="run-report"
            title="One HTML file with this run's charts, tables and config"
            onClick={() =>
              downloadFiles([
                { name: `${run.name.replace(/[^A-Za-z0-9._-]+/g, '-')}-report.html`, data: runReport(run), mime: 'text/html' },
              ])
            }
          >
            Report
          </button>
        </div>
      </div>
      <RunStatus run={run} />
    </section>
  );
}

function StepsPanels({ id }: { id: string }) {
  // deferred: React renders chart updates in interruptible slices instead of one long task
  const steps = useDeferredValue(useStudio((s) => s.runs[id].steps));
  // the run's start brings the strip's first canvas: deferred like the steps, not rendered inside the worker's message task
  const start = useDeferredValue(useStudio((s) => s.runs[id].start));
  const totalSteps = useStudio((s) => s.runs[id].progress?.totalSteps ?? 1);
  const name = useStudio((s) => s.runs[id].name);
  return (
    <>
      <section className="panel">
        <h2>Training loss</h2>
        <LossChart steps={steps} name={name} />
      </section>
      <section className="panel">
        <h2>Subnets trained</h2>
        <SubnetStrip steps={steps} totalSteps={start?.totalSteps ?? totalSteps} macsRange={start?.macs ?? null} name={name} />
      </section>
    </>
  );
}

function PriorPanel({ id }: { id: string }) {
  const steps = useDeferredValue(useStudio((s) => s.runs[id].steps));
  const prior = useDeferredValue(useStudio((s) => s.runs[id].start?.prior ?? null));
  const name = useStudio((s) => s.runs[id].name);
  const wrap = useRef<HTMLDivElement>(null);
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>FLOPs prior and sampled subnets</h2>
        {prior && (
          <ExportMenu
            name={`${name}-prior`}
            what="FLOPs prior chart"
            table={() => priorTable(prior, steps)}
            image={svgChartImage(() => wrap.current?.querySelector('svg') ?? null)}
          />
        )}
      </div>
      <div ref={wrap}>
        <PriorChart prior={prior} steps={steps} />
      </div>
    </section>
  );
}

function EpochsPanel({ id }: { id: string }) {
  const epochs = useDeferredValue(useStudio((s) => s.runs[id].epochs));
  const test = useStudio((s) => s.runs[id].outcome?.test ?? null);
  const predictor = useStudio((s) => s.runs[id].outcome?.predictor ?? null);
  const architectures = useStudio((s) => s.runs[id].outcome?.sampledArchitectures ?? null);
  const name = useStudio((s) => s.runs[id].name);
  if (epochs.length === 0) return null;
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>Validation top-1 after BN recalibration</h2>
        <ExportMenu name={`${name}-epochs`} what="epochs table" table={() => epochsTable(epochs)} />
      </div>
      <table data-testid="epochs">
        <thead>
          <tr>
            <th>Epoch</th>
            <th>Step</th>
            <th>Largest</th>
            <th>Smallest</th>
            <th>Mean loss (largest)</th>
          </tr>
        </thead>
        <tbody>
          {epochs.map((e) => (
            <tr key={e.epoch}>
              <td>{e.epoch + 1}</td>
              <td>{e.steps}</td>
              <td>{pct(e.validation.largest.accuracy)}</td>
              <td>{pct(e.validation.smallest.accuracy)}</td>
              <td>{e.meanLoss.largest.toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {test && (
        <p data-testid="test-accuracy">
          Test top-1 at the end: largest {pct(test.largest.accuracy, 2)}, smallest {pct(test.smallest.accuracy, 2)}
        </p>
      )}
      {predictor && (
        <p data-testid="predictor-status">
          Accuracy predictor ({predictor.kind ?? 'ridge'}): Kendall tau{' '}
          {Number.isFinite(predictor.kendallTau) ? predictor.kendallTau.toFixed(2) : '–'} on {predictor.heldOut} held-out subnets, fitted on{' '}
          {predictor.trainedOn}
        </p>
      )}
      {architectures && (
        <p data-testid="sampled-architectures">
          The sampler trained {architectures.distinct} distinct architectures in {architectures.sampled} middle subnets
        </p>
      )}
    </section>
  );
}

function LogPanel({ id }: { id: string }) {
  const log = useDeferredValue(useStudio((s) => s.runs[id].log));
  return (
    <section className="panel">
      <h2>Log</h2>
      <pre className="log" data-testid="log">
        {log.join('\n') || 'Nothing yet.'}
      </pre>
    </section>
  );
}

function RunPicker({ current }: { current: string }) {
  const runs = useStudioShallow((s) => s.runOrder.map((id) => s.runs[id]));
  const store = useStudioStore();
  return (
    <nav className="run-picker" aria-label="runs">
      {runs.map((r) => (
        <button
          key={r.id}
          className={r.id === current ? 'chip active' : 'chip'}
          onClick={() => store.getState().selectRun(r.id)}
          aria-pressed={r.id === current}
        >
          <span className="swatch" style={{ background: samplerColor(r.sampler) }} /> {r.name} · {r.phase}
        </button>
      ))}
    </nav>
  );
}

export function RunControls({ run }: { run: RunRecord }) {
  const controller = useController();
  const from = resumePoint(run);
  return (
    <div className="actions">
      {from && (
        <button
          className="primary"
          data-testid="resume-run"
          onClick={() => controller.resumeFromCheckpoint(run.id)}
          title="Continue training from the last checkpoint"
        >
          Resume from step {from.step}
        </button>
      )}
      {!from && (run.phase === 'interrupted' || run.phase === 'failed') && (
        <button
          data-testid="restart-run"
          onClick={() => controller.restartRun(run.id)}
          title="It has no checkpoint to resume from: train it again with the same settings and seed"
        >
          Start over
        </button>
      )}
      {run.phase === 'running' && (
        <button onClick={() => controller.pause()} title="Pause (p)">
          Pause
        </button>
      )}
      {run.phase === 'paused' && (
        <button onClick={() => controller.resume()} title="Resume (p)">
          Resume
        </button>
      )}
      {(run.phase === 'running' || run.phase === 'paused' || run.phase === 'starting') && (
        <button onClick={() => controller.stop()} title="Stop (x)">
          Stop
        </button>
      )}
    </div>
  );
}

function RangeBoxes({ id }: { id: string }) {
  const historyIndex = useStudio((s) => s.historyIndex);
  const history = useDeferredValue(useStudio((s) => s.runs[id].rangeHistory));
  const label = useStudio((s) => s.runs[id].label);
  const sampler = useStudio((s) => s.runs[id].sampler);
  const name = useStudio((s) => s.runs[id].name);
  const store = useStudioStore();
  const wrap = useRef<HTMLDivElement>(null);
  if (history.length === 0) return <BoxPlot groups={[]} caption="" />;
  const index = historyIndex === null ? history.length - 1 : Math.min(historyIndex, history.length - 1);
  const evaluation = history[index];
  const groups = evaluation.ranges.map((r) => ({
    label: rangeLabel(r),
    series: [{ name: label, color: samplerColor(sampler), accuracies: r.accuracies, summary: r.summary }],
  }));
  return (
    <div data-testid="range-boxes" data-evaluations={history.length} ref={wrap}>
      <div className="chart-tools">
        <ExportMenu
          name={`${name}-ranges`}
          what="box plots and every range evaluation"
          table={() => rangeEvaluationsTable(history)}
          image={svgChartImage(() => wrap.current?.querySelector('svg') ?? null)}
        />
      </div>
      <BoxPlot
        groups={groups}
        caption={`Validation top-1 of ${evaluation.ranges.reduce((n, r) => n + r.accuracies.length, 0)} subnets at step ${evaluation.step}, each after BN recalibration on ${evaluation.calibrationBatches} batches, ${evaluation.images} images`}
      />
      {history.length > 1 && (
        <label className="history">
          <span>
            Evaluation {index + 1} of {history.length} (step {evaluation.step}){historyIndex === null ? ' · following the latest' : ''}
          </span>
          <input
            type="range"
            min={0}
            max={history.length - 1}
            value={index}
            data-testid="history-slider"
            onChange={(e) => {
              const v = Number(e.target.value);
              store.getState().setHistoryIndex(v === history.length - 1 ? null : v);
            }}
          />
        </label>
      )}
    </div>
  );
}
