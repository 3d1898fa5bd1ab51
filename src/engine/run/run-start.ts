/**
 * Tells the caller what the run will do before its first step: the step counts (and the step a
 * resume starts from), the FLOPs prior, the MACs of the sandwich's ends and the conv form, which
 * the studio needs to lay out its charts before any step arrives.
 */
import { countMacs } from '../../core/space/macs';
import type { RunContext } from './run-context';

export function announceStart({ run, hooks, log, state }: RunContext): void {
  const { config, backend, resume, prior, largest, smallest, convForm, totalSteps, stepsPerEpoch } = run;
  const space = config.space;
  hooks.onStart?.({
    totalSteps,
    stepsPerEpoch,
    firstStep: state.firstStep,
    prior: { samples: prior.samples, edges: prior.edges, frequencies: prior.frequencies },
    macs: { smallest: countMacs(space, smallest), largest: countMacs(space, largest) },
    convForm,
  });
  if (resume)
    log(`resuming from step ${resume.progress.step} (epoch ${resume.progress.epoch + 1}, step ${resume.progress.stepInEpoch} of it)`);
  log(`training ${space.name} on ${backend.name} (${backend.adapter}), conv form ${convForm}, ${totalSteps} steps of ${config.batchSize}`);
}
