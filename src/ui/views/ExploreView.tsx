/**
 * The Pareto explorer: run the evolutionary search on a trained supernet and watch it live,
 * pick a budget, inspect a subnet (diagram, encoding, cost, accuracy, latency in this browser),
 * select subnets and export them with their weights.
 */
import { useEffect, useMemo, useState } from 'react';
import type { EvaluatedSubnet } from '../../core/search/evolution';
import { bestUnderBudget } from '../../core/search/pareto';
import { presetSpace } from '../../core/space/presets';
import type { SearchConfigInput } from '../../core/search/search-config';
import { ParetoScatter } from '../charts/ParetoScatter';
import { samplerColor } from '../charts/palette';
import { SubnetDiagram } from '../charts/SubnetDiagram';
import { useController } from '../controller-context';
import { downloadFiles, type DownloadFile } from '../download';
import { zipFiles } from '../../core/data/zip';
import { searchSubnetsTable } from '../../core/records/run-tables';
import { ExportMenu } from '../export/ExportMenu';
import { canvasChartImage, svgChartImage } from '../export/chart-image';
import { formatDuration, pct } from '../format';
import { isActivePhase, type RunRecord } from '../store/runs-slice';
import { useStudio, useStudioShallow, useStudioStore } from '../store/studio-store';
import { EmptyState } from './EmptyState';
import { SubnetFacts } from './SubnetFacts';
import { describeOrigin } from '../charts/scatter-keys';
import { errorMessage } from '../../core/training/error-message';

interface SearchForm {
  generations: number;
  population: number;
  mutations: number;
  crossovers: number;
  fitness: 'supernet' | 'predictor';
  validationImages: number;
  calibrationBatches: number;
}

const defaultForm: SearchForm = {
  generations: 6,
  population: 16,
  mutations: 8,
  crossovers: 8,
  fitness: 'supernet',
  validationImages: 1000,
  calibrationBatches: 4,
};

export function ExploreView() {
  const runs = useStudioShallow((s) => s.runOrder.map((id) => s.runs[id]).filter((r) => r.checkpoint !== null && !isActivePhase(r.phase)));
  const exploreRunId = useStudio((s) => s.exploreRunId);
  const store = useStudioStore();
  const run = runs.find((r) => r.id === exploreRunId) ?? runs[runs.length - 1];
  if (!run) {
    return (
      <EmptyState title="Nothing to explore yet" action={{ label: 'Set up a run', perform: () => store.getState().setView('setup') }}>
        The explorer searches a trained supernet for the best subnet at each FLOPs budget. Train a run for at least one epoch, then come
        back here.
      </EmptyState>
    );
  }
  return (
    <div className="explore">
      {runs.length > 1 && (
        <nav className="run-picker" aria-label="trained runs">
          {runs.map((r) => (
            <button key={r.id} className={r.id === run.id ? 'chip active' : 'chip'} onClick={() => store.getState().setExploreRun(r.id)}>
              <span className="swatch" style={{ background: samplerColor(r.sampler) }} /> {r.label} · {r.settings.space}
            </button>
          ))}
        </nav>
      )}
      <Explorer run={run} others={runs.filter((r) => r.id !== run.id)} />
    </div>
  );
}

