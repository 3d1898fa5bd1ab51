/**
 * The CLI's reader of exported subnets on disk (npm run evaluate-export): names inside an
 * envelope or a model.json never lead out of the envelope's folder, a file outside it is never
 * read (its bytes never show in a message), and a byte-order mark reads as the browser reads it.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvelopeModel, readEnvelopeFile, resolveBeside } from '../../src/cli/export-files';
import { presetSpace } from '../../src/core/space/presets';
import { largestSubnet } from '../../src/core/space/subnet';
import { makeSubnetEnvelope, type SubnetEnvelope } from '../../src/core/records/subnet-envelope';

const CANARY = 'CANARY-SECRET-7f3a';
const tiny = presetSpace('tiny');
let root: string;
let folder: string;

const envelope = (path: string): SubnetEnvelope => {
  const env = makeSubnetEnvelope({
    space: tiny,
    subnet: largestSubnet(tiny),
    accuracy: null,
    dataset: { name: 'fashion-mnist', inputShape: [28, 28, 1], numClasses: 10, normalisation: { mean: [0.286], std: [0.353] } },
    training: { seed: 1, sampler: 'uniform', epochs: 1, steps: 1 },
    modelPath: 'net.model.json',
  });
  // as a hostile file would hold it, past the reader's own check
  return { ...env, model: { ...env.model!, path } };
};

/** Awaits a rejection and returns its message, checking it leaks nothing of the secret files. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error('expected a refusal');
  expect(error.message).not.toContain(CANARY);
  expect(error.message).not.toMatch(/ENOENT/);
  return error.message;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nas-export-files-'));
  folder = join(root, 'exports');
  mkdirSync(folder);
  mkdirSync(join(root, 'work'));
  writeFileSync(join(root, 'work', 'secret.model.json'), `${CANARY} do not read`);
  writeFileSync(join(root, 'secret.bin'), CANARY);
  writeFileSync(join(folder, 'not-json.model.json'), `${CANARY} is not JSON`);
  writeFileSync(
    join(folder, 'escaping.model.json'),
    JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['../secret.bin'], weights: [] }] }),
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('loadEnvelopeModel refuses names that are routes', () => {
  const envPath = () => join(folder, 'x.json');

  it.each([
    [
      '../work/secret.model.json',
      /: model\.path "\.\.\/work\/secret\.model\.json" must be a plain file name in the same folder: it starts with "\.\."/,
    ],
    ['/etc/passwd', /: model\.path "\/etc\/passwd" must be a plain file name in the same folder: it is an absolute path/],
    ['..\\work\\secret.model.json', /: model\.path .* must be a plain file name in the same folder: it starts with "\.\."/],
    ['https://example.com/x.model.json', /: model\.path .*: it is a URL/],
    ['C:secret.model.json', /: model\.path .*: it starts with a drive letter/],
    ['sub\\x.model.json', /: model\.path .*: it holds a path separator/],
  ])('model.path %s', async (path, message) => {
    expect(await refusal(loadEnvelopeModel(envPath(), envelope(path)))).toMatch(message);
  });

  it('a weightsManifest path that leaves the folder, named by its field; the file outside is not read', async () => {
    const message = await refusal(loadEnvelopeModel(envPath(), envelope('escaping.model.json')));
    expect(message).toMatch(
      /escaping\.model\.json: weightsManifest\.0\.paths\.0 "\.\.\/secret\.bin" must be a plain file name in the model's folder: it starts with "\.\."/,
    );
  });

  it('a model.json that is not JSON is named by line and column, without its bytes', async () => {
    const message = await refusal(loadEnvelopeModel(envPath(), envelope('not-json.model.json')));
    expect(message).toMatch(/not-json\.model\.json is not JSON: unexpected character at line 1, column 1$/);
  });

  it('a missing model.json says so in words', async () => {
    const message = await refusal(loadEnvelopeModel(envPath(), envelope('gone.model.json')));
    expect(message).toMatch(
      /could not read the model\.json that model\.path of .*x\.json names \(.*gone\.model\.json\): there is no such file/,
    );
  });
});

describe('resolveBeside', () => {
  it('keeps plain names inside the folder', () => {
    expect(resolveBeside(folder, 'a..b.model.json', 'model.path', 'x.json')).toBe(join(folder, 'a..b.model.json'));
  });

  it.each(['..', '...', '. .', 'a/b', 'a\\b', '\\\\srv\\share', 'D:\\x', 'file:///etc/passwd'])('refuses %s', (name) => {
    expect(() => resolveBeside(folder, name, 'model.path', 'x.json')).toThrow(
      /^x\.json: model\.path .* must be a plain file name in the same folder: /,
    );
  });
});

describe('readEnvelopeFile', () => {
  it('reads an envelope after a byte-order mark, as the browser does', async () => {
    const env = makeSubnetEnvelope({ ...envelopeInputs(), modelPath: null });
    writeFileSync(join(folder, 'bom.json'), `\ufeff${JSON.stringify(env)}`);
    expect((await readEnvelopeFile(join(folder, 'bom.json'))).hash).toBe(env.hash);
  });

  it('a missing envelope is named, without a raw ENOENT', async () => {
    expect(await refusal(readEnvelopeFile(join(folder, 'none.json')))).toMatch(
      /^could not read the envelope \(.*none\.json\): there is no such file$/,
    );
  });
});

function envelopeInputs() {
  return {
    space: tiny,
    subnet: largestSubnet(tiny),
    accuracy: null,
    dataset: {
      name: 'fashion-mnist',
      inputShape: [28, 28, 1] as [number, number, number],
      numClasses: 10,
      normalisation: { mean: [0.286], std: [0.353] },
    },
    training: { seed: 1, sampler: 'uniform', epochs: 1, steps: 1 },
    modelPath: null,
  };
}
