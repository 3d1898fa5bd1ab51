/**
 * Uniform, BestUp-k and WorstUp-k (each over one or more seeds) and the noise-floor control side
 * by side: box plots grouped by FLOPs range and coloured by sampler, the largest and smallest
 * subnets' accuracy over time, and the statistics over seeds: each sampler's mean of medians and
 * its paired difference to Uniform with a bootstrap interval, drawn and tabled.
 */
import { AccuracyChart } from '../charts/AccuracyChart';
import { BoxPlot } from '../charts/BoxPlot';
import { DifferenceChart } from '../charts/DifferenceChart';
import { rowLabel } from '../../core/comparison/seed-comparison-table';
import { useMemo } from 'react';
import { groupStatistics, pooledBoxGroups, samplersOf } from './comparison-stats';
import { SeedStatsTable } from './SeedStatsTable';
import type { ComparisonGroup, RunRecord } from '../store/runs-slice';
import { useStudio, useStudioShallow, useStudioStore } from '../store/studio-store';
import { useController } from '../controller-context';
import { RunControls } from './TrainView';
import { EmptyState } from './EmptyState';
import { comparisonEpochsTable, comparisonRangesTable, seedComparisonTable } from '../../core/records/run-tables';
import { ExportMenu } from '../export/ExportMenu';
import { svgChartImage } from '../export/chart-image';
import { performAction } from '../actions';
import { isInProgress } from '../use-busy';

export function CompareView() {
  const groupOrder = useStudio((s) =>
    Object.values(s.groups)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((g) => g.id)
      .join(','),
  );
  const selected = useStudio((s) => s.selectedGroupId);
  const ids = groupOrder ? groupOrder.split(',') : [];
  const groupId = selected && ids.includes(selected) ? selected : ids[ids.length - 1];
  const group = useStudio((s) => (groupId ? s.groups[groupId] : undefined));
  const runsKey = useStudioShallow((s) => (group ? group.runIds.map((id) => s.runs[id]) : []));
  const store = useStudioStore();
  const controller = useController();
  if (!group) {
    return (
      // the same action as the `c` shortcut: it checks the settings before it starts anything
      <EmptyState
        title="No comparison yet"
        action={{ label: 'Compare samplers with the current settings', perform: () => performAction('compare', { store, controller }) }}
      >
        A comparison trains the same supernet with the same budget under each sampler, Uniformly, Pareto-best first (BestUp-k) and
        Pareto-worst first (WorstUp-k), for every seed set on Setup, plus Uniform again with only its sampled subnets changed (the noise
        floor), then shows their accuracy per FLOPs range side by side and which differences stand out from the noise.
      </EmptyState>
    );
  }
  const runs = runsKey as RunRecord[];
  // keyed by group: the memo dependency lists hold one entry per run, a count fixed per group
  return <Comparison key={group.id} group={group} ids={ids} runs={runs} />;
}

