/**
 * A value that changes whenever the page's colours do: the data-theme attribute the theme switch
 * sets, or the system's light/dark preference under 'auto'. Canvas charts read their colours
 * from computed CSS variables once per draw, so they redraw when this changes. Watched with a
 * MutationObserver rather than the store's theme, because the attribute is set in App's effect,
 * which runs after the charts' own effects: a chart redrawn on the store change would read the
 * old colours.
 */
import { useSyncExternalStore } from 'react';

let version = 0;
const listeners = new Set<() => void>();
let watching = false;

function watch(): void {
  if (watching || typeof document === 'undefined') return;
  watching = true;
  const bump = () => {
    version++;
    for (const l of listeners) l();
  };
  new MutationObserver(bump).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', bump);
}

function subscribe(listener: () => void): () => void {
  watch();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useThemeKey(): number {
  return useSyncExternalStore(
    subscribe,
    () => version,
    () => 0,
  );
}

/** A CSS variable of the page, read now (charts call it as they draw). */
export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}
