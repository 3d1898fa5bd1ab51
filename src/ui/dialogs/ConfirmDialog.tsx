/**
 * Asks before a shortcut starts or stops work while a run is in progress: a single key press
 * must not queue GPU work or end a run by accident. The safe answer has the focus, so Enter
 * on a stray key press cancels; Escape cancels too.
 */
import { useDialogFocus } from './use-dialog-focus';

interface Props {
  question: string;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog({ question, confirmLabel, onConfirm, onCancel }: Props) {
  const ref = useDialogFocus<HTMLDivElement>();
  return (
    <div className="overlay" onClick={onCancel}>
      <div
        className="overlay-card"
        ref={ref}
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-question"
        data-testid="confirm-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          // the studio's shortcuts stay off while the question is open
          e.stopPropagation();
          if (e.key === 'Escape') onCancel();
        }}
      >
        <p id="confirm-question">{question}</p>
        <div className="actions">
          <button onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button className="primary" onClick={onConfirm} data-testid="confirm-yes">
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
