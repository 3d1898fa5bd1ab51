/**
 * The engine worker's session in Node, with fake engine parts and fake-indexeddb: its run state
 * machine, the batched step events, checkpoints written to storage, device-loss explanations,
 * and the one opened supernet.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings, runConfigFromSettings } from '../../src/core/training/studio-settings';
import { openRunDatabase, type RunDatabase } from '../../src/storage/run-db';
import type { CheckpointEvent, RunEvents, StepBatch } from '../../src/worker/protocol';
import { makeCheckpointBytes, RUN_ID } from '../core/run-fixtures';
import { fakeEngine } from './fake-engine';

const config = runConfigFromSettings({ ...defaultSettings, space: 'tiny', backend: 'cpu', seed: 3 });

function recorder() {
  const seen = { starts: 0, batches: [] as StepBatch[], checkpoints: [] as CheckpointEvent[], logs: [] as string[] };
  const events: RunEvents = {
    onStart: () => void seen.starts++,
    onSteps: (batch) => void seen.batches.push(batch),
    onEpoch: () => {},
    onLog: (message) => void seen.logs.push(message),
    onRangeEvaluation: () => {},
    onCheckpoint: (checkpoint) => void seen.checkpoints.push(checkpoint),
  };
  return { seen, events };
}

const opened: RunDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('engine session', () => {
  it('trains a run: steps go out batched and all of them, the checkpoint is written to storage, and the state returns to idle', async () => {
    const db = await openRunDatabase('session-train');
    opened.push(db);
    const engine = fakeEngine({ steps: 5 });
    const { seen, events } = recorder();
    const results = await engine.session.train(config, events, RUN_ID, { kind: 'fashion-mnist' }, { checkpointStore: db.name });
    expect(results.stopped).toBe(false);
    expect(seen.starts).toBe(1);
    expect(seen.logs[0]).toBe('data: Fashion-MNIST, 100 training and 20 test images');
    expect(seen.batches.flatMap((b) => b.records.map((r) => r.step))).toEqual([0, 1, 2, 3, 4]);
    expect(seen.batches.at(-1)!.progress.step).toBe(5);
    expect(seen.checkpoints).toHaveLength(1);
    const [checkpoint] = seen.checkpoints;
    expect(checkpoint.key).toMatch(new RegExp(`^${RUN_ID}@3\\.`));
    expect(
      await db.loadCheckpoint({
        id: RUN_ID,
        checkpoint: { step: 3, epoch: 1, stepInEpoch: 0, savedAt: 0, bytes: checkpoint.bytes, key: checkpoint.key! },
      }),
    ).toHaveLength(checkpoint.bytes);
    expect(await engine.session.hasCheckpoint(RUN_ID)).toBe(true);
    expect(engine.session.runState).toBe('idle');
  });

  it('pauses between steps until resumed, stops when asked, and refuses a second run meanwhile', async () => {
    const engine = fakeEngine({ steps: 50 });
    const { seen, events } = recorder();
    const training = engine.session.train(config, events, RUN_ID, { kind: 'fashion-mnist' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    engine.session.pause();
    expect(engine.session.runState).toBe('paused');
    await expect(engine.session.train(config, events, 'other', { kind: 'fashion-mnist' })).rejects.toThrow(/already in progress/);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const whilePaused = seen.batches.flatMap((b) => b.records).length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.batches.flatMap((b) => b.records).length).toBe(whilePaused);
    engine.session.resume();
    expect(engine.session.runState).toBe('running');
    await new Promise((resolve) => setTimeout(resolve, 5));
    engine.session.stop();
    const results = await training;
    expect(results.stopped).toBe(true);
    // the steps done before the stop all reached the UI
    const steps = seen.batches.flatMap((b) => b.records.map((r) => r.step));
    expect(steps).toEqual(steps.map((_, i) => i));
    expect(steps.length).toBeGreaterThan(whilePaused);
    expect(steps.length).toBeLessThan(50);
    expect(engine.session.runState).toBe('idle');
  });

  it('a step that fails after the GPU device was lost says so', async () => {
    const engine = fakeEngine({ steps: 5, failAt: 2, deviceLoss: 'the WebGPU device was lost (destroyed)' });
    const { events } = recorder();
    await expect(engine.session.train(config, events, RUN_ID, { kind: 'fashion-mnist' })).rejects.toThrow(
      'the WebGPU device was lost (destroyed); the step in flight failed with: mapAsync failed at step 2',
    );
    expect(engine.session.runState).toBe('idle');
  });

  it('a run on a dataset the worker does not hold fails with words, and the built-in data load is retried after a failure', async () => {
    const engine = fakeEngine();
    const { events } = recorder();
    await expect(engine.session.train(config, events, RUN_ID, { kind: 'user', id: 'ds-1' })).rejects.toThrow(/not loaded in the engine/);
    let calls = 0;
    engine.deps.loadBuiltInData = async () => {
      if (calls++ === 0) throw new Error('HTTP 503');
      return { train: { count: 1 }, test: { count: 1 } } as never;
    };
    await expect(engine.session.train(config, events, RUN_ID, { kind: 'fashion-mnist' })).rejects.toThrow('HTTP 503');
    await engine.session.train(config, events, RUN_ID, { kind: 'fashion-mnist' });
    expect(calls).toBe(2);
  });

  it('opens a run for export once, and again after its checkpoint is replaced or the backend changes', async () => {
    const engine = fakeEngine();
    await expect(engine.session.measureLatency(RUN_ID, {} as never, 3)).rejects.toThrow(/no checkpoint in the engine/);
    await engine.session.putCheckpoint(RUN_ID, makeCheckpointBytes(), { kind: 'fashion-mnist' });
    expect(await engine.session.measureLatency(RUN_ID, {} as never, 3)).toEqual({ medianMs: 1.5, repeats: 3, backend: 'cpu' });
    expect(
      await engine.session.exportSubnet(RUN_ID, {} as never, { validation: 0.5 } as never, null as never, 'Fashion-MNIST'),
    ).toHaveLength(1);
    expect(engine.opened.map((o) => o.disposed)).toEqual([false]);
    await engine.session.putCheckpoint(RUN_ID, makeCheckpointBytes(), { kind: 'fashion-mnist' });
    expect(engine.opened.map((o) => o.disposed)).toEqual([true]);
    await engine.session.measureLatency(RUN_ID, {} as never, 3);
    engine.deps.selectBackend = async () => ({ name: 'wasm', requested: 'wasm', adapter: 'wasm', fallbacks: [] });
    await engine.session.initBackend('wasm');
    expect(engine.opened.map((o) => o.disposed)).toEqual([true, true]);
  });

  it('hands a probe `auto` ran to the UI once', async () => {
    const engine = fakeEngine();
    const probe = { key: 'k', results: [] } as never;
    engine.deps.selectBackend = async (preference, options) => {
      options.onProbe?.(probe);
      return { name: 'wasm', requested: preference, adapter: 'wasm', fallbacks: [] };
    };
    await engine.session.initBackend('auto', { probeCache: {} });
    expect(engine.session.takeProbe()).toBe(probe);
    expect(engine.session.takeProbe()).toBeNull();
  });

  it('passes a probe it ran earlier in this page as a session probe, not as the browser cache', async () => {
    const engine = fakeEngine();
    const probe = { key: 'k', results: [] } as never;
    const seen: { probeCache: unknown; sessionProbes: unknown }[] = [];
    engine.deps.selectBackend = async (preference, options) => {
      seen.push({ probeCache: options.probeCache, sessionProbes: options.sessionProbes });
      if (seen.length === 1) options.onProbe?.(probe);
      return { name: 'wasm', requested: preference, adapter: 'wasm', fallbacks: [] };
    };
    const stored = { other: { key: 'other', results: [] } };
    await engine.session.initBackend('auto', { probeCache: stored });
    await engine.session.initBackend('auto', { probeCache: stored });
    // the reason of the second choice may not call the first probe "cached in this browser"
    expect(seen[1]).toEqual({ probeCache: stored, sessionProbes: { k: probe } });
  });
});
