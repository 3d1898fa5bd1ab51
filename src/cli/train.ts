/**
 * Headless training: `npm run train -- --space fashion --epochs 1 --seed 1`.
 * Prints a progress line, evaluates the smallest and largest subnets after each epoch and the
 * accuracy per FLOPs range, and writes a results JSON. `--print-space` prints the space as JSON.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { trainSupernet } from '../engine/training-run';
import { numberArg, parseArgs, rejectUnknown } from './args';
import { readCheckpointFile, writeCheckpointFile } from './checkpoint-files';
import { initNodeBackend, loadFashionMnistFromDisk, projectRoot } from './node-runtime';
import { parseRunConfig } from '../core/training/run-config';
import { configInputFromArgs, loadSpace, runFlags, runFlagsUsage, stepPrinter } from './run-args';
import { errorMessage } from '../core/training/error-message';

const usage = `usage: npm run train -- [options]
${runFlagsUsage}
  --sampler-stream N       another stream of sampled subnets, all else equal (the noise-floor control of a comparison)
  --print-space            print the search space as JSON and exit
  --out FILE               results JSON (default runs/<space>-<sampler>-seed<seed>-<time>.json)
  --checkpoint FILE        supernet checkpoint, rewritten after every epoch (default: the results path with .ckpt)
  --checkpoint-every N     also checkpoint every N steps
  --resume FILE            continue the run saved in this checkpoint (its config wins; other run flags are ignored)`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) {
    console.log(usage);
    return;
  }
  rejectUnknown(args, [...runFlags, 'sampler-stream', 'print-space', 'out', 'checkpoint', 'checkpoint-every', 'resume', 'help']);
  if (args.has('print-space')) {
    console.log(JSON.stringify(loadSpace(args.get('space') ?? 'fashion'), null, 2));
    return;
  }
  const resumeFrom = args.has('resume') ? await readCheckpointFile(args.get('resume')!) : undefined;
  const config = resumeFrom
    ? resumeFrom.header.config
    : parseRunConfig({ ...configInputFromArgs(args), samplerStream: numberArg(args, 'sampler-stream') });
  const backend = await initNodeBackend(config.backend);
  const data = await loadFashionMnistFromDisk();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = args.get('out') ?? join(projectRoot, 'runs', `${config.space.name}-${config.sampler.kind}-seed${config.seed}-${stamp}.json`);
  const checkpointPath = args.get('checkpoint') ?? args.get('resume') ?? out.replace(/\.json$/, '') + '.ckpt';
  const results = await trainSupernet(
    config,
    data,
    backend,
    {
      onLog: (message) => process.stdout.write(`\n${message}\n`),
      onStep: stepPrinter(),
      onCheckpoint: async (checkpoint) => {
        await writeCheckpointFile(checkpointPath, checkpoint);
        process.stdout.write(`\ncheckpoint at step ${checkpoint.header.progress.step}: ${checkpointPath}\n`);
      },
    },
    { resumeFrom, checkpointEverySteps: numberArg(args, 'checkpoint-every') ?? 0 },
  );
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify(results, null, 1));
  console.log(`\nresults: ${out}`);
  console.log(
    `time: ${results.timing.totalSeconds.toFixed(1)} s (${results.timing.msPerStep.toFixed(0)} ms/step, ${results.timing.imagesPerSecond.toFixed(0)} img/s) on ${backend.name}`,
  );
}

main().catch((error) => {
  console.error(`error: ${errorMessage(error)}`);
  process.exit(1);
});
