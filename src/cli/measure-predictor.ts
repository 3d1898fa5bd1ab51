/**
 * Ridge against the tree ensembles on a trained supernet's real accuracies:
 *   npm run measure:predictor -- --checkpoint runs/fashion.ckpt [--subnets 200 --train 150 --splits 1,2,3,4,5]
 *   npm run measure:predictor -- --from docs/results/predictor-fashion.json   (refit only, no evaluation)
 * Draws distinct uniform subnets, measures each on validation after BN recalibration (the
 * search's evaluator), then fits every predictor kind on `--train` of them and reports
 * Kendall tau on the rest, for several split seeds. Writes the subnets, accuracies and
 * figures as one JSON, so a refit needs no supernet.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorMessage } from '../core/training/error-message';
import { countMacs } from '../core/space/macs';
import { comparePredictors, type MeasuredSubnet, type PredictorComparison } from '../core/predictor/predictor-comparison';
import { predictorKinds, type PredictorKind } from '../core/predictor/predictor';
import { Rng } from '../core/training/rng';
import type { SearchSpace } from '../core/space/space';
import { subnetKey, type Subnet } from '../core/space/subnet';
import { sampleUniform } from '../core/sampling/uniform-sampler';
import { openTrainedSupernet } from '../engine/trained-supernet';
import { numberArg, parseArgs, rejectUnknown } from './args';
import { readCheckpointFile } from './checkpoint-files';
import { initNodeBackend, loadFashionMnistFromDisk, projectRoot } from './node-runtime';
import { formatDuration } from './run-args';

const usage = `usage: npm run measure:predictor -- --checkpoint FILE | --from FILE [options]
  --checkpoint FILE        a fashion supernet checkpoint written by npm run train
  --from FILE              reuse the subnets and accuracies of an earlier measurement (no supernet needed)
  --subnets N              distinct uniform subnets measured (default 200)
  --train N                fitted on N of them, the rest held out (default 150)
  --splits S1,S2,...|N     split seeds, or N for 1..N (default 20)
  --kinds K1,K2,...        predictor kinds (default ${predictorKinds.join(',')})
  --seed N                 seed of the subnet draw (default 1)
  --calibration-batches N  BN recalibration batches per subnet (default 8, as the range evaluation)
  --validation-images N    validation images per subnet (default 2000)
  --out FILE               (default docs/results/predictor-fashion.json)
  --backend wasm|cpu|webgpu`;

interface MeasurementFile {
  type: 'nas-studio/predictor-comparison';
  supernet: { space: string; step: number; epoch: number; seed: number; checkpoint: string };
  /** the space itself, so a refit with --from needs no checkpoint */
  space: SearchSpace;
  settings: { subnets: number; seed: number; calibrationBatches: number; validationImages: number; backend: string };
  measured: { key: string; encoding: Subnet; macs: number; accuracy: number }[];
  evaluationSeconds: number;
  comparison: PredictorComparison;
}

