/**
 * What an epoch's record needs from its steps: when the epoch began and the mean loss of each
 * sandwich role over the steps trained in it (a resumed epoch counts only the steps after the
 * checkpoint).
 */
import type { EpochRecord, StepRecord, SubnetRole } from '../../core/records/run-records';

export class EpochTally {
  /** performance clock at the epoch's first step, for the record's seconds */
  readonly startedAt = performance.now();
  private readonly lossSums: Record<SubnetRole, { sum: number; n: number }> = {
    largest: { sum: 0, n: 0 },
    sampled: { sum: 0, n: 0 },
    smallest: { sum: 0, n: 0 },
  };

  add(record: StepRecord): void {
    record.roles.forEach((role, i) => {
      this.lossSums[role].sum += record.losses[i];
      this.lossSums[role].n += 1;
    });
  }

  /** Mean loss per role; NaN for a role no step trained. */
  meanLoss(): EpochRecord['meanLoss'] {
    const mean = (r: SubnetRole) => (this.lossSums[r].n ? this.lossSums[r].sum / this.lossSums[r].n : NaN);
    return { largest: mean('largest'), sampled: mean('sampled'), smallest: mean('smallest') };
  }
}
