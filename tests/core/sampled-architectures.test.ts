import { describe, expect, it } from 'vitest';
import { distinctSampledArchitectures } from '../../src/core/sampling/sampled-architectures';

describe('distinctSampledArchitectures', () => {
  it('counts distinct middle subnets only, not the largest and smallest', () => {
    const roles = ['largest', 'sampled', 'sampled', 'smallest'];
    const steps = [
      { roles, subnets: ['L', 'a', 'b', 's'] },
      { roles, subnets: ['L', 'a', 'c', 's'] },
      { roles, subnets: ['L', 'b', 'L', 's'] }, // the largest drawn as a middle subnet counts
    ];
    expect(distinctSampledArchitectures(steps)).toEqual({ distinct: 4, sampled: 6 });
    expect(distinctSampledArchitectures([])).toEqual({ distinct: 0, sampled: 0 });
  });
});
