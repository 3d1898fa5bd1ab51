/** The UI side of the worker: one engine worker, wrapped as a typed Comlink remote. */
import * as Comlink from 'comlink';
import type { EngineApi, RunEvents } from './protocol';

export type EngineClient = Comlink.Remote<EngineApi>;

export function startEngineWorker(): { engine: EngineClient; worker: Worker } {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'nas-engine' });
  return { engine: Comlink.wrap<EngineApi>(worker), worker };
}

/** Event callbacks must cross as proxies, not copies. */
export const proxyEvents = (events: RunEvents): RunEvents => Comlink.proxy(events);
