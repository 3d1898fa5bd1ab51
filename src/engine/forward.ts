/**
 * Forward pass of one subnet through the shared supernet weights, built from the core
 * layer plan: in-network resize, stem, MBConv blocks (expand, depthwise, squeeze-excite,
 * project, residual, drop-connect when asked), last conv, global pool, dropout (when asked) and
 * the classifier.
 */
import * as tf from '@tensorflow/tfjs';
import { dropConnectMask, dropConnectRates } from '../core/space/drop-connect';
import { planSubnet, type BlockPlan } from '../core/space/plan';
import type { Rng } from '../core/training/rng';
import type { LayerKind } from '../core/space/macs';
import type { Subnet } from '../core/space/subnet';
import { batchNorm, fixedMoments, type Activation, type BnMode } from './batch-norm';
import { convOps, type ConvForm, type ConvOps } from './conv-forms';
import { channelGate, spatialMean } from './kernels/pool-gate';
import { ParamView, type UsedRegions } from './param-view';
import type { Supernet } from './supernet';

/** A conv or linear layer as it actually ran: shapes read from the tensors. */
export interface TracedLayer {
  name: string;
  kind: LayerKind;
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  outHeight: number;
  outWidth: number;
  groups: number;
}

export interface ForwardOptions {
  bn: BnMode;
  convForm: ConvForm;
  /** dropout before the classifier; the sandwich rule uses it on the largest net only */
  dropoutRate?: number;
  dropoutSeed?: number;
  /**
   * drop-connect on the residual branches (core/space/drop-connect.ts); the sandwich rule uses it on the
   * largest net only. Masks are drawn from `rng` block by block, so a seeded stream repeats them.
   */
  dropConnect?: { rate: number; rng: Rng };
  /** records the regions of each variable this pass reads */
  usedRegions?: UsedRegions;
  trace?: (layer: TracedLayer) => void;
}

/** Resizes NHWC images to the subnet's resolution (bilinear, half-pixel centres as PyTorch). */
export function resizeTo(images: tf.Tensor4D, resolution: number): tf.Tensor4D {
  if (images.shape[1] === resolution && images.shape[2] === resolution) return images;
  return tf.image.resizeBilinear(images, [resolution, resolution], false, true);
}

