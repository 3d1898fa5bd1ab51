/**
 * Type tests of the worker boundary: the UI holds a Comlink Remote<EngineApi> whose methods all
 * return promises of plain data, and the events and results that cross are structured-clone safe
 * (no tensors, functions or class instances). tsc checks these; vitest runs the file so a broken
 * expectation also fails the unit run.
 */
import { expectTypeOf, it } from 'vitest';
import type { BackendInfo } from '../../src/engine/backend';
import type { RangeEvaluation } from '../../src/engine/range-eval';
import type { EpochRecord, RunResults, RunStart } from '../../src/engine/training-run';
import type { EngineClient } from '../../src/worker/engine-client';
import type { EngineApi, RunEvents, StepBatch } from '../../src/worker/protocol';
import type { RunConfigInput } from '../../src/core/training/run-config';

/** True when T holds only JSON-like data: numbers, strings, booleans, null, arrays and plain objects. */
type PlainData<T> = T extends string | number | boolean | null | undefined
  ? true
  : T extends (...args: never[]) => unknown
    ? false
    : T extends readonly (infer U)[]
      ? PlainData<U>
      : T extends object
        ? { [K in keyof T]-?: PlainData<T[K]> } extends Record<keyof T, true>
          ? true
          : false
        : false;

it('the remote engine returns promises of the declared results', () => {
  expectTypeOf<EngineClient['initBackend']>().returns.resolves.toEqualTypeOf<BackendInfo>();
  expectTypeOf<EngineClient['train']>().returns.resolves.toEqualTypeOf<RunResults>();
  expectTypeOf<EngineClient['train']>().parameter(0).toEqualTypeOf<RunConfigInput>();
  expectTypeOf<EngineClient['stop']>().returns.toEqualTypeOf<Promise<void>>();
  expectTypeOf<EngineApi['pause']>().returns.toEqualTypeOf<void>();
});

it('every event carries plain data only', () => {
  expectTypeOf<Parameters<RunEvents['onSteps']>[0]>().toEqualTypeOf<StepBatch>();
  expectTypeOf<PlainData<StepBatch>>().toEqualTypeOf<true>();
  expectTypeOf<PlainData<EpochRecord>>().toEqualTypeOf<true>();
  expectTypeOf<PlainData<RangeEvaluation>>().toEqualTypeOf<true>();
  expectTypeOf<PlainData<RunStart>>().toEqualTypeOf<true>();
  expectTypeOf<PlainData<RunResults>>().toEqualTypeOf<true>();
  expectTypeOf<PlainData<BackendInfo>>().toEqualTypeOf<true>();
  // the check itself can fail: a function inside an object is not plain data
  expectTypeOf<PlainData<{ a: number; f: () => void }>>().toEqualTypeOf<false>();
});
