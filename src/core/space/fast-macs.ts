/**
 * MACs of a subnet from its slot choice indices, without building a plan.
 *
 * `countMacs` (macs.ts) is the reference: it builds the layer plan and the layer list, which
 * allocates a few dozen objects per call. The FLOPs prior needs 10^6 evaluations and the
 * conditional sampler evaluates every draw, so this module precomputes per-stage MACs tables
 * once per space and returns a closure that only does table lookups (about 6 per call).
 * Every term is the same integer product as in countMacs, and all partial sums stay below
 * 2^53, so the result is exactly equal (a test checks it against countMacs). `macsRange`
 * gives the exact smallest and largest MACs of the whole space.
 *
 * A subnet's "choice indices" are, per slot of `slotsOf(space)`, the index of its value in
 * that slot's `choices`.
 */
import { convOutSize, seChannelsFor } from './plan';
import type { SearchSpace } from './space';
import { buildSubnet, getSlot, slotsOf, type Slot, type SlotKey, type Subnet } from './subnet';

/** Returns the MACs of the subnet whose slot choice indices start at `offset` (default 0). */
export type MacsEvaluator = (choiceIndices: ArrayLike<number>, offset?: number) => number;

function slotPosition(slots: readonly Slot[], key: SlotKey, index: number): number {
  const i = slots.findIndex((slot) => slot.key === key && slot.index === index);
  if (i < 0) throw new Error(`fast-macs: search space has no slot ${key}[${index}]`);
  return i;
}

/** MACs of one stage (all its blocks) entered with `inChannels` at side `inSize`. */
function stageMacs(
  inChannels: number,
  inSize: number,
  out: number,
  depth: number,
  kernel: number,
  expand: number,
  firstStride: number,
  squeezeExcite: boolean,
): number {
  let macs = 0;
  let channels = inChannels;
  let size = inSize;
  for (let b = 0; b < depth; b++) {
    const stride = b === 0 ? firstStride : 1;
    const hidden = channels * expand;
    const outSize = convOutSize(size, kernel, stride);
    const outArea = outSize * outSize;
    if (expand !== 1) macs += channels * hidden * size * size; // 1x1 expand at the input side
    macs += hidden * kernel * kernel * outArea; // depthwise
    if (squeezeExcite) macs += 2 * hidden * seChannelsFor(hidden); // SE reduce + expand (1x1 on 1x1)
    macs += hidden * out * outArea; // 1x1 project
    if (channels !== out) macs += channels * out * outArea; // 1x1 shortcut conv
    channels = out;
    size = outSize;
  }
  return macs;
}

function stageOutSize(inSize: number, depth: number, kernel: number, firstStride: number): number {
  let size = inSize;
  for (let b = 0; b < depth; b++) size = convOutSize(size, kernel, b === 0 ? firstStride : 1);
  return size;
}

/**
 * A MACs counter for one space: `evaluate(choiceIndices, offset?)` equals
 * `countMacs(space, subnetFromChoices(space, choiceIndices))` and allocates nothing per call.
 * Indices are not range-checked (hot path); pass only valid indices.
 *
 * Kernel sizes are odd (the space schema enforces it), so with padding k//2 a feature map's
 * side depends only on the input resolution and the strides, not on kernels or depths. The
 * MACs of a stage are then a function of (resolution, its input width, its own width, depth,
 * kernel, expand) choices, tabulated once per space; an evaluation is one table lookup per
 * stage plus the stem and the last conv. If that premise fails for some space (checked
 * below), or the tables would be huge, the direct per-block loop is used instead.
 */
export function makeMacsEvaluator(space: SearchSpace): MacsEvaluator {
  return makeTabulatedMacsEvaluator(space) ?? makeDirectMacsEvaluator(space);
}

interface Layout {
  slots: Slot[];
  S: number;
  resSlot: number;
  widthSlot: Int32Array;
  depthSlot: Int32Array;
  kernelSlot: Int32Array;
  expandSlot: Int32Array;
}

function layoutOf(space: SearchSpace): Layout {
  const slots = slotsOf(space);
  const S = space.stages.length;
  return {
    slots,
    S,
    resSlot: slotPosition(slots, 'resolution', -1),
    widthSlot: Int32Array.from({ length: S + 2 }, (_, i) => slotPosition(slots, 'width', i)),
    depthSlot: Int32Array.from({ length: S }, (_, i) => slotPosition(slots, 'depth', i)),
    kernelSlot: Int32Array.from({ length: S }, (_, i) => slotPosition(slots, 'kernel_size', i)),
    expandSlot: Int32Array.from({ length: S }, (_, i) => slotPosition(slots, 'expand_ratio', i)),
  };
}

const MAX_TABLE_ENTRIES = 4_000_000;

