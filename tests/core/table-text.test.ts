import { describe, expect, it } from 'vitest';
import { tableToJson, toCsv, toJsonText } from '../../src/core/comparison/table-text';
import { emaSmooth } from '../../src/core/comparison/smoothing';

describe('toCsv', () => {
  it('writes a header and rows with CRLF line ends', () => {
    expect(
      toCsv({
        columns: ['step', 'loss'],
        rows: [
          [1, 2.5],
          [2, 2.25],
        ],
      }),
    ).toBe('step,loss\r\n1,2.5\r\n2,2.25\r\n');
  });
  it('quotes commas, quotes, line breaks and edge spaces, doubling quotes', () => {
    const csv = toCsv({ columns: ['name'], rows: [['a,b'], ['say "hi"'], ['two\nlines'], [' pad'], ['plain']] });
    expect(csv).toBe('name\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n" pad"\r\nplain\r\n');
  });
  it('keeps numbers at full precision and leaves non-finite and missing cells empty', () => {
    const csv = toCsv({ columns: ['a', 'b', 'c', 'd', 'e'], rows: [[0.1 + 0.2, 1e-7, NaN, Infinity, null]] });
    expect(csv.split('\r\n')[1]).toBe('0.30000000000000004,1e-7,,,');
    expect(Number(csv.split('\r\n')[1].split(',')[0])).toBe(0.1 + 0.2);
  });
  it('quotes a header that needs it', () => {
    expect(toCsv({ columns: ['MACs, M'], rows: [] })).toBe('"MACs, M"\r\n');
  });
});

describe('JSON', () => {
  it('writes a table as records with null for non-finite numbers', () => {
    expect(
      JSON.parse(
        tableToJson({
          columns: ['x', 'y'],
          rows: [
            [1, NaN],
            ['a,"b"', true],
          ],
        }),
      ),
    ).toEqual([
      { x: 1, y: null },
      { x: 'a,"b"', y: true },
    ]);
  });
  it('writes any value with non-finite numbers as null', () => {
    expect(JSON.parse(toJsonText({ a: [1, -Infinity], b: 'x\ny' }))).toEqual({ a: [1, null], b: 'x\ny' });
  });
});

describe('emaSmooth', () => {
  it('is the identity at weight 0', () => {
    expect(emaSmooth([3, 1, 2], 0)).toEqual([3, 1, 2]);
  });
  it('starts at the first value (debiased) and moves towards later ones', () => {
    const s = emaSmooth([2, 0, 0], 0.5);
    expect(s[0]).toBeCloseTo(2);
    // (0.5*(0.5*2... debiased: avg2 = 0.5*1 = 0.5, / (1-0.25) = 2/3
    expect(s[1]).toBeCloseTo(2 / 3);
    expect(s[2]).toBeLessThan(s[1]);
  });
  it('keeps a constant series constant and skips non-finite values', () => {
    const s = emaSmooth([1, 1, NaN, 1], 0.9);
    expect(s[0]).toBeCloseTo(1);
    expect(Number.isNaN(s[2])).toBe(true);
    expect(s[3]).toBeCloseTo(1);
  });
});

describe('run tables', async () => {
  const { stepsTable, epochsTable } = await import('../../src/core/records/run-tables');
  it('writes a row per trained subnet per step, counting steps from 1', () => {
    const t = stepsTable([{ step: 0, lr: 0.1, roles: ['largest', 'smallest'], macs: [5e6, 1e6], losses: [2.3, 2.31], bins: [9, 0] }]);
    expect(toCsv(t)).toBe(
      'step,lr,slot,role,macs,loss,prior_bin,target_bin\r\n1,0.1,0,largest,5000000,2.3,9,\r\n1,0.1,1,smallest,1000000,2.31,0,\r\n',
    );
  });
  it('writes epochs with NaN mean losses as empty cells', () => {
    const pair = { accuracy: 0.5, correct: 1, total: 2, calibrationBatches: 1, ms: 1 };
    const t = epochsTable([
      {
        epoch: 0,
        steps: 3,
        seconds: 1.5,
        meanLoss: { largest: 2, sampled: NaN, smallest: 2.1 },
        validation: { largest: pair, smallest: pair },
      },
    ]);
    expect(toCsv(t).split('\r\n')[1]).toBe('1,3,1.5,0.5,0.5,2,,2.1');
  });
});
