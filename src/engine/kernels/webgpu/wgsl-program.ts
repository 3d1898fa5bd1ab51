/**
 * Our own WGSL programs on tfjs's WebGPU backend, through the interface its built-in kernels
 * use (`runWebGPUProgram`): tfjs adds the bindings (each input as `array<f32>` under its
 * name, `result` for the output), the uniforms (`uniforms.size` and ours), the helpers
 * (`setOutputAtIndex`) and the entry point that calls our `main(index)`.
 *
 * A pipeline is compiled once per shader key and input ranks; sizes travel as uniforms, so
 * a new layer shape or learning rate compiles nothing new (the bench counts pipelines).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { innerKernelCalls } from '../inner-calls';

type Uniform = { type: 'int32' | 'float32'; data: number[] };

interface WebGpuBackendLike {
  runWebGPUProgram(program: object, inputs: TensorInfo[], outputDtype: 'float32', uniforms?: Uniform[]): TensorInfo;
}

export interface WgslProgram {
  /** one pipeline per key (with the inputs' ranks): code that differs must differ here */
  key: string;
  inputs: TensorInfo[];
  /** input names in the code, in the order of `inputs` */
  names: string[];
  outputShape: number[];
  /** WGSL uniform fields ("rows : i32, lr : f32,") and their values, in the same order */
  uniforms?: string;
  uniformData?: Uniform[];
  /**
   * 'element': one invocation per output element (`main(index)`: the flat output index);
   * 'channel': one workgroup of WORKGROUP invocations per output element, for reductions
   * (`index / WORKGROUP` is the output element, `localId.x` the invocation within it)
   */
  layout: 'element' | 'channel';
  /** the body of `main(index : i32)` plus any helpers before it */
  code: string;
}

export const WORKGROUP = 64;

export function runWgsl(backend: unknown, p: WgslProgram): TensorInfo {
  const size = p.outputShape.reduce((a, b) => a * b, 1);
  const program = {
    outputShape: p.outputShape,
    shaderKey: `nas_${p.key}`,
    variableNames: p.names,
    workgroupSize: [WORKGROUP, 1, 1] as [number, number, number],
    dispatchLayout: { x: p.outputShape.map((_, i) => i) },
    dispatch: [p.layout === 'element' ? Math.ceil(size / WORKGROUP) : size, 1, 1] as [number, number, number],
    size: true,
    uniforms: p.uniforms,
    getUserCode: () => p.code,
  };
  // every dispatch counts as a launch in the bench, on top of the kernel that made it (as the
  // composed kernels' inner calls do): the figure errs high, never low
  innerKernelCalls.count++;
  return (backend as WebGpuBackendLike).runWebGPUProgram(program, p.inputs, 'float32', p.uniformData);
}

/**
 * WGSL that sums `term` (an f32 expression of row `r` and channel `ch`) over the rows of one
 * channel in a workgroup, into `total` for invocation 0. Needs `rows` among the uniforms.
 */
export function channelSum(term: string): string {
  return `
    var partial = 0.0;
    for (var r = i32(localId.x); r < uniforms.rows; r = r + ${WORKGROUP}) {
      partial = partial + ${term};
    }
    sums[localId.x] = partial;
    workgroupBarrier();
    for (var half = ${WORKGROUP / 2}u; half > 0u; half = half / 2u) {
      if (localId.x < half) {
        sums[localId.x] = sums[localId.x] + sums[localId.x + half];
      }
      workgroupBarrier();
    }
    let total = sums[0];`;
}

export const SUMS_DECLARATION = `var<workgroup> sums : array<f32, ${WORKGROUP}>;`;
