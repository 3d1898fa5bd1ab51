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
    const variable = this.whole(name, sizes);
    const size = variable.shape.map((d, i) => (i < sizes.length ? sizes[i] : d));
    return size.every((s, i) => s === variable.shape[i])
      ? variable
      : tf.slice(
          variable,
          variable.shape.map(() => 0),
          size,
        );
  }

  /**
   * The whole variable, recording that its first `sizes[i]` entries along each leading
   * dimension are read: for kernels that read a prefix in place.
   */
  whole(name: string, sizes: number[]): tf.Variable {
    const variable = this.net.get(name);
    const full = variable.shape;
    sizes.forEach((s, i) => {
      if (s > full[i] || s < 1) throw new Error(`${name}: slice of ${s} along dim ${i} exceeds ${full[i]}`);
    });
    this.record(
      name,
      full.map(() => 0),
      full.map((d, i) => (i < sizes.length ? sizes[i] : d)),
    );
    return variable;
  }

  /**
   * A [K, K, C, 1] depthwise kernel whose centre k x k crop of the first `channels` channels
   * is read: records that region and returns the whole variable (the conv forms crop it, or
   * read the crop in place).
   */
  centreKernel(name: string, kernelSize: number, channels: number): tf.Variable {
    const variable = this.net.get(name);
    const [kMax, , cMax] = variable.shape;
    const offset = (kMax - kernelSize) / 2;
    if (!Number.isInteger(offset) || offset < 0 || channels > cMax) {
      throw new Error(`${name}: cannot crop kernel ${kernelSize}x${kernelSize}x${channels} from ${variable.shape.join('x')}`);
    }
    this.record(name, [offset, offset, 0, 0], [kernelSize, kernelSize, channels, 1]);
    return variable;
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
