/**
 * The supernet's variables, named and shaped from the search space alone (no tfjs): the engine
 * creates them from this list, and a checkpoint is checked against it before anything loads.
 */
import { seChannelsFor } from './plan';
import type { SearchSpace } from './space';

export interface VariableSpec {
  name: string;
  shape: number[];
  init: 'he' | 'zeros' | 'ones' | 'linear';
  /** fan used by He init (fan-out, as the reference initialises convs) */
  fan?: number;
  /** weight decay applies to conv and linear weights only */
  decay: boolean;
}

const maxOf = (xs: readonly number[]) => Math.max(...xs);

/** Names and shapes of every supernet variable, in a fixed order. */
export function supernetVariableSpecs(space: SearchSpace): VariableSpec[] {
  const specs: VariableSpec[] = [];
  const conv = (name: string, shape: number[], fan: number) => specs.push({ name, shape, init: 'he', fan, decay: true });
  const bn = (name: string, channels: number, zeroGamma = false) => {
    specs.push({ name: `${name}.gamma`, shape: [channels], init: zeroGamma ? 'zeros' : 'ones', decay: false });
    specs.push({ name: `${name}.beta`, shape: [channels], init: 'zeros', decay: false });
  };
  const k0 = space.stem.kernelSize;
  const stemMax = maxOf(space.stem.widths);
  conv('stem.conv', [k0, k0, space.input.channels, stemMax], k0 * k0 * stemMax);
  bn('stem.bn', stemMax);
  let prevWidths: readonly number[] = space.stem.widths;
  space.stages.forEach((stage, s) => {
    const outMax = maxOf(stage.widths);
    const eMax = maxOf(stage.expandRatios);
    const kMax = maxOf(stage.kernelSizes);
    for (let b = 0; b < maxOf(stage.depths); b++) {
      const id = `s${s}.b${b}`;
      const inMax = b === 0 ? maxOf(prevWidths) : outMax;
      const hiddenMax = inMax * eMax;
      if (eMax > 1) {
        conv(`${id}.expand`, [inMax, hiddenMax], hiddenMax);
        bn(`${id}.bn1`, hiddenMax);
      }
      conv(`${id}.dw`, [kMax, kMax, hiddenMax, 1], kMax * kMax);
      bn(`${id}.bn2`, hiddenMax);
      if (stage.squeezeExcite) {
        const seMax = seChannelsFor(hiddenMax);
        conv(`${id}.se.reduce.w`, [hiddenMax, seMax], seMax);
        specs.push({ name: `${id}.se.reduce.b`, shape: [seMax], init: 'zeros', decay: false });
        conv(`${id}.se.expand.w`, [seMax, hiddenMax], hiddenMax);
        specs.push({ name: `${id}.se.expand.b`, shape: [hiddenMax], init: 'zeros', decay: false });
      }
      conv(`${id}.project`, [hiddenMax, outMax], outMax);
      bn(`${id}.bn3`, outMax, true);
      // only a stage's first block can change width; it needs a 1x1 conv if any choice pair differs
      if (b === 0 && prevWidths.some((w) => stage.widths.some((o) => o !== w))) {
        conv(`${id}.shortcut`, [inMax, outMax], outMax);
      }
    }
    prevWidths = stage.widths;
  });
  const lastMax = maxOf(space.lastConv.widths);
  conv('last.conv', [maxOf(prevWidths), lastMax], lastMax);
  bn('last.bn', lastMax);
  specs.push({ name: 'head.w', shape: [lastMax, space.numClasses], init: 'linear', decay: true });
  specs.push({ name: 'head.b', shape: [space.numClasses], init: 'zeros', decay: false });
  return specs;
}
