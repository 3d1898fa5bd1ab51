/**
 * The duration estimate shown before Start: the speed kept in this browser or a short probe
 * (core/training/duration-estimate does the arithmetic). The probe runs once per backend, space and
 * batch size, and not while a run trains; until it reports, the estimate is pending.
 */
import { useEffect, useState } from 'react';
import { FASHION_SIZES, queueSeconds, type DataSizes } from '../../core/training/duration-estimate';
import { checkSettings, comparisonQueue, type StudioSettings } from '../../core/training/studio-settings';
import { useController } from '../controller-context';
import { speedKey } from '../persistence/speed-records';
import { useStudio } from '../store/studio-store';
import { useBusy } from '../use-busy';

/** how long the settings must stay put before a probe runs */
const PROBE_DELAY_MS = 600;

export interface DurationEstimate {
  /** seconds of one run with these settings, and of Compare (every run it queues, one after another) */
  runSeconds: number;
  comparisonSeconds: number;
  comparisonRuns: number;
  /** where the speed came from */
  source: 'probe' | 'run';
}

export function useDurationEstimate(settings: StudioSettings): DurationEstimate | null {
  const controller = useController();
  const busy = useBusy();
  const userDataset = useStudio((s) => s.userDataset);
  const key = speedKey(settings);
  const [speed, setSpeed] = useState<{ key: string; msPerImage: number; source: 'probe' | 'run' } | null>(null);
  const valid = checkSettings(settings).length === 0;
  useEffect(() => {
    if (!valid) return;
    let live = true;
    // typing "16" passes through "1": probe the settings the person stops at, not each keystroke
    const timer = setTimeout(() => {
      controller
        .trainingSpeed(settings)
        .then((found) => live && found && setSpeed({ key, ...found }))
        .catch(() => {});
    }, PROBE_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // the speed depends on the key only (`settings` changes with every keystroke); a run ending may have measured a new one
  }, [controller, key, busy, valid]);
  if (!speed || speed.key !== key) return null;
  const data: DataSizes =
    settings.dataset === 'user' && userDataset ? { trainCount: userDataset.trainCount, testCount: userDataset.testCount } : FASHION_SIZES;
  const queue = comparisonQueue(settings).map((run) => ({ ...settings, sampler: run.sampler, seed: run.seed }));
  return {
    runSeconds: queueSeconds([settings], speed.msPerImage, data),
    comparisonSeconds: queueSeconds(queue, speed.msPerImage, data),
    comparisonRuns: queue.length,
    source: speed.source,
  };
}
