/** Command-line flags of a training run, shared by `train` and `compare`. */
import { readFileSync } from 'node:fs';
import type { PredictorKind } from '../core/predictor/predictor';
import { DEFAULT_PREDICTOR_KIND } from '../core/predictor/predictor-config';
import { presetNames, presetSpace } from '../core/space/presets';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../core/training/run-config';
import { samplerHelp } from '../core/sampling/sampler-registry';
import { parseSearchSpace, type SearchSpace } from '../core/space/space';
import { numberArg } from './args';

export const runFlagsUsage = `  --space NAME|FILE.json   search space preset (${presetNames.join(', ')}) or a JSON file (default fashion)
  --epochs N               (default 1)        --seed N          (default 1)
  --batch N                (default 128)      --lr X            (default 0.1)
  --warmup-epochs X        (default 0.25)     --no-augment
  --drop-connect X         largest net's drop-connect rate (default 0.2, the reference; 0 = off)
  --steps-per-epoch N      cap steps per epoch (default: whole training split)
  --train-subset N         use only N training images
  --calibration-batches N  BN recalibration batches for the smallest/largest evaluation (default 32)
  --eval-subset N          evaluate smallest/largest on the first N images only
  --backend wasm|cpu|webgpu (default auto: wasm, then cpu; webgpu runs on Dawn, any Vulkan adapter)
  --conv-form auto|native|matmul|portable
${samplerHelp()}
  --prior-mode empirical|uniform     --prior-samples N (default 1000000)   --prior-bins N
  --ranges B --per-range N           accuracy per FLOPs range (default 5 x 8)
  --range-every N                    also evaluate ranges every N steps (default: end of each epoch)
  --range-images N --range-calibration N   validation images and BN batches per range subnet (2000, 8)
  --predictor-kind ridge|forest|boosted   the accuracy predictor (estimator predictor; default ${DEFAULT_PREDICTOR_KIND})
  --predictor-every N --predictor-probes N   refit every N steps on N more measured subnets (default 25, 2; 0 = only after range evaluations)`;

export const runFlags = [
  'space',
  'epochs',
  'seed',
  'batch',
  'lr',
  'warmup-epochs',
  'drop-connect',
  'no-augment',
  'steps-per-epoch',
  'train-subset',
  'calibration-batches',
  'eval-subset',
  'backend',
  'conv-form',
  'sampler',
  'k',
  'estimator',
  'prior-mode',
  'prior-samples',
  'prior-bins',
  'ranges',
  'per-range',
  'range-every',
  'range-images',
  'range-calibration',
  'predictor-kind',
  'predictor-every',
  'predictor-probes',
];

export function loadSpace(name: string): SearchSpace {
  if (name.endsWith('.json')) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(name, 'utf8'));
    } catch (error) {
      throw new Error(`could not read search space ${name}: ${(error as Error).message}`, { cause: error });
    }
    return parseSearchSpace(data);
  }
  return presetSpace(name);
}

export function configInputFromArgs(args: Map<string, string>): RunConfigInput {
  return {
    space: loadSpace(args.get('space') ?? 'fashion'),
    seed: numberArg(args, 'seed') ?? 1,
    epochs: numberArg(args, 'epochs') ?? 1,
    batchSize: numberArg(args, 'batch') ?? 128,
    learningRate: numberArg(args, 'lr') ?? 0.1,
    warmupEpochs: numberArg(args, 'warmup-epochs'),
    dropConnect: numberArg(args, 'drop-connect'),
    augment: !args.has('no-augment'),
    stepsPerEpoch: numberArg(args, 'steps-per-epoch'),
    trainSubset: numberArg(args, 'train-subset'),
    calibrationBatches: numberArg(args, 'calibration-batches'),
    evalSubset: numberArg(args, 'eval-subset'),
    backend: (args.get('backend') ?? 'auto') as RunConfigInput['backend'],
    convForm: (args.get('conv-form') ?? 'auto') as RunConfigInput['convForm'],
    sampler: {
      kind: (args.get('sampler') ?? 'uniform') as 'uniform',
      k: numberArg(args, 'k'),
      estimator: args.get('estimator') as 'loss' | undefined,
      priorMode: args.get('prior-mode') as 'empirical' | undefined,
    },
    prior: { samples: numberArg(args, 'prior-samples'), bins: numberArg(args, 'prior-bins') },
    rangeEval: {
      ranges: numberArg(args, 'ranges'),
      perRange: numberArg(args, 'per-range'),
      everySteps: numberArg(args, 'range-every'),
      images: numberArg(args, 'range-images'),
      calibrationBatches: numberArg(args, 'range-calibration'),
    },
    predictor: {
      kind: args.get('predictor-kind') as PredictorKind | undefined,
      refreshEvery: numberArg(args, 'predictor-every'),
      probes: numberArg(args, 'predictor-probes'),
    },
  };
}

export const configFromArgs = (args: Map<string, string>): RunConfig => parseRunConfig(configInputFromArgs(args));

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** A progress printer for onStep: one line a second (rewritten in place on a terminal). */
export function stepPrinter(prefix = '') {
  let lastPrint = 0;
  return (
    record: { lr: number; losses: number[]; ms: number },
    p: { step: number; totalSteps: number; epoch: number; imagesPerSecond: number; elapsedMs: number; etaMs: number },
  ) => {
    const now = Date.now();
    if (now - lastPrint < 1000 && p.step !== p.totalSteps) return;
    lastPrint = now;
    const losses = record.losses.map((l) => l.toFixed(3)).join(' ');
    const line = `${prefix}step ${p.step}/${p.totalSteps} epoch ${p.epoch + 1} lr ${record.lr.toFixed(4)} loss [L S S s] ${losses} | ${record.ms.toFixed(0)} ms/step ${p.imagesPerSecond.toFixed(0)} img/s | elapsed ${formatDuration(p.elapsedMs)} eta ${formatDuration(p.etaMs)}`;
    process.stdout.write(process.stdout.isTTY ? `\r${line}` : `${line}\n`);
  };
}
