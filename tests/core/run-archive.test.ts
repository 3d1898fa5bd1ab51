import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/core/records/checkpoint-format';
import {
  decodeRunArchive,
  encodeRunArchive,
  MAX_RUN_HEADER_BYTES,
  RUN_ARCHIVE_TYPE,
  RUN_ARCHIVE_VERSION,
} from '../../src/core/records/run-archive';
import type { PersistedRun, PersistedSearch } from '../../src/core/records/run-record-schema';
import { makeCheckpoint, makeCheckpointBytes, makeRun, makeSearch, RUN_ID } from './run-fixtures';

const MAGIC = 'NASRUN01';
const EXPORTED_AT = '2025-03-04T06:00:00.000Z';

const encode = (run: PersistedRun, search: PersistedSearch | null, checkpoint: Uint8Array | null) =>
  encodeRunArchive({ run, search, checkpoint, toolVersion: '0.1.0', exportedAt: EXPORTED_AT });

const validArchive = () => {
  const checkpoint = makeCheckpointBytes();
  return encode(makeRun(checkpoint), makeSearch(), checkpoint);
};

/** The header of a valid archive as plain JSON, to edit into what encode refuses to write. */
function validHeader(): Record<string, any> {
  const checkpoint = makeCheckpointBytes();
  return JSON.parse(
    JSON.stringify({
      type: RUN_ARCHIVE_TYPE,
      version: RUN_ARCHIVE_VERSION,
      toolVersion: '0.1.0',
      exportedAt: EXPORTED_AT,
      run: makeRun(checkpoint),
      search: makeSearch(),
      checkpointBytes: checkpoint.length,
    }),
  );
}

/** A file built by hand: magic, header length, header, zero padding to 4, then the data bytes. */
function rawArchive(
  header: object | string | Uint8Array,
  data: Uint8Array = makeCheckpointBytes(),
  options: { magic?: string; headerLength?: number } = {},
): Uint8Array {
  const headerBytes =
    header instanceof Uint8Array ? header : new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const dataStart = Math.ceil((12 + headerBytes.length) / 4) * 4;
  const bytes = new Uint8Array(dataStart + data.length);
  bytes.set(new TextEncoder().encode(options.magic ?? MAGIC).subarray(0, 8), 0);
  new DataView(bytes.buffer).setUint32(8, options.headerLength ?? headerBytes.length, true);
  bytes.set(headerBytes, 12);
  bytes.set(data, dataStart);
  return bytes;
}

const edited = (edit: (h: Record<string, any>) => void, data?: Uint8Array) => {
  const header = validHeader();
  edit(header);
  return rawArchive(header, data);
};

const layout = (bytes: Uint8Array) => {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  return { headerLength, dataStart: Math.ceil((12 + headerLength) / 4) * 4 };
};

