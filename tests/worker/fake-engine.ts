/**
 * An engine session with fake engine parts (no tfjs): training is a loop of `steps` steps that
 * honours beforeStep and checkpoints at its end, so the session's state machine and the
 * controller's queue run in Node in milliseconds.
 */
import type { TrainTestSets } from '../../src/core/data/dataset-files';
import type { BackendInfo, RunResults, StepRecord } from '../../src/core/records/run-records';
import type { TrainedSupernet } from '../../src/engine/trained-supernet';
import type { trainSupernet } from '../../src/engine/training-run';
import { writeCheckpoint } from '../../src/worker/checkpoint-writer';
import { EngineSession, type SessionDeps } from '../../src/worker/engine-session';
import type { EngineClient } from '../../src/worker/engine-client';
import type { EngineApi } from '../../src/worker/protocol';
import { makeCheckpoint } from '../core/run-fixtures';

export const cpu: BackendInfo = { name: 'cpu', requested: 'cpu', adapter: 'JavaScript', fallbacks: [], reason: 'chosen in the settings' };
export const fakeData = { train: { count: 100 }, test: { count: 20 } } as unknown as TrainTestSets;

export interface FakeEngine {
  deps: SessionDeps;
  session: EngineSession;
  /** runs whose fake training is between steps now */
  training: number;
  /** the most runs ever training at once */
  mostAtOnce: number;
  trainCalls: { seed: number; resumed: boolean }[];
  /** supernets opened for search and export, and whether each was disposed since */
  opened: { disposed: boolean }[];
}

/** A fake trainSupernet: `steps` steps, each after beforeStep; a checkpoint at the end; stopped when beforeStep says so. */
function fakeTrain(engine: FakeEngine, steps: number, failAt: number | null): typeof trainSupernet {
  return async (config, _data, backend, hooks = {}, options = {}) => {
    engine.trainCalls.push({ seed: config.seed, resumed: Boolean(options.resumeFrom) });
    engine.training++;
    engine.mostAtOnce = Math.max(engine.mostAtOnce, engine.training);
    try {
      hooks.onStart?.({
        totalSteps: steps,
        stepsPerEpoch: steps,
        firstStep: 0,
        prior: { samples: 1, edges: [0, 1], frequencies: [1] },
        macs: { smallest: 1, largest: 2 },
        convForm: 'native',
      });
      let stopped = false;
      for (let step = 0; step < steps; step++) {
        if (hooks.beforeStep && (await hooks.beforeStep()) === 'stop') {
          stopped = true;
          break;
        }
        if (step === failAt) throw new Error(`mapAsync failed at step ${step}`);
        const record: StepRecord = {
          step,
          epoch: 0,
          lr: 0.1,
          roles: ['largest', 'smallest'],
          subnets: ['a', 'b'],
          macs: [2, 1],
          bins: [1, 0],
          losses: [2.3, 2.4],
          ms: 5,
        };
        hooks.onStep?.(record, {
          step: step + 1,
          totalSteps: steps,
          epoch: 0,
          elapsedMs: 5 * (step + 1),
          etaMs: 5 * (steps - step - 1),
          imagesPerSecond: 100,
        });
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      if (!stopped) await hooks.onCheckpoint?.(makeCheckpoint());
      return { type: 'nas-studio/run-results', stopped, backend, test: null, timing: { trainingSeconds: 0.1 } } as unknown as RunResults;
    } finally {
      engine.training--;
    }
  };
}

export function fakeEngine(
  options: { steps?: number; failAt?: number | null; deviceLoss?: string; backend?: BackendInfo } = {},
): FakeEngine {
  const engine = { training: 0, mostAtOnce: 0, trainCalls: [], opened: [] } as unknown as FakeEngine;
  engine.deps = {
    selectBackend: async (preference) => ({ ...(options.backend ?? cpu), requested: preference }),
    watchDevice: () => (options.deviceLoss ? Promise.resolve(options.deviceLoss) : null),
    destroyDevice: () => false,
    loadBuiltInData: async () => fakeData,
    trainSupernet: fakeTrain(engine, options.steps ?? 4, options.failAt ?? null),
    runSearch: async () => {
      throw new Error('no search in these tests');
    },
    exportSubnet: async () => ({ envelope: {} as never, files: [{ name: 'a.json', data: '{}', mime: 'application/json' }] }),
    measureLatency: async () => ({ medianMs: 1.5, repeats: 3 }),
    probeSpeed: async () => 100,
    openTrainedSupernet: () => {
      const entry = { disposed: false };
      engine.opened.push(entry);
      return { dispose: () => void (entry.disposed = true) } as unknown as TrainedSupernet;
    },
    writeCheckpoint,
  };
  engine.session = new EngineSession(engine.deps);
  return engine;
}

/** The session as the UI's Comlink remote sees it: every call answers with a promise. */
export function asClient(session: EngineSession): EngineClient {
  const api = new Proxy(session, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function'
        ? (...args: unknown[]) => Promise.resolve().then(() => (value as (...a: unknown[]) => unknown).apply(target, args))
        : value;
    },
  });
  return api as unknown as EngineClient & EngineApi;
}

/** A stand-in for the Worker object: the controller listens to it and terminates it. */
export class FakeWorker extends EventTarget {
  terminated = false;
  terminate(): void {
    this.terminated = true;
  }
  crash(message: string): void {
    const event = new Event('error') as Event & { message: string };
    event.message = message;
    this.dispatchEvent(event);
  }
  postDeviceLoss(message: string): void {
    const event = new Event('message') as Event & { data: unknown };
    event.data = { type: 'nas-studio/device-lost', message };
    this.dispatchEvent(event);
  }
}
