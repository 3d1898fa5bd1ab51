import { describe, expect, it } from 'vitest';
import {
  CHECKPOINT_TYPE,
  CHECKPOINT_VERSION,
  checkpointTensor,
  decodeCheckpoint,
  encodeCheckpoint,
  tensorOffsets,
  tensorSize,
  type Checkpoint,
  type CheckpointHeader,
  type CheckpointTensor,
} from '../../src/core/records/checkpoint-format';
import { presetSpace } from '../../src/core/space/presets';
import { largestSubnet } from '../../src/core/space/subnet';
import { Rng } from '../../src/core/training/rng';
import { parseRunConfig } from '../../src/core/training/run-config';
import { supernetVariableSpecs } from '../../src/core/space/supernet-specs';

const MAGIC = 'NASCKPT1';
const MIN_SUBNORMAL = 2 ** -149; // 1.4e-45, the smallest positive float32
const MAX_SUBNORMAL = 2 ** -126 - 2 ** -149;
const MAX_FLOAT32 = (2 - 2 ** -23) * 2 ** 127;

/** Every variable of the tiny space's supernet, weights then velocity, as the engine writes them. */
const tinySpecs = supernetVariableSpecs(presetSpace('tiny'));
const fullTensors = (): CheckpointTensor[] => [
  ...tinySpecs.map((s) => ({ name: s.name, group: 'weight' as const, shape: s.shape })),
  ...tinySpecs.map((s) => ({ name: s.name, group: 'velocity' as const, shape: s.shape })),
];
/** values in a whole tiny checkpoint (weights and velocity) */
const TOTAL = 2 * tinySpecs.reduce((n, s) => n + tensorSize(s.shape), 0);
const TENSORS = 2 * tinySpecs.length;

/** A small made-up tensor list, for the layout helpers that do not look at a space. */
const smallTensors = (): CheckpointTensor[] => [
  { name: 'stem/conv', group: 'weight', shape: [2, 3] },
  { name: 'stem/conv', group: 'velocity', shape: [2, 3] },
  { name: 'scalar', group: 'weight', shape: [] },
];

function makeHeader(): CheckpointHeader {
  return {
    type: CHECKPOINT_TYPE,
    version: CHECKPOINT_VERSION,
    createdAt: '2025-01-02T03:04:05.678Z',
    config: parseRunConfig({ space: presetSpace('tiny'), seed: 3, epochs: 2, batchSize: 16, learningRate: 0.05 }),
    progress: { step: 17, epoch: 1, stepInEpoch: 5 },
    normalisation: { mean: [0.3], std: [0.35] },
    rng: { orderAtEpochStart: new Rng(1).getState(), augment: [0, 1, 0xffffffff, 12345], sampler: new Rng(2).getState() },
    tensors: fullTensors(),
  };
}

/** 13 values with the awkward ones: zeros of both signs, subnormals, extremes, inexact fractions. */
const SPECIAL = [0, -0, 1.5, -2.25, MIN_SUBNORMAL, -MIN_SUBNORMAL, MAX_SUBNORMAL, MAX_FLOAT32, -MAX_FLOAT32, 1 / 3, Math.PI, 1e-30, -7];

/** A whole checkpoint's values: the awkward ones first, then plain fractions. */
const specialValues = () => {
  const values = new Float32Array(TOTAL);
  values.set(SPECIAL);
  for (let i = SPECIAL.length; i < TOTAL; i++) values[i] = ((i % 97) - 48) / 64;
  return values;
};

const makeCheckpoint = (): Checkpoint => ({ header: makeHeader(), values: specialValues() });

const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

/**
 * A file built by hand: magic, header length, header bytes, zero padding to 4, then data bytes.
 * Lets a test write what encodeCheckpoint refuses to.
 */
