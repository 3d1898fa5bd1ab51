/**
 * A 1x1 convolution reading the top-left [cin, cout] block of a full-size supernet weight
 * [cinMax, coutMax]: forward one launch, backward one, with the weight gradient returned at
 * full size (zeros outside the block). Activations are viewed as [pixels, channels] with no
 * copy, and on wasm every product is a plain matMul (see composed.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { matMul, registerComposedKernel, reshaped, reshapedOutput, type ComposedKernelFunc } from './composed';
import { registerFusedGradient, runFused } from './fused-op';
import type { InnerKernels } from './inner-calls';
import { runKernel } from './registry';

const FORWARD = 'NasPointwise';
const BACKWARD = 'NasPointwiseGrad';

function weightBlock(k: InnerKernels, w: TensorInfo, cin: number, cout: number): TensorInfo {
  const [cinMax, coutMax] = w.shape;
  return cin === cinMax && cout === coutMax ? w : k.run('Slice', { x: w }, { begin: [0, 0], size: [cin, cout] });
}

const forward: ComposedKernelFunc = (k, { x, w }, attrs) => {
  const cout = attrs.cout as number;
  const [n, h, wd, cin] = x.shape;
  const y = matMul(k, reshaped(k, x, [n * h * wd, cin]), weightBlock(k, w, cin, cout), false, false, true);
  return reshapedOutput(k, y, [n, h, wd, cout]);
};

registerComposedKernel(BACKWARD, (k, { dy, x, w }, attrs) => {
  const cout = attrs.cout as number;
  const [n, h, wd, cin] = x.shape;
  const [cinMax, coutMax] = w.shape;
  const pixels = n * h * wd;
  const dy2 = reshaped(k, dy, [pixels, cout]);
  const dx = matMul(k, dy2, weightBlock(k, w, cin, cout), false, true, true);
  const dwBlock = matMul(k, reshaped(k, x, [pixels, cin]), dy2, true, false, cin === cinMax && cout === coutMax);
  const dw =
    cin === cinMax && cout === coutMax
      ? dwBlock
      : k.run(
          'PadV2',
          { x: dwBlock },
          {
            paddings: [
              [0, cinMax - cin],
              [0, coutMax - cout],
            ],
            constantValue: 0,
          },
          true,
        );
  return [reshapedOutput(k, dx, x.shape), dw];
});

const saving = { inputsToSave: ['x', 'w'] };
registerFusedGradient(
  {
    kernelName: FORWARD,
    ...saving,
    gradFunc: (dy, saved, attrs) => {
      const [x, w] = saved;
      const [dx, dw] = runKernel(BACKWARD, { dy: dy as tf.Tensor, x, w }, { cout: attrs.cout });
      return { x: () => dx, w: () => dw };
    },
  },
  (name) => registerComposedKernel(name, forward),
);

/** 1x1 conv of x [n, h, w, cin] with the [cin, cout] block of a full-size weight. */
export function pointwiseKernel(x: tf.Tensor4D, w: tf.Tensor, cout: number): tf.Tensor4D {
  return runFused(FORWARD, { x, w }, { cout }, saving)[0] as tf.Tensor4D;
}