/** Charts recompute only when an evaluation or an epoch lands, not on every training step. */
function Comparison({ group, ids, runs }: { group: ComparisonGroup; ids: string[]; runs: RunRecord[] }) {
  const store = useStudioStore();
  const histories = runs.map((r) => r.rangeHistory);
  const epochs = runs.map((r) => r.epochs);
  // the dependency lists hold one entry per run of the group, a fixed count
  const accuracyRuns = useMemo(() => runs, epochs);
  const phases = runs.map((r) => r.phase);
  const groups = useMemo(() => pooledBoxGroups(runs), histories);
  // the bootstrap (2,000 resamples per row and sampler) reruns only when a run finishes
  const { stats, finished } = useMemo(() => groupStatistics(runs), [...phases, ...histories, ...epochs]);
  const samplers = samplersOf(runs);
  const colorOf = new Map(samplers.map((s) => [s.name, s.color]));
  const seeds = [...new Set(runs.map((r) => r.config.seed))];
  const differences = (stats?.rows ?? []).map((row) => ({
    label: rowLabel(row),
    points: row.cells.flatMap((c) =>
      c.vsBaseline ? [{ name: c.sampler, color: colorOf.get(c.sampler) ?? '#888888', ...c.vsBaseline }] : [],
    ),
  }));
  const active = runs.find((r) => isInProgress(r.phase));
  return (
    <div className="compare" data-testid="compare-view" data-group={group.id}>
      {ids.length > 1 && (
        <nav className="run-picker" aria-label="comparisons">
          {ids.map((id, i) => (
            <button key={id} className={id === group.id ? 'chip active' : 'chip'} onClick={() => store.getState().selectGroup(id)}>
              Comparison {i + 1}
            </button>
          ))}
        </nav>
      )}
      <section className="panel">
        <div className="panel-head">
          <h2>
            Comparison · seed{seeds.length > 1 ? 's' : ''} {seeds.join(', ')}, {group.settings.epochs} epoch(s), batch{' '}
            {group.settings.batchSize}
          </h2>
          {active && <RunControls run={active} />}
        </div>
        <ul className="compare-runs">
          {runs.map((run) => (
            <li
              key={run.id}
              data-testid="compare-run"
              data-sampler={run.sampler}
              data-name={run.label}
              data-seed={run.config.seed}
              data-phase={run.phase}
            >
              <span className="swatch" style={{ background: colorOf.get(run.label) }} /> <strong>{run.label}</strong> · seed{' '}
              {run.config.seed} · {run.phase}
              {run.progress && ` · step ${run.progress.step}/${run.progress.totalSteps}`}
              {run.error && <span className="error"> · {run.error}</span>}
              <button
                className="link"
                onClick={() => {
                  store.getState().selectRun(run.id);
                  store.getState().setView('train');
                }}
              >
                watch
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" data-testid="compare-boxes">
        <div className="panel-head">
          <h2>Accuracy per FLOPs range, by sampler</h2>
          <ExportMenu
            name="comparison-ranges"
            what="box plots and their subnets"
            table={() => comparisonRangesTable(runs)}
            image={svgChartImage(() => document.querySelector<SVGSVGElement>('[data-testid=compare-boxes] svg'))}
          />
        </div>
        <BoxPlot
          groups={groups}
          caption="Each range holds the same subnets for every sampler and seed (the plan depends only on the space); a box pools a sampler's seeds. Measured on validation after BN recalibration at each run's latest evaluation."
          height={340}
        />
        <p className="legend">
          {samplers.map((s) => (
            <span key={s.name} className="legend-item">
              <span className="swatch" style={{ background: s.color }} /> {s.name}
            </span>
          ))}
        </p>
      </section>
      <div className="grid-2">
        <section className="panel">
          <div className="panel-head">
            <h2>Largest and smallest subnet over time</h2>
            <ExportMenu
              name="comparison-epochs"
              what="accuracy over time"
              table={() => comparisonEpochsTable(runs)}
              image={svgChartImage(() => document.querySelector<SVGSVGElement>('[data-testid=accuracy-chart] svg.recharts-surface'))}
            />
          </div>
          <AccuracyChart runs={accuracyRuns} />
        </section>
        <section className="panel">
          <div className="panel-head">
            <h2>Differences to {runs[0]?.label}</h2>
            {stats && (
              <ExportMenu
                name="comparison-differences"
                what="differences chart and statistics"
                table={() => seedComparisonTable(stats)}
                json={() => stats}
                image={svgChartImage(() => document.querySelector<SVGSVGElement>('[data-testid=difference-chart]'))}
              />
            )}
          </div>
          {stats === null ? (
            <p className="empty">The statistics fill in as runs finish: first {runs[0]?.label}, then each sampler with the same seed.</p>
          ) : (
            <>
              <DifferenceChart groups={differences} baseline={stats.baseline} />
              <p className="muted">
                From {finished} of {runs.length} runs.
              </p>
            </>
          )}
        </section>
      </div>
      {stats && (
        <section className="panel">
          <div className="panel-head">
            <h2>Mean over seeds of the median accuracy, and differences to {stats.baseline}</h2>
            <ExportMenu name="comparison-table" what="comparison table" table={() => seedComparisonTable(stats)} json={() => stats} />
          </div>
          <SeedStatsTable stats={stats} />
        </section>
      )}
    </div>
  );
}