/** Logits [batch, classes]. `images` are NHWC at any size; they are resized to the subnet's resolution. */
export function forwardSubnet(net: Supernet, subnet: Subnet, images: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D {
  const plan = planSubnet(net.space, subnet);
  const ops = convOps(options.convForm);
  const view = new ParamView(net, options.usedRegions ?? null);
  const trace = options.trace;
  const traced = (name: string, kind: LayerKind, cin: number, cout: number, k: number, out: tf.Tensor, groups = 1) => {
    const spatial = out.rank === 4;
    trace?.({
      name,
      kind,
      inChannels: cin,
      outChannels: cout,
      kernelSize: k,
      outHeight: spatial ? (out.shape[1] as number) : 1,
      outWidth: spatial ? (out.shape[2] as number) : 1,
      groups,
    });
  };
  const bn = (x: tf.Tensor4D, name: string, act: Activation = 'none') => {
    const c = x.shape[3];
    return batchNorm(x, name, view.whole(`${name}.gamma`, [c]), view.whole(`${name}.beta`, [c]), options.bn, act);
  };
  const pointwise = (x: tf.Tensor4D, name: string, cout: number) => {
    const cin = x.shape[3];
    const out = ops.pointwise(x, view.whole(name, [cin, cout]), cout);
    traced(name, 'conv', cin, cout, 1, out);
    return out;
  };

  let x = resizeTo(images, plan.resolution);
  const stemK = plan.stem.kernelSize;
  const stemW = view.whole('stem.conv', [stemK, stemK, plan.inputChannels, plan.stem.outChannels]);
  x = ops.conv(x, stemW, plan.stem.stride, plan.stem.outChannels);
  traced('stem', 'conv', plan.inputChannels, plan.stem.outChannels, stemK, x);
  x = bn(x, 'stem.bn', 'swish');

  const batch = images.shape[0];
  const dropRates =
    options.dropConnect && options.dropConnect.rate > 0 ? dropConnectRates(net.space, plan.blocks, options.dropConnect.rate) : null;
  plan.blocks.forEach((block, i) => {
    const p = dropRates?.[i] ?? 0;
    const mask = p > 0 ? tf.tensor4d(dropConnectMask(batch, p, options.dropConnect!.rng), [batch, 1, 1, 1]) : null;
    x = mbconv(x, block, view, ops, options.bn, bn, pointwise, traced, mask);
  });

  x = bn(pointwise(x, 'last.conv', plan.lastConv.outChannels), 'last.bn', 'swish');
  const pooled = spatialMean(x);
  const dropped = options.dropoutRate ? tf.dropout(pooled, options.dropoutRate, undefined, options.dropoutSeed) : pooled;
  const headW = view.prefix('head.w', [plan.lastConv.outChannels]) as tf.Tensor2D;
  const logits = tf.add(tf.matMul(dropped, headW), view.prefix('head.b', [plan.numClasses])) as tf.Tensor2D;
  traced('head', 'linear', plan.lastConv.outChannels, plan.numClasses, 1, logits);
  return logits;
}

function mbconv(
  input: tf.Tensor4D,
  b: BlockPlan,
  view: ParamView,
  ops: ConvOps,
  bnMode: BnMode,
  bn: (x: tf.Tensor4D, name: string, act?: Activation) => tf.Tensor4D,
  pointwise: (x: tf.Tensor4D, name: string, cout: number) => tf.Tensor4D,
  traced: (name: string, kind: LayerKind, cin: number, cout: number, k: number, out: tf.Tensor, groups?: number) => void,
  /** drop-connect: one factor per image (0 or 1 / keep) on the residual branch; null = off */
  branchMask: tf.Tensor4D | null = null,
): tf.Tensor4D {
  const id = `s${b.stage}.b${b.block}`;
  let x = input;
  if (b.expandRatio !== 1) x = bn(pointwise(x, `${id}.expand`, b.hiddenChannels), `${id}.bn1`, 'swish');
  const dwW = view.centreKernel(`${id}.dw`, b.kernelSize, b.hiddenChannels);
  const fixed = ops.depthwiseBnFixed && fixedMoments(bnMode, `${id}.bn2`, b.hiddenChannels);
  if (fixed && ops.depthwiseBnFixed) {
    // evaluation: BN and swish applied as the depthwise kernel stores each output
    const c = b.hiddenChannels;
    const bn2 = { gamma: view.whole(`${id}.bn2.gamma`, [c]), beta: view.whole(`${id}.bn2.beta`, [c]), ...fixed };
    x = ops.depthwiseBnFixed(x, dwW, b.stride, b.kernelSize, bn2, 'swish');
    traced(`${id}.dw`, 'depthwise', c, c, b.kernelSize, x, c);
  } else {
    x = ops.depthwise(x, dwW, b.stride, b.kernelSize);
    traced(`${id}.dw`, 'depthwise', b.hiddenChannels, b.hiddenChannels, b.kernelSize, x, b.hiddenChannels);
    x = bn(x, `${id}.bn2`, 'swish');
  }
  if (b.seChannels > 0) {
    const squeezed = spatialMean(x, true);
    const reduceW = view.whole(`${id}.se.reduce.w`, [b.hiddenChannels, b.seChannels]);
    const reduced = tf.relu(
      tf.add(ops.pointwise(squeezed, reduceW, b.seChannels), view.prefix(`${id}.se.reduce.b`, [b.seChannels])),
    ) as tf.Tensor4D;
    traced(`${id}.se.reduce`, 'conv', b.hiddenChannels, b.seChannels, 1, reduced);
    const expandW = view.whole(`${id}.se.expand.w`, [b.seChannels, b.hiddenChannels]);
    const gate = tf.sigmoid(
      tf.add(ops.pointwise(reduced, expandW, b.hiddenChannels), view.prefix(`${id}.se.expand.b`, [b.hiddenChannels])),
    );
    traced(`${id}.se.expand`, 'conv', b.seChannels, b.hiddenChannels, 1, gate);
    x = channelGate(x, gate as tf.Tensor4D);
  }
  x = bn(pointwise(x, `${id}.project`, b.outChannels), `${id}.bn3`);
  if (branchMask) x = tf.mul(x, branchMask) as tf.Tensor4D;
  let shortcut = input;
  if (b.shortcutPool) shortcut = tf.avgPool(shortcut, b.stride, b.stride, 'same');
  if (b.shortcutConv) shortcut = pointwise(shortcut, `${id}.shortcut`, b.outChannels);
  return tf.add(x, shortcut) as tf.Tensor4D;
}
