/**
 * The part of a run's setup that other code reuses on its own: checking the data against the
 * search space, carving the training and validation indices, and building the supernet with its
 * trainer. A trained supernet is reopened with the same split (trained-supernet.ts), so the split
 * lives here rather than inside the training loop.
 */
import { computeNormalisation, type Normalisation } from '../../core/data/augment';
import type { ImageSet } from '../../core/data/idx';
import type { RunConfig } from '../../core/training/run-config';
import { stepsPerEpochOf, type BackendInfo } from '../../core/records/run-records';
import { splitTrainValidation } from '../../core/data/split';
import { resolveConvForm } from '../backend';
import { Supernet } from '../supernet';
import { Trainer } from '../trainer';

export interface RunData {
  train: ImageSet;
  test: ImageSet;
}

export interface PreparedRun extends RunSplit {
  net: Supernet;
  trainer: Trainer;
}

export interface RunSplit {
  trainIndices: Uint32Array;
  validation: Uint32Array;
  norm: Normalisation;
  stepsPerEpoch: number;
}

/** Checks the data fits the space and carves the run's training and validation indices. */
export function splitRunData(config: RunConfig, train: ImageSet): RunSplit {
  const space = config.space;
  if (train.height !== space.input.height || train.width !== space.input.width || train.channels !== space.input.channels) {
    throw new Error(
      `the data set's images are ${train.height}x${train.width}x${train.channels} but the search space "${space.name}" expects ${space.input.height}x${space.input.width}x${space.input.channels}`,
    );
  }
  if (train.numClasses !== space.numClasses) {
    throw new Error(`the data set has ${train.numClasses} classes but the search space has ${space.numClasses}`);
  }
  const split = splitTrainValidation(train.count, Math.min(config.validationSize, train.count - config.batchSize));
  const trainIndices = config.trainSubset > 0 ? split.train.slice(0, config.trainSubset) : split.train;
  if (trainIndices.length < config.batchSize) {
    throw new Error(`only ${trainIndices.length} training images for a batch size of ${config.batchSize}`);
  }
  const stepsPerEpoch = stepsPerEpochOf(config, trainIndices.length);
  return { trainIndices, validation: split.validation, norm: computeNormalisation(train, train.count), stepsPerEpoch };
}

/** Splits the data and builds the supernet and trainer for a config. */
export function prepareRun(config: RunConfig, data: RunData, backend: BackendInfo): PreparedRun {
  const split = splitRunData(config, data.train);
  const net = Supernet.create(config.space, config.seed);
  const convForm = resolveConvForm(config.convForm, backend.name);
  const trainer = new Trainer(net, {
    momentum: config.momentum,
    weightDecay: config.weightDecay,
    gradClip: config.gradClip,
    labelSmoothing: config.labelSmoothing,
    convForm,
    dropout: config.space.dropout,
    dropConnect: config.dropConnect,
  });
  return { net, trainer, ...split };
}
