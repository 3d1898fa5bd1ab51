/**
 * The weight-sharing supernet: one set of variables at the largest size of every layer.
 * A subnet uses the first k channels of each weight and BN parameter, the centre crop of
 * each depthwise kernel and the first d blocks of each stage.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/training/rng';
import type { SearchSpace } from '../core/space/space';

// the pure list lives in core, so checkpoints can be checked against it without tfjs
import { supernetVariableSpecs, type VariableSpec } from '../core/space/supernet-specs';
export { supernetVariableSpecs, type VariableSpec };

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
