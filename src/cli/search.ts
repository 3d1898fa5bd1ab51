/**
 * Search a trained supernet from Node:
 *   npm run search -- --checkpoint runs/fashion.ckpt --generations 8 --export front --out runs/search
 * Loads the checkpoint, runs the evolutionary search, prints the front, writes the search
 * results JSON and exports the chosen subnets (envelope, tfjs model, AttentiveNAS YAML).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bestUnderBudget } from '../core/search/pareto';
import type { PredictorKind } from '../core/predictor/predictor';
import { DEFAULT_PREDICTOR_KIND } from '../core/predictor/predictor-config';
import type { SearchConfigInput } from '../core/search/search-config';
import type { EvaluatedSubnet } from '../core/search/evolution';
import { runSearch } from '../engine/search-run';
import { exportSubnet } from '../engine/subnet-export';
import { openTrainedSupernet } from '../engine/trained-supernet';
import { numberArg, parseArgs, rejectUnknown } from './args';
import { readCheckpointFile } from './checkpoint-files';
import { initNodeBackend, loadFashionMnistFromDisk, projectRoot } from './node-runtime';
import { formatDuration } from './run-args';
import { errorMessage } from '../core/training/error-message';

const usage = `usage: npm run search -- --checkpoint FILE [options]
  --checkpoint FILE        a supernet checkpoint written by npm run train (required)
  --seed N                 search seed (default 1)
  --population N --generations N --mutations N --crossovers N   (defaults 24, 8, 12, 12)
  --min-macs M --max-macs M   MACs window in millions (default: the whole space)
  --bins N                 archive bins over the window (default 16)
  --fitness supernet|predictor   real accuracy, or a predictor with the front re-measured (default supernet)
  --predictor-samples N    predictor mode: subnets measured to fit it (default 60)
  --predictor-kind ridge|forest|boosted   predictor mode: the model (default ${DEFAULT_PREDICTOR_KIND})
  --calibration-batches N  BN recalibration batches per subnet (default 8)
  --validation-images N    validation images per subnet (default 2000; 0 = all 5000)
  --test                   also measure the front on the test set
  --export front|none|B1,B2,...  export the whole front, nothing, or the best subnet under each budget in M MACs (default front)
  --out DIR                results and exports (default runs/search-<time>)
  --backend wasm|cpu|webgpu`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) return console.log(usage);
  rejectUnknown(args, [
    'checkpoint',
    'seed',
    'population',
    'generations',
    'mutations',
    'crossovers',
    'min-macs',
    'max-macs',
    'bins',
    'fitness',
    'predictor-samples',
    'predictor-kind',
    'calibration-batches',
    'validation-images',
    'test',
    'export',
    'out',
    'backend',
    'help',
  ]);
  const path = args.get('checkpoint');
  if (!path) throw new Error(`--checkpoint is required\n${usage}`);
  const checkpoint = await readCheckpointFile(path);
  const mega = (name: string) => {
    const v = numberArg(args, name);
    return v === undefined ? undefined : v * 1e6;
  };
  const config: SearchConfigInput = {
    seed: numberArg(args, 'seed'),
    evolution: {
      population: numberArg(args, 'population'),
      generations: numberArg(args, 'generations'),
      mutationsPerGeneration: numberArg(args, 'mutations'),
      crossoversPerGeneration: numberArg(args, 'crossovers'),
      minMacs: mega('min-macs'),
      maxMacs: mega('max-macs'),
      archiveBins: numberArg(args, 'bins'),
    },
    fitness: (args.get('fitness') ?? 'supernet') as 'supernet',
    predictorSamples: numberArg(args, 'predictor-samples'),
    predictorKind: args.get('predictor-kind') as PredictorKind | undefined,
    calibrationBatches: numberArg(args, 'calibration-batches'),
    validationImages: numberArg(args, 'validation-images'),
    testFront: args.has('test'),
  };
  const backend = await initNodeBackend((args.get('backend') ?? 'auto') as 'auto');
  const data = await loadFashionMnistFromDisk();
  const calibrationBatches = numberArg(args, 'calibration-batches') ?? 8;
  const trained = openTrainedSupernet(checkpoint, data, backend, {
    calibrationBatches,
    validationImages: numberArg(args, 'validation-images') ?? 2000,
  });
  const h = checkpoint.header;
  console.log(
    `searching supernet "${h.config.space.name}" (step ${h.progress.step}, ${h.progress.epoch} epochs, seed ${h.config.seed}) on ${backend.name}`,
  );
  const results = await runSearch(trained, config, backend, { onLog: (m) => console.log(m) });
  const out = args.get('out') ?? join(projectRoot, 'runs', `search-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'search-results.json'), JSON.stringify(results, null, 1));

  console.log(`\nfront (${results.refinedFront.length} subnets, hypervolume ${results.hypervolume.toFixed(4)}):`);
  console.log('  MACs (M)  params   val top-1' + (results.testAccuracy ? '  test top-1' : '') + '  encoding');
  for (const e of results.refinedFront) {
    const test = results.testAccuracy ? `  ${(results.testAccuracy[e.key] * 100).toFixed(2).padStart(9)}%` : '';
    console.log(
      `  ${(e.macs / 1e6).toFixed(3).padStart(8)}  ${String(e.params).padStart(6)}  ${(e.accuracy * 100).toFixed(2).padStart(9)}%${test}  ${e.key}`,
    );
  }
  console.log(
    `time: ${formatDuration(results.timing.seconds * 1000)} for ${results.timing.realEvaluations} real evaluations (${results.timing.msPerRealEvaluation.toFixed(0)} ms each) on ${backend.name}`,
  );

  const choice = args.get('export') ?? 'front';
  let chosen: EvaluatedSubnet[] = [];
  if (choice === 'front') chosen = results.refinedFront;
  else if (choice !== 'none') {
    const budgets = choice.split(',').map((b) => Number(b));
    if (budgets.some((b) => !Number.isFinite(b) || b <= 0))
      throw new Error(`--export takes front, none or budgets in M MACs like 0.5,1,2; got "${choice}"`);
    for (const budget of budgets) {
      const best = bestUnderBudget(results.refinedFront, budget * 1e6);
      if (!best) console.log(`no subnet found under ${budget} M MACs`);
      else if (!chosen.includes(best)) chosen.push(best);
    }
  }
  for (const entry of chosen) {
    const exported = await exportSubnet(trained, entry.subnet, {
      accuracy: {
        value: entry.accuracy,
        split: 'validation',
        images: trained.validationIndices.length,
        method: 'supernet',
        calibrationBatches,
        calibrationBatchSize: h.config.batchSize,
      },
      datasetName: 'Fashion-MNIST',
    });
    for (const file of exported.files) await writeFile(join(out, file.name), file.data);
    console.log(`exported ${exported.envelope.name}: ${exported.files.map((f) => f.name).join(', ')}`);
  }
  console.log(`results: ${join(out, 'search-results.json')}`);
  trained.dispose();
}

main().catch((error) => {
  console.error(`error: ${errorMessage(error)}`);
  process.exit(1);
});
