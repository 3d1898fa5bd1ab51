/** The BigNAS/AttentiveNAS baseline: every slot drawn uniformly and independently. */
import type { Rng } from './rng';
import type { SearchSpace } from './space';
import { buildSubnet, type Subnet } from './subnet';

export function sampleUniform(space: SearchSpace, rng: Rng): Subnet {
  return buildSubnet(space, (slot) => rng.pick(slot.choices));
}
