/**
 * Measures sandwich steps: wall time per step and per phase, and from one profiled step the
 * number of kernels launched, the peak bytes held by tensors, and the costliest kernel types.
 * Used by `npm run bench` and the GPU benchmark; the figures are for the backend that is
 * active when it runs.
 */
import * as tf from '@tensorflow/tfjs';
import { innerKernelCalls } from './kernels/inner-calls';
import { compiledGpuPrograms } from './gpu-programs';
import type { Batch, StepPhaseTimes, Trainer, TrainedSubnet } from './trainer';

export interface KernelCost {
  name: string;
  count: number;
  ms: number;
}

export interface SandwichMeasurement {
  msPerStep: number;
  imagesPerSecond: number;
  /** engine-level kernel launches of one step (tf.profile), plus launches our fused kernels make inside */
  kernelsPerStep: number;
  /** the part of kernelsPerStep launched inside our fused kernels */
  innerKernelsPerStep: number;
  /**
   * WebGPU: compute dispatches of one step, counted where tfjs records them. Fewer than
   * kernelsPerStep: Identity, Reshape and same-type Cast dispatch nothing there, nor does the
   * engine-level entry of a fused kernel (only its programs do). null on other backends.
   */
  gpuDispatchesPerStep: number | null;
  /** most bytes held by tensors at once during one step (tf.profile) */
  peakBytes: number;
  /** mean ms per step of each phase; sampling is the caller's (subnet choice and scoring) */
  phases: StepPhaseTimes & { samplingMs: number };
  topKernels: KernelCost[];
}

export interface SandwichPlan {
  /** the subnets of step i (and the time it took to choose them, ms) */
  subnetsAt: (i: number) => Promise<{ subnets: TrainedSubnet[]; samplingMs: number }>;
  warmupSteps: number;
  timedSteps: number;
}

/**
 * Counts tfjs WebGPU's recorded dispatches until stop() (null when the backend is not one).
 * It wraps a method of tfjs 4.22's backend; if that changes, the count is null, not wrong.
 */
function countDispatches(): { stop(): number | null } {
  const backend = tf.backend() as unknown as { recordAndSubmit?: (...args: unknown[]) => unknown };
  const original = backend.recordAndSubmit;
  if (tf.getBackend() !== 'webgpu' || typeof original !== 'function') return { stop: () => null };
  let count = 0;
  backend.recordAndSubmit = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
  return {
    stop: () => {
      backend.recordAndSubmit = original;
      return count;
    },
  };
}

/** Runs warm-up steps, timed steps, then one profiled step (not timed: profiling slows kernels). */
export async function measureSandwich(trainer: Trainer, batch: Batch, plan: SandwichPlan, lr = 0.05): Promise<SandwichMeasurement> {
  let step = 0;
  for (; step < plan.warmupSteps; step++) await trainer.step(batch, (await plan.subnetsAt(step)).subnets, lr, step);
  const phases = { forwardMs: 0, backwardMs: 0, optimizerMs: 0, samplingMs: 0 };
  let total = 0;
  for (let i = 0; i < plan.timedSteps; i++, step++) {
    const start = performance.now();
    const { subnets, samplingMs } = await plan.subnetsAt(step);
    phases.samplingMs += samplingMs;
    await trainer.step(batch, subnets, lr, step, phases);
    total += performance.now() - start;
  }
  const msPerStep = total / plan.timedSteps;
  const { subnets } = await plan.subnetsAt(step);
  const innerBefore = innerKernelCalls.count;
  const dispatches = countDispatches();
  const profile = await tf.profile(async () => {
    await trainer.step(batch, subnets, lr, step);
  });
  const gpuDispatchesPerStep = dispatches.stop();
  const inner = innerKernelCalls.count - innerBefore;
  const byName = new Map<string, KernelCost>();
  for (const k of profile.kernels) {
    const cost = byName.get(k.name) ?? { name: k.name, count: 0, ms: 0 };
    cost.count++;
    cost.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byName.set(k.name, cost);
  }
  const n = plan.timedSteps;
  return {
    msPerStep,
    imagesPerSecond: (batch.labels.shape[0] * 1000) / msPerStep,
    kernelsPerStep: profile.kernels.length + inner,
    innerKernelsPerStep: inner,
    gpuDispatchesPerStep,
    peakBytes: profile.peakBytes,
    phases: {
      forwardMs: phases.forwardMs / n,
      backwardMs: phases.backwardMs / n,
      optimizerMs: phases.optimizerMs / n,
      samplingMs: phases.samplingMs / n,
    },
    topKernels: [...byName.values()].sort((a, b) => b.ms - a.ms || b.count - a.count).slice(0, 10),
  };
}

export interface GpuSteadiness {
  /** GPU pipelines compiled while the fixed set of sandwiches ran once (warm-up), and after */
  pipelinesDuringWarmup: number;
  pipelinesAfterWarmup: number;
  /** bytes in use on the GPU (tf.memory()) after each listed step, counted from 1 */
  gpuBytesAfterStep: Record<number, number>;
  /** bytes the backend holds on the GPU, its buffer pool included */
  gpuBytesAllocatedAfterStep: Record<number, number>;
  numTensorsAfterStep: Record<number, number>;
}

/**
 * WebGPU only: runs the `cycle` sandwiches of a fixed set once as warm-up, then keeps cycling
 * through the same set until `steps` steps, counting the pipelines tfjs compiles and reading
 * GPU memory after the steps in `readAt`. After warm-up nothing new should compile and
 * memory should stay flat.
 */
export async function measureGpuSteadiness(
  trainer: Trainer,
  batch: Batch,
  subnetsAt: (i: number) => TrainedSubnet[],
  cycle: number,
  steps: number,
  readAt: number[],
): Promise<GpuSteadiness> {
  const pipelines = () => compiledGpuPrograms() ?? 0;
  const before = pipelines();
  const gpuBytesAfterStep: Record<number, number> = {};
  const gpuBytesAllocatedAfterStep: Record<number, number> = {};
  const numTensorsAfterStep: Record<number, number> = {};
  let afterWarmup = before;
  for (let i = 0; i < steps; i++) {
    await trainer.step(batch, subnetsAt(i % cycle), 0.05, i);
    if (i + 1 === cycle) afterWarmup = pipelines();
    if (readAt.includes(i + 1)) {
      const memory = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
      gpuBytesAfterStep[i + 1] = memory.numBytesInGPU ?? memory.numBytes;
      gpuBytesAllocatedAfterStep[i + 1] = memory.numBytesAllocatedInGPU ?? memory.numBytes;
      numTensorsAfterStep[i + 1] = memory.numTensors;
    }
  }
  return {
    pipelinesDuringWarmup: afterWarmup - before,
    pipelinesAfterWarmup: pipelines() - afterWarmup,
    gpuBytesAfterStep,
    gpuBytesAllocatedAfterStep,
    numTensorsAfterStep,
  };
}