describe('encodeRunArchive / decodeRunArchive', () => {
  it('round-trips the run, its search and the identical checkpoint bytes', () => {
    const checkpoint = makeCheckpointBytes();
    const back = decodeRunArchive(encode(makeRun(checkpoint), makeSearch(), checkpoint));
    expect(back.run).toEqual(makeRun(checkpoint));
    expect(back.search).toEqual(makeSearch());
    expect(back.search!.results!.predictor!.kendallTau).toBeNaN();
    expect(back.checkpointBytes).toEqual(checkpoint);
    expect(back.checkpoint!.header).toEqual(decodeCheckpoint(checkpoint).header);
    expect(back.checkpoint!.values).toEqual(makeCheckpoint().values);
    expect(back).toMatchObject({ toolVersion: '0.1.0', exportedAt: EXPORTED_AT });
  });

  it('round-trips a run without checkpoint or search', () => {
    const run = makeRun(null);
    const bytes = encode(run, null, null);
    const back = decodeRunArchive(bytes);
    expect(back).toMatchObject({ run, search: null, checkpoint: null, checkpointBytes: null });
    expect(bytes.length).toBe(layout(bytes).dataStart);
  });

  it('writes the documented layout: magic, little-endian header length, JSON header, zero padding, the checkpoint', () => {
    const checkpoint = makeCheckpointBytes();
    const bytes = encode(makeRun(checkpoint), null, checkpoint);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe(MAGIC);
    const { headerLength, dataStart } = layout(bytes);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
    expect(header).toMatchObject({
      type: 'nas-studio/run',
      version: 1,
      toolVersion: '0.1.0',
      exportedAt: EXPORTED_AT,
      search: null,
      checkpointBytes: checkpoint.length,
    });
    for (let i = 12 + headerLength; i < dataStart; i++) expect(bytes[i]).toBe(0);
    expect(bytes.subarray(dataStart)).toEqual(checkpoint);
  });

  it('keeps the run config as given (no defaults filled in) and NaN mean losses', () => {
    const run = makeRun(null);
    run.epochs[0].meanLoss.sampled = NaN;
    const back = decodeRunArchive(encode(run, null, null)).run;
    expect(back.config).toEqual(run.config);
    expect(back.config).not.toHaveProperty('momentum');
    expect(back.epochs[0].meanLoss.sampled).toBeNaN();
  });

  it('decodes from a view at an unaligned offset into a larger buffer', () => {
    const bytes = validArchive();
    const big = new Uint8Array(bytes.length + 7);
    big.set(bytes, 3);
    expect(decodeRunArchive(big.subarray(3, 3 + bytes.length)).run.id).toBe(RUN_ID);
  });

  it('drops unknown keys, in the config too', () => {
    const back = decodeRunArchive(
      edited((h) => {
        h.extra = 1;
        h.run.junk = 'x';
        h.run.config.junk = 'y';
        h.run.config.space.junk = 'z';
      }),
    );
    expect(back.run).not.toHaveProperty('junk');
    expect(back.run.config).not.toHaveProperty('junk');
    expect(back.run.config.space).not.toHaveProperty('junk');
  });

  it('a "__proto__" key pollutes nothing', () => {
    const proto = '"__proto__":{"polluted":1},';
    const text = JSON.stringify(validHeader())
      .replace('{"type"', `{${proto}"type"`)
      .replace(/"config":\{/g, `"config":{${proto}`)
      .replace('"run":{', `"run":{${proto}`);
    expect(text.match(/__proto__/g)).toHaveLength(5);
    const back = decodeRunArchive(rawArchive(text));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const value of [back, back.run, back.run.config, back.search!.config]) {
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.hasOwn(value, '__proto__')).toBe(false);
      expect((value as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});

describe('decodeRunArchive rejects', () => {
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['an empty file', () => new Uint8Array(0), /^run file is not a valid NAS Studio run export: the file is empty$/],
    ['a supernet checkpoint', () => makeCheckpointBytes(), /this is a supernet checkpoint, not a run export/],
    [
      'a subnet export (JSON)',
      () => json({ type: 'nas-studio/subnet', subnet: {} }),
      /it looks like JSON \(a subnet export or search results\?\), not a run export/,
    ],
    ['JSON after a byte-order mark and spaces', () => new TextEncoder().encode('\ufeff \n[1]'), /it looks like JSON/],
    ['a gzip file', () => Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]), /it is gzip-compressed/],
    [
      'a zip file',
      () => Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 0, 0, 8, 0, 1, 2, 3]),
      /it starts with "PK\?\?\?\?\?\?", expected "NASRUN01"/,
    ],
    ['another magic', () => rawArchive(validHeader(), undefined, { magic: 'NASRUN02' }), /it starts with "NASRUN02", expected "NASRUN01"/],
    ['a file cut inside the magic', () => validArchive().subarray(0, 5), /it is truncated: only 5 bytes, fewer than the 12/],
    ['a file cut inside the header length', () => validArchive().subarray(0, 10), /it is truncated: only 10 bytes/],
    [
      'a header length beyond the file',
      () => rawArchive('{}', new Uint8Array(0), { headerLength: 5000 }),
      /it is truncated: the header needs 5000 bytes but only 4 follow/,
    ],
    [
      'a header length over the cap',
      () => rawArchive('{}', new Uint8Array(0), { headerLength: 0xffffffff }),
      new RegExp(`its header claims 4294967295 bytes, more than the ${MAX_RUN_HEADER_BYTES} allowed`),
    ],
    [
      'a header that is not UTF-8',
      () => rawArchive(Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), new Uint8Array(0)),
      /its header is not UTF-8 text/,
    ],
    ['a header that is not JSON', () => rawArchive('{"type": nope', new Uint8Array(0)), /its header is not JSON \(/],
    ['an empty header', () => rawArchive('', new Uint8Array(0)), /its header is not JSON \(/],
    ['a header that is null', () => rawArchive('null', new Uint8Array(0)), /its header is not a JSON object/],
    [
      'a header of another type',
      () => edited((h) => (h.type = 'nas-studio/supernet-checkpoint')),
      /its header's type is "nas-studio\/supernet-checkpoint", expected "nas-studio\/run"/,
    ],
    [
      'a newer format version',
      () => edited((h) => (h.version = 2)),
      /it is format version 2, written by a newer NAS Studio; this one reads version 1/,
    ],
    ['a version that is a string', () => edited((h) => (h.version = '1')), /its format version is "1", expected 1/],
    ['no run', () => edited((h) => delete h.run), /its header is invalid: run: Invalid input: expected object/],
    [
      'steps that are not an array',
      () => edited((h) => (h.run.steps = {})),
      /its header is invalid: run\.steps: Invalid input: expected array, received object/,
    ],
    [
      'a loss that is a string',
      () => edited((h) => (h.run.steps[1].losses[0] = '2.3')),
      /run\.steps\.1\.losses\.0: Invalid input: expected number, received string/,
    ],
    [
      'a loss that is null (NaN in JSON)',
      () => edited((h) => (h.run.steps[0].losses[2] = null)),
      /run\.steps\.0\.losses\.2: Invalid input: expected number, received null/,
    ],
    ['a negative step', () => edited((h) => (h.run.steps[0].step = -1)), /run\.steps\.0\.step: Too small: expected number to be >=0/],
    ['a fractional epoch', () => edited((h) => (h.run.epochs[0].epoch = 0.5)), /run\.epochs\.0\.epoch: Invalid input: expected int/],
    [
      'an accuracy above 1',
      () => edited((h) => (h.run.outcome.test.largest.accuracy = 1.5)),
      /run\.outcome\.test\.largest\.accuracy: Too big/,
    ],
    ['phase "exploded"', () => edited((h) => (h.run.phase = 'exploded')), /run\.phase: Invalid option: expected one of "queued"\|/],
    [
      'settings naming an unknown space preset',
      () => edited((h) => (h.run.settings.space = 'imagenet')),
      /run\.settings\.space: Invalid option/,
    ],
    ['an id with a slash', () => edited((h) => (h.run.id = '../etc')), /run\.id: ids are 1-100 letters, digits/],
    ['an unknown sampler', () => edited((h) => (h.run.sampler = 'greedy')), /run\.sampler: Invalid option/],
    [
      'a missing dataset name',
      () => edited((h) => delete h.run.datasetName),
      /run\.datasetName: Invalid input: expected string, received undefined/,
    ],
    [
      'a 10 MB name',
      () => edited((h) => (h.run.name = 'x'.repeat(10_000_000))),
      /run\.name: Too big: expected string to have <=200 characters/,
    ],
    [
      'a 3000-character log line',
      () => edited((h) => h.run.log.push('y'.repeat(3000))),
      /run\.log\.3: Too big: expected string to have <=2000 characters/,
    ],
    ['501 log lines', () => edited((h) => (h.run.log = Array(501).fill('line'))), /run\.log: Too big: expected array to have <=500 items/],
    ['a config the engine refuses', () => edited((h) => (h.run.config.batchSize = 1)), /run\.config\.batchSize: Too small/],
    [
      'a config with a bad space',
      () => edited((h) => (h.run.config.space.stages[0].widths = [12])),
      /run\.config\.space\.stages\.0\.widths\.0: channel widths must be multiples of 8/,
    ],
    [
      'a search with a bad evolution config',
      () => edited((h) => (h.search.results.config.evolution.generations = -1)),
      /search\.results\.config\.evolution\.generations: Too small/,
    ],
    ['a search front entry without a hash', () => edited((h) => delete h.search.front[0].hash), /search\.front\.0\.hash: /],
    ['an export date that is not ISO', () => edited((h) => (h.exportedAt = 'yesterday')), /exportedAt: Invalid ISO datetime/],
    [
      'a million bad steps (reported briefly)',
      () => edited((h) => (h.run.steps = Array(1000).fill({ step: -1 }))),
      /run\.steps\.0\.step: .*; and \d+ more$/,
    ],
    [
      'a checkpoint shorter than the header says',
      () => validArchive().subarray(0, validArchive().length - 10),
      /it is truncated: \d+ bytes, its header and \d+-byte checkpoint need \d+/,
    ],
    ['bytes after the checkpoint', () => Uint8Array.from([...validArchive(), 0, 0, 0, 0]), /it has 4 bytes after the checkpoint/],
    [
      'bytes after a header with no checkpoint',
      () => Uint8Array.from([...encode(makeRun(null), null, null), 1]),
      /it has 1 bytes after the header/,
    ],
    ['padding that is not zero', () => paddedWithJunk(), /the padding after its header is not zero/],
    [
      'a flipped byte in the checkpoint magic',
      () => {
        const bytes = validArchive();
        bytes[layout(bytes).dataStart + 2] ^= 0xff;
        return bytes;
      },
      /^run file is not a valid NAS Studio run export: its checkpoint is not a valid NAS Studio checkpoint: it starts with "NA\?CKPT1"/,
    ],
    [
      'a checkpoint holding NaN',
      () => {
        const bytes = validArchive();
        new DataView(bytes.buffer).setUint32(bytes.length - 4, 0x7fc00000, true);
        return bytes;
      },
      /its checkpoint is not a valid NAS Studio checkpoint: value 30083 is NaN/,
    ],
    // whole or nothing: a checkpoint missing a variable of its space's supernet is refused, by name
    [
      'a checkpoint missing a tensor',
      () => {
        const whole = makeCheckpoint();
        const at = whole.header.tensors.findIndex((t) => t.name === 'last.bn.gamma' && t.group === 'velocity');
        const offset = whole.header.tensors.slice(0, at).reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
        const size = whole.header.tensors[at].shape.reduce((a, b) => a * b, 1);
        const values = Float32Array.from([...whole.values.subarray(0, offset), ...whole.values.subarray(offset + size)]);
        const partial = encodeCheckpoint({ header: { ...whole.header, tensors: whole.header.tensors.filter((_, i) => i !== at) }, values });
        return edited((h) => {
          h.checkpointBytes = partial.length;
          h.run.checkpoint.bytes = partial.length;
        }, partial);
      },
      /^run file is not a valid NAS Studio run export: its checkpoint is not a valid NAS Studio checkpoint: it has velocity for 47 of the supernet's 48 variables but none for "last\.bn\.gamma"/,
    ],
    [
      'a checkpoint of 2 tensors',
      () => {
        const whole = makeCheckpoint();
        const partial = encodeCheckpoint({
          header: { ...whole.header, tensors: [whole.header.tensors[0], whole.header.tensors[48]] },
          values: whole.values.subarray(0, 144),
        });
        return edited((h) => {
          h.checkpointBytes = partial.length;
          h.run.checkpoint.bytes = partial.length;
        }, partial);
      },
      /its checkpoint is not a valid NAS Studio checkpoint: it has no weight tensor "stem\.bn\.gamma" \(nor 46 more\)/,
    ],
    // valid JSON nested 3,000 levels deep: refused by depth, not by a stack overflow
    [
      'a header nested 3,000 levels deep',
      () => rawArchive(JSON.stringify(validHeader()).replace('{"type"', `{"junk":${'['.repeat(3000)}${']'.repeat(3000)},"type"`)),
      /^run file is not a valid NAS Studio run export: its header nests values more than 100 levels deep \(found 101 levels\); no NAS Studio file nests that deep$/,
    ],
    [
      'a header nested 1,000,000 levels deep in objects',
      () =>
        rawArchive(
          JSON.stringify(validHeader()).replace('{"type"', `{"junk":${'{"a":'.repeat(1_000_000)}1${'}'.repeat(1_000_000)},"type"`),
        ),
      /its header nests values more than 100 levels deep/,
    ],
    [
      'a header that is not JSON, quoting nothing of it',
      () => rawArchive('{"type": CANARY-SECRET-TEXT}'),
      /^run file is not a valid NAS Studio run export: its header is not JSON \(unexpected character at line 1, column 10\)$/,
    ],
    [
      'a checkpoint the record does not name',
      () => edited((h) => (h.run.checkpoint = null)),
      /it holds a checkpoint but its run record says the run has none/,
    ],
    [
      'a record naming a checkpoint the file lacks',
      () => edited((h) => (h.checkpointBytes = 0), new Uint8Array(0)),
      /its run record names a checkpoint at step 3 but the file holds none/,
    ],
    [
      'a checkpoint at another step',
      () => edited((h) => (h.run.checkpoint.step = 2)),
      /its run record's checkpoint is at step 2 but the checkpoint itself is at step 3/,
    ],
    [
      'a checkpoint at another epoch',
      () => edited((h) => (h.run.checkpoint.epoch = 0)),
      /checkpoint is at epoch 0 but the checkpoint itself is at epoch 1/,
    ],
    [
      'a checkpoint of another size',
      () => edited((h) => (h.run.checkpoint.bytes += 1)),
      /its run record says the checkpoint is \d+ bytes but it is \d+/,
    ],
    [
      'a checkpoint trained with another seed',
      () => edited((h) => (h.run.config.seed = 2)),
      /its checkpoint was trained with another config than its run record's \(config\.seed: 2 in the record, 1 in the checkpoint\)/,
    ],
    [
      'a checkpoint trained with another space',
      () => edited((h) => (h.run.config.space.resolutions = [16])),
      /another config .*config\.space\.resolutions\.0: 16 in the record, 12 in the checkpoint/,
    ],
    [
      'a search of another run',
      () => edited((h) => (h.search.runId = 'run-other')),
      /its search belongs to run "run-other", not to this run "run-m5x2k1-0"/,
    ],
  ];

  it.each(cases)('%s', (_, make, message) => {
    expect(() => decodeRunArchive(make())).toThrow(message);
  });

  it('every message starts with the source name', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    for (const [, make] of cases)
      expect(() => decodeRunArchive(make(), 'my-run.nasrun')).toThrow(/^my-run\.nasrun is not a valid NAS Studio run export: /);
  });

  it('says "truncated" (or empty) wherever the file is cut', () => {
    const bytes = validArchive();
    const { headerLength, dataStart } = layout(bytes);
    for (const at of [
      0,
      3,
      8,
      11,
      12,
      40,
      12 + (headerLength >> 1),
      12 + headerLength - 1,
      dataStart,
      dataStart + 4,
      dataStart + 100,
      bytes.length - 1,
    ]) {
      expect(() => decodeRunArchive(bytes.subarray(0, at)), `cut at ${at}`).toThrow(/the file is empty|truncated/);
    }
  });
});

