/**
 * The probe behind `auto`: a few sandwich training steps (largest and smallest subnet) at a
 * small batch on the current tfjs backend, timed. The first step compiles shaders and is timed
 * apart (warm-up); the median of the timed steps after it is the figure.
 *
 * It trains the default space (fashion) at batch 32, not the tiny space: a step of the tiny
 * space at batch 16 is about 20 ms on wasm, so small that a GPU's per-kernel dispatch cost
 * would decide it, while a default run (fashion, batch 128) is bound by arithmetic. Fashion at
 * batch 32 is about 130 ms a step on wasm here (warm-up about 0.4 s), which still fits the
 * budget of about 3 s for all backends together.
 */
import * as tf from '@tensorflow/tfjs';
import type { ProbeResult } from '../core/training/backend-choice';
import { presetSpace } from '../core/space/presets';
import { Rng } from '../core/training/rng';
import { sampleUniform } from '../core/sampling/uniform-sampler';
import { largestSubnet, smallestSubnet } from '../core/space/subnet';
import type { ConvForm } from './conv-forms';
import { sandwich, Trainer } from './trainer';
import { Supernet } from './supernet';

export interface ProbeWorkload {
  space: string;
  batch: number;
  /** middle subnets drawn uniformly into the sandwich (the speed probe: 2, a Uniform step); the backend probe: none */
  middle?: number;
  /** timed steps after the warm-up (default PROBE_STEPS); the median is the figure */
  steps?: number;
}
export const PROBE_WORKLOAD: ProbeWorkload = { space: 'fashion', batch: 32 };
export const PROBE_STEPS = 3;

export interface ProbeBudget {
  /** time this backend may use, warm-up included; at least one timed step runs if the warm-up fits `hardMs` */
  shareMs: number;
  /** a warm-up longer than this leaves the backend without a time (it cannot be the fastest) */
  hardMs: number;
}

/** Times training steps on tfjs's current backend; never throws (a failure is a result). */
export async function probeCurrentBackend(
  name: ProbeResult['name'],
  convForm: ConvForm,
  budget: ProbeBudget,
  workload = PROBE_WORKLOAD,
): Promise<ProbeResult> {
  const space = presetSpace(workload.space);
  const n = workload.batch;
  let net: Supernet | null = null;
  let trainer: Trainer | null = null;
  let images: tf.Tensor4D | null = null;
  let labels: tf.Tensor1D | null = null;
  try {
    const rng = new Rng(12);
    const { height, width, channels } = space.input;
    images = tf.tensor4d(
      Float32Array.from({ length: n * height * width * channels }, () => rng.normal()),
      [n, height, width, channels],
    );
    labels = tf.tensor1d(
      Int32Array.from({ length: n }, () => rng.int(space.numClasses)),
      'int32',
    );
    net = Supernet.create(space, 1);
    trainer = new Trainer(net, { momentum: 0.9, weightDecay: 1e-5, gradClip: 1, labelSmoothing: 0.1, convForm, dropout: 0 });
    const middle = Array.from({ length: workload.middle ?? 0 }, () => sampleUniform(space, rng));
    const subnets = sandwich(largestSubnet(space), middle, smallestSubnet(space));
    const batch = { images, labels };
    const start = performance.now();
    await trainer.step(batch, subnets, 0.01);
    const warmupMs = performance.now() - start;
    if (warmupMs > budget.hardMs)
      return { name, msPerStep: null, warmupMs, steps: 0, error: `its warm-up step took ${(warmupMs / 1000).toFixed(1)} s` };
    const times: number[] = [];
    while (times.length < (workload.steps ?? PROBE_STEPS) && (times.length === 0 || performance.now() - start < budget.shareMs)) {
      const t = performance.now();
      await trainer.step(batch, subnets, 0.01);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { name, msPerStep: times[Math.floor((times.length - 1) / 2)], warmupMs, steps: times.length };
  } catch (error) {
    return {
      name,
      msPerStep: null,
      warmupMs: 0,
      steps: 0,
      error: `the probe failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    trainer?.dispose();
    net?.dispose();
    images?.dispose();
    labels?.dispose();
  }
}