function Explorer({ run, others }: { run: RunRecord; others: RunRecord[] }) {
  const store = useStudioStore();
  const controller = useController();
  const search = useStudio((s) => s.searches[run.id]);
  const otherSearches = useStudioShallow((s) => others.map((o) => s.searches[o.id]).filter((x) => x && x.front.length > 0));
  const budget = useStudio((s) => s.budgetMacs);
  const focusKey = useStudio((s) => s.focusKey);
  const selectedKeys = useStudio((s) => s.selectedKeys);
  const [form, setForm] = useState<SearchForm>(defaultForm);
  const [overlay, setOverlay] = useState(true);
  const running = search?.phase === 'running';
  const points = search?.evaluated ?? [];
  const front = search?.front ?? [];
  const macsSpan = useMemo(
    () => (points.length ? { lo: Math.min(...points.map((p) => p.macs)), hi: Math.max(...points.map((p) => p.macs)) } : null),
    [points],
  );
  const best = budget !== null ? bestUnderBudget(front, budget) : null;
  const focus = points.find((p) => p.key === focusKey) ?? null;
  const start = () => {
    const config: SearchConfigInput = {
      seed: run.settings.seed,
      fitness: form.fitness,
      validationImages: form.validationImages,
      calibrationBatches: form.calibrationBatches,
      evolution: {
        population: form.population,
        generations: form.generations,
        mutationsPerGeneration: form.mutations,
        crossoversPerGeneration: form.crossovers,
      },
    };
    void controller.search(run.id, config);
  };
  const num = (key: keyof SearchForm, label: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        name={`search-${key}`}
        value={form[key] as number}
        min={0}
        onChange={(e) => setForm({ ...form, [key]: Number(e.target.value) })}
        disabled={running}
      />
    </label>
  );
  const last = search?.generations[search.generations.length - 1];
  return (
    <>
      <section className="panel">
        <div className="panel-head">
          <h2>
            Search {run.label} · {run.settings.space} · trained {run.epochs.length} epoch(s)
          </h2>
          <div className="actions">
            {!running && (
              <button className="primary" onClick={start} data-testid="search-start">
                {search ? 'Search again' : 'Search'}
              </button>
            )}
            {running && <button onClick={() => controller.stopSearch()}>Stop search</button>}
          </div>
        </div>
        <div className="form">
          {num('population', 'Initial population')}
          {num('generations', 'Generations')}
          {num('mutations', 'Mutations per generation')}
          {num('crossovers', 'Crossovers per generation')}
          <label className="field">
            <span>Fitness</span>
            <select
              name="search-fitness"
              value={form.fitness}
              disabled={running}
              onChange={(e) => setForm({ ...form, fitness: e.target.value as SearchForm['fitness'] })}
            >
              <option value="supernet">validation accuracy (exact)</option>
              <option value="predictor">predictor (fast; front re-measured)</option>
            </select>
          </label>
          {num('validationImages', 'Validation images per subnet')}
          {num('calibrationBatches', 'BN calibration batches')}
        </div>
        {search && (
          <p data-testid="search-status" data-phase={search.phase}>
            {search.phase === 'running' ? 'Searching' : `Search ${search.phase}`} · generation {last?.generation ?? 0} of{' '}
            {search.results?.config.evolution.generations ?? form.generations} · {points.length} subnets evaluated · front of {front.length}{' '}
            · hypervolume {last ? last.hypervolume.toFixed(4) : '–'}
            {search.progress && ` · evaluating ${search.progress.done}/${search.progress.total}`}
            {search.results && ` · took ${formatDuration(search.results.timing.seconds * 1000)} on ${search.results.backend.name}`}
            {search.results?.predictor &&
              ` · ${search.results.predictor.kind ?? 'ridge'} predictor Kendall tau ${search.results.predictor.kendallTau.toFixed(2)} on ${search.results.predictor.heldOut} held-out subnets`}
          </p>
        )}
        {search?.error && (
          <p className="error" role="alert">
            {search.error}
          </p>
        )}
      </section>
      <div className="explore-grid">
        <section className="panel">
          <div className="panel-head">
            <h2>Evaluated subnets and the Pareto front</h2>
            {points.length > 0 && (
              <ExportMenu
                name={`${run.name}-search`}
                what="scatter and every evaluated subnet"
                table={() => searchSubnetsTable(points, front)}
                json={() => ({ run: run.name, generations: search?.generations ?? [], evaluated: points, front })}
                image={canvasChartImage(() => document.querySelector('[data-testid=pareto-scatter]')?.parentElement ?? null)}
              />
            )}
          </div>
          <ParetoScatter
            points={points}
            front={front}
            color={samplerColor(run.sampler)}
            overlays={
              overlay
                ? otherSearches.map((o) => ({
                    name: store.getState().runs[o!.runId].label,
                    color: samplerColor(store.getState().runs[o!.runId].sampler),
                    front: o!.front,
                  }))
                : []
            }
            budgetMacs={budget}
            best={best}
            focusKey={focusKey}
            selectedKeys={selectedKeys}
            latestGeneration={last?.generation ?? 0}
            onPick={(key) => store.getState().focusSubnet(key)}
          />
          {otherSearches.length > 0 && (
            <label className="inline">
              <input type="checkbox" checked={overlay} onChange={(e) => setOverlay(e.target.checked)} /> overlay the fronts of other runs
              (dashed)
            </label>
          )}
          {macsSpan && <BudgetControl span={macsSpan} budget={budget} best={best} />}
          <HypervolumeChart generations={search?.generations ?? []} />
        </section>
        <section className="panel">
          <div className="panel-head">
            <h2>Front</h2>
            {front.length > 0 && (
              <ExportMenu name={`${run.name}-front`} what="Pareto front table" table={() => searchSubnetsTable(front, front)} />
            )}
          </div>
          <FrontTable front={front} focusKey={focusKey} selectedKeys={selectedKeys} best={best} />
          <ExportSelected run={run} points={points} />
        </section>
      </div>
      {focus && <SubnetDetails run={run} entry={focus} />}
    </>
  );
}