function paddedWithJunk(): Uint8Array {
  // header lengths of every remainder mod 4 occur as toolVersion grows; find one with padding
  for (let pad = 1; pad < 5; pad++) {
    const bytes = rawArchive({ ...validHeader(), toolVersion: '0.1.0'.padEnd(5 + pad, '0') });
    const { headerLength, dataStart } = layout(bytes);
    if (dataStart > 12 + headerLength) {
      bytes[dataStart - 1] = 0x20;
      return bytes;
    }
  }
  throw new Error('no header length needed padding');
}

describe('encodeRunArchive refuses', () => {
  const checkpoint = makeCheckpointBytes();
  it('a run that would not import', () => {
    expect(() => encode({ ...makeRun(checkpoint), name: 'n'.repeat(201) }, null, checkpoint)).toThrow(
      /^Cannot export the run: it would not import again: run\.name: Too big/,
    );
    expect(() => encode({ ...makeRun(checkpoint), phase: 'exploded' } as unknown as PersistedRun, null, checkpoint)).toThrow(
      /run\.phase: Invalid option/,
    );
    expect(() => encode({ ...makeRun(checkpoint), steps: [{ ...makeRun(null).steps[0], losses: [NaN] }] }, null, checkpoint)).toThrow(
      /run\.steps\.0\.losses\.0: Invalid input: expected number, received NaN/,
    );
  });

  it('a damaged checkpoint', () => {
    expect(() => encode(makeRun(checkpoint), null, checkpoint.subarray(0, 100))).toThrow(
      /^Cannot export the run: its checkpoint is not a valid NAS Studio checkpoint: it is truncated/,
    );
  });

  it('a record that disagrees with its checkpoint or search', () => {
    expect(() => encode(makeRun(null), null, checkpoint)).toThrow(
      /^Cannot export the run: it holds a checkpoint but its run record says the run has none/,
    );
    expect(() => encode(makeRun(checkpoint), null, null)).toThrow(/its run record names a checkpoint at step 3 but the file holds none/);
    expect(() => encode(makeRun(checkpoint), makeSearch('run-other'), checkpoint)).toThrow(/its search belongs to run "run-other"/);
    const otherConfig = encodeCheckpoint(makeCheckpoint({ ...makeRun(null).config, epochs: 3 }));
    expect(() =>
      encode({ ...makeRun(checkpoint), checkpoint: { ...makeRun(checkpoint).checkpoint!, bytes: otherConfig.length } }, null, otherConfig),
    ).toThrow(/config\.epochs: 2 in the record, 3 in the checkpoint/);
  });
});
