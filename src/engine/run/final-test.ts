/**
 * The end of a run, stopped or not: the largest and smallest subnets on the test set (skipped
 * when no step was trained, as there is nothing to measure), and the results JSON that the CLI
 * writes and the studio stores.
 */
import { distinctSampledArchitectures } from '../../core/sampling/sampled-architectures';
import { countMacs } from '../../core/space/macs';
import { RESULTS_VERSION, type RunResults } from '../../core/records/run-records';
import type { RunContext } from './run-context';

export async function finishRun({ run, log, state, clock }: RunContext): Promise<RunResults> {
  const { config, data, backend, convForm, sampler, sampling, norm, trainIndices, evaluator, net, prior, largest, smallest } = run;
  const { step, firstStep, trainingMs, steps, epochs, stopped } = state;
  const space = config.space;
  if (step > 0) log('measuring the largest and smallest subnets on the test set');
  const test = step > 0 ? await evaluator.testPair({ set: data.test, norm }) : null;
  if (test) log(`test top-1: largest ${(test.largest.accuracy * 100).toFixed(2)}%, smallest ${(test.smallest.accuracy * 100).toFixed(2)}%`);
  const sampledArchitectures = distinctSampledArchitectures(steps);
  log(`the sampler trained ${sampledArchitectures.distinct} distinct architectures in ${sampledArchitectures.sampled} middle subnets`);
  return {
    type: 'nas-studio/run-results',
    version: RESULTS_VERSION,
    config,
    backend,
    convForm,
    sampler: sampler.name,
    data: {
      trainImages: trainIndices.length,
      validationImages: evaluator.validationIndices.length,
      testImages: data.test.count,
      normalisation: norm,
    },
    supernetParameters: net.parameterCount(),
    subnets: {
      largest: { encoding: largest, macs: countMacs(space, largest) },
      smallest: { encoding: smallest, macs: countMacs(space, smallest) },
    },
    prior: { samples: prior.samples, edges: prior.edges, frequencies: prior.frequencies, buildMs: prior.buildMs },
    epochs,
    steps,
    rangeEvaluations: evaluator.rangeEvaluations,
    predictorReports: evaluator.predictorReports,
    sampledArchitectures,
    conditionalSampling: sampling.conditional
      ? {
          draws: sampling.conditional.stats.draws,
          giveUps: sampling.conditional.stats.giveUps,
          giveUpRate: sampling.conditional.giveUpRate(),
        }
      : null,
    test,
    timing: {
      startedAt: clock.startedAt.toISOString(),
      trainingSeconds: trainingMs / 1000,
      evaluationSeconds: evaluator.evaluationMs / 1000,
      totalSeconds: (performance.now() - clock.t0) / 1000,
      msPerStep: step > firstStep ? trainingMs / (step - firstStep) : 0,
      imagesPerSecond: step > firstStep ? (config.batchSize * (step - firstStep) * 1000) / trainingMs : 0,
    },
    stopped,
  };
}