const list = (raw: string | undefined, fallback: string) =>
  (raw ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

async function measure(args: Map<string, string>): Promise<Omit<MeasurementFile, 'comparison'>> {
  const path = args.get('checkpoint');
  if (!path) throw new Error(`--checkpoint or --from is required\n${usage}`);
  const checkpoint = await readCheckpointFile(path);
  const h = checkpoint.header;
  const count = numberArg(args, 'subnets') ?? 200;
  const seed = numberArg(args, 'seed') ?? 1;
  const calibrationBatches = numberArg(args, 'calibration-batches') ?? 8;
  const validationImages = numberArg(args, 'validation-images') ?? 2000;
  const backend = await initNodeBackend((args.get('backend') ?? 'auto') as 'auto');
  const trained = openTrainedSupernet(checkpoint, await loadFashionMnistFromDisk(), backend, { calibrationBatches, validationImages });
  const space = trained.config.space;
  console.log(
    `measuring ${count} subnets of supernet "${space.name}" (step ${h.progress.step}, seed ${h.config.seed}) on ${backend.name}, ${calibrationBatches} BN batches, ${validationImages} validation images each`,
  );
  const rng = Rng.derive(seed, 'predictor-measurement');
  const seen = new Set<string>();
  const measured: MeasurementFile['measured'] = [];
  const started = performance.now();
  while (measured.length < count) {
    const subnet = sampleUniform(space, rng);
    const key = subnetKey(subnet);
    if (seen.has(key)) continue;
    seen.add(key);
    const { accuracy } = await trained.evaluate(subnet);
    measured.push({ key, encoding: subnet, macs: countMacs(space, subnet), accuracy });
    if (measured.length % 20 === 0) {
      const ms = performance.now() - started;
      console.log(`  ${measured.length}/${count} measured, ${formatDuration(ms)} (${(ms / measured.length).toFixed(0)} ms each)`);
    }
  }
  trained.dispose();
  return {
    type: 'nas-studio/predictor-comparison',
    supernet: { space: space.name, step: h.progress.step, epoch: h.progress.epoch, seed: h.config.seed, checkpoint: path },
    space,
    settings: { subnets: count, seed, calibrationBatches, validationImages, backend: backend.name },
    measured,
    evaluationSeconds: (performance.now() - started) / 1000,
  };
}

function printTable(c: PredictorComparison): void {
  const f = (v: number) => v.toFixed(3);
  console.log(
    `\nKendall tau on ${c.heldOut} held-out subnets after fitting on ${c.trainCount}, over ${c.splits.length} split seeds (${c.splits.map((s) => s.seed).join(', ')}):`,
  );
  console.log('  kind      tau mean ± sd  [min, max]        within-MACs-thirds tau mean ± sd  [min, max]');
  for (const k of c.kinds) {
    const t = c.tau[k]!;
    const w = c.withinRangeTau[k]!;
    console.log(
      `  ${k.padEnd(8)}  ${f(t.mean)} ± ${f(t.sd)}  [${f(t.min)}, ${f(t.max)}]   ${f(w.mean)} ± ${f(w.sd)}  [${f(w.min)}, ${f(w.max)}]`,
    );
  }
  for (const [k, d] of Object.entries(c.pairedVsFirst)) {
    console.log(
      `  ${k} - ${c.kinds[0]} on the same split: ${f(d!.mean)} ± ${f(d!.sd)} [${f(d!.min)}, ${f(d!.max)}], higher on ${d!.wins} of ${c.splits.length}`,
    );
  }
  console.log('  per split: ' + c.splits.map((s) => `seed ${s.seed}: ` + c.kinds.map((k) => `${k} ${f(s.tau[k]!)}`).join(' ')).join('; '));
  console.log(`best by mean held-out tau: ${c.best}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) return console.log(usage);
  rejectUnknown(args, [
    'checkpoint',
    'from',
    'subnets',
    'train',
    'splits',
    'kinds',
    'seed',
    'calibration-batches',
    'validation-images',
    'out',
    'backend',
    'help',
  ]);
  const from = args.get('from');
  const base: Omit<MeasurementFile, 'comparison'> = from ? JSON.parse(await readFile(from, 'utf8')) : await measure(args);
  const kinds = list(args.get('kinds'), predictorKinds.join(',')) as PredictorKind[];
  for (const k of kinds)
    if (!predictorKinds.includes(k)) throw new Error(`--kinds: unknown kind "${k}" (known: ${predictorKinds.join(', ')})`);
  const rawSplits = list(args.get('splits'), '20').map(Number);
  const splitSeeds = rawSplits.length === 1 ? Array.from({ length: rawSplits[0] }, (_, i) => i + 1) : rawSplits;
  if (splitSeeds.some((s) => !Number.isInteger(s))) throw new Error('--splits takes integers like 1,2,3');
  const trainCount = numberArg(args, 'train') ?? 150;
  const space = base.space;
  const measured: MeasuredSubnet[] = base.measured.map((m) => ({ subnet: m.encoding, macs: m.macs, accuracy: m.accuracy }));
  const accuracies = measured.map((m) => m.accuracy);
  console.log(
    `${measured.length} subnets, validation accuracy ${(Math.min(...accuracies) * 100).toFixed(2)}% to ${(Math.max(...accuracies) * 100).toFixed(2)}%`,
  );
  const comparison = comparePredictors(space, measured, { kinds, trainCount, splitSeeds });
  printTable(comparison);
  const out = args.get('out') ?? join(projectRoot, 'docs', 'results', 'predictor-fashion.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify({ ...base, comparison }, null, 1));
  console.log(`results: ${out}`);
}

main().catch((error) => {
  console.error(`error: ${errorMessage(error)}`);
  process.exit(1);
});
