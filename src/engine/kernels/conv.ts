/**
 * A full k x k convolution with few input channels (the stem: 1 or 3), symmetric padding
 * k//2, as one kernel forward and one backward on the cpu and wasm backends: the patches of
 * the input are gathered in JavaScript (im2col: n*oh*ow rows of k*k*cin values, small when
 * cin is) and multiplied by the [k*k*cin, cout] block of the full-size weight
 * [K, K, cinMax, coutMax] with the backend's matMul. The weight gradient comes back at full
 * size; the input gradient is a separate kernel, launched only if something asks for it
 * (the stem's input is the image, which needs none).
 *
 * Unfused, the stem's k*k shifted slices cost about 170 launches per subnet and step.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { convGeometry, forEachTap, type ConvGeometry } from './conv-geometry';
import { freeHostTemp, hostKernel, hostTemp, hostValues, type HostBackendName } from './host-memory';
import { InnerKernels } from './inner-calls';
import { matMul } from './composed';
import { registerFusedGradient, runFused } from './fused-op';
import { registerHostKernel, runKernel, type KernelInputs } from './registry';

export const CONV = 'NasConv';
const FILTER_GRAD = 'NasConvFilterGrad';
const INPUT_GRAD = 'NasConvInputGrad';

interface StemGeometry extends ConvGeometry {
  cin: number;
  cout: number;
  bigK: number;
  cinMax: number;
  coutMax: number;
}

function geometry(x: TensorInfo, w: TensorInfo, attrs: NamedAttrMap): StemGeometry {
  const [n, h, wd, cin] = x.shape;
  const [bigK, , cinMax, coutMax] = w.shape;
  const k = attrs.k as number;
  if (k !== bigK) throw new Error(`NasConv reads the whole ${bigK}x${bigK} kernel, asked for ${k}x${k}`);
  return { ...convGeometry(n, h, wd, k, attrs.stride as number), cin, cout: attrs.cout as number, bigK, cinMax, coutMax };
}

/** rows (b, oy, ox), columns (i, j, ci): the input pixel each output reads, 0 in the padding */
function im2col(x: Float32Array, cols: Float32Array, g: StemGeometry) {
  const width = g.k * g.k * g.cin;
  let row = 0;
  for (let b = 0; b < g.n; b++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++, row++) {
        let at = row * width;
        for (let i = 0; i < g.k; i++) {
          const iy = oy * g.s + i - g.p;
          for (let j = 0; j < g.k; j++) {
            const ix = ox * g.s + j - g.p;
            const inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.wd;
            const src = ((b * g.h + iy) * g.wd + ix) * g.cin;
            for (let c = 0; c < g.cin; c++) cols[at++] = inside ? x[src + c] : 0;
          }
        }
      }
}

const weightRow = (g: StemGeometry, i: number, j: number, c: number) => ((i * g.bigK + j) * g.cinMax + c) * g.coutMax;

function forward(backendName: HostBackendName, { x, w }: KernelInputs, attrs: NamedAttrMap, backend: unknown) {
  const g = geometry(x, w, attrs);
  const rows = g.n * g.oh * g.ow;
  const width = g.k * g.k * g.cin;
  const cols = hostTemp(backendName, backend, [rows, width], (v) => im2col(hostValues(backendName, backend, x), v, g));
  const block = hostTemp(backendName, backend, [width, g.cout], (v) => {
    const wv = hostValues(backendName, backend, w);
    let at = 0;
    for (let i = 0; i < g.k; i++)
      for (let j = 0; j < g.k; j++)
        for (let c = 0; c < g.cin; c++) for (let o = 0; o < g.cout; o++) v[at++] = wv[weightRow(g, i, j, c) + o];
  });
  const inner = new InnerKernels(backendName, backend);
  const y = matMul(inner, cols, block, false, false, true);
  inner.dispose();
  freeHostTemp(backend, cols);
  freeHostTemp(backend, block);
  return { dataId: y.dataId, shape: [g.n, g.oh, g.ow, g.cout], dtype: y.dtype };
}

function filterGrad(backendName: HostBackendName, { dy, x, w }: KernelInputs, attrs: NamedAttrMap, backend: unknown) {
  const g = geometry(x, w, attrs);
  const rows = g.n * g.oh * g.ow;
  const width = g.k * g.k * g.cin;
  const cols = hostTemp(backendName, backend, [rows, width], (v) => im2col(hostValues(backendName, backend, x), v, g));
  const inner = new InnerKernels(backendName, backend);
  const block = matMul(inner, cols, { dataId: dy.dataId, shape: [rows, g.cout], dtype: dy.dtype }, true, false);
  freeHostTemp(backend, cols);
  const [dw] = hostKernel(backendName, backend, [block], [{ shape: w.shape }], ([bv], [out]) => {
    out.fill(0);
    let at = 0;
    for (let i = 0; i < g.k; i++)
      for (let j = 0; j < g.k; j++)
        for (let c = 0; c < g.cin; c++) for (let o = 0; o < g.cout; o++) out[weightRow(g, i, j, c) + o] = bv[at++];
  });
  inner.dispose();
  return dw;
}

function inputGrad(backendName: HostBackendName, { dy, x, w }: KernelInputs, attrs: NamedAttrMap, backend: unknown) {
  const g = geometry(x, w, attrs);
  return hostKernel(backendName, backend, [dy, w], [{ shape: x.shape }], ([dyv, wv], [dx]) => {
    dx.fill(0);
    forEachTap(g, (o, xi, i, j) => {
      for (let c = 0; c < g.cin; c++) {
        const r = weightRow(g, i, j, c);
        let acc = 0;
        for (let co = 0; co < g.cout; co++) acc += dyv[o * g.cout + co] * wv[r + co];
        dx[xi * g.cin + c] += acc;
      }
    });
  })[0];
}

registerHostKernel(FILTER_GRAD, filterGrad);
registerHostKernel(INPUT_GRAD, inputGrad);
const saving = { inputsToSave: ['x', 'w'] };
registerFusedGradient(
  {
    kernelName: CONV,
    ...saving,
    gradFunc: (dy, saved, attrs) => {
      const [x, w] = saved;
      const grad = (name: string) => () =>
        runKernel(name, { dy: dy as tf.Tensor, x, w }, { k: attrs.k, stride: attrs.stride, cout: attrs.cout })[0];
      return { x: grad(INPUT_GRAD), w: grad(FILTER_GRAD) };
    },
  },
  (name) => registerHostKernel(name, forward),
);

/** k x k conv (the whole kernel) of x with the first x.channels x `cout` block of a full-size weight [K, K, cinMax, coutMax]. */
export function convKernel(x: tf.Tensor4D, w: tf.Tensor, stride: number, cout: number): tf.Tensor4D {
  return runFused(CONV, { x, w }, { k: w.shape[0], stride, cout }, saving)[0] as tf.Tensor4D;
}
