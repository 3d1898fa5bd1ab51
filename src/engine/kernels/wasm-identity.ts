/**
 * tfjs's wasm Identity kernel copies its input. The autodiff tape runs Identity on every
 * tensor an op saves for its backward pass, so a training step copied each saved
 * activation once more (176 ms of a 3.8 s step, and as much extra peak memory). tfjs
 * never writes a tensor's memory in place, and the wasm backend counts references (its
 * Reshape shares buffers the same way), so Identity can share the buffer as the cpu
 * backend's does.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';

interface RefCounting {
  incRef(dataId: object): void;
}

tf.unregisterKernel('Identity', 'wasm');
tf.registerKernel({
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x!;
    (backend as unknown as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
});
