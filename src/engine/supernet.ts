/**
 * The weight-sharing supernet: one set of variables at the largest size of every layer.
 * A subnet uses the first k channels of each weight and BN parameter, the centre crop of
 * each depthwise kernel and the first d blocks of each stage.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import type { SearchSpace } from '../core/space';
import { seChannelsFor } from '../core/plan';

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

function initialValues(spec: VariableSpec, rng: Rng): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  if (spec.init === 'ones') values.fill(1);
  else if (spec.init === 'he') {
    const std = Math.sqrt(2 / (spec.fan ?? 1));
    for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
  } else if (spec.init === 'linear') {
    for (let i = 0; i < size; i++) values[i] = rng.normal() * 0.01;
  }
  return values;
}

export class Supernet {
  readonly space: SearchSpace;
  readonly specs: VariableSpec[];
  readonly variables = new Map<string, tf.Variable>();

  private constructor(space: SearchSpace, specs: VariableSpec[]) {
    this.space = space;
    this.specs = specs;
  }

  /** Initialises every variable from a seeded PRNG, so every backend starts from the same weights. */
  static create(space: SearchSpace, seed: number): Supernet {
    const net = new Supernet(space, supernetVariableSpecs(space));
    const rng = Rng.derive(seed, 'supernet-init');
    for (const spec of net.specs) {
      const values = initialValues(spec, rng);
      // inside tidy: tf.variable(tf.tensor(...)) would otherwise keep the initial tensor alive
      const variable = tf.tidy(() => tf.variable(tf.tensor(values, spec.shape), true, `${spec.name}#${seed}#${uniqueSuffix()}`));
      net.variables.set(spec.name, variable);
    }
    return net;
  }

  get(name: string): tf.Variable {
    const variable = this.variables.get(name);
    if (!variable) throw new Error(`supernet has no variable "${name}"`);
    return variable;
  }

  has(name: string): boolean {
    return this.variables.has(name);
  }

  /** Copies values into the variables (checkpoint restore); shapes must match. */
  assign(values: Map<string, Float32Array>): void {
    for (const spec of this.specs) {
      const data = values.get(spec.name);
      if (!data) throw new Error(`checkpoint has no values for "${spec.name}"`);
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (data.length !== size) throw new Error(`checkpoint "${spec.name}" has ${data.length} values, expected ${size}`);
      tf.tidy(() => this.get(spec.name).assign(tf.tensor(data, spec.shape)));
    }
  }

  async read(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const spec of this.specs) out.set(spec.name, (await this.get(spec.name).data()) as Float32Array);
    return out;
  }

  parameterCount(): number {
    return this.specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}

let counter = 0;
// tfjs variable names are global per engine; two supernets in one process must not collide
const uniqueSuffix = () => String(counter++);
