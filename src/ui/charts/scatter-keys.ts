/**
 * Keyboard movement over the Pareto scatter, kept apart from the canvas so it can be tested:
 * Left/Right step through every evaluated subnet ordered by MACs, Up/Down step along the front
 * (from a point off the front, to the front point nearest in MACs), Home/End go to the ends.
 */
import type { EvaluatedSubnet } from '../../core/search/evolution';

/** The key of the point to move to, null to keep none, or undefined when the key is not a movement. */
export function nextPointKey(
  key: string,
  current: string | null,
  byMacs: EvaluatedSubnet[],
  frontByMacs: EvaluatedSubnet[],
): string | undefined {
  if (byMacs.length === 0) return undefined;
  const at = byMacs.findIndex((p) => p.key === current);
  const clampTo = (list: EvaluatedSubnet[], i: number) => list[Math.max(0, Math.min(list.length - 1, i))].key;
  switch (key) {
    case 'ArrowRight':
      return clampTo(byMacs, at < 0 ? 0 : at + 1);
    case 'ArrowLeft':
      return clampTo(byMacs, at < 0 ? 0 : at - 1);
    case 'Home':
      return byMacs[0].key;
    case 'End':
      return byMacs[byMacs.length - 1].key;
    case 'ArrowUp':
    case 'ArrowDown': {
      if (frontByMacs.length === 0) return undefined;
      const onFront = frontByMacs.findIndex((p) => p.key === current);
      // along the front, higher MACs is higher accuracy: Up goes to the next larger subnet
      if (onFront >= 0) return clampTo(frontByMacs, onFront + (key === 'ArrowUp' ? 1 : -1));
      const macs = at >= 0 ? byMacs[at].macs : frontByMacs[0].macs;
      let nearest = 0;
      frontByMacs.forEach((p, i) => {
        if (Math.abs(p.macs - macs) < Math.abs(frontByMacs[nearest].macs - macs)) nearest = i;
      });
      return frontByMacs[nearest].key;
    }
    default:
      return undefined;
  }
}

const origins: Record<string, string> = {
  smallest: 'the smallest subnet, put into the first population',
  seed: 'a random subnet of the first population',
  mutation: 'a mutation of a parent on the front',
  crossover: 'a crossover of two parents',
};

/** How a subnet came into the search, in words ("generation 0 by smallest" meant nothing to a reader). */
export const describeOrigin = (entry: Pick<EvaluatedSubnet, 'generation' | 'origin'>): string =>
  `generation ${entry.generation}: ${origins[entry.origin] ?? entry.origin}`;

/** What a screen reader says about the chosen point. */
export function describePoint(entry: EvaluatedSubnet, index: number, count: number, onFront: boolean): string {
  return `subnet ${index + 1} of ${count}: ${(entry.macs / 1e6).toFixed(3)} M MACs, ${(entry.accuracy * 100).toFixed(2)}% validation top-1, ${describeOrigin(entry)}${onFront ? ', on the Pareto front' : ''}`;
}
