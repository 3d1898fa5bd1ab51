/**
 * Drop-connect (stochastic depth) as the reference applies it to the largest net of each
 * sandwich step (docs/recipe.md): a block whose residual is an identity, in the last two
 * stages, drops its residual branch for a whole image with probability
 * rate x (block index / number of blocks), where the index counts the supernet's blocks from 0
 * across all stages (AttentiveNAS set_dropout_rate with drop_connect_only_last_two_stages). A
 * kept branch is scaled by 1 / (1 - p), so the expected output is unchanged. Training only.
 */
import type { BlockPlan } from './plan';
import type { Rng } from '../training/rng';
import type { SearchSpace } from './space';

/** the reference's drop_connect */
export const REFERENCE_DROP_CONNECT = 0.2;

/** The supernet's block count (every stage at its largest depth). */
export const supernetBlockCount = (space: SearchSpace): number => space.stages.reduce((n, stage) => n + Math.max(...stage.depths), 0);

/** The block's index among the supernet's blocks, counted from 0 across all stages. */
export function supernetBlockIndex(space: SearchSpace, block: Pick<BlockPlan, 'stage' | 'block'>): number {
  let index = block.block;
  for (let s = 0; s < block.stage; s++) index += Math.max(...space.stages[s].depths);
  return index;
}

/** The drop probability of each planned block: 0 for a block with a pool or conv shortcut, or before the last two stages. */
export function dropConnectRates(space: SearchSpace, blocks: readonly BlockPlan[], rate: number): number[] {
  if (!(rate >= 0 && rate < 1)) throw new Error(`drop-connect rate must be in [0, 1), got ${rate}`);
  const total = supernetBlockCount(space);
  const firstStage = space.stages.length - 2;
  return blocks.map((b) => {
    const identity = !b.shortcutPool && !b.shortcutConv;
    return identity && b.stage >= firstStage ? (rate * supernetBlockIndex(space, b)) / total : 0;
  });
}

/**
 * One value per image: 0 (dropped, probability p) or 1 / (1 - p) (kept). Drawn as the
 * reference does, floor(1 - p + u) with u uniform in [0, 1), from the caller's seeded stream.
 */
export function dropConnectMask(images: number, p: number, rng: Rng): Float32Array {
  const keep = 1 - p;
  const mask = new Float32Array(images);
  for (let i = 0; i < images; i++) mask[i] = Math.floor(keep + rng.next()) / keep;
  return mask;
}
