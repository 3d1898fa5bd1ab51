/**
 * The training speed behind the duration estimate, kept per backend, space and batch size in
 * localStorage: a probe's figure until a run has been measured, then the last run's (a real
 * run includes what a probe on random data misses, such as assembling batches). Figures are
 * ms per image of a Uniform sandwich step (core/training/duration-estimate).
 */
import type { StudioSettings } from '../../core/training/studio-settings';

export const SPEED_KEY = 'nas-studio/speeds';

export interface SpeedRecord {
  msPerImage: number;
  source: 'probe' | 'run';
  at: number;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // a sandboxed page may throw on access
  }
}

export const speedKey = (settings: Pick<StudioSettings, 'backend' | 'space' | 'batchSize'>) =>
  `${settings.backend}|${settings.space}|${settings.batchSize}`;

function readAll(store: Storage): Record<string, SpeedRecord> {
  try {
    const parsed: unknown = JSON.parse(store.getItem(SPEED_KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, SpeedRecord>) : {};
  } catch {
    return {};
  }
}

/** The speed kept for these settings; a damaged entry reads as none (a probe runs again). */
export function readSpeed(settings: Pick<StudioSettings, 'backend' | 'space' | 'batchSize'>): SpeedRecord | null {
  const store = storage();
  const record = store ? readAll(store)[speedKey(settings)] : undefined;
  return record && Number.isFinite(record.msPerImage) && record.msPerImage > 0 && (record.source === 'probe' || record.source === 'run')
    ? record
    : null;
}

/** Keeps a speed; a probe never replaces a run's measurement. */
export function writeSpeed(
  settings: Pick<StudioSettings, 'backend' | 'space' | 'batchSize'>,
  msPerImage: number,
  source: SpeedRecord['source'],
): void {
  const store = storage();
  if (!store || !(msPerImage > 0)) return;
  const all = readAll(store);
  const key = speedKey(settings);
  if (source === 'probe' && all[key]?.source === 'run') return;
  all[key] = { msPerImage, source, at: Date.now() };
  try {
    store.setItem(SPEED_KEY, JSON.stringify(all));
  } catch {
    /* quota or privacy mode: the estimate probes again */
  }
}
