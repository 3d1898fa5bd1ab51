/**
 * Built-in search spaces. Sized for a browser GPU and 28x28 / 32x32 data, but keeping every
 * AttentiveNAS dimension elastic (docs/design.md, Search space and encoding). Counts are checked by tests:
 * fashion has 4,478,976 subnets spanning 24x in MACs (0.17 to 4.0 M); cifar has 4,478,976 spanning 12.5x.
 */
import type { SearchSpace } from './space';

/** For 28x28x1 inputs (Fashion-MNIST, MNIST). */
export const fashionSpace: SearchSpace = {
  name: 'fashion',
  input: { height: 28, width: 28, channels: 1 },
  numClasses: 10,
  resolutions: [20, 24, 28],
  stem: { widths: [8, 16], kernelSize: 3, stride: 2 },
  stages: [
    { widths: [8, 16], depths: [1, 2], kernelSizes: [3, 5], expandRatios: [1], stride: 1, squeezeExcite: false },
    { widths: [16, 24], depths: [1, 2, 3], kernelSizes: [3, 5], expandRatios: [3, 4, 6], stride: 2, squeezeExcite: false },
    { widths: [24, 32], depths: [1, 2, 3], kernelSizes: [3, 5], expandRatios: [3, 4, 6], stride: 2, squeezeExcite: true },
    { widths: [32, 40], depths: [1, 2, 3], kernelSizes: [3, 5], expandRatios: [3, 4, 6], stride: 1, squeezeExcite: true },
  ],
  lastConv: { widths: [64, 96] },
  dropout: 0.2,
};

/** For 32x32x3 inputs (CIFAR-10). */
export const cifarSpace: SearchSpace = {
  name: 'cifar',
  input: { height: 32, width: 32, channels: 3 },
  numClasses: 10,
  resolutions: [24, 28, 32],
  stem: { widths: [16, 24], kernelSize: 3, stride: 1 },
  stages: [
    { widths: [16, 24], depths: [1, 2], kernelSizes: [3, 5], expandRatios: [1], stride: 2, squeezeExcite: false },
    { widths: [24, 32], depths: [1, 2, 3], kernelSizes: [3, 5], expandRatios: [3, 4, 6], stride: 2, squeezeExcite: false },
    { widths: [40, 48], depths: [1, 2, 3], kernelSizes: [3, 5], expandRatios: [3, 4, 6], stride: 2, squeezeExcite: true },
    { widths: [64, 72], depths: [1, 2, 3], kernelSizes: [3, 5], expandRatios: [3, 4, 6], stride: 1, squeezeExcite: true },
  ],
  lastConv: { widths: [128, 192] },
  dropout: 0.2,
};

/**
 * For a first comparison in minutes on 28x28x1 inputs: three stages at resolutions 16 to 24,
 * about a quarter of fashion's largest MACs. With one epoch at lr 0.6 and no augmentation its
 * largest subnet reached 83.3% Fashion-MNIST test top-1 (seed 1; lr 0.1: 78.4%, 0.3: 82.6%,
 * 1.0: 83.1%; docs/recipe.md).
 */
export const quickSpace: SearchSpace = {
  name: 'quick',
  input: { height: 28, width: 28, channels: 1 },
  numClasses: 10,
  resolutions: [16, 20, 24],
  stem: { widths: [8, 16], kernelSize: 3, stride: 2 },
  stages: [
    { widths: [8, 16], depths: [1], kernelSizes: [3, 5], expandRatios: [1], stride: 1, squeezeExcite: false },
    { widths: [16, 24], depths: [1, 2], kernelSizes: [3, 5], expandRatios: [3, 4], stride: 2, squeezeExcite: false },
    { widths: [24, 32], depths: [1, 2], kernelSizes: [3, 5], expandRatios: [3, 4], stride: 2, squeezeExcite: true },
  ],
  lastConv: { widths: [48, 64] },
  dropout: 0.1,
};

/** A deliberately small space for tests and for a first look in a slow browser. */
export const tinySpace: SearchSpace = {
  name: 'tiny',
  input: { height: 28, width: 28, channels: 1 },
  numClasses: 10,
  resolutions: [12, 16],
  stem: { widths: [8], kernelSize: 3, stride: 2 },
  stages: [
    { widths: [8, 16], depths: [1, 2], kernelSizes: [3, 5], expandRatios: [1], stride: 1, squeezeExcite: false },
    { widths: [16, 24], depths: [1, 2], kernelSizes: [3], expandRatios: [2, 3], stride: 2, squeezeExcite: true },
  ],
  lastConv: { widths: [32] },
  dropout: 0,
};

export const presetSpaces = { fashion: fashionSpace, cifar: cifarSpace, quick: quickSpace, tiny: tinySpace } as const;
export type PresetName = keyof typeof presetSpaces;
export const presetNames = Object.keys(presetSpaces) as PresetName[];

export function presetSpace(name: string): SearchSpace {
  if (!Object.hasOwn(presetSpaces, name)) {
    throw new Error(`Unknown search space "${name}"; choose one of ${presetNames.join(', ')}`);
  }
  return structuredClone(presetSpaces[name as PresetName]);
}
