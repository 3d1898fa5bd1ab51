/**
 * A trained supernet opened for search and export: its weights from a checkpoint, the same
 * data split, normalisation and BN-calibration batches its run used, and a fitness that
 * measures a subnet's validation accuracy after BN recalibration.
 */
import type { Checkpoint } from '../core/records/checkpoint-format';
import type { Fitness } from '../core/search/evolution';
import type { RunConfig } from '../core/training/run-config';
import type { Subnet } from '../core/space/subnet';
import { resolveConvForm, type BackendInfo } from './backend';
import { calibrationBatchesFor } from './batches';
import { restoreCheckpoint } from './checkpoint';
import type { ConvForm } from './conv-forms';
import { evaluateSubnet, type EvalData, type SubnetEvaluation } from './evaluate';
import { Supernet } from './supernet';
import { splitRunData, type RunData } from './training-run';

export interface EvaluationSettings {
  /** BN recalibration batches per subnet (of the run's batch size) */
  calibrationBatches: number;
  /** validation images per subnet; 0 = the whole validation split */
  validationImages: number;
}

export interface TrainedSupernet {
  net: Supernet;
  config: RunConfig;
  convForm: ConvForm;
  train: EvalData;
  test: EvalData;
  calibration: { data: EvalData; batches: Uint32Array[] };
  validationIndices: Uint32Array;
  trainIndices: Uint32Array;
  checkpoint: Checkpoint['header'];
  /** with the settings it was opened with */
  evaluate(subnet: Subnet, on?: 'validation' | 'test'): Promise<SubnetEvaluation>;
  /** calibration batches of the run for another count (the same first batches, so exports match searches) */
  calibrationFor(count: number): { data: EvalData; batches: Uint32Array[] };
  /** a validation evaluator with other settings (a search's own calibration and image count) */
  evaluator(settings: EvaluationSettings): (subnet: Subnet) => Promise<SubnetEvaluation>;
  dispose(): void;
}

export function openTrainedSupernet(
  checkpoint: Checkpoint,
  data: RunData,
  backend: BackendInfo,
  settings: EvaluationSettings,
): TrainedSupernet {
  const config = checkpoint.header.config;
  const split = splitRunData(config, data.train);
  const norm = checkpoint.header.normalisation;
  const net = Supernet.create(config.space, config.seed);
  try {
    restoreCheckpoint(checkpoint, net);
  } catch (error) {
    net.dispose();
    throw error;
  }
  const convForm = resolveConvForm(config.convForm, backend.name);
  const train: EvalData = { set: data.train, norm };
  const test: EvalData = { set: data.test, norm };
  const calibrationFor = (count: number) => ({
    data: train,
    batches: calibrationBatchesFor(config.seed, split.trainIndices, config.batchSize, count),
  });
  const validationFor = (images: number) => (images > 0 ? split.validation.slice(0, images) : split.validation);
  const calibration = calibrationFor(settings.calibrationBatches);
  const validationIndices = validationFor(settings.validationImages);
  const testIndices = Uint32Array.from({ length: data.test.count }, (_, i) => i);
  return {
    calibrationFor,
    evaluator: (other) => {
      const cal = calibrationFor(other.calibrationBatches);
      const indices = validationFor(other.validationImages);
      return (subnet) => evaluateSubnet(net, subnet, cal, train, indices, config.evalBatchSize, convForm);
    },
    net,
    config,
    convForm,
    train,
    test,
    calibration,
    validationIndices,
    trainIndices: split.trainIndices,
    checkpoint: checkpoint.header,
    evaluate: (subnet, on = 'validation') =>
      on === 'validation'
        ? evaluateSubnet(net, subnet, calibration, train, validationIndices, config.evalBatchSize, convForm)
        : evaluateSubnet(net, subnet, calibration, test, testIndices, config.evalBatchSize, convForm),
    dispose: () => net.dispose(),
  };
}

/** Search fitness: validation top-1 after BN recalibration, one subnet after another. */
export function supernetFitness(
  evaluate: (subnet: Subnet) => Promise<SubnetEvaluation>,
  onEach?: (done: number, total: number) => void,
): Fitness {
  return async (subnets) => {
    const scores: number[] = [];
    for (const subnet of subnets) {
      scores.push((await evaluate(subnet)).accuracy);
      onEach?.(scores.length, subnets.length);
    }
    return scores;
  };
}
