/**
 * The AttentiveNAS subnet encoding and what can be done with it without a network:
 * validate, canonical key and hash, the largest and smallest subnet, and the list of
 * independent choice "slots" that samplers and evolution draw from.
 */
import { z } from 'zod';
import { hashString32 } from '../training/rng';
import { describeZodError, last, type SearchSpace } from './space';

/** Same key names and shape as AttentiveNAS: width has S+2 entries (stem, stages, last conv). */
export interface Subnet {
  resolution: number;
  width: number[];
  depth: number[];
  kernel_size: number[];
  expand_ratio: number[];
}

const intArray = z.array(z.number().int());
export const subnetSchema = z.object({
  resolution: z.number().int(),
  width: intArray,
  depth: intArray,
  kernel_size: intArray,
  expand_ratio: intArray,
});

export type SlotKey = 'resolution' | 'width' | 'depth' | 'kernel_size' | 'expand_ratio';

/** One independent choice of the encoding: its place and the values it may take. */
export interface Slot {
  key: SlotKey;
  /** index into the array for array keys; -1 for resolution */
  index: number;
  choices: readonly number[];
  label: string;
}

export function slotsOf(space: SearchSpace): Slot[] {
  const slots: Slot[] = [{ key: 'resolution', index: -1, choices: space.resolutions, label: 'resolution' }];
  slots.push({ key: 'width', index: 0, choices: space.stem.widths, label: 'stem width' });
  space.stages.forEach((stage, i) => {
    slots.push({ key: 'width', index: i + 1, choices: stage.widths, label: `stage ${i + 1} width` });
  });
  slots.push({ key: 'width', index: space.stages.length + 1, choices: space.lastConv.widths, label: 'last conv width' });
  space.stages.forEach((stage, i) => {
    slots.push({ key: 'depth', index: i, choices: stage.depths, label: `stage ${i + 1} depth` });
    slots.push({ key: 'kernel_size', index: i, choices: stage.kernelSizes, label: `stage ${i + 1} kernel` });
    slots.push({ key: 'expand_ratio', index: i, choices: stage.expandRatios, label: `stage ${i + 1} expand` });
  });
  return slots;
}

export function getSlot(subnet: Subnet, slot: Slot): number {
  return slot.key === 'resolution' ? subnet.resolution : subnet[slot.key][slot.index];
}

export function setSlot(subnet: Subnet, slot: Slot, value: number): void {
  if (slot.key === 'resolution') subnet.resolution = value;
  else subnet[slot.key][slot.index] = value;
}

function emptySubnet(space: SearchSpace): Subnet {
  const s = space.stages.length;
  return {
    resolution: 0,
    width: new Array(s + 2).fill(0),
    depth: new Array(s).fill(0),
    kernel_size: new Array(s).fill(0),
    expand_ratio: new Array(s).fill(0),
  };
}

/** Builds a subnet by choosing a value for every slot. */
export function buildSubnet(space: SearchSpace, choose: (slot: Slot, slotIndex: number) => number): Subnet {
  const subnet = emptySubnet(space);
  slotsOf(space).forEach((slot, i) => setSlot(subnet, slot, choose(slot, i)));
  return subnet;
}

export const largestSubnet = (space: SearchSpace): Subnet => buildSubnet(space, (slot) => last(slot.choices));
export const smallestSubnet = (space: SearchSpace): Subnet => buildSubnet(space, (slot) => slot.choices[0]);

/** Number of distinct subnets (product of the slot sizes). */
export function countSubnets(space: SearchSpace): number {
  return slotsOf(space).reduce((n, slot) => n * slot.choices.length, 1);
}

/** Returns the problems with a subnet for this space; an empty list means it is valid. */
export function subnetProblems(space: SearchSpace, data: unknown): string[] {
  const parsed = subnetSchema.safeParse(data);
  if (!parsed.success) return [describeZodError(parsed.error)];
  const subnet = parsed.data;
  const s = space.stages.length;
  const problems: string[] = [];
  const lengths: [SlotKey, number][] = [
    ['width', s + 2],
    ['depth', s],
    ['kernel_size', s],
    ['expand_ratio', s],
  ];
  for (const [key, expected] of lengths) {
    const got = (subnet[key] as number[]).length;
    if (got !== expected) problems.push(`${key}: expected ${expected} entries, got ${got}`);
  }
  if (problems.length) return problems;
  for (const slot of slotsOf(space)) {
    const value = getSlot(subnet, slot);
    if (!slot.choices.includes(value)) {
      const where = slot.key === 'resolution' ? 'resolution' : `${slot.key}[${slot.index}]`;
      problems.push(`${where} (${slot.label}) = ${value} is not one of ${slot.choices.join(', ')}`);
    }
  }
  return problems;
}

/** Validates unknown data as a subnet of this space; throws naming the bad field. */
export function parseSubnet(space: SearchSpace, data: unknown): Subnet {
  const problems = subnetProblems(space, data);
  if (problems.length) throw new Error(`Invalid subnet for space "${space.name}": ${problems.join('; ')}`);
  return cloneSubnet(data as Subnet);
}

export function cloneSubnet(subnet: Subnet): Subnet {
  return {
    resolution: subnet.resolution,
    width: [...subnet.width],
    depth: [...subnet.depth],
    kernel_size: [...subnet.kernel_size],
    expand_ratio: [...subnet.expand_ratio],
  };
}

/** Canonical text of an encoding: equal subnets give equal keys, whatever the key order in JSON. */
export function subnetKey(subnet: Subnet): string {
  return [
    `r${subnet.resolution}`,
    `w${subnet.width.join('.')}`,
    `d${subnet.depth.join('.')}`,
    `k${subnet.kernel_size.join('.')}`,
    `e${subnet.expand_ratio.join('.')}`,
  ].join('-');
}

/** A short stable hash of the canonical key, for deduplication and file names. */
export function subnetHash(subnet: Subnet): string {
  return hashString32(subnetKey(subnet)).toString(16).padStart(8, '0');
}

export const sameSubnet = (a: Subnet, b: Subnet): boolean => subnetKey(a) === subnetKey(b);