function makeTabulatedMacsEvaluator(space: SearchSpace): MacsEvaluator | null {
  const { S, resSlot, widthSlot, depthSlot, kernelSlot, expandSlot } = layoutOf(space);
  const R = space.resolutions.length;
  // side entering each stage (and the last conv) per resolution, checked to be kernel- and depth-free
  const sizeIn: number[][] = []; // sizeIn[s][r], s = 0..S (S = last conv)
  for (let s = 0; s <= S; s++) sizeIn.push([]);
  for (let r = 0; r < R; r++) {
    let size = convOutSize(space.resolutions[r], space.stem.kernelSize, space.stem.stride);
    for (let s = 0; s < S; s++) {
      sizeIn[s].push(size);
      const stage = space.stages[s];
      const outs = new Set<number>();
      for (const depth of stage.depths) for (const k of stage.kernelSizes) outs.add(stageOutSize(size, depth, k, stage.stride));
      if (outs.size !== 1) return null;
      size = [...outs][0];
    }
    sizeIn[S].push(size);
  }
  const widthsIn = (s: number) => (s === 0 ? space.stem.widths : space.stages[s - 1].widths); // input widths of stage s
  let entries = 0;
  for (let s = 0; s < S; s++) {
    const st = space.stages[s];
    entries += R * widthsIn(s).length * st.widths.length * st.depths.length * st.kernelSizes.length * st.expandRatios.length;
  }
  if (entries > MAX_TABLE_ENTRIES) return null;

  const k0 = space.stem.kernelSize;
  const nStem = space.stem.widths.length;
  const stemTable = new Float64Array(R * nStem);
  for (let r = 0; r < R; r++) {
    const size = sizeIn[0][r];
    space.stem.widths.forEach((w, i) => (stemTable[r * nStem + i] = space.input.channels * w * k0 * k0 * size * size));
  }

  const stageTable = new Float64Array(entries);
  const stageOff = new Int32Array(S);
  const nIn = new Int32Array(S);
  const nOut = new Int32Array(S);
  const nD = new Int32Array(S);
  const nK = new Int32Array(S);
  const nE = new Int32Array(S);
  let at = 0;
  for (let s = 0; s < S; s++) {
    const st = space.stages[s];
    const ins = widthsIn(s);
    stageOff[s] = at;
    nIn[s] = ins.length;
    nOut[s] = st.widths.length;
    nD[s] = st.depths.length;
    nK[s] = st.kernelSizes.length;
    nE[s] = st.expandRatios.length;
    for (let r = 0; r < R; r++)
      for (const cin of ins)
        for (const out of st.widths)
          for (const depth of st.depths)
            for (const k of st.kernelSizes)
              for (const e of st.expandRatios) {
                stageTable[at++] = stageMacs(cin, sizeIn[s][r], out, depth, k, e, st.stride, st.squeezeExcite);
              }
  }

  const lastIns = S === 0 ? space.stem.widths : space.stages[S - 1].widths;
  const nLastIn = lastIns.length;
  const nLast = space.lastConv.widths.length;
  const lastTable = new Float64Array(R * nLastIn * nLast);
  for (let r = 0; r < R; r++) {
    const size = sizeIn[S][r];
    lastIns.forEach((cin, i) =>
      space.lastConv.widths.forEach((w, j) => {
        lastTable[(r * nLastIn + i) * nLast + j] = cin * w * size * size + w * space.numClasses;
      }),
    );
  }
  const w0 = widthSlot[0];
  const wl = widthSlot[S + 1];

  return (ci: ArrayLike<number>, offset = 0): number => {
    const r = ci[offset + resSlot];
    let prev = ci[offset + w0];
    let macs = stemTable[r * nStem + prev];
    for (let s = 0; s < S; s++) {
      const w = ci[offset + widthSlot[s + 1]];
      const idx =
        ((((r * nIn[s] + prev) * nOut[s] + w) * nD[s] + ci[offset + depthSlot[s]]) * nK[s] + ci[offset + kernelSlot[s]]) * nE[s] +
        ci[offset + expandSlot[s]];
      macs += stageTable[stageOff[s] + idx];
      prev = w;
    }
    return macs + lastTable[(r * nLastIn + prev) * nLast + ci[offset + wl]];
  };
}

