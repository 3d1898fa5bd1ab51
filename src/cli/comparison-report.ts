/**
 * What `npm run compare` leaves behind: the comparison JSON (every run's results plus the
 * statistics over seeds), the table on the terminal, and optionally the table as Markdown.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { comparisonName } from '../core/comparison/noise-floor';
import { comparisonOrder } from '../core/comparison/comparison-order';
import { compareOverSeeds, measurementsOf } from '../core/comparison/seed-comparison';
import { comparisonCaption, formatSeedComparison } from '../core/comparison/seed-comparison-table';
import type { RunResults } from '../engine/training-run';

export const COMPARISON_VERSION = 2;

/** "1,2,3" -> [1, 2, 3]: distinct seeds a run config accepts, in the order given. */
export function parseSeeds(text: string): number[] {
  const seeds = text.split(',').map((part) => part.trim());
  const out: number[] = [];
  for (const part of seeds) {
    const seed = Number(part);
    if (part === '' || !Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1)
      throw new Error(`--seeds takes integers from 0 to 2^31-1 separated by commas, got "${part}" in "${text}"`);
    if (out.includes(seed)) throw new Error(`--seeds names seed ${seed} twice`);
    out.push(seed);
  }
  return out;
}

/** The name of a run in the comparison: "Uniform", "BestUp-3 (loss)", "Uniform (noise floor)". */
export const runName = (r: RunResults): string => comparisonName(r.sampler === 'uniform' ? 'Uniform' : r.sampler, r.config);

/** a refit's tau; NaN (too few held-out subnets to rank) arrives from JSON as null */
const tauText = (tau: number | null | undefined) => (typeof tau === 'number' && Number.isFinite(tau) ? tau.toFixed(2) : 'n/a');

export interface ComparisonOutput {
  /** also write the table as Markdown here */
  table?: string;
  /** keep each run's per-step records (false: `steps` is written empty and `stepsOmitted` says so) */
  keepSteps?: boolean;
}

export async function writeComparison(
  given: RunResults[],
  out: string,
  { table: tableFile, keepSteps = true }: ComparisonOutput = {},
): Promise<void> {
  // registry order whatever order the runs came in (--combine takes files in any order): the
  // baseline first, so the statistics measure every sampler against it
  const runs = comparisonOrder(given, (r) => ({
    kind: r.config.sampler.kind,
    estimator: r.config.sampler.estimator,
    stream: r.config.samplerStream ?? 0,
    seed: r.config.seed,
  }));
  const statistics = compareOverSeeds(runs.map((r) => measurementsOf(runName(r), r.config.seed, r.rangeEvaluations, r.epochs)));
  const caption = comparisonCaption(statistics);
  const summary = runs.map((r) => ({
    sampler: runName(r),
    seed: r.config.seed,
    samplerStream: r.config.samplerStream ?? 0,
    trainingSeconds: r.timing.trainingSeconds,
    msPerStep: r.timing.msPerStep,
    testLargest: r.test?.largest.accuracy ?? null,
    testSmallest: r.test?.smallest.accuracy ?? null,
    giveUpRate: r.conditionalSampling?.giveUpRate ?? null,
    predictorKendallTau: r.predictorReports.map((p) => p.kendallTau),
    predictorHeldOut: r.predictorReports.map((p) => p.heldOut),
    predictorKind: r.predictorReports.at(-1)?.kind ?? null,
    sampledArchitectures: r.sampledArchitectures ?? null,
  }));
  const config = { ...runs[0].config, sampler: undefined, seed: undefined, samplerStream: undefined };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    JSON.stringify(
      {
        type: 'nas-studio/comparison',
        version: COMPARISON_VERSION,
        config,
        seeds: statistics.seeds,
        caption,
        statistics,
        summary,
        ...(keepSteps ? {} : { stepsOmitted: true }),
        runs: keepSteps ? runs : runs.map((r) => ({ ...r, steps: [] })),
      },
      null,
      1,
    ),
  );
  if (tableFile) {
    await mkdir(dirname(tableFile), { recursive: true });
    await writeFile(tableFile, `${caption}\n\n${formatSeedComparison(statistics, 'markdown')}\n`);
  }
  console.log(`\n${caption}\n`);
  console.log(formatSeedComparison(statistics));
  console.log('');
  for (const s of summary) {
    console.log(
      `${`${s.sampler} seed ${s.seed}`.padEnd(34)} ${s.msPerStep.toFixed(0)} ms/step; test top-1 largest ${((s.testLargest ?? NaN) * 100).toFixed(2)}%, smallest ${((s.testSmallest ?? NaN) * 100).toFixed(2)}%` +
        (s.giveUpRate !== null ? `; conditional sampler gave up on ${(s.giveUpRate * 100).toFixed(2)}% of draws` : '') +
        (s.predictorKendallTau.length
          ? `; ${s.predictorKind ?? 'ridge'} predictor Kendall tau ${tauText(s.predictorKendallTau.at(-1))} on ${s.predictorHeldOut.at(-1)} held-out subnets (last of ${s.predictorKendallTau.length} refits)`
          : '') +
        (s.sampledArchitectures
          ? `; ${s.sampledArchitectures.distinct} distinct architectures trained in ${s.sampledArchitectures.sampled} middle subnets`
          : ''),
    );
  }
  console.log(`\ncomparison: ${out}${tableFile ? `\ntable: ${tableFile}` : ''}`);
}
