/** Where a run stands: phase, backend and adapter, why that backend (or the fallback notice), progress, ETA, losses. */
import { resumePoint, type RunRecord } from '../store/runs-slice';
import { clockTime, formatDuration } from '../format';
import { choiceHeadline } from '../../core/training/backend-choice';
import type { BackendInfo } from '../../core/records/run-records';

/**
 * A backend other than the one asked for: a requested one that could not start. `auto`'s
 * choice is not a fallback (its reason line says why); runs stored before reasons existed
 * show their fallbacks as they always did.
 */
const isFallback = (b: BackendInfo) =>
  b.fallbacks.length > 0 && (b.reason === undefined || (b.requested !== 'auto' && b.requested !== b.name));

export function RunStatus({ run }: { run: RunRecord }) {
  const p = run.progress;
  const first = run.steps[0];
  const last = run.steps[run.steps.length - 1];
  const fraction = p ? p.step / Math.max(1, p.totalSteps) : 0;
  return (
    <div className="run-status" data-run={run.id}>
      <p data-testid="phase">
        {run.label} · state: <strong className={`phase phase-${run.phase}`}>{run.phase}</strong>
      </p>
      {run.backend ? (
        <p data-testid="backend" data-backend={run.backend.name} data-threads={run.backend.threads}>
          Backend <strong>{run.backend.name}</strong> in the engine worker · {run.backend.adapter}
        </p>
      ) : (
        <p className="muted">The backend is chosen when the run starts.</p>
      )}
      {run.backend?.reason && (
        <p data-testid="backend-reason" title={run.backend.fallbacks.map((f) => `${f.name}: ${f.reason}`).join('\n')}>
          {choiceHeadline(run.backend)}
        </p>
      )}
      {run.backend && isFallback(run.backend) && (
        <p className="notice" data-testid="fallback-notice">
          Fell back to {run.backend.name}: {run.backend.fallbacks.map((f) => `${f.name} (${f.reason})`).join('; ')}
        </p>
      )}
      {p && (
        <div data-testid="progress" data-step={p.step} data-total={p.totalSteps}>
          <progress max={p.totalSteps} value={p.step} aria-label="training progress" />
          <p>
            Step {p.step} of {p.totalSteps} ({(fraction * 100).toFixed(0)}%) · elapsed {formatDuration(p.elapsedMs)} · ETA{' '}
            {p.step < p.totalSteps ? formatDuration(p.etaMs) : 'done'} · {p.imagesPerSecond.toFixed(1)} images/s
          </p>
        </div>
      )}
      {first && last && (
        <p data-testid="loss-summary" data-first-loss={first.losses[0]} data-last-loss={last.losses[0]} data-steps={run.steps.length}>
          Largest-subnet loss {first.losses[0].toFixed(4)} at step 1 → {last.losses[0].toFixed(4)} at step {last.step + 1}
        </p>
      )}
      {run.error && (
        <p className="error" role="alert" data-testid="error">
          {run.error}
        </p>
      )}
      {run.phase === 'interrupted' && (
        <p className="notice" data-testid="interrupted">
          The page was reloaded or closed while this run trained{p ? ` (at step ${p.step})` : ''}. Everything up to its last checkpoint is
          kept.
        </p>
      )}
      <CheckpointLine run={run} />
    </div>
  );
}

function CheckpointLine({ run }: { run: RunRecord }) {
  const c = run.checkpoint;
  if (!c) return null;
  const from = resumePoint(run);
  return (
    <p className="muted" data-testid="checkpoint" data-checkpoint-step={c.step}>
      Checkpoint after step {c.step} (epoch {c.epoch + (c.stepInEpoch ? 1 : 0)}), {(c.bytes / 1e6).toFixed(2)} MB, saved{' '}
      {clockTime(c.savedAt)}
      {from ? ' · Resume continues from it; later steps are trained again.' : ''}
      {run.resumes.length > 0
        ? ` · resumed ${run.resumes.length === 1 ? 'once' : `${run.resumes.length} times`} (from step ${run.resumes.join(', ')})`
        : ''}
    </p>
  );
}
