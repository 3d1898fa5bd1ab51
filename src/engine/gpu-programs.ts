/**
 * How many GPU programs tfjs has compiled on the active backend: WebGL's shader programs (its
 * binary cache) or WebGPU's compute pipelines; null elsewhere. A supernet trains new layer
 * shapes every step, so a backend that compiles a program per shape keeps compiling: the bench
 * and the browser memory measurement watch this count level off. It reads tfjs 4.22 internals;
 * if they change, the count is null, not wrong.
 */
import * as tf from '@tensorflow/tfjs';

export function compiledGpuPrograms(): number | null {
  const backend = tf.backend() as unknown as { binaryCache?: object; pipelineCache?: object };
  const name = tf.getBackend();
  const cache = name === 'webgl' ? backend.binaryCache : name === 'webgpu' ? backend.pipelineCache : undefined;
  return cache && typeof cache === 'object' ? Object.keys(cache).length : null;
}
