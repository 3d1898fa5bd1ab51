// Entry point of the SIMD kernels module: see bn.ts and depthwise.ts.
export { channelMoments, affineAct, bnBackwardSums, scaleAddChannels, transpose2d } from './bn';
export { depthwiseForward, depthwiseInputGrad, depthwiseFilterGrad } from './depthwise';
