/**
 * Headless training: `npm run train -- --space fashion --epochs 1 --seed 1`.
 * Prints a progress line, evaluates the smallest and largest subnets after each epoch,
 * and writes a results JSON. `--print-space` prints the search space as JSON and exits.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { presetSpace } from '../core/presets';
import { parseRunConfig, type RunConfigInput } from '../core/run-config';
import { parseSearchSpace } from '../core/space';
import { trainSupernet } from '../engine/training-run';
import type { BackendPreference } from '../engine/backend';
import { numberArg, parseArgs, rejectUnknown } from './args';
import { initNodeBackend, loadFashionMnistFromDisk, projectRoot } from './node-runtime';
import { readFileSync } from 'node:fs';

const usage = `usage: npm run train -- [options]
  --space NAME|FILE.json   search space preset (fashion, cifar, tiny) or a JSON file (default fashion)
  --print-space            print the search space as JSON and exit
  --epochs N               (default 1)        --seed N          (default 1)
  --batch N                (default 128)      --lr X            (default 0.1)
  --steps-per-epoch N      cap steps per epoch (default: whole training split)
  --train-subset N         use only N training images
  --calibration-batches N  BN recalibration batches (default 32)
  --eval-subset N          evaluate on the first N images only
  --backend wasm|cpu       (default auto: wasm, then cpu)
  --conv-form auto|native|matmul
  --out FILE               results JSON (default runs/<space>-seed<seed>-<time>.json)`;

const known = ['space', 'print-space', 'epochs', 'seed', 'batch', 'lr', 'steps-per-epoch', 'train-subset', 'calibration-batches', 'eval-subset', 'backend', 'conv-form', 'out', 'help', 'no-augment', 'warmup-epochs'];

function loadSpace(name: string) {
  if (name.endsWith('.json')) return parseSearchSpace(JSON.parse(readFileSync(name, 'utf8')));
  return presetSpace(name);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) {
    console.log(usage);
    return;
  }
  rejectUnknown(args, known);
  const space = loadSpace(args.get('space') ?? 'fashion');
  if (args.has('print-space')) {
    console.log(JSON.stringify(space, null, 2));
    return;
  }
  const input: RunConfigInput = {
    space,
    seed: numberArg(args, 'seed') ?? 1,
    epochs: numberArg(args, 'epochs') ?? 1,
    batchSize: numberArg(args, 'batch') ?? 128,
    learningRate: numberArg(args, 'lr') ?? 0.1,
    stepsPerEpoch: numberArg(args, 'steps-per-epoch'),
    trainSubset: numberArg(args, 'train-subset'),
    calibrationBatches: numberArg(args, 'calibration-batches'),
    evalSubset: numberArg(args, 'eval-subset'),
    warmupEpochs: numberArg(args, 'warmup-epochs'),
    augment: !args.has('no-augment'),
    backend: (args.get('backend') ?? 'auto') as BackendPreference,
    convForm: (args.get('conv-form') ?? 'auto') as 'auto',
  };
  const config = parseRunConfig(input);
  const backend = await initNodeBackend(config.backend);
  const data = await loadFashionMnistFromDisk();
  let lastPrint = 0;
  const results = await trainSupernet(config, data, backend, {
    onLog: (message) => process.stdout.write(`\n${message}\n`),
    onStep: (record, p) => {
      const now = Date.now();
      if (now - lastPrint < 1000 && p.step !== p.totalSteps) return;
      lastPrint = now;
      const losses = record.losses.map((l) => l.toFixed(3)).join(' ');
      const line = `step ${p.step}/${p.totalSteps} epoch ${p.epoch + 1} lr ${record.lr.toFixed(4)} loss [L S S s] ${losses} | ${record.ms.toFixed(0)} ms/step ${p.imagesPerSecond.toFixed(0)} img/s | elapsed ${fmt(p.elapsedMs)} eta ${fmt(p.etaMs)}`;
      process.stdout.write(process.stdout.isTTY ? `\r${line}` : `${line}\n`);
    },
  });
  const out = args.get('out') ?? join(projectRoot, 'runs', `${space.name}-seed${config.seed}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify(results, null, 1));
  console.log(`\nresults: ${out}`);
  console.log(`time: ${results.timing.totalSeconds.toFixed(1)} s (${results.timing.msPerStep.toFixed(0)} ms/step, ${results.timing.imagesPerSecond.toFixed(0)} img/s) on ${backend.name}`);
}

function fmt(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

main().catch((error) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