/** The block-by-block evaluator (no tables); the fallback of makeMacsEvaluator. Exported for tests. */
export function makeDirectMacsEvaluator(space: SearchSpace): MacsEvaluator {
  const { slots, S, resSlot, widthSlot, depthSlot, kernelSlot, expandSlot } = layoutOf(space);
  // all slot values in one flat array; value of slot p, choice c = values[vo[p] + c]
  const vo = new Int32Array(slots.length);
  let total = 0;
  slots.forEach((slot, p) => {
    vo[p] = total;
    total += slot.choices.length;
  });
  const values = new Float64Array(total);
  slots.forEach((slot, p) => values.set(slot.choices, vo[p]));
  const stride = Int32Array.from(space.stages, (stage) => stage.stride);
  const se = space.stages.map((stage) => stage.squeezeExcite);
  const inputChannels = space.input.channels;
  const stemKernel = space.stem.kernelSize;
  const stemStride = space.stem.stride;
  const numClasses = space.numClasses;

  return (ci: ArrayLike<number>, offset = 0): number => {
    const resolution = values[vo[resSlot] + ci[offset + resSlot]];
    const w0 = widthSlot[0];
    let channels = values[vo[w0] + ci[offset + w0]];
    let size = convOutSize(resolution, stemKernel, stemStride);
    let macs = inputChannels * channels * stemKernel * stemKernel * size * size;
    for (let s = 0; s < S; s++) {
      const ws = widthSlot[s + 1];
      const ds = depthSlot[s];
      const ks = kernelSlot[s];
      const es = expandSlot[s];
      const out = values[vo[ws] + ci[offset + ws]];
      const depth = values[vo[ds] + ci[offset + ds]];
      const kernel = values[vo[ks] + ci[offset + ks]];
      const expand = values[vo[es] + ci[offset + es]];
      macs += stageMacs(channels, size, out, depth, kernel, expand, stride[s], se[s]);
      size = stageOutSize(size, depth, kernel, stride[s]);
      channels = out;
    }
    const wl = widthSlot[S + 1];
    const last = values[vo[wl] + ci[offset + wl]];
    return macs + channels * last * size * size + last * numClasses;
  };
}

/**
 * The exact smallest and largest MACs over every subnet of the space, by dynamic programming
 * over stages (the state between stages is the channel count and the feature-map side).
 * This does not assume MACs grow with every choice: a narrower width can add a shortcut conv.
 */
export function macsRange(space: SearchSpace): { minMacs: number; maxMacs: number } {
  type State = { channels: number; size: number; min: number; max: number };
  let states = new Map<string, State>();
  const merge = (map: Map<string, State>, channels: number, size: number, min: number, max: number) => {
    const key = `${channels}x${size}`;
    const had = map.get(key);
    if (!had) map.set(key, { channels, size, min, max });
    else {
      had.min = Math.min(had.min, min);
      had.max = Math.max(had.max, max);
    }
  };
  const k = space.stem.kernelSize;
  for (const resolution of space.resolutions) {
    const size = convOutSize(resolution, k, space.stem.stride);
    for (const w of space.stem.widths) {
      const macs = space.input.channels * w * k * k * size * size;
      merge(states, w, size, macs, macs);
    }
  }
  for (const stage of space.stages) {
    const next = new Map<string, State>();
    for (const st of states.values()) {
      for (const out of stage.widths)
        for (const depth of stage.depths)
          for (const kernel of stage.kernelSizes)
            for (const expand of stage.expandRatios) {
              const macs = stageMacs(st.channels, st.size, out, depth, kernel, expand, stage.stride, stage.squeezeExcite);
              merge(next, out, stageOutSize(st.size, depth, kernel, stage.stride), st.min + macs, st.max + macs);
            }
    }
    states = next;
  }
  let minMacs = Infinity;
  let maxMacs = -Infinity;
  for (const st of states.values()) {
    for (const last of space.lastConv.widths) {
      const macs = st.channels * last * st.size * st.size + last * space.numClasses;
      minMacs = Math.min(minMacs, st.min + macs);
      maxMacs = Math.max(maxMacs, st.max + macs);
    }
  }
  return { minMacs, maxMacs };
}

/** Slot choice indices of a subnet; throws naming the slot whose value is not a choice. */
export function choiceIndicesOf(space: SearchSpace, subnet: Subnet): Uint8Array {
  const slots = slotsOf(space);
  const out = new Uint8Array(slots.length);
  slots.forEach((slot, s) => {
    if (slot.choices.length > 256) throw new Error(`${slot.label} has more than 256 choices`);
    const value = getSlot(subnet, slot);
    const i = slot.choices.indexOf(value);
    if (i < 0) {
      throw new Error(`choiceIndicesOf: ${slot.label} = ${value} is not one of ${slot.choices.join(', ')} in space "${space.name}"`);
    }
    out[s] = i;
  });
  return out;
}

/** The subnet whose slot s takes `slotsOf(space)[s].choices[choiceIndices[s]]`. */
export function subnetFromChoices(space: SearchSpace, choiceIndices: ArrayLike<number>): Subnet {
  const slots = slotsOf(space);
  if (choiceIndices.length < slots.length) {
    throw new Error(`subnetFromChoices: expected ${slots.length} choice indices, got ${choiceIndices.length}`);
  }
  return buildSubnet(space, (slot, s) => {
    const c = choiceIndices[s];
    if (!(c >= 0 && c < slot.choices.length) || !Number.isInteger(c)) {
      throw new Error(`subnetFromChoices: ${slot.label} index ${c} is outside 0..${slot.choices.length - 1}`);
    }
    return slot.choices[c];
  });
}
