/**
 * A subnet as a plain tf.LayersModel: the sliced supernet weights and the recalibrated BN
 * statistics copied into ordinary layers (zero padding + 'valid' convs to reproduce the
 * symmetric padding, BN in inference mode, swish, squeeze-excite, residual adds). It takes
 * images already resized to the subnet's resolution and returns logits. It is what an
 * export saves with tf.io, and the reference a test compares the supernet's forward against.
 */
import * as tf from '@tensorflow/tfjs';
import { planSubnet, type BlockPlan } from '../core/space/plan';
import { bilinearResizeMatrix } from '../core/space/resize-matrix';
import type { Subnet } from '../core/space/subnet';
import { BN_EPSILON, type BnStats } from './batch-norm';
import type { Supernet } from './supernet';

type Sym = tf.SymbolicTensor;

export interface StandaloneOptions {
  name?: string;
  /**
   * Take images at this size and resize them inside the model (two fixed Dense layers), as an
   * export does so users feed dataset-sized images. Unset: the input is at the subnet's resolution.
   */
  inputSize?: { height: number; width: number };
}

export function buildStandaloneModel(net: Supernet, subnet: Subnet, stats: BnStats, options: StandaloneOptions = {}): tf.LayersModel {
  const name = options.name ?? 'subnet';
  const plan = planSubnet(net.space, subnet);
  const weights: { layer: tf.layers.Layer; values: tf.Tensor[] }[] = [];
  const slice = (varName: string, sizes: number[]) => {
    const v = net.get(varName);
    return tf.slice(
      v,
      v.shape.map(() => 0),
      v.shape.map((d, i) => (i < sizes.length ? sizes[i] : d)),
    );
  };
  const bnLayer = (x: Sym, bnName: string, channels: number): Sym => {
    const moments = stats.get(bnName);
    if (!moments) throw new Error(`no recalibrated BN statistics for "${bnName}"`);
    const layer = tf.layers.batchNormalization({ axis: -1, epsilon: BN_EPSILON, name: bnName.replace(/\./g, '_') });
    weights.push({
      layer,
      values: [slice(`${bnName}.gamma`, [channels]), slice(`${bnName}.beta`, [channels]), moments.mean.clone(), moments.variance.clone()],
    });
    return layer.apply(x) as Sym;
  };
  const swish = (x: Sym) => tf.layers.activation({ activation: 'swish' }).apply(x) as Sym;
  const conv = (x: Sym, varName: string, kernel: tf.Tensor, stride: number, bias?: tf.Tensor, activation?: 'relu' | 'sigmoid'): Sym => {
    const [k, , , filters] = kernel.shape;
    const p = Math.floor(k / 2);
    const padded = p > 0 ? (tf.layers.zeroPadding2d({ padding: p }).apply(x) as Sym) : x;
    const layer = tf.layers.conv2d({
      filters,
      kernelSize: k,
      strides: stride,
      padding: 'valid',
      useBias: !!bias,
      activation,
      name: varName.replace(/\./g, '_'),
    });
    weights.push({ layer, values: bias ? [kernel, bias] : [kernel] });
    return layer.apply(padded) as Sym;
  };
  const pointwise = (x: Sym, varName: string, cin: number, cout: number) =>
    conv(x, varName, tf.reshape(slice(varName, [cin, cout]), [1, 1, cin, cout]), 1);

  const inputSize = options.inputSize ?? { height: plan.resolution, width: plan.resolution };
  const input = tf.input({ shape: [inputSize.height, inputSize.width, plan.inputChannels], name: 'image' });
  const k0 = plan.stem.kernelSize;
  let x = resizeLayers(input, inputSize, plan.resolution);
  x = conv(x, 'stem.conv', slice('stem.conv', [k0, k0, plan.inputChannels, plan.stem.outChannels]), plan.stem.stride);
  x = swish(bnLayer(x, 'stem.bn', plan.stem.outChannels));
  for (const b of plan.blocks) x = block(x, b);
  x = swish(bnLayer(pointwise(x, 'last.conv', plan.lastConv.inChannels, plan.lastConv.outChannels), 'last.bn', plan.lastConv.outChannels));
  x = tf.layers.globalAveragePooling2d({}).apply(x) as Sym;
  const head = tf.layers.dense({ units: plan.numClasses, name: 'head' });
  weights.push({ layer: head, values: [slice('head.w', [plan.lastConv.outChannels]), slice('head.b', [plan.numClasses])] });
  const logits = head.apply(x) as Sym;
  const model = tf.model({ inputs: input, outputs: logits, name });
  for (const { layer, values } of weights) {
    layer.setWeights(values);
    values.forEach((v) => v.dispose());
  }
  return model;

  /** [N,H,W,C] -> [N,r,r,C] by bilinear matrices along W then H, as the engine's resize. */
  function resizeLayers(image: Sym, size: { height: number; width: number }, r: number): Sym {
    if (size.height === r && size.width === r) return image;
    const along = (x: Sym, from: number, layerName: string) => {
      const layer = tf.layers.dense({ units: r, useBias: false, trainable: false, name: layerName });
      // Dense computes x . kernel over the last axis: kernel[in, out] is the resize matrix transposed
      weights.push({ layer, values: [tf.tidy(() => tf.transpose(tf.tensor2d(bilinearResizeMatrix(from, r), [r, from])))] });
      return layer.apply(x) as Sym;
    };
    let x = tf.layers.permute({ dims: [3, 1, 2] }).apply(image) as Sym; // N,C,H,W
    x = along(x, size.width, 'resize_width'); // N,C,H,r
    x = tf.layers.permute({ dims: [1, 3, 2] }).apply(x) as Sym; // N,C,r,H
    x = along(x, size.height, 'resize_height'); // N,C,r(w),r(h)
    return tf.layers.permute({ dims: [3, 2, 1] }).apply(x) as Sym; // N,r(h),r(w),C
  }

  function block(input: Sym, b: BlockPlan): Sym {
    const id = `s${b.stage}.b${b.block}`;
    let h = input;
    if (b.expandRatio !== 1)
      h = swish(bnLayer(pointwise(h, `${id}.expand`, b.inChannels, b.hiddenChannels), `${id}.bn1`, b.hiddenChannels));
    const dwVar = net.get(`${id}.dw`);
    const offset = (dwVar.shape[0] - b.kernelSize) / 2;
    const dwKernel = tf.slice(dwVar, [offset, offset, 0, 0], [b.kernelSize, b.kernelSize, b.hiddenChannels, 1]);
    const p = Math.floor(b.kernelSize / 2);
    const padded = tf.layers.zeroPadding2d({ padding: p }).apply(h) as Sym;
    const dw = tf.layers.depthwiseConv2d({
      kernelSize: b.kernelSize,
      strides: b.stride,
      padding: 'valid',
      useBias: false,
      name: `${id}_dw`,
    });
    weights.push({ layer: dw, values: [dwKernel] });
    h = swish(bnLayer(dw.apply(padded) as Sym, `${id}.bn2`, b.hiddenChannels));
    if (b.seChannels > 0) {
      let gate = tf.layers.globalAveragePooling2d({}).apply(h) as Sym;
      gate = tf.layers.reshape({ targetShape: [1, 1, b.hiddenChannels] }).apply(gate) as Sym;
      const reduceW = tf.reshape(slice(`${id}.se.reduce.w`, [b.hiddenChannels, b.seChannels]), [1, 1, b.hiddenChannels, b.seChannels]);
      gate = conv(gate, `${id}.se.reduce`, reduceW, 1, slice(`${id}.se.reduce.b`, [b.seChannels]), 'relu');
      const expandW = tf.reshape(slice(`${id}.se.expand.w`, [b.seChannels, b.hiddenChannels]), [1, 1, b.seChannels, b.hiddenChannels]);
      gate = conv(gate, `${id}.se.expand`, expandW, 1, slice(`${id}.se.expand.b`, [b.hiddenChannels]), 'sigmoid');
      h = tf.layers.multiply({}).apply([h, gate]) as Sym;
    }
    h = bnLayer(pointwise(h, `${id}.project`, b.hiddenChannels, b.outChannels), `${id}.bn3`, b.outChannels);
    let shortcut = input;
    if (b.shortcutPool)
      shortcut = tf.layers.averagePooling2d({ poolSize: b.stride, strides: b.stride, padding: 'same' }).apply(shortcut) as Sym;
    if (b.shortcutConv) shortcut = pointwise(shortcut, `${id}.shortcut`, b.inChannels, b.outChannels);
    return tf.layers.add({}).apply([h, shortcut]) as Sym;
  }
}
