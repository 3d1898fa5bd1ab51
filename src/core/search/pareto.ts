/**
 * Pareto fronts over any number of objectives, and the hypervolume that turns a front into one
 * comparable number. Objectives are given as vectors to MINIMISE; `costAccuracy` adapts the
 * common (MACs down, accuracy up) case and an optional third cost such as measured latency.
 */

/** a dominates b: no worse in every objective and better in one (all minimised). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

/**
 * The items no other item dominates. Duplicated objective vectors keep their first item only,
 * so a front never lists the same point twice. Order follows the first objective, ascending.
 */
export function nonDominated<T>(items: readonly T[], objectives: (item: T) => readonly number[]): T[] {
  const scored = items.map((item, index) => ({ item, index, v: objectives(item) }));
  scored.sort((a, b) => {
    for (let i = 0; i < a.v.length; i++) if (a.v[i] !== b.v[i]) return a.v[i] - b.v[i];
    return a.index - b.index;
  });
  const front: typeof scored = [];
  for (const candidate of scored) {
    // after the lexicographic sort only earlier items can dominate (or equal) a later one
    if (front.some((kept) => dominates(kept.v, candidate.v) || sameVector(kept.v, candidate.v))) continue;
    front.push(candidate);
  }
  return front.map((s) => s.item);
}

const sameVector = (a: readonly number[], b: readonly number[]) => a.every((x, i) => x === b[i]);

export interface CostAccuracy {
  macs: number;
  accuracy: number;
  latencyMs?: number;
}

/** (MACs, -accuracy[, latency]) as minimised objectives. */
export const costAccuracy =
  (withLatency = false) =>
  (p: CostAccuracy): number[] =>
    withLatency ? [p.macs, -p.accuracy, p.latencyMs ?? Infinity] : [p.macs, -p.accuracy];

/** The MACs-accuracy Pareto front (ascending MACs, so also ascending accuracy). */
export const paretoFront = <T extends CostAccuracy>(items: readonly T[], withLatency = false): T[] =>
  nonDominated(items, costAccuracy(withLatency));

/**
 * Hypervolume of minimised points against a reference point that every counted point must
 * strictly beat in every objective (points that do not are ignored). Exact, by slicing along
 * the last objective; fine for fronts of a few hundred points in 2 or 3 objectives.
 */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const inside = points.filter((p) => p.length === reference.length && p.every((x, i) => x < reference[i]));
  return slice(
    inside.map((p) => [...p]),
    reference,
  );
}

function slice(points: number[][], reference: readonly number[]): number {
  const d = reference.length;
  if (points.length === 0) return 0;
  if (d === 1) return reference[0] - Math.min(...points.map((p) => p[0]));
  const last = d - 1;
  const sorted = [...points].sort((a, b) => a[last] - b[last]);
  let volume = 0;
  for (let i = 0; i < sorted.length; i++) {
    const lo = sorted[i][last];
    const hi = i + 1 < sorted.length ? sorted[i + 1][last] : reference[last];
    if (hi <= lo) continue;
    // every point at or below this level of the last objective covers the slab [lo, hi)
    const active = sorted.slice(0, i + 1).map((p) => p.slice(0, last));
    volume +=
      (hi - lo) *
      slice(
        nonDominated(active, (p) => p),
        reference.slice(0, last),
      );
  }
  return volume;
}

export interface HypervolumeReference {
  /** MACs at or above which a subnet adds nothing (e.g. the space's largest MACs) */
  maxMacs: number;
  /** accuracy at or below which a subnet adds nothing (e.g. 0, or chance level) */
  minAccuracy: number;
}

/**
 * The MACs-accuracy hypervolume, normalised to [0, 1]: the area a front dominates inside the
 * box from (0 MACs, 100%) to the reference, divided by that box. Fronts of different runs of
 * one space compare by this number when they share the reference.
 */
export function macsAccuracyHypervolume(front: readonly CostAccuracy[], reference: HypervolumeReference): number {
  const box = reference.maxMacs * (1 - reference.minAccuracy);
  if (!(box > 0)) throw new Error('hypervolume reference must have maxMacs > 0 and minAccuracy < 1');
  const points = front.map((p) => [p.macs / reference.maxMacs, -(p.accuracy - reference.minAccuracy) / (1 - reference.minAccuracy)]);
  return hypervolume(points, [1, 0]);
}

/** The best (highest-accuracy) item at or under a MACs budget, or null when none fits. */
export function bestUnderBudget<T extends CostAccuracy>(items: readonly T[], maxMacs: number): T | null {
  let best: T | null = null;
  for (const item of items)
    if (item.macs <= maxMacs && (!best || item.accuracy > best.accuracy || (item.accuracy === best.accuracy && item.macs < best.macs)))
      best = item;
  return best;
}
