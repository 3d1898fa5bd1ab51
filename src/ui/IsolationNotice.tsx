/**
 * Says when the page is not cross-origin isolated: without SharedArrayBuffer the wasm backend
 * loads its single-threaded build. It happens on a host that sends no COOP/COEP headers where
 * the service worker that adds them (public/coi-serviceworker.js) cannot run: service workers
 * blocked, a private window that refuses them, or plain http on a non-local address.
 */
import { useState } from 'react';

export function IsolationNotice() {
  const [dismissed, setDismissed] = useState(false);
  if (dismissed || typeof window === 'undefined' || window.crossOriginIsolated) return null;
  return (
    <div className="notice banner" role="status" data-testid="isolation-notice">
      <p>
        This page is not cross-origin isolated, so WebAssembly trains on one thread. Its host sends no COOP/COEP headers and the service
        worker that adds them could not run here
        {window.isSecureContext ? '' : ' (service workers need https or localhost)'}. GPU backends are not affected.
      </p>
      <button className="link" onClick={() => setDismissed(true)}>
        dismiss
      </button>
    </div>
  );
}