/**
 * The MACs budget: off until its checkbox is ticked (the slider no longer doubles as "off" at
 * its maximum), and unticking it turns the budget off again.
 */
function BudgetControl({ span, budget, best }: { span: { lo: number; hi: number }; budget: number | null; best: EvaluatedSubnet | null }) {
  const store = useStudioStore();
  const [last, setLast] = useState<number | null>(null);
  const on = budget !== null;
  const toggle = (checked: boolean) => {
    if (!checked && budget !== null) setLast(budget);
    store.getState().setBudget(checked ? (last ?? (span.lo + span.hi) / 2) : null);
  };
  return (
    <div className="budget history">
      <label className="inline">
        <input type="checkbox" checked={on} onChange={(e) => toggle(e.target.checked)} data-testid="budget-toggle" /> Limit MACs
      </label>
      <input
        type="range"
        data-testid="budget-slider"
        aria-label="MACs budget"
        aria-valuetext={on ? `${(budget / 1e6).toFixed(2)} M MACs` : 'no budget'}
        disabled={!on}
        min={span.lo}
        max={span.hi}
        step={(span.hi - span.lo) / 200 || 1}
        value={budget ?? last ?? (span.lo + span.hi) / 2}
        onChange={(e) => store.getState().setBudget(Number(e.target.value))}
      />
      <span data-testid="budget-label">
        {on ? `Budget ${(budget / 1e6).toFixed(2)} M MACs` : 'No budget'}
        {best && ` · best under it: ${pct(best.accuracy, 2)} at ${(best.macs / 1e6).toFixed(3)} M`}
      </span>
    </div>
  );
}

