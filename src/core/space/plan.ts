/**
 * The layer plan of one subnet: channel counts, kernel sizes, strides and feature-map
 * sizes of every layer, derived from the encoding alone. The engine builds its forward
 * pass from this plan; the MACs and parameter counters read it.
 */
import { makeDivisible, type SearchSpace } from './space';
import type { Subnet } from './subnet';

export interface BlockPlan {
  stage: number;
  block: number;
  inChannels: number;
  hiddenChannels: number;
  outChannels: number;
  kernelSize: number;
  expandRatio: number;
  stride: number;
  /** feature-map side at the block input and output */
  inSize: number;
  outSize: number;
  /** channels of the squeeze-excite bottleneck, 0 when the stage has no SE */
  seChannels: number;
  /** residual path: identity, or avg-pool when strided and a 1x1 conv when channels change */
  shortcutPool: boolean;
  shortcutConv: boolean;
}

export interface SubnetPlan {
  resolution: number;
  inputChannels: number;
  stem: { outChannels: number; kernelSize: number; stride: number; outSize: number };
  blocks: BlockPlan[];
  lastConv: { inChannels: number; outChannels: number; size: number };
  numClasses: number;
}

/** Output side of a conv with symmetric padding k//2 (PyTorch style, used by both conv forms). */
export const convOutSize = (size: number, kernel: number, stride: number): number =>
  Math.floor((size + 2 * Math.floor(kernel / 2) - kernel) / stride) + 1;

/** Output side of AttentiveNAS's shortcut avg-pool (kernel = stride, ceil mode). */
export const poolOutSize = (size: number, stride: number): number => Math.ceil(size / stride);

export const seChannelsFor = (hidden: number): number => makeDivisible(hidden / 4, 8);

export function planSubnet(space: SearchSpace, subnet: Subnet): SubnetPlan {
  const stemOut = convOutSize(subnet.resolution, space.stem.kernelSize, space.stem.stride);
  let size = stemOut;
  let channels = subnet.width[0];
  const blocks: BlockPlan[] = [];
  space.stages.forEach((stage, s) => {
    const out = subnet.width[s + 1];
    const k = subnet.kernel_size[s];
    const e = subnet.expand_ratio[s];
    for (let b = 0; b < subnet.depth[s]; b++) {
      const stride = b === 0 ? stage.stride : 1;
      const hidden = channels * e;
      const outSize = convOutSize(size, k, stride);
      blocks.push({
        stage: s,
        block: b,
        inChannels: channels,
        hiddenChannels: hidden,
        outChannels: out,
        kernelSize: k,
        expandRatio: e,
        stride,
        inSize: size,
        outSize,
        seChannels: stage.squeezeExcite ? seChannelsFor(hidden) : 0,
        shortcutPool: stride > 1,
        shortcutConv: channels !== out,
      });
      channels = out;
      size = outSize;
    }
  });
  return {
    resolution: subnet.resolution,
    inputChannels: space.input.channels,
    stem: { outChannels: subnet.width[0], kernelSize: space.stem.kernelSize, stride: space.stem.stride, outSize: stemOut },
    blocks,
    lastConv: { inChannels: channels, outChannels: subnet.width[space.stages.length + 1], size },
    numClasses: space.numClasses,
  };
}
