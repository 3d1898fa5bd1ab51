/**
 * `auto`'s probe result, cached per browser in localStorage so the probe (about 3 s) runs once
 * per GPU, app version and thread count. The engine checks what it reads (core/training/backend-choice),
 * so a damaged entry only costs a new probe.
 */
import { writeProbeCache, type ProbeRecord } from '../../core/training/backend-choice';
import type { BackendOptions } from '../../worker/protocol';

export const PROBE_CACHE_KEY = 'nas-studio/backend-probes';
/** tests only: '1' makes `auto` probe GPU backends on a software renderer too */
export const PROBE_SOFTWARE_KEY = 'nas-studio/probe-software-renderers';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // a sandboxed page may throw on access
  }
}

function readCache(store: Storage): unknown {
  try {
    const raw = store.getItem(PROBE_CACHE_KEY);
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

/** What the engine needs to know before choosing a backend. */
export function backendOptions(): BackendOptions {
  const store = storage();
  if (!store) return {};
  return { probeCache: readCache(store), probeSoftware: store.getItem(PROBE_SOFTWARE_KEY) === '1' };
}

/** Keeps a probe that just ran; a full or missing storage only means it runs again next time. */
export function storeProbe(record: ProbeRecord): void {
  const store = storage();
  if (!store) return;
  try {
    store.setItem(PROBE_CACHE_KEY, JSON.stringify(writeProbeCache(readCache(store), record)));
  } catch {
    /* quota or privacy mode: the probe runs again in the next worker */
  }
}
