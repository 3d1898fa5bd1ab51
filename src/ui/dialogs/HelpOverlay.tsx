/** The `?` overlay: every shortcut from the action registry, in a modal that holds the focus while open. */
import { studioActions } from '../actions';
import { useDialogFocus } from './use-dialog-focus';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const ref = useDialogFocus<HTMLDivElement>();
  return (
    <div className="overlay" onClick={onClose}>
      <div
        className="overlay-card"
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onClick={(e) => e.stopPropagation()}
        data-testid="shortcuts"
      >
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <table>
          <tbody>
            {studioActions.map((a) => (
              <tr key={a.id}>
                <td>
                  {a.keys.map((k) => (
                    <kbd key={k}>{k === 'Escape' ? 'Esc' : k}</kbd>
                  ))}
                </td>
                <td>
                  {a.label}
                  {a.confirm && <span className="muted"> (asks first while a run is in progress)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </div>
  );
}
