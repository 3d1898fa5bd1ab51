/** The BigNAS/AttentiveNAS baseline: every slot drawn uniformly and independently. */
import type { Rng } from '../training/rng';
import type { SearchSpace } from '../space/space';
import { buildSubnet, type Subnet } from '../space/subnet';

export function sampleUniform(space: SearchSpace, rng: Rng): Subnet {
  return buildSubnet(space, (slot) => rng.pick(slot.choices));
}
