/**
 * Finished runs picked on the Runs view, side by side: their loss curves overlaid, accuracy per
 * FLOPs range with one box per run, a table of differences to the first picked run, and their
 * settings with the differing fields marked. Runs of different spaces or data are still shown,
 * under a warning naming what differs, since the numbers are then not like for like.
 */
import { useMemo } from 'react';
import { fiveNumberSummary } from '../../core/comparison/box-stats';
import { comparabilityWarning, runDifferences, runDifferencesTable, settingsSideBySide } from '../../core/comparison/run-diff';
import { BoxPlot, type BoxGroup } from '../charts/BoxPlot';
import { stageHues } from '../charts/palette';
import { RunsLossChart, type OverlaidRun } from '../charts/RunsLossChart';
import { ExportMenu } from '../export/ExportMenu';
import { svgChartImage } from '../export/chart-image';
import { pct, rangeLabel } from '../format';
import type { RunRecord } from '../store/runs-slice';
import './runs-comparison.css';

// runs may share a sampler (and so a sampler colour), so each gets a hue of its own by position;
// stageHues keep 3:1 against the panels in both themes (palette.ts)
const runColor = (i: number) => stageHues[i % stageHues.length];
const numbered = (runs: RunRecord[]) => runs.map((r, i) => `${i + 1}: ${r.name}`);
const points = (d: number | null) => (d === null ? '–' : `${d >= 0 ? '+' : ''}${(d * 100).toFixed(1)}`);

export function RunsComparison({ runs, onClose }: { runs: RunRecord[]; onClose(): void }) {
  // numbered, since two runs of the same settings have the same name
  const names = numbered(runs);
  const overlaid = useMemo(
    (): OverlaidRun[] => runs.map((r, i) => ({ name: numbered(runs)[i], color: runColor(i), steps: r.steps })),
    [runs],
  );
  const boxes = useMemo(() => boxGroups(runs, numbered(runs)), [runs]);
  const named = runs.map((r, i) => ({ ...r, name: names[i] }));
  const differences = runDifferences(named);
  const settings = settingsSideBySide(named);
  const warning = comparabilityWarning(runs);
  return (
    <section className="panel" data-testid="runs-comparison" data-runs={runs.length}>
      <div className="panel-head">
        <h2>Comparing {runs.length} runs</h2>
        <button onClick={onClose}>Close the comparison</button>
      </div>
      {warning && (
        <p className="run-compare-warning" role="note" data-testid="runs-comparison-warning">
          These runs are not like for like ({warning}): their numbers are shown side by side, but ranges are matched by position and
          accuracies are on different tasks or subnets.
        </p>
      )}
      <h3>Training loss</h3>
      <RunsLossChart runs={overlaid} />
      <div className="panel-head">
        <h3>Accuracy per FLOPs range, by run</h3>
        <ExportMenu
          name="compared-runs-ranges"
          what="box plots of the compared runs"
          image={svgChartImage(() => document.querySelector<SVGSVGElement>('[data-testid=runs-comparison] [data-testid=boxplot]'))}
        />
      </div>
      <BoxPlot
        groups={boxes}
        height={300}
        caption="Validation top-1 after BN recalibration of each range's subnets at each run's latest evaluation; ranges are labelled with the first run's MMACs."
      />
      <p className="legend">
        {overlaid.map((r) => (
          <span key={r.name} className="legend-item">
            <span className="swatch" style={{ background: r.color }} /> {r.name}
          </span>
        ))}
      </p>
      <div className="panel-head">
        <h3>Differences to run 1</h3>
        <ExportMenu name="compared-runs-differences" what="table of differences" table={() => runDifferencesTable(named)} />
      </div>
      <table data-testid="runs-differences">
        <thead>
          <tr>
            <th>Subnets</th>
            {names.map((n) => (
              <th key={n}>{n}</th>
            ))}
            {names.slice(1).map((n) => (
              <th key={n}>Δ {n.split(':')[0]} − 1 (pts)</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {differences.map((row) => (
            <tr key={row.label} data-row={row.kind}>
              <td>{row.label}</td>
              {row.values.map((v, i) => (
                <td key={i}>{pct(v)}</td>
              ))}
              {row.deltas.slice(1).map((d, i) => (
                <td key={i}>{points(d)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Settings</h3>
      <table className="run-settings" data-testid="runs-settings">
        <thead>
          <tr>
            <th>Setting</th>
            {names.map((n) => (
              <th key={n}>{n}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {settings.map((row) => (
            <tr key={row.key} className={row.differs ? 'differs' : undefined} data-setting={row.key} data-differs={row.differs}>
              <td>
                {row.key}
                {row.differs && <span className="muted"> · differs</span>}
              </td>
              {row.values.map((v, i) => (
                <td key={i}>{v}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** One group per range position, one box per run (its latest range evaluation). */
function boxGroups(runs: RunRecord[], names: string[]): BoxGroup[] {
  const latest = runs.map((r) => r.rangeHistory.at(-1)?.ranges ?? []);
  const count = Math.max(0, ...latest.map((l) => l.length));
  return Array.from({ length: count }, (_, i) => ({
    label: rangeLabel(latest.find((l) => l[i])![i]),
    series: runs.map((_, ri) => {
      const accuracies = latest[ri][i]?.accuracies ?? [];
      return { name: names[ri], color: runColor(ri), accuracies, summary: accuracies.length ? fiveNumberSummary(accuracies) : null };
    }),
  }));
}
