/**
 * Tensors our fused kernels keep for their backward pass, without the autodiff tape's
 * per-tensor Identity launch. tfjs saves a kernel's inputs for backward by running an
 * Identity kernel on each (`inputsToSave`): about 1,500 launches a sandwich step. Our
 * kernels instead keep a second handle on the same memory (a reference count, no kernel)
 * in the current arena, and the gradient reads it from the kernel's attributes. The
 * trainer opens an arena around each subnet's forward and backward and frees it after;
 * outside an arena, fused ops save through the tape as usual (fused-op.ts).
 */
import * as tf from '@tensorflow/tfjs';

interface RefCounting {
  incRef(dataId: object): void;
}

const arenas: tf.Tensor[][] = [];

/** True while a gradient tape records (inside tf.grads / variableGrads). */
export function recordingGradients(): boolean {
  return (tf.engine() as unknown as { state: { activeTape: unknown } }).state.activeTape != null;
}

/** A second handle on `t`'s memory that lives until the enclosing arena closes. */
function share(t: tf.Tensor): tf.Tensor {
  const engine = tf.engine();
  const backend = engine.backend as unknown as RefCounting;
  backend.incRef(t.dataId);
  const handle = engine.makeTensorFromDataId(t.dataId, t.shape, t.dtype, engine.backend);
  return tf.keep(handle);
}

/** True inside withBackwardArena(). */
export function arenaOpen(): boolean {
  return arenas.length > 0;
}

/** Keeps `tensors` for a backward pass; null when no gradient is being recorded. */
export function saveForBackward(tensors: tf.Tensor[]): tf.Tensor[] | null {
  if (!recordingGradients()) return null;
  const arena = arenas[arenas.length - 1];
  if (!arena) throw new Error('saveForBackward() needs an open withBackwardArena()');
  const handles = tensors.map(share);
  arena.push(...handles);
  return handles;
}

/** Runs `fn` (a forward and its backward) and then frees what fused kernels saved for it. */
export function withBackwardArena<T>(fn: () => T): T {
  arenas.push([]);
  try {
    return fn();
  } finally {
    tf.dispose(arenas.pop());
  }
}
