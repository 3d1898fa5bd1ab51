/**
 * Uniform, BestUp-k and WorstUp-k side by side: box plots grouped by FLOPs range and coloured
 * by sampler, the largest and smallest subnets' accuracy over time, and a table of the
 * differences in median and minimum accuracy per range against Uniform.
 */
import { compareSamplers } from '../../core/comparison';
import { AccuracyChart } from '../charts/AccuracyChart';
import { BoxPlot } from '../charts/BoxPlot';
import { samplerColor } from '../charts/palette';
import { pct, rangeLabel } from '../format';
import { useMemo } from 'react';
import type { ComparisonGroup, RunRecord } from '../store/runs-slice';
import { useStudio, useStudioShallow, useStudioStore } from '../store/studio-store';
import { useController } from '../controller-context';
import { RunControls } from './TrainView';
import { EmptyState } from './EmptyState';
import { performAction } from '../actions';
import { isInProgress } from '../use-busy';

const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}` : '–');

export function CompareView() {
  const groupOrder = useStudio((s) => Object.values(s.groups).sort((a, b) => a.createdAt - b.createdAt).map((g) => g.id).join(','));
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
      <EmptyState title="No comparison yet" action={{ label: 'Compare samplers with the current settings', perform: () => performAction('compare', { store, controller }) }}>
        A comparison trains the same supernet three times with the same seed and budget, sampling the middle subnets Uniformly, Pareto-best first (BestUp-k) and Pareto-worst first (WorstUp-k), then
        shows their accuracy per FLOPs range side by side.
      </EmptyState>
    );
  }
  const runs = runsKey as RunRecord[];
  return <Comparison group={group} ids={ids} runs={runs} />;
}

/** Charts recompute only when an evaluation or an epoch lands, not on every training step. */
function Comparison({ group, ids, runs }: { group: ComparisonGroup; ids: string[]; runs: RunRecord[] }) {
  const store = useStudioStore();
  const histories = runs.map((r) => r.rangeHistory);
  const epochs = runs.map((r) => r.epochs);
  // the dependency lists hold one entry per run of the group, a fixed count
  const accuracyRuns = useMemo(() => runs, epochs);
  const latest = useMemo(() => histories.map((h) => h[h.length - 1]), histories);
  const complete = latest.filter(Boolean);
  const rangeCount = Math.max(0, ...complete.map((e) => e.ranges.length));
  const groups = Array.from({ length: rangeCount }, (_, i) => {
    const anyRange = complete.find((e) => e.ranges[i])!.ranges[i];
    return {
      label: rangeLabel(anyRange),
      series: runs.map((run, ri) => {
        const r = latest[ri]?.ranges[i];
        return { name: run.label, color: samplerColor(run.sampler), accuracies: r?.accuracies ?? [], summary: r?.summary ?? null };
      }),
    };
  });
  const rows = complete.length === runs.length ? compareSamplers(runs.map((run, i) => ({ sampler: run.label, ranges: latest[i].ranges }))) : [];
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
          <h2>Comparison · seed {group.settings.seed}, {group.settings.epochs} epoch(s), batch {group.settings.batchSize}</h2>
          {active && <RunControls run={active} />}
        </div>
        <ul className="compare-runs">
          {runs.map((run) => (
            <li key={run.id} data-testid="compare-run" data-sampler={run.sampler} data-phase={run.phase}>
              <span className="swatch" style={{ background: samplerColor(run.sampler) }} /> <strong>{run.label}</strong> · {run.phase}
              {run.progress && ` · step ${run.progress.step}/${run.progress.totalSteps}`}
              {run.error && <span className="error"> · {run.error}</span>}
              <button className="link" onClick={() => { store.getState().selectRun(run.id); store.getState().setView('train'); }}>
                watch
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section className="panel">
        <h2>Accuracy per FLOPs range, by sampler</h2>
        <BoxPlot groups={groups} caption="Each range holds the same subnets for every sampler (same seed), measured on validation after BN recalibration at each run's latest evaluation." height={340} />
        <p className="legend">
          {runs.map((run) => (
            <span key={run.id} className="legend-item">
              <span className="swatch" style={{ background: samplerColor(run.sampler) }} /> {run.label}
            </span>
          ))}
        </p>
      </section>
      <div className="grid-2">
        <section className="panel">
          <h2>Largest and smallest subnet over time</h2>
          <AccuracyChart runs={accuracyRuns} />
        </section>
        <section className="panel">
          <h2>Differences to {runs[0]?.label}</h2>
          {rows.length === 0 ? (
            <p className="empty">The table fills in once every sampler has been evaluated.</p>
          ) : (
            <table data-testid="compare-table">
              <thead>
                <tr>
                  <th>MMACs</th>
                  {runs.map((r) => (
                    <th key={r.id}>{r.label} median / min</th>
                  ))}
                  {runs.slice(1).map((r) => (
                    <th key={r.id}>Δ {r.label} median / min (pts)</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.range}>
                    <td>{rangeLabel(row)}</td>
                    {row.perSampler.map((p) => (
                      <td key={p.sampler}>
                        {pct(p.median)} / {pct(p.min)}
                      </td>
                    ))}
                    {row.perSampler.slice(1).map((p) => (
                      <td key={p.sampler} className={p.medianDelta > 0 ? 'better' : p.medianDelta < 0 ? 'worse' : ''}>
                        {signed(p.medianDelta)} / {signed(p.minDelta)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}