function HypervolumeChart({ generations }: { generations: { generation: number; hypervolume: number }[] }) {
  if (generations.length < 1) return null;
  const W = 400;
  const H = 90;
  const lo = Math.min(...generations.map((g) => g.hypervolume));
  const hi = Math.max(...generations.map((g) => g.hypervolume));
  const x = (i: number) => 40 + (i / Math.max(1, generations.length - 1)) * (W - 50);
  const y = (v: number) => 10 + (1 - (v - lo) / (hi - lo || 1)) * (H - 30);
  return (
    <figure className="chart" style={{ maxWidth: 520 }}>
      <div className="chart-tools">
        <ExportMenu
          name="hypervolume"
          what="hypervolume chart"
          table={() => ({ columns: ['generation', 'hypervolume'], rows: generations.map((g) => [g.generation, g.hypervolume]) })}
          image={svgChartImage(() => document.querySelector<SVGSVGElement>('[data-testid=hypervolume-chart]'))}
        />
      </div>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        data-testid="hypervolume-chart"
        data-generations={generations.length}
        role="img"
        aria-label="hypervolume per generation"
      >
        <polyline
          fill="none"
          stroke="var(--accent)"
          strokeWidth={2}
          points={generations.map((g, i) => `${x(i)},${y(g.hypervolume)}`).join(' ')}
        />
        {generations.map((g, i) => (
          <circle key={g.generation} cx={x(i)} cy={y(g.hypervolume)} r={3} fill="var(--accent)">
            <title>{`generation ${g.generation}: ${g.hypervolume.toFixed(4)}`}</title>
          </circle>
        ))}
        <text x={0} y={y(hi) + 4} className="axis-label">
          {hi.toFixed(3)}
        </text>
        <text x={0} y={y(lo) + 4} className="axis-label">
          {lo.toFixed(3)}
        </text>
        <text x={W / 2} y={H - 2} textAnchor="middle" className="axis-title">
          hypervolume per generation
        </text>
      </svg>
    </figure>
  );
}

