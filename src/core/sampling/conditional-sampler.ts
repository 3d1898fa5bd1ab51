/**
 * pi(alpha | tau): sampling a subnet whose MACs fall in a target bin, as the reference does.
 * Every slot is drawn independently from the prior's table P(choice | bin); the MACs of the
 * draw are computed (fast evaluator) and the draw is accepted if it lands in the bin, else
 * drawn again. After `maxTries` draws (101 in the reference) the last draw is kept anyway and
 * reported with accepted = false; such give-ups are counted, overall and per bin.
 */
import { makeMacsEvaluator, subnetFromChoices, type MacsEvaluator } from '../space/fast-macs';
import { binOf, type FlopsPrior } from './flops-prior';
import type { Rng } from '../training/rng';
import type { SearchSpace } from '../space/space';
import { slotsOf, type Subnet } from '../space/subnet';

export interface ConditionalDraw {
  subnet: Subnet;
  macs: number;
  /** the requested bin (the subnet lies in it when accepted) */
  bin: number;
  /** draws made, 1..maxTries */
  tries: number;
  accepted: boolean;
}

export interface ConditionalStats {
  draws: number;
  giveUps: number;
  triesTotal: number;
  perBin: { draws: number; giveUps: number }[];
}

export const DEFAULT_MAX_TRIES = 101;

export class ConditionalSampler {
  readonly stats: ConditionalStats;
  readonly maxTries: number;
  private readonly evaluate: MacsEvaluator;
  private readonly slotCount: number;
  private readonly sizes: Int32Array;
  /** cumulative tables, flat: cum[bin * perBin + offset[slot] + choice] */
  private readonly cum: Float64Array;
  private readonly offset: Int32Array;
  private readonly perBin: number;
  private readonly scratch: Uint8Array;

  constructor(
    private readonly space: SearchSpace,
    readonly prior: FlopsPrior,
    maxTries: number = DEFAULT_MAX_TRIES,
  ) {
    if (!Number.isInteger(maxTries) || maxTries < 1)
      throw new Error(`ConditionalSampler: maxTries must be a positive integer, got ${maxTries}`);
    const slots = slotsOf(space);
    if (prior.spaceName !== space.name || prior.pool.slots !== slots.length) {
      throw new Error(`ConditionalSampler: the FLOPs prior was built for space "${prior.spaceName}", not "${space.name}"`);
    }
    this.maxTries = maxTries;
    this.evaluate = makeMacsEvaluator(space);
    this.slotCount = slots.length;
    this.sizes = Int32Array.from(slots, (slot) => slot.choices.length);
    this.offset = new Int32Array(slots.length);
    let perBin = 0;
    slots.forEach((_, s) => {
      this.offset[s] = perBin;
      perBin += this.sizes[s];
    });
    this.perBin = perBin;
    const B = prior.counts.length;
    this.cum = new Float64Array(B * perBin);
    for (let b = 0; b < B; b++) {
      for (let s = 0; s < slots.length; s++) {
        const row = prior.tables[b][s];
        let acc = 0;
        for (let c = 0; c < this.sizes[s]; c++) this.cum[b * perBin + this.offset[s] + c] = acc += row[c];
      }
    }
    this.scratch = new Uint8Array(slots.length);
    this.stats = {
      draws: 0,
      giveUps: 0,
      triesTotal: 0,
      perBin: Array.from({ length: B }, () => ({ draws: 0, giveUps: 0 })),
    };
  }

  /** Draws a subnet in `bin` (see the module comment); one rng.next() per slot per try. */
  sampleInBin(bin: number, rng: Rng): ConditionalDraw {
    const B = this.prior.counts.length;
    if (!Number.isInteger(bin) || bin < 0 || bin >= B) throw new Error(`ConditionalSampler: bin ${bin} is outside 0..${B - 1}`);
    const ci = this.scratch;
    const base = bin * this.perBin;
    let macs = 0;
    let tries = 0;
    let accepted = false;
    while (tries < this.maxTries) {
      tries++;
      for (let s = 0; s < this.slotCount; s++) {
        const u = rng.next();
        const at = base + this.offset[s];
        const last = this.sizes[s] - 1;
        let c = 0;
        // the row's cumulative sum may end a hair below 1: the last choice takes the remainder
        while (c < last && u >= this.cum[at + c]) c++;
        ci[s] = c;
      }
      macs = this.evaluate(ci);
      if (binOf(this.prior, macs) === bin) {
        accepted = true;
        break;
      }
    }
    const st = this.stats;
    st.draws++;
    st.triesTotal += tries;
    st.perBin[bin].draws++;
    if (!accepted) {
      st.giveUps++;
      st.perBin[bin].giveUps++;
    }
    return { subnet: subnetFromChoices(this.space, ci), macs, bin, tries, accepted };
  }

  /** Share of draws that gave up (0 before any draw). */
  giveUpRate(): number {
    return this.stats.draws === 0 ? 0 : this.stats.giveUps / this.stats.draws;
  }

  /** Mean draws per sampleInBin call (0 before any). */
  meanTries(): number {
    return this.stats.draws === 0 ? 0 : this.stats.triesTotal / this.stats.draws;
  }
}
