/**
 * Any finished runs side by side (the Runs view's "Compare selected"): their settings with the
 * fields that differ marked, a warning when their space or data differ (the numbers are then
 * not like for like, but a person may still want to see them together), and a table of
 * differences against the first run: per FLOPs range the median accuracy of its subnets at the
 * run's latest evaluation, and the final test top-1 of the largest and smallest subnets.
 */
import { quantileSorted } from './box-stats';
import type { PersistedRun } from '../records/run-record-schema';
import { settingKeys } from '../training/studio-settings';
import type { Table } from './table-text';

export type ComparedRun = Pick<PersistedRun, 'name' | 'settings' | 'datasetName' | 'rangeHistory' | 'outcome'>;

export interface SettingRow {
  key: string;
  /** each run's value, as text */
  values: string[];
  differs: boolean;
}

const distinct = (values: string[]) => [...new Set(values)];

/** Every setting of every run, in the form's order; `dataset` is the data's name (two imported datasets are both "user"). */
export function settingsSideBySide(runs: ComparedRun[]): SettingRow[] {
  return settingKeys.map((key) => {
    const values = runs.map((run) => (key === 'dataset' ? run.datasetName : String(run.settings[key])));
    return { key, values, differs: distinct(values).length > 1 };
  });
}

/** "space: fashion vs quick; dataset: Fashion-MNIST vs my-digits", or null when the runs share space and data. */
export function comparabilityWarning(runs: ComparedRun[]): string | null {
  const parts: string[] = [];
  const spaces = distinct(runs.map((r) => r.settings.space));
  if (spaces.length > 1) parts.push(`space: ${spaces.join(' vs ')}`);
  const data = distinct(runs.map((r) => r.datasetName));
  if (data.length > 1) parts.push(`dataset: ${data.join(' vs ')}`);
  const subsets = distinct(runs.map((r) => (r.settings.trainSubset ? `${r.settings.trainSubset} images` : 'all images')));
  if (subsets.length > 1) parts.push(`training subset: ${subsets.join(' vs ')}`);
  return parts.length ? parts.join('; ') : null;
}

export interface DifferenceRow {
  label: string;
  kind: 'range' | 'largest' | 'smallest';
  /** each run's accuracy (0-1), null where it has none */
  values: (number | null)[];
  /** each run's value minus the first run's (0-1); null for the first run and where either is missing */
  deltas: (number | null)[];
}

const mmacs = (macs: number) => (macs / 1e6).toFixed(2);

function row(label: string, kind: DifferenceRow['kind'], values: (number | null)[]): DifferenceRow {
  const base = values[0];
  const deltas = values.map((v, i) => (i === 0 || v === null || base === null ? null : v - base));
  return { label, kind, values, deltas };
}

/**
 * Rows per FLOPs range (matched by position: runs of one space share their ranges, runs of
 * different spaces are labelled with the first run's bounds), then the largest and smallest
 * subnets' test top-1.
 */
export function runDifferences(runs: ComparedRun[]): DifferenceRow[] {
  const latest = runs.map((r) => r.rangeHistory.at(-1)?.ranges ?? []);
  const rangeCount = Math.max(0, ...latest.map((ranges) => ranges.length));
  const rows: DifferenceRow[] = [];
  for (let i = 0; i < rangeCount; i++) {
    const first = latest.find((ranges) => ranges[i])![i];
    const values = latest.map((ranges) => {
      const range = ranges[i];
      if (!range || range.accuracies.length === 0) return null;
      return (
        range.summary?.median ??
        quantileSorted(
          [...range.accuracies].sort((a, b) => a - b),
          0.5,
        )
      );
    });
    rows.push(row(`range ${i + 1} (${mmacs(first.loMacs)}-${mmacs(first.hiMacs)} MMACs) median`, 'range', values));
  }
  for (const kind of ['largest', 'smallest'] as const) {
    rows.push(
      row(
        `${kind} subnet test top-1`,
        kind,
        runs.map((r) => r.outcome?.test?.[kind].accuracy ?? null),
      ),
    );
  }
  return rows;
}

/** The differences as a table for CSV and JSON: a column per run's accuracy, then one per difference to the first run. */
export function runDifferencesTable(runs: ComparedRun[]): Table {
  const rows = runDifferences(runs);
  const names = runs.map((r, i) => `${i + 1}: ${r.name}`);
  return {
    columns: ['row', ...names.map((n) => `${n} accuracy`), ...names.slice(1).map((n) => `${n} minus 1 (points)`)],
    rows: rows.map((r) => [r.label, ...r.values, ...r.deltas.slice(1).map((d) => (d === null ? null : d * 100))]),
  };
}
