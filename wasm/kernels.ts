// Entry point of the SIMD kernels module: see bn.ts, depthwise.ts and pool.ts.
export { channelMoments, affineAct, bnBackwardSums, scaleAddChannels, transpose2d } from './bn';
export { depthwiseForward, depthwiseInputGrad, depthwiseFilterGrad } from './depthwise';
export { spatialMean, spatialBroadcast, channelGate, channelGateGrad } from './pool';
