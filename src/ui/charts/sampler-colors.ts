/**
 * The colour of each sampler in a comparison, one rule for every chart of it (box plots,
 * differences, accuracy over time, legends): its kind's hue, grey for the noise-floor control,
 * and for a second variant of a kind already shown (BestUp-1M beside BestUp-3) a hue of its
 * own, so two samplers never share a colour.
 */
import { isNoiseFloor } from '../../core/comparison/noise-floor';
import type { RunRecord } from '../store/runs-slice';
import { noiseFloorColor, samplerColor, samplerColors, stageHues } from './palette';

/** A run's hue: its sampler's, or grey for the noise-floor control. */
export const runColor = (run: Pick<RunRecord, 'label' | 'sampler'>): string =>
  isNoiseFloor(run.label) ? noiseFloorColor : samplerColor(run.sampler);

/** hues for a second variant of one kind (BestUp-1M beside BestUp-3): the stage hues the kinds do not use */
const VARIANT_COLORS = stageHues.filter((hue) => !Object.values(samplerColors).includes(hue));

/** Each sampler's name in the group's order (baseline first) and its colour. */
export function samplersOf(runs: RunRecord[]): { name: string; color: string }[] {
  const out = new Map<string, string>();
  let variants = 0;
  for (const run of runs) {
    if (out.has(run.label)) continue;
    const color = runColor(run);
    const taken = [...out.values()].includes(color) && !isNoiseFloor(run.label);
    out.set(run.label, taken ? VARIANT_COLORS[variants++ % VARIANT_COLORS.length] : color);
  }
  return [...out].map(([name, color]) => ({ name, color }));
}