function FrontTable({
  front,
  focusKey,
  selectedKeys,
  best,
}: {
  front: EvaluatedSubnet[];
  focusKey: string | null;
  selectedKeys: string[];
  best: EvaluatedSubnet | null;
}) {
  const store = useStudioStore();
  if (front.length === 0) return <p className="empty">The front appears after the first generation.</p>;
  // rows take the focus with Tab; Enter or Space shows a row's subnet, the arrows move between rows
  const onRowKey = (event: React.KeyboardEvent<HTMLTableRowElement>, key: string) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      store.getState().focusSubnet(key);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = (
        event.key === 'ArrowDown' ? event.currentTarget.nextElementSibling : event.currentTarget.previousElementSibling
      ) as HTMLElement | null;
      next?.focus();
    }
  };
  return (
    <table data-testid="front-table" className="clickable">
      <thead>
        <tr>
          <th>Export</th>
          <th>M MACs</th>
          <th>Params</th>
          <th>Val top-1</th>
        </tr>
      </thead>
      <tbody>
        {front.map((e) => (
          <tr
            key={e.key}
            className={[e.key === focusKey ? 'focus' : '', e.key === best?.key ? 'best' : ''].join(' ')}
            onClick={() => store.getState().focusSubnet(e.key)}
            onKeyDown={(ev) => onRowKey(ev, e.key)}
            tabIndex={0}
            aria-selected={e.key === focusKey}
            aria-label={`${(e.macs / 1e6).toFixed(3)} M MACs, ${pct(e.accuracy, 2)}: Enter shows its details`}
            data-key={e.key}
          >
            <td onClick={(ev) => ev.stopPropagation()}>
              <input
                type="checkbox"
                aria-label={`select ${e.key} for export`}
                checked={selectedKeys.includes(e.key)}
                onChange={() => store.getState().toggleSelected(e.key)}
              />
            </td>
            <td>{(e.macs / 1e6).toFixed(3)}</td>
            <td>{e.params.toLocaleString('en')}</td>
            <td>{pct(e.accuracy, 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SubnetDetails({ run, entry }: { run: RunRecord; entry: EvaluatedSubnet }) {
  const controller = useController();
  const store = useStudioStore();
  const latency = useStudio((s) => s.latency[entry.key]);
  const selected = useStudio((s) => s.selectedKeys.includes(entry.key));
  const [measuring, setMeasuring] = useState<string | null>(null);
  const space = presetSpace(run.settings.space);
  useEffect(() => {
    if (latency) return;
    let cancelled = false;
    setMeasuring('measuring…');
    controller
      .measureLatency(run.id, entry.subnet)
      .then((m) => !cancelled && store.getState().setLatency(entry.key, m))
      .catch((error) => !cancelled && setMeasuring(`could not measure: ${errorMessage(error)}`))
      .finally(() => !cancelled && setMeasuring((m) => (m === 'measuring…' ? null : m)));
    return () => {
      cancelled = true;
    };
  }, [entry.key, latency, controller, run.id, store, entry.subnet]);
  return (
    <section className="panel" data-testid="subnet-details" data-key={entry.key}>
      <div className="panel-head">
        <h2>Subnet {entry.hash}</h2>
        <label className="inline">
          <input type="checkbox" checked={selected} onChange={() => store.getState().toggleSelected(entry.key)} /> select for export
        </label>
      </div>
      <SubnetDiagram space={space} subnet={entry.subnet} />
      <dl className="facts">
        <dt>MACs</dt>
        <dd data-testid="detail-macs">{(entry.macs / 1e6).toFixed(3)} M</dd>
        <dt>Parameters</dt>
        <dd>{entry.params.toLocaleString('en')}</dd>
        <dt>Validation top-1</dt>
        <dd data-testid="detail-accuracy" data-accuracy={entry.accuracy}>
          {pct(entry.accuracy, 2)} (batch-norm statistics recomputed for this subnet first)
        </dd>
        <dt>Latency</dt>
        <dd data-testid="detail-latency">
          {latency
            ? `${latency.medianMs.toFixed(2)} ms median of ${latency.repeats} single-image passes on ${latency.backend} in this browser`
            : (measuring ?? '–')}
        </dd>
        <dt>Found in</dt>
        <dd data-testid="detail-origin">{describeOrigin(entry)}</dd>
      </dl>
      <SubnetFacts space={space} subnet={entry.subnet} />
    </section>
  );
}

function ExportSelected({ run, points }: { run: RunRecord; points: EvaluatedSubnet[] }) {
  const controller = useController();
  const selectedKeys = useStudio((s) => s.selectedKeys);
  const latency = useStudio((s) => s.latency);
  const search = useStudio((s) => s.searches[run.id]);
  const [status, setStatus] = useState<string | null>(null);
  const chosen = points.filter((p) => selectedKeys.includes(p.key));
  const exportNow = async () => {
    setStatus(`exporting ${chosen.length} subnet(s)…`);
    try {
      // every file of every chosen subnet in one zip: one download, not four per subnet
      const all: DownloadFile[] = [];
      for (const entry of chosen) {
        const config = search?.results?.config;
        const l = latency[entry.key];
        const files = await controller.exportFiles(
          run.id,
          entry.subnet,
          {
            value: entry.accuracy,
            split: 'validation',
            images: Math.min(config?.validationImages || 5000, 5000),
            method: 'supernet',
            calibrationBatches: config?.calibrationBatches ?? 4,
            calibrationBatchSize: run.settings.batchSize,
          },
          l ? { median: l.medianMs, backend: l.backend, repeats: l.repeats } : null,
        );
        all.push(...files);
      }
      const envelope = all.find((f) => f.name.endsWith('.json') && !f.name.endsWith('.model.json'));
      const zipName =
        chosen.length === 1 && envelope
          ? envelope.name.replace(/\.json$/, '.zip')
          : `${run.name.replace(/[^A-Za-z0-9._-]+/g, '-')}-${chosen.length}-subnets.zip`;
      downloadFiles([{ name: zipName, data: zipFiles(all), mime: 'application/zip' }]);
      setStatus(
        `exported ${chosen.length} subnet(s) as ${zipName}: envelope, tfjs model (model.json + weights) and AttentiveNAS YAML each`,
      );
    } catch (error) {
      setStatus(`export failed: ${errorMessage(error)}`);
    }
  };
  return (
    <div className="actions export">
      <button onClick={exportNow} disabled={chosen.length === 0 || search?.phase === 'running'} data-testid="export-selected">
        Export {chosen.length || ''} selected
      </button>
      {status && (
        <span className="muted" data-testid="export-status">
          {status}
        </span>
      )}
    </div>
  );
}
