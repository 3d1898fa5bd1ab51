/**
 * One evolutionary search on a trained supernet, the same in Node and in the worker: the
 * fitness is real validation accuracy after BN recalibration, or (fast mode) an accuracy predictor
 * fitted on real evaluations with the final front re-measured for real. Results are plain JSON.
 */
import { runEvolution, searchWindow, type GenerationReport } from '../core/search/evolution';
import { countMacs } from '../core/space/macs';
import { macsAccuracyHypervolume } from '../core/search/pareto';
import { fitAccuracyPredictor } from '../core/predictor/fit-predictor';
import { evaluatePredictor } from '../core/predictor/predictor';
import { Rng } from '../core/training/rng';
import { samplerLabel } from '../core/sampling/sampler-registry';
import { SEARCH_RESULTS_VERSION, type SearchResults } from '../core/records/search-records';
import { parseSearchConfig, type SearchConfigInput } from '../core/search/search-config';
import { subnetKey, type Subnet } from '../core/space/subnet';
import { sampleUniform } from '../core/sampling/uniform-sampler';
import type { BackendInfo } from './backend';
import { supernetFitness, type TrainedSupernet } from './trained-supernet';

export { SEARCH_RESULTS_VERSION, type SearchResults } from '../core/records/search-records';

export interface SearchHooks {
  onGeneration?: (report: GenerationReport, elapsedMs: number) => void | Promise<void>;
  onLog?: (message: string) => void;
  /** real evaluations done so far in the current batch (live progress within a generation) */
  onEvaluation?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
}

export async function runSearch(
  trained: TrainedSupernet,
  configInput: SearchConfigInput,
  backend: BackendInfo,
  hooks: SearchHooks = {},
): Promise<SearchResults> {
  const config = parseSearchConfig(configInput);
  const space = trained.config.space;
  const log = hooks.onLog ?? (() => {});
  const t0 = performance.now();
  let realEvaluations = 0;
  let realMs = 0;
  const evaluate = trained.evaluator({ calibrationBatches: config.calibrationBatches, validationImages: config.validationImages });
  const real = supernetFitness(evaluate, hooks.onEvaluation);
  const measured = async (subnets: Subnet[]) => {
    const start = performance.now();
    const scores = await real(subnets);
    realMs += performance.now() - start;
    realEvaluations += subnets.length;
    return scores;
  };
  const rng = Rng.derive(config.seed, 'search');
  const window = searchWindow(space, config.evolution);
  let predictorReport: SearchResults['predictor'] = null;
  let fitness = measured;
  if (config.fitness === 'predictor') {
    const sampleRng = Rng.derive(config.seed, 'predictor-samples');
    const samples: Subnet[] = [];
    const seen = new Set<string>();
    for (let tries = 0; samples.length < config.predictorSamples && tries < config.predictorSamples * 1000; tries++) {
      const s = sampleUniform(space, sampleRng);
      const macs = countMacs(space, s);
      if (macs < window.minMacs || macs > window.maxMacs || seen.has(subnetKey(s))) continue;
      seen.add(subnetKey(s));
      samples.push(s);
    }
    log(`fitting the predictor on ${samples.length} subnets measured for real`);
    const accuracies = await measured(samples);
    const examples = samples.map((subnet, i) => ({ subnet, accuracy: accuracies[i] }));
    const heldOutCount = Math.max(2, Math.round(examples.length * 0.2));
    const heldOut = examples.slice(0, heldOutCount);
    const fit = { kind: config.predictorKind, seed: config.seed };
    const tau = evaluatePredictor(fitAccuracyPredictor(space, examples.slice(heldOutCount), fit), heldOut).kendallTau;
    const predictor = fitAccuracyPredictor(space, examples, fit);
    predictorReport = { kind: config.predictorKind, trainedOn: examples.length - heldOutCount, heldOut: heldOutCount, kendallTau: tau };
    log(
      `${config.predictorKind} predictor Kendall tau ${tau.toFixed(3)} on ${heldOutCount} held-out subnets (fitted on ${examples.length - heldOutCount})`,
    );
    fitness = async (subnets) => subnets.map((s) => predictor.scoreSubnet(s));
  }
  const generations: SearchResults['generations'] = [];
  const result = await runEvolution(space, config.evolution, fitness, rng, {
    shouldStop: hooks.shouldStop,
    refine: config.fitness === 'predictor' ? measured : undefined,
    onGeneration: async (report) => {
      const elapsed = performance.now() - t0;
      generations.push({
        generation: report.generation,
        evaluated: report.evaluated.length,
        frontSize: report.front.length,
        hypervolume: report.hypervolume,
        totalEvaluations: report.totalEvaluations,
        seconds: elapsed / 1000,
        giveUps: report.giveUps,
      });
      log(
        `generation ${report.generation}: ${report.evaluated.length} new, ${report.totalEvaluations} evaluated, front ${report.front.length}, hypervolume ${report.hypervolume.toFixed(4)} (${(elapsed / 1000).toFixed(1)} s)`,
      );
      await hooks.onGeneration?.(report, elapsed);
    },
  });
  let testAccuracy: Record<string, number> | null = null;
  if (config.testFront) {
    testAccuracy = {};
    for (const entry of result.refinedFront) testAccuracy[entry.key] = (await trained.evaluate(entry.subnet, 'test')).accuracy;
  }
  const header = trained.checkpoint;
  return {
    type: 'nas-studio/search-results',
    version: SEARCH_RESULTS_VERSION,
    config,
    backend,
    supernet: {
      space: space.name,
      sampler: samplerLabel(trained.config.sampler),
      step: header.progress.step,
      epoch: header.progress.epoch,
      seed: trained.config.seed,
    },
    window: result.window,
    evaluated: result.all,
    front: result.front,
    refinedFront: result.refinedFront,
    testAccuracy,
    generations,
    predictor: predictorReport,
    hypervolume: macsAccuracyHypervolume(result.refinedFront, { maxMacs: result.window.maxMacs, minAccuracy: 0 }),
    timing: {
      seconds: (performance.now() - t0) / 1000,
      realEvaluations,
      msPerRealEvaluation: realEvaluations ? realMs / realEvaluations : 0,
    },
    stopped: result.stopped,
  };
}
