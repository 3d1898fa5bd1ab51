/** Small display helpers shared by the views. */
export const formatDuration = (ms: number): string => {
  if (!Number.isFinite(ms)) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
};
export const pct = (x: number | undefined | null, digits = 1) =>
  x === undefined || x === null || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
export const mmacs = (macs: number) => (macs / 1e6).toFixed(2);
export const rangeLabel = (r: { loMacs: number; hiMacs: number }) => `${mmacs(r.loMacs)}–${mmacs(r.hiMacs)}`;
/** Local wall-clock time as HH:MM:SS, without Intl: the first Intl formatter a page builds costs tens of ms, too much inside a live update. */
export const clockTime = (ms: number) => {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
};