function rawFile(
  header: string | Uint8Array | object,
  data: Uint8Array | Float32Array = new Uint8Array(0),
  options: { magic?: string; headerLength?: number } = {},
): Uint8Array {
  const headerBytes =
    header instanceof Uint8Array ? header : new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const dataStart = Math.ceil((12 + headerBytes.length) / 4) * 4;
  const dataBytes = data instanceof Float32Array ? littleEndian(data) : data;
  const bytes = new Uint8Array(dataStart + dataBytes.length);
  bytes.set(new TextEncoder().encode(options.magic ?? MAGIC).subarray(0, 8), 0);
  new DataView(bytes.buffer).setUint32(8, options.headerLength ?? headerBytes.length, true);
  bytes.set(headerBytes, 12);
  bytes.set(dataBytes, dataStart);
  return bytes;
}

function littleEndian(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

describe('tensorOffsets', () => {
  it('lays tensors out back to back in header order', () => {
    const { offsets, total } = tensorOffsets(smallTensors());
    expect(total).toBe(13);
    expect(offsets.get('weight:stem/conv')).toEqual({ offset: 0, size: 6, shape: [2, 3] });
    expect(offsets.get('velocity:stem/conv')).toEqual({ offset: 6, size: 6, shape: [2, 3] });
    expect(offsets.get('weight:scalar')).toEqual({ offset: 12, size: 1, shape: [] });
  });

  it('sizes are the product of the shape (1 for a scalar)', () => {
    expect(tensorSize([])).toBe(1);
    expect(tensorSize([3])).toBe(3);
    expect(tensorSize([2, 3, 4])).toBe(24);
  });

  it('rejects a name listed twice in one group', () => {
    expect(() =>
      tensorOffsets([
        { name: 'a', group: 'weight', shape: [1] },
        { name: 'a', group: 'weight', shape: [2] },
      ]),
    ).toThrow(/checkpoint lists tensor "a" \(weight\) twice/);
  });
});

describe('encodeCheckpoint / decodeCheckpoint', () => {
  it('round-trips the header and bit-identical values', () => {
    const checkpoint = makeCheckpoint();
    const back = decodeCheckpoint(encodeCheckpoint(checkpoint));
    expect(back.header).toEqual(checkpoint.header);
    expect(back.values).toHaveLength(TOTAL);
    expect(bits(back.values)).toEqual(bits(checkpoint.values));
    expect(Object.is(back.values[0], 0)).toBe(true);
    expect(Object.is(back.values[1], -0)).toBe(true);
    expect(back.values[4]).toBe(MIN_SUBNORMAL);
    expect(back.values[6]).toBe(MAX_SUBNORMAL);
    expect(back.values[7]).toBe(MAX_FLOAT32);
  });

  it('writes the documented layout: magic, little-endian header length, JSON header, zero padding, little-endian floats', () => {
    const checkpoint = makeCheckpoint();
    const bytes = encodeCheckpoint(checkpoint);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe(MAGIC);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getUint32(8, true);
    const headerText = new TextDecoder().decode(bytes.subarray(12, 12 + headerLength));
    expect(JSON.parse(headerText)).toEqual(checkpoint.header);
    const dataStart = Math.ceil((12 + headerLength) / 4) * 4;
    expect(dataStart % 4).toBe(0);
    for (let i = 12 + headerLength; i < dataStart; i++) expect(bytes[i]).toBe(0);
    expect(bytes.length).toBe(dataStart + TOTAL * 4);
    expect(view.getFloat32(dataStart + 2 * 4, true)).toBe(1.5);
    expect(view.getUint32(dataStart + 1 * 4, true)).toBe(0x80000000); // -0
    expect(view.getUint32(dataStart + 4 * 4, true)).toBe(1); // smallest subnormal
  });

  it('decodes from a view at an unaligned offset into a larger buffer', () => {
    const bytes = encodeCheckpoint(makeCheckpoint());
    const big = new Uint8Array(bytes.length + 10);
    big.set(bytes, 3);
    const back = decodeCheckpoint(big.subarray(3, 3 + bytes.length));
    expect(bits(back.values)).toEqual(bits(specialValues()));
  });

  it('round-trips random values and header lengths of every padding', () => {
    const rng = new Rng(9);
    for (let pad = 0; pad < 4; pad++) {
      const header = { ...makeHeader(), createdAt: 'x'.repeat(pad) };
      const values = Float32Array.from({ length: TOTAL }, () => rng.normal() * 100);
      const back = decodeCheckpoint(encodeCheckpoint({ header, values }));
      expect(back.header.createdAt).toBe('x'.repeat(pad));
      expect(bits(back.values)).toEqual(bits(values));
    }
  });

  it('a checkpoint without velocity (weights only) is whole', () => {
    const header = { ...makeHeader(), tensors: fullTensors().filter((t) => t.group === 'weight') };
    const back = decodeCheckpoint(encodeCheckpoint({ header, values: specialValues().subarray(0, TOTAL / 2) }));
    expect(back.header.tensors).toHaveLength(TENSORS / 2);
    expect(back.values).toHaveLength(TOTAL / 2);
  });

  it('checkpointTensor returns each tensor as a view, undefined for unknown names', () => {
    const back = decodeCheckpoint(encodeCheckpoint(makeCheckpoint()));
    const velocity = checkpointTensor(back, 'velocity', 'stem.conv')!;
    expect(bits(velocity)).toEqual(bits(specialValues().subarray(TOTAL / 2, TOTAL / 2 + 72)));
    expect(velocity.buffer).toBe(back.values.buffer);
    expect(checkpointTensor(back, 'weight', 'stem.conv')![12]).toBe(-7);
    expect(checkpointTensor(back, 'weight', 'nope')).toBeUndefined();
    const small = { header: { ...makeHeader(), tensors: smallTensors() }, values: Float32Array.from(SPECIAL) };
    expect(checkpointTensor(small, 'weight', 'scalar')![0]).toBe(-7);
    expect(checkpointTensor(small, 'velocity', 'scalar')).toBeUndefined();
  });

  it('encode refuses values that do not match the header', () => {
    expect(() => encodeCheckpoint({ header: makeHeader(), values: new Float32Array(TOTAL - 1) })).toThrow(
      `checkpoint header describes ${TOTAL} values but ${TOTAL - 1} are given`,
    );
    expect(() => encodeCheckpoint({ header: makeHeader(), values: new Float32Array(TOTAL + 1) })).toThrow(
      `describes ${TOTAL} values but ${TOTAL + 1} are given`,
    );
  });
});

describe('decodeCheckpoint rejects', () => {
  const valid = () => encodeCheckpoint(makeCheckpoint());
  const headerWith = (edit: (h: Record<string, any>) => void) => {
    const h = JSON.parse(JSON.stringify(makeHeader()));
    edit(h);
    return h;
  };
  const prefix = /^checkpoint is not a valid NAS Studio checkpoint: /;
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['empty bytes', () => new Uint8Array(0), /checkpoint is not a valid NAS Studio checkpoint: it is only 0 bytes long/],
    ['5 bytes', () => valid().subarray(0, 5), /it is only 5 bytes long/],
    ['11 bytes', () => valid().subarray(0, 11), /it is only 11 bytes long/],
    ['wrong magic', () => rawFile(makeHeader(), specialValues(), { magic: 'NASCKPT2' }), /it starts with "NASCKPT2", expected "NASCKPT1"/],
    [
      'binary magic',
      () => {
        const bytes = valid();
        bytes.set([0x00, 0x01, 0xff], 0);
        return bytes;
      },
      /it starts with "\?\?\?CKPT1", expected "NASCKPT1"/,
    ],
    ['a JSON file', () => new TextEncoder().encode(JSON.stringify(makeHeader())), /it starts with "\{\\"type\\":", expected "NASCKPT1"/],
    [
      'header length larger than the file',
      () => rawFile(makeHeader(), new Uint8Array(0), { headerLength: 100_000 }),
      /it is truncated: the header needs 100000 bytes but only \d+ follow/,
    ],
    [
      'huge header length',
      () => rawFile('{}', new Uint8Array(0), { headerLength: 0xffffffff }),
      /its header claims 4294967295 bytes, more than the 16777216 allowed/,
    ],
    ['header not JSON', () => rawFile('{"type": nope'), /its header is not JSON \(/],
    ['empty header', () => rawFile(''), /its header is not JSON \(/],
    [
      'header invalid UTF-8',
      () => rawFile(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
      /its header is not JSON \(.*(encoded data|invalid|utf-8)/i,
    ],
    ['header is null', () => rawFile('null'), /Invalid checkpoint header: \(root\): .*object/],
    ['header is an array', () => rawFile('[]'), /Invalid checkpoint header: \(root\): .*object/],
    [
      'header missing config',
      () =>
        rawFile(
          headerWith((h) => delete h.config),
          specialValues(),
        ),
      /Invalid checkpoint header: config: /,
    ],
    [
      'header with an invalid config',
      () =>
        rawFile(
          headerWith((h) => (h.config.batchSize = 1)),
          specialValues(),
        ),
      /Invalid checkpoint header: config\.batchSize: /,
    ],
    [
      'wrong type',
      () =>
        rawFile(
          headerWith((h) => (h.type = 'nas-studio/subnet')),
          specialValues(),
        ),
      /Invalid checkpoint header: type: /,
    ],
    [
      'wrong version',
      () =>
        rawFile(
          headerWith((h) => (h.version = 2)),
          specialValues(),
        ),
      /Invalid checkpoint header: version: /,
    ],
    [
      'missing progress',
      () =>
        rawFile(
          headerWith((h) => delete h.progress),
          specialValues(),
        ),
      /Invalid checkpoint header: progress: /,
    ],
    [
      'negative step',
      () =>
        rawFile(
          headerWith((h) => (h.progress.step = -1)),
          specialValues(),
        ),
      /Invalid checkpoint header: progress\.step: /,
    ],
    [
      'rng word above uint32',
      () =>
        rawFile(
          headerWith((h) => (h.rng.augment[2] = 2 ** 32)),
          specialValues(),
        ),
      /Invalid checkpoint header: rng\.augment\.2: /,
    ],
    [
      'rng state of 3 words',
      () =>
        rawFile(
          headerWith((h) => h.rng.sampler.pop()),
          specialValues(),
        ),
      /Invalid checkpoint header: rng\.sampler/,
    ],
    [
      'zero std',
      () =>
        rawFile(
          headerWith((h) => (h.normalisation.std = [0])),
          specialValues(),
        ),
      /Invalid checkpoint header: normalisation\.std\.0: /,
    ],
    [
      'unknown tensor group',
      () =>
        rawFile(
          headerWith((h) => (h.tensors[0].group = 'bias')),
          specialValues(),
        ),
      /Invalid checkpoint header: tensors\.0\.group: /,
    ],
    [
      'duplicate tensor names',
      () =>
        rawFile(
          headerWith((h) => (h.tensors[TENSORS / 2].group = 'weight')),
          specialValues(),
        ),
      /checkpoint is not a valid NAS Studio checkpoint: checkpoint lists tensor "stem\.conv" \(weight\) twice/,
    ],
    [
      'negative dimension',
      () =>
        rawFile(
          headerWith((h) => (h.tensors[0].shape = [-2, -3])),
          specialValues(),
        ),
      /Invalid checkpoint header: tensors\.0\.shape\.0: /,
    ],
    [
      'zero dimension',
      () =>
        rawFile(
          headerWith((h) => (h.tensors[1].shape = [2, 0])),
          specialValues(),
        ),
      /Invalid checkpoint header: tensors\.1\.shape\.1: /,
    ],
    [
      'fractional dimension',
      () =>
        rawFile(
          headerWith((h) => (h.tensors[0].shape = [1.5, 4])),
          specialValues(),
        ),
      /Invalid checkpoint header: tensors\.0\.shape\.0: /,
    ],
    [
      '9 dimensions',
      () =>
        rawFile(
          headerWith((h) => (h.tensors[2].shape = [1, 1, 1, 1, 1, 1, 1, 1, 1])),
          specialValues(),
        ),
      /Invalid checkpoint header: tensors\.2\.shape: /,
    ],
    [
      'truncated tensor data (one byte short)',
      () => valid().subarray(0, valid().length - 1),
      /it is truncated: \d+ bytes, the header's 96 tensors need \d+/,
    ],
    ['no tensor data at all', () => rawFile(makeHeader()), /it is truncated: \d+ bytes, the header's 96 tensors need \d+/],
    [
      'trailing bytes',
      () => {
        const bytes = valid();
        const longer = new Uint8Array(bytes.length + 4);
        longer.set(bytes);
        return longer;
      },
      /it has 4 bytes after the last tensor/,
    ],
    [
      'more tensors listed than stored',
      () =>
        rawFile(
          headerWith((h) => h.tensors.push({ name: 'extra', group: 'weight', shape: [2] })),
          specialValues(),
        ),
      /it is truncated: \d+ bytes, the header's 97 tensors need \d+/,
    ],
    [
      'fewer tensors listed than stored',
      () =>
        rawFile(
          headerWith((h) => h.tensors.pop()),
          specialValues(),
        ),
      /it has 40 bytes after the last tensor/,
    ],
    [
      'a tensor too large for the file',
      () =>
        rawFile(
          headerWith((h) => (h.tensors[0].shape = [1 << 24, 1 << 24])),
          specialValues(),
        ),
      /it is truncated: \d+ bytes, the header's 96 tensors need \d{16}$/,
    ],
    [
      'NaN value',
      () => {
        const v = specialValues();
        v[3] = NaN;
        return rawFile(makeHeader(), v);
      },
      /value 3 is NaN; a checkpoint holds finite numbers only/,
    ],
    [
      'Infinity value',
      () => {
        const v = specialValues();
        v[0] = Infinity;
        return rawFile(makeHeader(), v);
      },
      /value 0 is Infinity; a checkpoint holds finite numbers only/,
    ],
    [
      '-Infinity value',
      () => {
        const v = specialValues();
        v[12] = -Infinity;
        return rawFile(makeHeader(), v);
      },
      /value 12 is -Infinity/,
    ],
    [
      'a 1 MB createdAt',
      () =>
        rawFile(
          headerWith((h) => (h.createdAt = 'z'.repeat(1 << 20))),
          specialValues(),
        ),
      /Invalid checkpoint header: createdAt: .*100/,
    ],
    [
      'a 1 kB tensor name',
      () =>
        rawFile(
          headerWith((h) => (h.tensors[0].name = 'n'.repeat(1000))),
          specialValues(),
        ),
      /Invalid checkpoint header: tensors\.0\.name: /,
    ],
    [
      'an empty tensor name',
      () =>
        rawFile(
          headerWith((h) => (h.tensors[0].name = '')),
          specialValues(),
        ),
      /Invalid checkpoint header: tensors\.0\.name: /,
    ],
    // whole or nothing: the tensors are exactly the supernet of the space the config claims
    [
      'a missing weight tensor',
      () => {
        const header = headerWith(
          (h) => (h.tensors = h.tensors.filter((t: CheckpointTensor) => !(t.name === 'head.b' && t.group === 'weight'))),
        );
        const values = specialValues();
        const headB = TOTAL / 2 - 10; // the last weight tensor, head.b [10]
        return rawFile(header, Float32Array.from([...values.subarray(0, headB), ...values.subarray(TOTAL / 2)]));
      },
      /^checkpoint is not a valid NAS Studio checkpoint: it has no weight tensor "head\.b"; a checkpoint holds every one of the supernet's 48 variables$/,
    ],
    [
      'only 2 tensors (the first weight and its velocity)',
      () =>
        rawFile(
          headerWith((h) => (h.tensors = [h.tensors[0], h.tensors[TENSORS / 2]])),
          specialValues().subarray(0, 144),
        ),
      /it has no weight tensor "stem\.bn\.gamma" \(nor 46 more\); a checkpoint holds every one of the supernet's 48 variables/,
    ],
    ['no tensors at all', () => rawFile(headerWith((h) => (h.tensors = []))), /it has no weight tensor "stem\.conv" \(nor 47 more\)/],
    [
      'velocity for some variables only',
      () =>
        rawFile(
          headerWith((h) => h.tensors.splice(TENSORS / 2 + 1, 1)),
          Float32Array.from([...specialValues().subarray(0, TOTAL / 2 + 72), ...specialValues().subarray(TOTAL / 2 + 80)]),
        ),
      /it has velocity for 47 of the supernet's 48 variables but none for "stem\.bn\.gamma"; a checkpoint holds the velocity of every variable or of none/,
    ],
    [
      'a tensor of another shape, same size',
      () =>
        rawFile(
          headerWith((h) => (h.tensors[0].shape = [9, 8])),
          specialValues(),
        ),
      /it has tensor "stem\.conv" \(weight\) of shape 9x8, but this search space's supernet's is 3x3x1x8/,
    ],
    [
      'a tensor the space does not have',
      () =>
        rawFile(
          headerWith((h) => (h.tensors[1].name = 'stem.bn.scale')),
          specialValues(),
        ),
      /it has tensor "stem\.bn\.scale", which this search space's supernet does not have/,
    ],
    [
      'tensors of another space than the config claims',
      () =>
        rawFile(
          headerWith((h) => (h.config.space = presetSpace('fashion'))),
          specialValues(),
        ),
      /it has tensor "s1\.b0\.se\.reduce\.w", which this search space's supernet does not have/,
    ],
    [
      'predictor examples that are not subnets of the space',
      () =>
        rawFile(
          headerWith((h) => {
            const subnet = { resolution: 999, width: [8], depth: [], kernel_size: [], expand_ratio: [] };
            h.predictor = { examples: [{ subnet, accuracy: 0.5 }], refitAt: null };
          }),
          specialValues(),
        ),
      /predictor\.examples\[0\]\.subnet is not a subnet of its space: width: expected \d+ entries, got 1/,
    ],
    [
      'a predictor accuracy outside 0..1',
      () =>
        rawFile(
          headerWith((h) => (h.predictor = { examples: [{ subnet: largestSubnet(presetSpace('tiny')), accuracy: 1.5 }], refitAt: null })),
          specialValues(),
        ),
      /Invalid checkpoint header: predictor\.examples\.0\.accuracy: /,
    ],
    [
      'a predictor refit after the checkpoint',
      () =>
        rawFile(
          headerWith((h) => (h.predictor = { examples: [], refitAt: h.progress.step + 1 })),
          specialValues(),
        ),
      /predictor\.refitAt is step \d+, after the checkpoint's step \d+/,
    ],
    [
      'thousands of bad predictor examples, named in a message of bounded length',
      () =>
        rawFile(
          headerWith((h) => (h.predictor = { examples: Array.from({ length: 5000 }, () => ({ subnet: 1, accuracy: 2 })), refitAt: null })),
          specialValues(),
        ),
      /predictor\.examples\.0\.subnet: .*; and 9990 more problems$/,
    ],
  ];

  it('has at least 15 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it('the hand-built valid file decodes (so each rejection is due to its damage)', () => {
    const back = decodeCheckpoint(rawFile(makeHeader(), specialValues()));
    expect(back.header).toEqual(makeHeader());
    expect(bits(back.values)).toEqual(bits(specialValues()));
    expect(rawFile(makeHeader(), specialValues())).toEqual(valid());
  });

  it.each(cases)('%s', (_, make, message) => {
    const bytes = make();
    expect(() => decodeCheckpoint(bytes)).toThrow(message);
    // every failure states it is about the checkpoint
    expect(() => decodeCheckpoint(bytes)).toThrow(/checkpoint/);
  });

  it('byte-level failures carry the common prefix and the given source', () => {
    expect(() => decodeCheckpoint(new Uint8Array(3))).toThrow(prefix);
    expect(() => decodeCheckpoint(new Uint8Array(3), 'run-7.ckpt')).toThrow(
      /^run-7\.ckpt is not a valid NAS Studio checkpoint: it is only 3 bytes long$/,
    );
    expect(() => decodeCheckpoint(rawFile('null'), 'run-7.ckpt')).toThrow(/^Invalid run-7\.ckpt header: /);
  });
});
