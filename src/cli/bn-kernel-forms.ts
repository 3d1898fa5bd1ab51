/**
 * Runs a body with the BN + activation op in another form on a host backend (cpu or wasm):
 * 'composed', the form WebGL runs (bn-act-composed.ts), or 'ops', no BN kernel at all so
 * batch-norm.ts composes it of tfjs ops on the tape (what WebGL ran before). The kernels are
 * swapped for the body's length and restored after it. For the tests and `npm run bench --
 * --bn-form`, which look at WebGL's forms where there is no WebGL (Node).
 */
import * as tf from '@tensorflow/tfjs';
import { bnActComposedKernels } from '../engine/kernels/bn-act';
import { runComposed } from '../engine/kernels/composed';
import type { KernelInputs } from '../engine/kernels/registry';

export const bnKernelForms = ['host', 'composed', 'ops'] as const;
export type BnKernelForm = (typeof bnKernelForms)[number];

export async function withBnKernelForm<T>(backend: 'cpu' | 'wasm', form: BnKernelForm, body: () => Promise<T>): Promise<T> {
  if (form === 'host') return body();
  const saved = Object.keys(bnActComposedKernels).map((name) => {
    const config = tf.getKernel(name, backend);
    if (!config) throw new Error(`no ${name} kernel on ${backend} to swap`);
    return config;
  });
  for (const [kernelName, func] of Object.entries(bnActComposedKernels)) {
    tf.unregisterKernel(kernelName, backend);
    if (form === 'composed') {
      tf.registerKernel({
        kernelName,
        backendName: backend,
        kernelFunc: ({ inputs, attrs, backend: b }) => runComposed(func, backend, inputs as KernelInputs, attrs ?? {}, b),
      });
    }
  }
  try {
    return await body();
  } finally {
    for (const config of saved) {
      if (form === 'composed') tf.unregisterKernel(config.kernelName, backend);
      tf.registerKernel(config);
    }
  }
}
