/**
 * The runs kept in this browser: rename, resume, open, explore, export to a file, delete, and
 * import a run exported elsewhere. Shows how much storage they take. Any finished runs can be
 * ticked and compared (RunsComparison), whatever their sampler, space or data.
 */
import { useEffect, useState } from 'react';
import { useController } from '../controller-context';
import { downloadFiles } from '../download';
import { pct } from '../format';
import { importRunFile } from '../persistence/run-import';
import { deleteRun, exportRun } from '../persistence/run-library';
import { isActivePhase, type RunRecord } from '../store/runs-slice';
import { RunControls } from './TrainView';
import { RunsComparison } from './RunsComparison';
import { useStudio, useStudioShallow, useStudioStore } from '../store/studio-store';
import { errorMessage } from '../../core/training/error-message';

export function RunsView() {
  const runs = useStudioShallow((s) => s.runOrder.map((id) => s.runs[id]));
  const controller = useController();
  const store = useStudioStore();
  const [notice, setNotice] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const usage = useStorageEstimate(runs.length);
  // ids in the order they were ticked: the first is the one the others are compared against
  const [picked, setPicked] = useState<string[]>([]);
  const [comparing, setComparing] = useState(false);
  const comparable = runs.filter(isFinished);
  const chosen = picked.flatMap((id) => comparable.filter((r) => r.id === id));
  const toggle = (id: string) => setPicked((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));

  const importFiles = async (list: FileList | null) => {
    if (!list?.length) return;
    for (const file of [...list]) {
      try {
        // decoded, checked and stored in a worker: a big run file leaves the page responsive
        const run = await importRunFile(store, await controller.storage, file);
        setNotice({ kind: 'ok', text: `Imported “${run.name}” from ${file.name}.` });
      } catch (error) {
        // the library stays as it was: nothing is written before the file has passed every check
        setNotice({ kind: 'error', text: errorMessage(error) });
        return;
      }
    }
  };

  return (
    <div className="runs-view">
      <section className="panel">
        <div className="panel-head">
          <h2>Runs kept in this browser</h2>
          <label className="file-button">
            Import a run…
            <input
              type="file"
              name="run-file"
              accept=".nasrun,application/octet-stream"
              onChange={(e) => void importFiles(e.target.files).finally(() => (e.target.value = ''))}
            />
          </label>
        </div>
        <p className="muted" data-testid="storage-usage">
          {usage ?? 'Runs, their checkpoints and searches are kept in IndexedDB; a reload or a closed tab loses nothing.'}
        </p>
        {notice && (
          <p
            className={notice.kind === 'error' ? 'error' : 'notice'}
            role={notice.kind === 'error' ? 'alert' : 'status'}
            data-testid={notice.kind === 'error' ? 'import-error' : 'import-ok'}
          >
            {notice.text}
          </p>
        )}
        {runs.length === 0 ? (
          <p>No runs yet. Start one on the Setup view, or import a run file exported from NAS Studio.</p>
        ) : (
          <table className="runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th>
                  <span className="visually-hidden">Pick to compare</span>
                </th>
                <th>Name</th>
                <th>Sampler · space · data</th>
                <th>State</th>
                <th>Steps</th>
                <th>Test top-1 (largest / smallest)</th>
                <th>Checkpoint</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <RunRow
                  key={run.id}
                  run={run}
                  picked={picked.includes(run.id)}
                  onPick={isFinished(run) ? () => toggle(run.id) : null}
                  onProblem={(text) => setNotice({ kind: 'error', text })}
                />
              ))}
            </tbody>
          </table>
        )}
        {comparable.length > 1 && (
          <p className="compare-picked">
            <button disabled={chosen.length < 2} onClick={() => setComparing(true)} data-testid="compare-picked">
              Compare {chosen.length >= 2 ? `${chosen.length} runs` : 'picked runs'}
            </button>{' '}
            <span className="muted">
              {chosen.length < 2
                ? 'Tick two or more finished runs to compare them; the first ticked is the reference.'
                : `Against “${chosen[0].name}”, the first ticked.`}
            </span>
          </p>
        )}
      </section>
      {comparing && chosen.length >= 2 && <RunsComparison runs={chosen} onClose={() => setComparing(false)} />}
    </div>
  );
}

