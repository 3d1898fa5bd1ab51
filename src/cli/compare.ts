/**
 * The comparison experiment, headless: Uniform, BestUp-k (loss) and WorstUp-k (loss) with the
 * same seed, data and budget (optionally the predictor variants), then a comparison JSON and
 * a table per FLOPs range of each sampler's median and minimum accuracy.
 *   npm run compare -- --space fashion --epochs 1 --seed 1 [--with-predictor] [--parallel]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { compareSamplers, formatComparisonTable } from '../core/comparison';
import type { RunConfig } from '../core/run-config';
import { trainSupernet, type RunResults } from '../engine/training-run';
import { parseArgs, rejectUnknown } from './args';
import { initNodeBackend, loadFashionMnistFromDisk, projectRoot } from './node-runtime';
import { configFromArgs, runFlags, runFlagsUsage, stepPrinter } from './run-args';
import { errorMessage } from '../core/error-message';

const usage = `usage: npm run compare -- [options]   (every train option except --sampler)
${runFlagsUsage}
  --with-predictor         also run BestUp-1M (acc) and WorstUp-1M (acc)
  --out FILE               comparison JSON (default runs/compare-<space>-seed<seed>-<time>.json)`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) {
    console.log(usage);
    return;
  }
  rejectUnknown(args, [...runFlags, 'with-predictor', 'out', 'help', 'combine']);
  if (args.has('combine')) return combine(args.get('combine')!.split(','), args.get('out'));
  if (args.has('sampler')) throw new Error('compare runs every sampler itself; drop --sampler (or train each with `npm run train -- --sampler ...` and --combine the results)');
  const base = configFromArgs(args);
  const k = base.sampler.k;
  const variants: RunConfig['sampler'][] = [
    { ...base.sampler, kind: 'uniform' },
    { ...base.sampler, kind: 'bestup', k, estimator: 'loss' },
    { ...base.sampler, kind: 'worstup', k, estimator: 'loss' },
  ];
  if (args.has('with-predictor')) {
    variants.push({ ...base.sampler, kind: 'bestup', k: 1_000_000, estimator: 'predictor' });
    variants.push({ ...base.sampler, kind: 'worstup', k: 1_000_000, estimator: 'predictor' });
  }
  const backend = await initNodeBackend(base.backend);
  const data = await loadFashionMnistFromDisk();
  const runs: RunResults[] = [];
  for (const sampler of variants) {
    const config: RunConfig = { ...base, sampler };
    console.log(`\n=== ${sampler.kind}${sampler.kind === 'uniform' ? '' : ` k=${sampler.k} (${sampler.estimator})`} ===`);
    runs.push(await trainSupernet(config, data, backend, { onLog: (m) => process.stdout.write(`\n${m}\n`), onStep: stepPrinter(`[${sampler.kind}] `) }));
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await report(runs, args.get('out') ?? join(projectRoot, 'runs', `compare-${base.space.name}-seed${base.seed}-${stamp}.json`));
}

/** Combines results JSONs of runs trained separately (same space, seed and budget) into one comparison. */
async function combine(files: string[], out: string | undefined) {
  const runs = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as RunResults));
  runs.forEach((r, i) => {
    if (r.type !== 'nas-studio/run-results') throw new Error(`${files[i]} is not a NAS Studio results file`);
  });
  const differs = (pick: (r: RunResults) => unknown) => runs.some((r) => JSON.stringify(pick(r)) !== JSON.stringify(pick(runs[0])));
  if (differs((r) => r.config.space) || differs((r) => r.config.seed) || differs((r) => [r.config.epochs, r.config.stepsPerEpoch, r.config.batchSize, r.config.learningRate])) {
    throw new Error('the runs differ in space, seed or budget; a comparison needs them equal');
  }
  const first = runs[0].config;
  await report(runs, out ?? join(projectRoot, 'runs', `compare-${first.space.name}-seed${first.seed}-combined.json`));
}

async function report(runs: RunResults[], out: string) {
  const base = runs[0].config;
  const rows = compareSamplers(
    runs.map((r) => ({ sampler: r.sampler, ranges: r.rangeEvaluations[r.rangeEvaluations.length - 1]?.ranges ?? [] })),
  );
  const table = formatComparisonTable(rows);
  await mkdir(dirname(out), { recursive: true });
  const summary = runs.map((r) => ({
    sampler: r.sampler,
    trainingSeconds: r.timing.trainingSeconds,
    msPerStep: r.timing.msPerStep,
    testLargest: r.test?.largest.accuracy,
    testSmallest: r.test?.smallest.accuracy,
    giveUpRate: r.conditionalSampling?.giveUpRate ?? null,
    predictorKendallTau: r.predictorReports.map((p) => p.kendallTau),
  }));
  await writeFile(out, JSON.stringify({ type: 'nas-studio/comparison', version: 1, config: { ...base, sampler: undefined }, table: rows, summary, runs }, null, 1));
  console.log(`\nAccuracy per FLOPs range (validation top-1 after BN recalibration, final evaluation; median / min in %; Δ against ${runs[0].sampler}):\n`);
  console.log(table);
  console.log('');
  for (const s of summary) {
    console.log(
      `${s.sampler.padEnd(18)} ${s.msPerStep.toFixed(0)} ms/step; test top-1 largest ${((s.testLargest ?? NaN) * 100).toFixed(2)}%, smallest ${((s.testSmallest ?? NaN) * 100).toFixed(2)}%` +
        (s.giveUpRate !== null ? `; conditional sampler gave up on ${(s.giveUpRate * 100).toFixed(2)}% of draws` : '') +
        (s.predictorKendallTau.length ? `; predictor Kendall tau ${s.predictorKendallTau.map((t) => t.toFixed(2)).join(', ')}` : ''),
    );
  }
  console.log(`\ncomparison: ${out}`);
}

main().catch((error) => {
  console.error(`error: ${errorMessage(error)}`);
  process.exit(1);
});
