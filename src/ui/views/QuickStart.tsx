/**
 * The first visit's way in: one button that trains Uniform, BestUp-3 and WorstUp-3 on a small
 * space for a few hundred steps and opens their box plots, with how long that will take on this machine.
 * Shown while this browser holds no runs; the settings it uses stay in the form afterwards.
 */
import { durationText } from '../../core/training/duration-estimate';
import { PAPER } from '../../core/training/method-notes';
import { QUICK_EPOCHS, QUICK_STEPS, quickComparisonSettings } from '../../core/comparison/quick-comparison';
import { performAction } from '../actions';
import { useController } from '../controller-context';
import { useStudio, useStudioStore } from '../store/studio-store';
import { useDurationEstimate } from './use-duration-estimate';

export function QuickStart() {
  const store = useStudioStore();
  const controller = useController();
  const settings = useStudio((s) => s.settings);
  const quick = quickComparisonSettings(settings);
  const estimate = useDurationEstimate(quick);
  const start = () => {
    store.getState().replaceSettings(quick);
    performAction('compare', { store, controller });
  };
  return (
    <section className="panel quick-start" data-testid="quick-start">
      <h2>New here? Start with a quick comparison</h2>
      <p>
        NAS Studio trains a weight-sharing supernet and compares how the subnets trained at each step are chosen: Uniform, or AttentiveNAS’s
        BestUp-k and WorstUp-k ({PAPER.citation};{' '}
        <a href={PAPER.url} target="_blank" rel="noreferrer">
          paper
        </a>
        ). The quick comparison trains all three on Fashion-MNIST ({QUICK_EPOCHS * QUICK_STEPS} steps of 128 images each) on a small space,
        then shows the accuracy of subnets per FLOPs range as box plots.
      </p>
      <div className="actions">
        <button className="primary" onClick={start} data-testid="quick-comparison">
          Quick comparison
        </button>
        <span className="muted" data-testid="quick-estimate" data-seconds={estimate ? Math.round(estimate.comparisonSeconds) : undefined}>
          {estimate
            ? `${durationText(estimate.comparisonSeconds)} on this machine (${estimate.comparisonRuns} runs)`
            : 'measuring this machine’s speed…'}
        </span>
      </div>
    </section>
  );
}
