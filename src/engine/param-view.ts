/**
 * Reads the active part of supernet variables for one forward pass and records which
 * region of each variable was read, so an update can touch only the weights in use.
 */
import * as tf from '@tensorflow/tfjs';
import type { Supernet } from './supernet';

export interface Region {
  begin: number[];
  size: number[];
}

/** Regions read per variable name; one box per read. */
export type UsedRegions = Map<string, Region[]>;

export class ParamView {
  constructor(
    private readonly net: Supernet,
    private readonly used: UsedRegions | null = null,
  ) {}

  /** The first `sizes[i]` entries along each leading dimension (remaining dimensions whole). */
  prefix(name: string, sizes: number[]): tf.Tensor {
    const variable = this.net.get(name);
    const full = variable.shape;
    const size = full.map((d, i) => (i < sizes.length ? sizes[i] : d));
    size.forEach((s, i) => {
      if (s > full[i] || s < 1) throw new Error(`${name}: slice of ${s} along dim ${i} exceeds ${full[i]}`);
    });
    const begin = full.map(() => 0);
    this.record(name, begin, size);
    return size.every((s, i) => s === full[i]) ? variable : tf.slice(variable, begin, size);
  }

  /** Centre k x k crop of a [K, K, C, 1] depthwise kernel, first `channels` channels. */
  centreKernel(name: string, kernelSize: number, channels: number): tf.Tensor4D {
    const variable = this.net.get(name);
    const [kMax, , cMax] = variable.shape;
    const offset = (kMax - kernelSize) / 2;
    if (!Number.isInteger(offset) || offset < 0 || channels > cMax) {
      throw new Error(`${name}: cannot crop kernel ${kernelSize}x${kernelSize}x${channels} from ${variable.shape.join('x')}`);
    }
    const begin = [offset, offset, 0, 0];
    const size = [kernelSize, kernelSize, channels, 1];
    this.record(name, begin, size);
    return (size.every((s, i) => s === variable.shape[i]) ? variable : tf.slice(variable, begin, size)) as tf.Tensor4D;
  }

  private record(name: string, begin: number[], size: number[]): void {
    if (!this.used) return;
    const list = this.used.get(name) ?? [];
    if (!list.some((r) => sameBox(r, begin, size))) list.push({ begin, size });
    this.used.set(name, list);
  }
}

const sameBox = (r: Region, begin: number[], size: number[]) =>
  r.begin.every((b, i) => b === begin[i]) && r.size.every((s, i) => s === size[i]);

export function coversAll(regions: Region[], shape: number[]): boolean {
  return regions.some((r) => r.begin.every((b) => b === 0) && r.size.every((s, i) => s === shape[i]));
}

/** 0/1 mask of a variable's shape: 1 inside any of the regions. */
export function regionMask(regions: Region[], shape: number[]): Float32Array {
  const total = shape.reduce((a, b) => a * b, 1);
  const mask = new Float32Array(total);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  for (const r of regions) {
    const fill = (dim: number, base: number) => {
      if (dim === shape.length) {
        mask[base] = 1;
        return;
      }
      for (let i = r.begin[dim]; i < r.begin[dim] + r.size[dim]; i++) fill(dim + 1, base + i * strides[dim]);
    };
    fill(0, 0);
  }
  return mask;
}
