/**
 * The comparison experiment, headless: Uniform, BestUp-k (loss) and WorstUp-k (loss) with the
 * same data and budget (optionally the predictor variants), for every seed given, plus the
 * noise-floor control (Uniform with another sampler stream); then a comparison JSON with every
 * run and the statistics over seeds, and a table (optionally also as Markdown).
 *   npm run compare -- --space fashion --epochs 1 --seeds 1,2,3 [--with-predictor] [--table FILE]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NOISE_FLOOR_STREAM, NOISE_FLOOR_SUFFIX } from '../core/comparison/noise-floor';
import type { RunConfig } from '../core/training/run-config';
import { comparisonKinds, samplerLabel, samplerRegistry, WHOLE_BIN_K } from '../core/sampling/sampler-registry';
import type { RunResults } from '../core/records/run-records';
import { trainSupernet } from '../engine/training-run';
import { parseArgs, rejectUnknown } from './args';
import { parseSeeds, writeComparison, type ComparisonOutput } from './comparison-report';
import { initNodeBackend, loadFashionMnistFromDisk, projectRoot } from './node-runtime';
import { configFromArgs, runFlags, runFlagsUsage, stepPrinter } from './run-args';
import { errorMessage } from '../core/training/error-message';

const usage = `usage: npm run compare -- [options]   (every train option except --sampler)
${runFlagsUsage}
  --with-predictor         also run BestUp-1M (acc) and WorstUp-1M (acc)
  --seeds 1,2,3            train every sampler with each of these seeds (default: --seed)
  --no-noise-floor         skip the control: Uniform again per seed with only its sampler stream changed
  --out FILE               comparison JSON (default runs/compare-<space>-seeds<seeds>-<time>.json)
  --table FILE             also write the table as Markdown
  --combine A.json,B.json  a comparison of results files trained separately (same space and budget)
  --no-steps               leave each run's per-step training log (its loss curves) out of the JSON:
                           most of a long comparison's bytes; the statistics and box plots do not use it`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) {
    console.log(usage);
    return;
  }
  rejectUnknown(args, [...runFlags, 'with-predictor', 'seeds', 'no-noise-floor', 'out', 'table', 'help', 'combine', 'no-steps']);
  const written = { table: args.get('table'), keepSteps: !args.has('no-steps') };
  if (args.has('combine')) return combine(args.get('combine')!.split(','), args.get('out'), written);
  if (args.has('sampler'))
    throw new Error(
      'compare runs every sampler itself; drop --sampler (or train each with `npm run train -- --sampler ...` and --combine the results)',
    );
  const base = configFromArgs(args);
  // the registry's comparison set, in its order (baseline first): ranking kinds by loss with the
  // given k, and with --with-predictor again by the predictor over the whole bin
  const variants: RunConfig['sampler'][] = comparisonKinds.map((kind) =>
    samplerRegistry[kind].k ? { ...base.sampler, kind, estimator: 'loss' } : { ...base.sampler, kind },
  );
  if (args.has('with-predictor')) {
    for (const kind of comparisonKinds) {
      if (samplerRegistry[kind].estimators.includes('predictor'))
        variants.push({ ...base.sampler, kind, k: WHOLE_BIN_K, estimator: 'predictor' });
    }
  }
  const backend = await initNodeBackend(base.backend);
  const data = await loadFashionMnistFromDisk();
  const seeds = args.has('seeds') ? parseSeeds(args.get('seeds')!) : [base.seed];
  // the noise-floor control: the baseline again, with only the stream of its sampled subnets changed
  const plan: { sampler: RunConfig['sampler']; samplerStream?: number }[] = variants.map((sampler) => ({ sampler }));
  if (!args.has('no-noise-floor')) plan.push({ sampler: variants[0], samplerStream: NOISE_FLOOR_STREAM });
  const runs: RunResults[] = [];
  // seed by seed, so a comparison stopped part way still holds whole seeds
  for (const seed of seeds) {
    for (const { sampler, samplerStream } of plan) {
      const config: RunConfig = { ...base, seed, sampler, ...(samplerStream ? { samplerStream } : {}) };
      console.log(`\n=== seed ${seed} · ${samplerLabel(sampler)}${samplerStream ? NOISE_FLOOR_SUFFIX : ''} ===`);
      runs.push(
        await trainSupernet(config, data, backend, {
          onLog: (m) => process.stdout.write(`\n${m}\n`),
          onStep: stepPrinter(`[${seed} ${sampler.kind}${samplerStream ? ' floor' : ''}] `),
        }),
      );
    }
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await writeComparison(
    runs,
    args.get('out') ?? join(projectRoot, 'runs', `compare-${base.space.name}-seeds${seeds.join('-')}-${stamp}.json`),
    written,
  );
}

/** Combines results JSONs of runs trained separately (same space and budget, any seeds) into one comparison. */
async function combine(files: string[], out: string | undefined, written: ComparisonOutput) {
  const runs = await Promise.all(
    files.map(async (f) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(f, 'utf8'));
      } catch (error) {
        throw new Error(`${f} could not be read as JSON: ${errorMessage(error)}`, { cause: error });
      }
      if ((parsed as RunResults | null)?.type !== 'nas-studio/run-results') throw new Error(`${f} is not a NAS Studio results file`);
      return parsed as RunResults;
    }),
  );
  const differs = (pick: (r: RunResults) => unknown) => runs.some((r) => JSON.stringify(pick(r)) !== JSON.stringify(pick(runs[0])));
  if (
    differs((r) => r.config.space) ||
    differs((r) => [r.config.epochs, r.config.stepsPerEpoch, r.config.batchSize, r.config.learningRate, r.config.rangeEval])
  ) {
    throw new Error('the runs differ in space, budget or range evaluation; a comparison needs them equal');
  }
  const first = runs[0].config;
  await writeComparison(runs, out ?? join(projectRoot, 'runs', `compare-${first.space.name}-combined.json`), written);
}

main().catch((error) => {
  console.error(`error: ${errorMessage(error)}`);
  process.exit(1);
});
