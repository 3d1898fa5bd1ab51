import { describe, expect, it } from 'vitest';
import { countMacs, countParams } from '../../src/core/space/macs';
import { presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { largestSubnet, smallestSubnet, subnetHash, subnetKey } from '../../src/core/space/subnet';
import {
  makeSubnetEnvelope,
  MODEL_INPUT_DOC,
  modelWeightsFiles,
  parseSubnetEnvelope,
  readSubnetEnvelopeText,
  SUBNET_ENVELOPE_TYPE,
  SUBNET_ENVELOPE_VERSION,
  type EnvelopeInputs,
  type SubnetEnvelope,
} from '../../src/core/records/subnet-envelope';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';
import { TOOL_NAME, TOOL_VERSION } from '../../src/core/records/version';

const tiny = presetSpace('tiny');
const fashion = presetSpace('fashion');

const inputs = (overrides: Partial<EnvelopeInputs> = {}): EnvelopeInputs => ({
  space: tiny,
  subnet: largestSubnet(tiny),
  accuracy: { value: 0.81, split: 'validation', images: 5000, method: 'supernet', calibrationBatches: 32, calibrationBatchSize: 64 },
  dataset: { name: 'fashion-mnist', inputShape: [28, 28, 1], numClasses: 10, normalisation: { mean: [0.286], std: [0.353] } },
  training: { seed: 7, sampler: 'uniform', epochs: 3, steps: 1200 },
  modelPath: 'tiny-net.model.json',
  ...overrides,
});

/** A valid envelope as plain JSON data (what a file holds), for corrupting. */
const validData = (): Record<string, unknown> & SubnetEnvelope => JSON.parse(JSON.stringify(makeSubnetEnvelope(inputs())));

/** Applies `edit` to a fresh valid envelope and returns it. */
const corrupt = (edit: (data: Record<string, any>) => void): unknown => {
  const data = validData() as Record<string, any>;
  edit(data);
  return data;
};

describe('makeSubnetEnvelope', () => {
  it('fills cost, hash, name, tool and model from the inputs', () => {
    const subnet = largestSubnet(tiny);
    const env = makeSubnetEnvelope(inputs());
    expect(env.type).toBe(SUBNET_ENVELOPE_TYPE);
    expect(env.version).toBe(SUBNET_ENVELOPE_VERSION);
    expect(env.macs).toBe(countMacs(tiny, subnet));
    expect(env.params).toBe(countParams(tiny, subnet));
    expect(env.hash).toBe(subnetHash(subnet));
    expect(env.hash).toMatch(/^[0-9a-f]{8}$/);
    expect(env.name).toBe(`tiny-${(countMacs(tiny, subnet) / 1e6).toFixed(2)}M-${subnetHash(subnet)}`);
    expect(env.encoding).toEqual(subnet);
    expect(env.latencyMs).toBeNull();
    expect(env.model).toEqual({
      format: 'tfjs-layers-model',
      path: 'tiny-net.model.json',
      input: MODEL_INPUT_DOC,
      output: 'float32 [batch, numClasses] logits',
    });
    expect(env.tool).toEqual({ name: TOOL_NAME, version: TOOL_VERSION });
    expect(Number.isNaN(Date.parse(env.createdAt))).toBe(false);
  });

  it('uses a given name, latency, and no model without a path', () => {
    const env = makeSubnetEnvelope(inputs({ name: 'mine', modelPath: null, latencyMs: { median: 1.5, backend: 'webgl', repeats: 20 } }));
    expect(env.name).toBe('mine');
    expect(env.model).toBeNull();
    expect(env.latencyMs).toEqual({ median: 1.5, backend: 'webgl', repeats: 20 });
  });

  it('refuses an invalid subnet', () => {
    const subnet = largestSubnet(tiny);
    subnet.width[1] = 12;
    expect(() => makeSubnetEnvelope(inputs({ subnet }))).toThrow(
      /cannot export an invalid subnet: width\[1\] \(stage 1 width\) = 12 is not one of 8, 16/,
    );
  });
});

describe('parseSubnetEnvelope round trip', () => {
  it('survives JSON.stringify + parse exactly', () => {
    const env = makeSubnetEnvelope(inputs());
    const back = parseSubnetEnvelope(JSON.parse(JSON.stringify(env)));
    expect(back).toEqual(env);
    expect(readSubnetEnvelopeText(JSON.stringify(env, null, 2))).toEqual(env);
  });

  it('round-trips random subnets of a larger space, with null accuracy and model', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 20; i++) {
      const subnet = sampleUniform(fashion, rng);
      const env = makeSubnetEnvelope(inputs({ space: fashion, subnet, accuracy: null, modelPath: null }));
      expect(readSubnetEnvelopeText(JSON.stringify(env))).toEqual(env);
      expect(env.encoding).toEqual(subnet);
    }
  });

  it('fills latencyMs with null when a file leaves it out', () => {
    const data = validData();
    delete (data as Record<string, unknown>).latencyMs;
    expect(parseSubnetEnvelope(data).latencyMs).toBeNull();
  });

  it('drops unknown keys, and a __proto__ key pollutes nothing', () => {
    const text = JSON.stringify(validData()).replace(/^\{/, '{"__proto__":{"polluted":true,"type":"evil"},"extra":1,');
    const env = readSubnetEnvelopeText(text);
    expect(env.type).toBe(SUBNET_ENVELOPE_TYPE);
    expect('extra' in env).toBe(false);
    expect(Object.getPrototypeOf(env)).toBe(Object.prototype);
    expect((env as unknown as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('parseSubnetEnvelope rejects', () => {
  const smallHash = subnetHash(smallestSubnet(tiny));
  const cases: [string, () => unknown, RegExp][] = [
    [
      'wrong type',
      () => corrupt((d) => (d.type = 'nas-studio/supernet-checkpoint')),
      /^subnet file: type is "nas-studio\/supernet-checkpoint", expected "nas-studio\/subnet"$/,
    ],
    ['non-string type', () => corrupt((d) => (d.type = 5)), /subnet file: type is 5, expected "nas-studio\/subnet"/],
    [
      'newer version',
      () => corrupt((d) => (d.version = 2)),
      /subnet file: version 2 is newer than this studio reads \(1\); update NAS Studio/,
    ],
    ['older version', () => corrupt((d) => (d.version = 0)), /Invalid subnet file: version:/],
    ['missing type', () => corrupt((d) => delete d.type), /Invalid subnet file: type:/],
    ['missing hash', () => corrupt((d) => delete d.hash), /Invalid subnet file: hash:/],
    ['missing dataset', () => corrupt((d) => delete d.dataset), /Invalid subnet file: dataset:/],
    ['missing space', () => corrupt((d) => delete d.space), /Invalid subnet file: space:/],
    ['missing encoding key', () => corrupt((d) => delete d.encoding.kernel_size), /Invalid subnet file: encoding\.kernel_size:/],
    ['non-integer gene', () => corrupt((d) => (d.encoding.depth[0] = 1.5)), /Invalid subnet file: encoding\.depth\.0:/],
    [
      'encoding value not in the space',
      () => corrupt((d) => (d.encoding.width[1] = 24)),
      /subnet file: encoding does not fit its search space: width\[1\] \(stage 1 width\) = 24 is not one of 8, 16/,
    ],
    [
      'resolution not in the space',
      () => corrupt((d) => (d.encoding.resolution = 28)),
      /encoding does not fit its search space: resolution \(resolution\) = 28 is not one of 12, 16/,
    ],
    [
      'wrong array length',
      () => corrupt((d) => d.encoding.depth.push(1)),
      /encoding does not fit its search space: depth: expected 2 entries, got 3/,
    ],
    ['macs mismatch', () => corrupt((d) => (d.macs += 1)), /subnet file: macs is \d+ but the encoding has \d+/],
    ['params mismatch', () => corrupt((d) => (d.params -= 1)), /subnet file: params is \d+ but the encoding has \d+/],
    [
      'hash mismatch',
      () => corrupt((d) => (d.hash = smallHash)),
      new RegExp(`subnet file: hash ${smallHash} does not match the encoding r16-w8\\.16\\.24\\.32-`),
    ],
    ['malformed hash', () => corrupt((d) => (d.hash = 'XYZ')), /Invalid subnet file: hash:/],
    [
      'inputShape mismatch',
      () => corrupt((d) => (d.dataset.inputShape = [32, 32, 1])),
      /dataset\.inputShape 32x32x1 does not match the space's input 28x28x1/,
    ],
    [
      'inputShape channels mismatch',
      () => corrupt((d) => (d.dataset.inputShape = [28, 28, 3])),
      /dataset\.inputShape 28x28x3 does not match the space's input 28x28x1/,
    ],
    ['inputShape wrong length', () => corrupt((d) => (d.dataset.inputShape = [28, 28])), /Invalid subnet file: dataset\.inputShape/],
    ['numClasses mismatch', () => corrupt((d) => (d.dataset.numClasses = 12)), /dataset\.numClasses 12 differs from the space's 10/],
    [
      'normalisation mean length',
      () => corrupt((d) => (d.dataset.normalisation.mean = [0.1, 0.2, 0.3])),
      /dataset\.normalisation needs 1 mean and std values \(one per channel\)/,
    ],
    [
      'normalisation std length',
      () => corrupt((d) => (d.dataset.normalisation.std = [0.3, 0.3])),
      /dataset\.normalisation needs 1 mean and std values/,
    ],
    ['zero std', () => corrupt((d) => (d.dataset.normalisation.std = [0])), /Invalid subnet file: dataset\.normalisation\.std\.0:/],
    ['accuracy > 1', () => corrupt((d) => (d.accuracy.value = 1.5)), /Invalid subnet file: accuracy\.value: .*1/],
    ['negative accuracy', () => corrupt((d) => (d.accuracy.value = -0.1)), /Invalid subnet file: accuracy\.value:/],
    ['unknown accuracy method', () => corrupt((d) => (d.accuracy.method = 'guess')), /Invalid subnet file: accuracy\.method:/],
    ['negative macs', () => corrupt((d) => (d.macs = -1)), /Invalid subnet file: macs:/],
    [
      'invalid space',
      () => corrupt((d) => (d.space.stages[0].widths = [12])),
      /Invalid subnet file: space\.stages\.0\.widths\.0: channel widths must be multiples of 8/,
    ],
    ['other tool', () => corrupt((d) => (d.tool.name = 'other')), /Invalid subnet file: tool\.name:/],
    ['10 kB name', () => corrupt((d) => (d.name = 'x'.repeat(10_000))), /Invalid subnet file: name: .*200/],
    ['empty name', () => corrupt((d) => (d.name = '')), /Invalid subnet file: name:/],
    ['10 kB createdAt', () => corrupt((d) => (d.createdAt = 'y'.repeat(10_000))), /Invalid subnet file: createdAt:/],
    ['10 kB model path', () => corrupt((d) => (d.model.path = 'p'.repeat(10_000))), /Invalid subnet file: model\.path:/],
    // paths are names, never routes: each refused with the field and what the value is
    [
      'model.path up two folders',
      () => corrupt((d) => (d.model.path = '../../etc/passwd')),
      /^Invalid subnet file: model\.path: "\.\.\/\.\.\/etc\/passwd" must be a plain file name in the envelope's folder: it starts with "\.\." \(the parent folder\)/,
    ],
    [
      'model.path into a sibling folder',
      () => corrupt((d) => (d.model.path = '../other/x.model.json')),
      /^Invalid subnet file: model\.path: "\.\.\/other\/x\.model\.json" must be a plain file name .*starts with "\.\."/,
    ],
    [
      'model.path absolute',
      () => corrupt((d) => (d.model.path = '/etc/passwd')),
      /^Invalid subnet file: model\.path: "\/etc\/passwd" must be a plain file name .*: it is an absolute path/,
    ],
    [
      'model.path with Windows backslashes',
      () => corrupt((d) => (d.model.path = '..\\..\\windows\\win.ini')),
      /^Invalid subnet file: model\.path: .*win\.ini" must be a plain file name .*starts with "\.\."/,
    ],
    [
      'model.path a URL',
      () => corrupt((d) => (d.model.path = 'https://example.com/x.model.json')),
      /^Invalid subnet file: model\.path: "https:\/\/example\.com\/x\.model\.json" must be a plain file name .*: it is a URL/,
    ],
    [
      'model.path with a drive letter',
      () => corrupt((d) => (d.model.path = 'C:x.model.json')),
      /model\.path: .*: it starts with a drive letter/,
    ],
    [
      'model.path a UNC share',
      () => corrupt((d) => (d.model.path = '\\\\server\\share\\x.json')),
      /model\.path: .*: it is an absolute path/,
    ],
    [
      'model.path in a subfolder',
      () => corrupt((d) => (d.model.path = 'models/x.model.json')),
      /model\.path: .*: it holds a path separator/,
    ],
    [
      'model.path in a subfolder, Windows style',
      () => corrupt((d) => (d.model.path = 'models\\x.model.json')),
      /model\.path: .*: it holds a path separator/,
    ],
    ['model.path "..”', () => corrupt((d) => (d.model.path = '..')), /model\.path: "\.\." must be a plain file name .*: it names a folder/],
    ['model.path a Windows stream', () => corrupt((d) => (d.model.path = 'x.model.json:secret')), /model\.path: .*: it holds ":"/],
    [
      'model.path with a newline',
      () => corrupt((d) => (d.model.path = 'x\n.model.json')),
      /model\.path: "x\?\.model\.json" must be a plain file name .*: it holds a control character/,
    ],
    [
      'encoding hidden behind __proto__',
      () => {
        const d = validData() as Record<string, any>;
        const text = JSON.stringify({ ...d, encoding: 0 }).replace(
          '"encoding":0',
          `"encoding":{"__proto__":${JSON.stringify(d.encoding)}}`,
        );
        return JSON.parse(text);
      },
      /Invalid subnet file: encoding\.resolution:/,
    ],
    ['null', () => null, /Invalid subnet file: \(root\): .*object/],
    ['an array', () => [validData()], /Invalid subnet file: \(root\): .*object/],
    ['a number', () => 42, /Invalid subnet file: \(root\): .*object/],
    ['a string', () => 'nas-studio/subnet', /Invalid subnet file: \(root\): .*object/],
  ];

  it('has at least 12 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases)('%s', (_, make, message) => {
    const data = make();
    expect(() => parseSubnetEnvelope(data)).toThrow(message);
    // the same through the text reader
    expect(() => readSubnetEnvelopeText(JSON.stringify(data))).toThrow(message);
  });

  it('names the given source', () => {
    expect(() =>
      parseSubnetEnvelope(
        corrupt((d) => (d.macs += 1)),
        'best.json',
      ),
    ).toThrow(/^best\.json: macs is/);
    expect(() => parseSubnetEnvelope(null, 'best.json')).toThrow(/^Invalid best\.json: /);
  });

  it('non-JSON text names the place, never the text', () => {
    expect(() => readSubnetEnvelopeText('CANARY-SECRET contents of some other file', 'x.json')).toThrow(
      /^x\.json is not JSON: unexpected character at line 1, column 1$/,
    );
    expect(() => readSubnetEnvelopeText('{\n  "type": CANARY-SECRET\n}', 'x.json')).toThrow(
      /^x\.json is not JSON: unexpected character at line 2, column 11$/,
    );
    expect(() => readSubnetEnvelopeText('{"type": "CANARY-SECRET', 'x.json')).toThrow(
      /^x\.json is not JSON: the text ends before the JSON is complete \(line 1, column 24\)$/,
    );
  });

  it('a byte-order mark before the JSON is ignored, as a browser does', () => {
    const env = validData();
    expect(readSubnetEnvelopeText(`\ufeff${JSON.stringify(env)}`)).toEqual(readSubnetEnvelopeText(JSON.stringify(env)));
  });

  it('a model path that is not a plain name cannot be written either', () => {
    expect(() => makeSubnetEnvelope(inputs({ modelPath: '../x.model.json' }))).toThrow(
      /^cannot export: the model path "\.\.\/x\.model\.json" must be a plain file name beside the envelope: it starts with "\.\."/,
    );
    expect(makeSubnetEnvelope(inputs({ modelPath: 'a..b.model.json' })).model!.path).toBe('a..b.model.json');
  });

  it('non-JSON text names the source and the parse error', () => {
    expect(() => readSubnetEnvelopeText('not json {')).toThrow(/^subnet file is not JSON: /);
    expect(() => readSubnetEnvelopeText('', 'drop.json')).toThrow(/^drop\.json is not JSON: /);
    const text = JSON.stringify(validData());
    expect(() => readSubnetEnvelopeText(text.slice(0, -1))).toThrow(/subnet file is not JSON/);
  });

  it('the valid base envelope itself passes (so each rejection is due to its corruption)', () => {
    expect(() => parseSubnetEnvelope(validData())).not.toThrow();
    expect(subnetKey(validData().encoding)).toBe(subnetKey(largestSubnet(tiny)));
  });
});

describe('modelWeightsFiles', () => {
  const manifest = (...paths: unknown[]) => ({ modelTopology: {}, weightsManifest: [{ paths, weights: [] }] });

  it('returns the plain file names a model.json gives, in order', () => {
    expect(modelWeightsFiles(manifest('a.weights.bin', 'b.weights.bin'))).toEqual(['a.weights.bin', 'b.weights.bin']);
  });

  it.each([
    [
      '../secret.bin',
      /^m\.model\.json: weightsManifest\.0\.paths\.0 "\.\.\/secret\.bin" must be a plain file name in the model's folder: it starts with "\.\."/,
    ],
    ['/etc/passwd', /weightsManifest\.0\.paths\.0 "\/etc\/passwd" .*absolute path/],
    ['..\\..\\secret.bin', /weightsManifest\.0\.paths\.0 .*starts with "\.\."/],
    ['https://example.com/w.bin', /weightsManifest\.0\.paths\.0 .*a URL/],
    ['sub/w.bin', /weightsManifest\.0\.paths\.0 .*path separator/],
    [5, /weightsManifest\.0\.paths\.0 is not a string/],
  ])('refuses %s, naming the field', (path, message) => {
    expect(() => modelWeightsFiles(manifest(path), 'm.model.json')).toThrow(message);
  });

  it('names a second group and a missing manifest', () => {
    const two = { weightsManifest: [{ paths: ['ok.bin'] }, { paths: ['ok2.bin', '../x.bin'] }] };
    expect(() => modelWeightsFiles(two, 'm.model.json')).toThrow(/^m\.model\.json: weightsManifest\.1\.paths\.1 "\.\.\/x\.bin"/);
    expect(() => modelWeightsFiles({}, 'm.model.json')).toThrow(/^m\.model\.json: weightsManifest is missing or empty/);
    expect(() => modelWeightsFiles({ weightsManifest: [{}] }, 'm.model.json')).toThrow(
      /^m\.model\.json: weightsManifest\.0\.paths is missing or empty/,
    );
  });
});
