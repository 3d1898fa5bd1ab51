/**
 * A fused op: a kernel and its gradient kernel, run so that its backward pass keeps what it
 * needs without the tape's Identity launches when an arena is open (saved.ts), and through
 * the ordinary tape otherwise (a plain tf.grads). The kernel is registered under two names
 * that differ only in how the gradient finds its saved tensors.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradFunc, NamedAttrMap } from '@tensorflow/tfjs';
import { arenaOpen, recordingGradients, saveForBackward } from './saved';

const TAPED = ':taped';

export interface FusedGradient {
  kernelName: string;
  /** input names saved for backward, in order */
  inputsToSave: string[];
  /** which outputs are saved too (after the inputs) */
  outputsToSave?: boolean[];
  /** dy (or dys for several outputs), the saved tensors, the op's attributes */
  gradFunc: GradFunc;
}

/** The names a fused kernel runs under: its own, and the one that saves through the tape. */
export const fusedKernelNames = (kernelName: string): [string, string] => [kernelName, kernelName + TAPED];

/** Registers the gradient of a fused kernel; `register(name)` registers the kernel itself under a name. */
export function registerFusedGradient(config: FusedGradient, register: (kernelName: string) => void): void {
  register(config.kernelName);
  register(config.kernelName + TAPED);
  tf.registerGradient({
    kernelName: config.kernelName,
    inputsToSave: [],
    gradFunc: (dy, _saved, attrs) => config.gradFunc(dy, attrs.saved as unknown as tf.Tensor[], attrs),
  });
  tf.registerGradient({
    kernelName: config.kernelName + TAPED,
    inputsToSave: config.inputsToSave,
    outputsToSave: config.outputsToSave,
    gradFunc: config.gradFunc,
  });
}

/** Runs a fused kernel; under autodiff it saves `inputsToSave` (and the flagged outputs) for its gradient. */
export function runFused(
  kernelName: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
  config: Pick<FusedGradient, 'inputsToSave' | 'outputsToSave'>,
): tf.Tensor[] {
  const taped = recordingGradients() && !arenaOpen();
  const all: Record<string, unknown> = { ...attrs, saved: null };
  const out = tf.engine().runKernel(taped ? kernelName + TAPED : kernelName, inputs as unknown as tf.NamedTensorMap, all as NamedAttrMap);
  const outputs = Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
  if (!taped) {
    const keep = [...config.inputsToSave.map((name) => inputs[name]), ...outputs.filter((_, i) => config.outputsToSave?.[i])];
    all.saved = saveForBackward(keep);
  }
  return outputs;
}