/** a run that has ended with steps to show (a stopped run compares up to where it stopped) */
const isFinished = (run: RunRecord) => (run.phase === 'done' || run.phase === 'stopped') && run.steps.length > 0;

function RunRow({
  run,
  picked,
  onPick,
  onProblem,
}: {
  run: RunRecord;
  picked: boolean;
  onPick: (() => void) | null;
  onProblem: (text: string) => void;
}) {
  const store = useStudioStore();
  const controller = useController();
  const searchFront = useStudio((s) => s.searches[run.id]?.front.length ?? 0);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const active = isActivePhase(run.phase);
  const total = run.start?.totalSteps ?? run.progress?.totalSteps;
  const done = run.steps.length ? run.steps[run.steps.length - 1].step + 1 : 0;
  const open = (view: 'train' | 'explore') => {
    const state = store.getState();
    if (view === 'train') state.selectRun(run.id);
    else state.setExploreRun(run.id);
    state.setView(view);
  };
  const act = (work: () => Promise<void>) => () => void work().catch((error) => onProblem(errorMessage(error)));
  return (
    <tr data-run-id={run.id} data-phase={run.phase}>
      <td>
        {onPick && (
          <input
            type="checkbox"
            name="compare-run"
            checked={picked}
            onChange={onPick}
            aria-label={`Compare “${run.name}”`}
            data-testid="pick-run"
          />
        )}
      </td>
      <td>
        {editing ? (
          <input
            aria-label="Run name"
            name="run-name"
            defaultValue={run.name}
            autoFocus
            maxLength={120}
            onBlur={(e) => {
              store.getState().renameRun(run.id, e.target.value);
              setEditing(false);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
              if (e.key === 'Escape') setEditing(false);
            }}
          />
        ) : (
          <button className="link run-name" title="Rename" onClick={() => setEditing(true)} data-testid="run-name">
            {run.name}
          </button>
        )}
        <div className="muted small">{new Date(run.createdAt).toLocaleString()}</div>
      </td>
      <td>
        {run.label} · {run.settings.space} · {run.datasetName}
      </td>
      <td>
        <span className={`phase phase-${run.phase}`}>{run.phase}</span>
      </td>
      <td>
        {done}
        {total ? ` / ${total}` : ''}
      </td>
      <td>{run.outcome?.test ? `${pct(run.outcome.test.largest.accuracy)} / ${pct(run.outcome.test.smallest.accuracy)}` : '–'}</td>
      <td>{run.checkpoint ? `step ${run.checkpoint.step} · ${(run.checkpoint.bytes / 1e6).toFixed(2)} MB` : '–'}</td>
      <td className="row-actions">
        <button onClick={() => open('train')}>Open</button>
        <RunControls run={run} />
        {run.checkpoint && !active && (
          <button onClick={() => open('explore')}>Explore{searchFront ? ` (front of ${searchFront})` : ''}</button>
        )}
        <button
          disabled={active}
          data-testid="export-run"
          onClick={act(async () => {
            const file = await exportRun(store, await controller.storage, run.id);
            downloadFiles([{ name: file.name, data: file.bytes, mime: 'application/octet-stream' }]);
          })}
        >
          Export
        </button>
        {confirming ? (
          <>
            <button
              className="danger"
              data-testid="confirm-delete"
              onClick={act(async () => deleteRun(store, await controller.storage, run.id))}
            >
              Delete for good
            </button>
            <button onClick={() => setConfirming(false)}>Keep</button>
          </>
        ) : (
          <button
            disabled={active}
            title={active ? 'Stop the run first' : 'Delete this run and its checkpoint'}
            data-testid="delete-run"
            onClick={() => setConfirming(true)}
          >
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

/** "Using 12.3 MB of 2,000 MB this browser allows", refreshed when the number of runs changes. */
function useStorageEstimate(runCount: number): string | null {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void navigator.storage
      ?.estimate?.()
      .then(({ usage = 0, quota = 0 }) => {
        if (live)
          setText(
            `Runs, checkpoints and searches are kept in IndexedDB: ${(usage / 1e6).toFixed(1)} MB used of the ${Math.round(quota / 1e6).toLocaleString('en')} MB this browser allows the studio.`,
          );
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [runCount]);
  return text;
}
