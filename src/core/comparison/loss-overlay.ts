/**
 * Several runs' training losses on one step axis, for the overlaid loss chart of compared runs:
 * uPlot draws series that share one x array, and runs differ in length (and a resumed run's
 * steps need not be contiguous), so each run's loss is placed at its own step numbers and left
 * empty (null) where it has none.
 */
import type { StepPoint } from '../records/run-records';
import type { Table } from './table-text';

export interface LossOverlay {
  /** steps done (1-based), ascending, over every run */
  steps: number[];
  /** one array per run, aligned with `steps` */
  losses: (number | null)[][];
}

/** The largest (first) or smallest (last) subnet's loss of each run at each step. */
export function overlayLosses(runs: { steps: StepPoint[] }[], role: 'largest' | 'smallest'): LossOverlay {
  const all = new Set<number>();
  const byRun = runs.map((run) => {
    const at = new Map<number, number>();
    for (const s of run.steps) {
      const loss = role === 'largest' ? s.losses[0] : s.losses[s.losses.length - 1];
      if (loss !== undefined && Number.isFinite(loss)) at.set(s.step + 1, loss);
      all.add(s.step + 1);
    }
    return at;
  });
  const steps = [...all].sort((a, b) => a - b);
  return { steps, losses: byRun.map((at) => steps.map((step) => at.get(step) ?? null)) };
}

/** The overlay as a table: a step column and one loss column per run. */
export function lossOverlayTable(overlay: LossOverlay, names: string[]): Table {
  return {
    columns: ['step', ...names.map((n) => `${n} loss`)],
    rows: overlay.steps.map((step, i) => [step, ...overlay.losses.map((l) => l[i])]),
  };
}
