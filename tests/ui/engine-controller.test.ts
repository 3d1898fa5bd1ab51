/**
 * The UI's engine controller in Node: its queue runs one run at a time (a comparison's runs one
 * after another), a stop cancels the comparison's queued runs, a crashed worker or a lost GPU
 * device fails the run in flight and the next run gets a fresh worker, and checkpoints reach
 * IndexedDB (fake-indexeddb) so a run resumes from them. The worker is an engine session with
 * fake engine parts (tests/worker/fake-engine.ts).
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/core/training/studio-settings';
import { openRunDatabase, type RunDatabase } from '../../src/storage/run-db';
import { EngineController } from '../../src/ui/engine-controller';
import { createStudioStore, type StudioStore } from '../../src/ui/store/studio-store';
import { asClient, fakeEngine, FakeWorker, type FakeEngine } from '../worker/fake-engine';

const settings = { ...defaultSettings, space: 'tiny', backend: 'cpu' as const };

/** A controller whose every worker is a fresh fake engine; `workers` lists them in boot order. */
function controllerWith(store: StudioStore, options: Parameters<typeof fakeEngine>[0] = {}, db: RunDatabase | null = null) {
  const workers: { engine: FakeEngine; worker: FakeWorker }[] = [];
  const controller = new EngineController(store, Promise.resolve(db), () => {
    const engine = fakeEngine(options);
    const worker = new FakeWorker();
    workers.push({ engine, worker });
    return { engine: asClient(engine.session), worker: worker as unknown as Worker };
  });
  return { controller, workers };
}

const until = async (done: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  if (!done()) throw new Error(`timed out waiting for ${what}`);
};

const opened: RunDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('engine controller', () => {
  it('trains the runs of a comparison one after another, each to the end', async () => {
    const store = createStudioStore();
    const { controller, workers } = controllerWith(store, { steps: 3 });
    const groupId = controller.startComparison(settings);
    const runIds = store.getState().groups[groupId].runIds;
    expect(runIds.length).toBeGreaterThanOrEqual(3);
    await until(() => runIds.every((id) => store.getState().runs[id].phase === 'done'), 'the comparison');
    expect(workers).toHaveLength(1);
    expect(workers[0].engine.mostAtOnce).toBe(1);
    expect(workers[0].engine.trainCalls).toHaveLength(runIds.length);
    for (const id of runIds) {
      const run = store.getState().runs[id];
      expect(run.steps.map((s) => s.step)).toEqual([0, 1, 2]);
      expect(run.backend?.name).toBe('cpu');
      expect(run.outcome?.stopped).toBe(false);
    }
    expect(controller.busy).toBe(false);
  });

  it('a stop ends the active run and cancels the runs of its comparison still queued', async () => {
    const store = createStudioStore();
    const { controller } = controllerWith(store, { steps: 1000 });
    const groupId = controller.startComparison(settings);
    const [first, ...queued] = store.getState().groups[groupId].runIds;
    await until(() => store.getState().runs[first].phase === 'running', 'the first run to train');
    controller.stop();
    expect(store.getState().runs[first].phase).toBe('stopping');
    await until(() => [first, ...queued].every((id) => store.getState().runs[id].phase === 'stopped'), 'the stop');
    expect(queued.every((id) => store.getState().runs[id].steps.length === 0)).toBe(true);
  });

  it('a crashed worker fails the run in flight; the next run trains in a fresh worker', async () => {
    const store = createStudioStore();
    const { controller, workers } = controllerWith(store, { steps: 1000 });
    const crashed = controller.startRun(settings);
    await until(() => store.getState().runs[crashed].phase === 'running', 'the run to train');
    workers[0].worker.crash('out of memory');
    await until(() => store.getState().runs[crashed].phase === 'failed', 'the failure');
    expect(store.getState().runs[crashed].error).toBe('the engine worker crashed: out of memory');
    expect(workers[0].worker.terminated).toBe(true);
    workers[0].engine.session.stop(); // the fake's loop is still running; a real worker is gone

    const next = controller.startRun(settings);
    await until(() => store.getState().runs[next].phase === 'running', 'the next run');
    expect(workers).toHaveLength(2);
    controller.stop();
    await until(() => store.getState().runs[next].phase === 'stopped', 'the next run to stop');
  });

  it('a lost GPU device is treated like a crash, with the device’s words', async () => {
    const store = createStudioStore();
    const { controller, workers } = controllerWith(store, { steps: 1000 });
    const id = controller.startRun(settings);
    await until(() => store.getState().runs[id].phase === 'running', 'the run to train');
    workers[0].worker.postDeviceLoss('the WebGPU device was lost (destroyed)');
    await until(() => store.getState().runs[id].phase === 'failed', 'the failure');
    expect(store.getState().runs[id].error).toBe('the WebGPU device was lost (destroyed)');
    workers[0].engine.session.stop();
  });

  it('keeps each checkpoint in IndexedDB and resumes a stopped run from it', async () => {
    const db = await openRunDatabase('controller-checkpoints');
    opened.push(db);
    const store = createStudioStore();
    const { controller, workers } = controllerWith(store, { steps: 3 }, db);
    const id = controller.startRun(settings);
    await until(() => store.getState().runs[id].phase === 'done', 'the run');
    await until(() => store.getState().runs[id].checkpoint?.key !== undefined, 'the checkpoint');
    const run = store.getState().runs[id];
    const stored = await db.loadCheckpoint(run);
    expect(stored?.byteLength).toBe(run.checkpoint!.bytes);

    // as if it had been stopped before its end: it resumes from the stored checkpoint
    store.getState().setRunPhase(id, 'stopped');
    store.getState().setRunStart(id, { ...run.start!, totalSteps: 10 });
    controller.resumeFromCheckpoint(id);
    await until(() => workers[0].engine.trainCalls.length === 2 && store.getState().runs[id].phase === 'done', 'the resumed run');
    expect(workers[0].engine.trainCalls[1].resumed).toBe(true);
    expect(store.getState().runs[id].resumes).toEqual([run.checkpoint!.step]);
  });
});
