import { describe, expect, it } from 'vitest';
import { assembleBatch, noAugmentation } from '../../src/core/data/augment';
import {
  CIFAR10_RECORD_BYTES,
  describeShapeMismatch,
  displayFileName,
  loadCifar10Batches,
  loadCifar10TrainTest,
  loadUserIdxPair,
  matchPresetForShape,
  parseCifar10Batches,
  sniffFormat,
  splitCifarTrainTest,
  type UserFile,
} from '../../src/core/data/dataset-import';
import { DataFileError } from '../../src/core/data/idx';
import { gzipBomb } from './gzip-bomb';
import { idxBytes, seq } from './idx-fixtures';

// ------------------------------------------------------------------ builders

const file = (name: string, bytes: Uint8Array): UserFile => ({ name, bytes });
const text = (s: string) => new TextEncoder().encode(s);

/** gzip through the platform's CompressionStream, as a browser would produce it. */
async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The CHW source value of record r, channel c, row y, column x: distinct across channels. */
const cifarValue = (r: number, c: number, y: number, x: number) => (r * 7 + c * 85 + y * 5 + x * 3) % 256;

/** CIFAR-10 binary records: label byte, then 1024 R, 1024 G, 1024 B (row-major 32x32). */
function cifarBytes(labels: number[], firstRecord = 0): Uint8Array {
  const bytes = new Uint8Array(labels.length * CIFAR10_RECORD_BYTES);
  labels.forEach((label, i) => {
    const r = firstRecord + i;
    const base = i * CIFAR10_RECORD_BYTES;
    bytes[base] = label;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) bytes[base + 1 + c * 1024 + y * 32 + x] = cifarValue(r, c, y, x);
    }
  });
  return bytes;
}

/** Awaits a promise that must reject with a DataFileError; returns it. */
async function rejection(promise: Promise<unknown>): Promise<DataFileError> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (outcome === null) throw new Error('expected a DataFileError, the promise resolved');
  expect(outcome).toBeInstanceOf(DataFileError);
  expect((outcome as Error).name).toBe('DataFileError');
  return outcome as DataFileError;
}

/** Runs fn, which must throw a DataFileError; returns it. */
function thrown(fn: () => unknown): DataFileError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError, nothing was thrown');
}

const goodImages = () => file('imgs.idx', idxBytes([3, 2, 4], seq(24)));
const goodLabels = () => file('labs.idx', idxBytes([3], [0, 9, 4]));

// ------------------------------------------------------------------ round trips

describe('loadUserIdxPair', () => {
  it('reads a plain idx3 / idx1 pair', async () => {
    const set = await loadUserIdxPair(goodImages(), goodLabels());
    expect(set).toMatchObject({ count: 3, height: 2, width: 4, channels: 1, numClasses: 10 });
    expect(Array.from(set.images)).toEqual(seq(24));
    expect(Array.from(set.labels)).toEqual([0, 9, 4]);
  });

  it('reads gzip-compressed files made by CompressionStream, with the same result', async () => {
    const images = await gzip(idxBytes([3, 2, 4], seq(24, 100)));
    const labels = await gzip(idxBytes([3], [5, 1, 2]));
    expect(images[0]).toBe(0x1f);
    const set = await loadUserIdxPair(file('i.gz', images), file('l.gz', labels));
    expect(set).toMatchObject({ count: 3, height: 2, width: 4, channels: 1 });
    expect(Array.from(set.images)).toEqual(seq(24, 100));
    expect(Array.from(set.labels)).toEqual([5, 1, 2]);
    // one compressed, one not
    const mixed = await loadUserIdxPair(file('i.gz', images), goodLabels());
    expect(Array.from(mixed.labels)).toEqual([0, 9, 4]);
  });

  it('infers the class count as max label + 1, at least 2', async () => {
    const labels = (values: number[]) => file('l', idxBytes([3], values));
    expect((await loadUserIdxPair(goodImages(), labels([0, 14, 3]), { numClasses: 'infer' })).numClasses).toBe(15);
    expect((await loadUserIdxPair(goodImages(), labels([0, 0, 0]), { numClasses: 'infer' })).numClasses).toBe(2);
    expect((await loadUserIdxPair(goodImages(), labels([0, 1, 2]), { numClasses: 3 })).numClasses).toBe(3);
  });
});

describe('parseCifar10Batches / loadCifar10Batches', () => {
  it('transposes CHW records into interleaved HWC and keeps the labels', () => {
    const set = parseCifar10Batches([file('data_batch_1.bin', cifarBytes([3, 0, 9]))]);
    expect(set).toMatchObject({ count: 3, height: 32, width: 32, channels: 3, numClasses: 10 });
    expect(Array.from(set.labels)).toEqual([3, 0, 9]);
    expect(set.images).toHaveLength(3 * 3072);
    // a known pixel: record 1, row 5, column 7, each channel
    const at = (n: number, y: number, x: number, c: number) => set.images[n * 3072 + (y * 32 + x) * 3 + c];
    expect(at(1, 5, 7, 0)).toBe(cifarValue(1, 0, 5, 7));
    expect(at(1, 5, 7, 1)).toBe(cifarValue(1, 1, 5, 7));
    expect(at(1, 5, 7, 2)).toBe(cifarValue(1, 2, 5, 7));
    // and every pixel
    for (let n = 0; n < 3; n++) {
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++)
          for (let c = 0; c < 3; c++) {
            if (at(n, y, x, c) !== cifarValue(n, c, y, x)) throw new Error(`pixel n=${n} y=${y} x=${x} c=${c} is wrong`);
          }
    }
  });

  it('puts a pure red, green or blue pixel on the right channel as the engine reads it', () => {
    const bytes = new Uint8Array(CIFAR10_RECORD_BYTES);
    bytes[1 + 0 * 1024 + 2 * 32 + 30] = 255; // red at row 2, col 30
    bytes[1 + 1 * 1024 + 31 * 32 + 0] = 255; // green at row 31, col 0
    bytes[1 + 2 * 1024 + 0 * 32 + 1] = 255; // blue at row 0, col 1
    const set = parseCifar10Batches([file('one.bin', bytes)]);
    const batch = assembleBatch(set, [0], { mean: [0, 0, 0], std: [1, 1, 1] }, noAugmentation, null);
    const px = (y: number, x: number) => Array.from(batch.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3));
    expect(px(2, 30)).toEqual([1, 0, 0]);
    expect(px(31, 0)).toEqual([0, 1, 0]);
    expect(px(0, 1)).toEqual([0, 0, 1]);
    expect(batch.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('joins several batches in order', () => {
    const set = parseCifar10Batches([file('data_batch_1.bin', cifarBytes([1, 2])), file('data_batch_2.bin', cifarBytes([7], 2))]);
    expect(set.count).toBe(3);
    expect(Array.from(set.labels)).toEqual([1, 2, 7]);
    expect(set.images[2 * 3072 + (4 * 32 + 9) * 3 + 1]).toBe(cifarValue(2, 1, 4, 9));
  });

  it('a gzip bomb named as a batch stops past the 10,000 records of a batch', async () => {
    const e = await rejection(loadCifar10Batches([file('data_batch_1.bin.gz', gzipBomb(1024))]));
    expect(e.message).toMatch(
      /^data_batch_1\.bin\.gz: decompresses to more than 30730000 bytes, the 10000 records of 3073 bytes a CIFAR-10 batch file holds/,
    );
  });

  it('reads gzip-compressed batches through loadCifar10Batches', async () => {
    const plain = cifarBytes([4, 8]);
    const set = await loadCifar10Batches([file('data_batch_1.bin.gz', await gzip(plain))]);
    expect(Array.from(set.labels)).toEqual([4, 8]);
    expect(Array.from(set.images)).toEqual(Array.from(parseCifar10Batches([file('p', plain)]).images));
  });

  it('splits test_batch* into test and the rest into train, also under a folder', async () => {
    const files = [
      file('cifar-10-batches-bin/data_batch_1.bin', cifarBytes([1])),
      file('cifar-10-batches-bin/test_batch.bin', cifarBytes([2, 3])),
      file('data_batch_2.bin', cifarBytes([4])),
    ];
    const split = splitCifarTrainTest(files);
    expect(split.train.map((f) => f.name)).toEqual(['cifar-10-batches-bin/data_batch_1.bin', 'data_batch_2.bin']);
    expect(split.test.map((f) => f.name)).toEqual(['cifar-10-batches-bin/test_batch.bin']);
    const sets = await loadCifar10TrainTest(files);
    expect(Array.from(sets.train.labels)).toEqual([1, 4]);
    expect(Array.from(sets.test.labels)).toEqual([2, 3]);
  });
});

// ------------------------------------------------------------------ malformed idx input

describe('malformed idx input', () => {
  it('wrong magic number', async () => {
    const bytes = idxBytes([3, 2, 4], seq(24));
    bytes[0] = 0x12;
    bytes[1] = 0x03;
    const e = await rejection(loadUserIdxPair(file('bad-magic.idx', bytes), goodLabels()));
    expect(e.message).toMatch(/^bad-magic\.idx: not an idx file: .*two zero bytes, found 0x12 0x03/);
  });

  it('wrong dtype byte', async () => {
    const e = await rejection(loadUserIdxPair(file('floats.idx', idxBytes([3, 2, 4], seq(24), 0x0d)), goodLabels()));
    expect(e.message).toMatch(/^floats\.idx: holds float data; only unsigned byte \(0x08\)/);
  });

  it('images and labels swapped', async () => {
    const e = await rejection(
      loadUserIdxPair(file('labels-by-mistake', idxBytes([3], [1, 2, 3])), file('images-by-mistake', idxBytes([3, 2, 4], seq(24)))),
    );
    expect(e.message).toMatch(/^labels-by-mistake: is an idx1 \(labels\) file and images-by-mistake is an idx3 \(images\) file; .*swapped/);
  });

  it('an idx1 file as images (labels not idx3)', async () => {
    const e = await rejection(loadUserIdxPair(file('one.idx', idxBytes([3], [1, 2, 3])), goodLabels()));
    expect(e.message).toMatch(/^one\.idx: is an idx1 file \(1 dimension\) \(a labels file\?\); the images file must be an idx3 ubyte file/);
  });

  it('an idx3 file as labels', async () => {
    const e = await rejection(loadUserIdxPair(goodImages(), file('three.idx', idxBytes([3, 2, 4], seq(24)))));
    expect(e.message).toMatch(
      /^three\.idx: is an idx3 file \(3 dimensions\) \(an images file\?\); the labels file must be an idx1 ubyte file/,
    );
  });

  it('zero-length images file', async () => {
    const e = await rejection(loadUserIdxPair(file('empty-images', new Uint8Array(0)), goodLabels()));
    expect(e.message).toBe('empty-images: is empty (0 bytes); expected an idx images file');
  });

  it('zero-length labels file', async () => {
    const e = await rejection(loadUserIdxPair(goodImages(), file('empty-labels', new Uint8Array(0))));
    expect(e.message).toBe('empty-labels: is empty (0 bytes); expected an idx labels file');
  });

  it('3-byte file', async () => {
    const e = await rejection(loadUserIdxPair(file('tiny', new Uint8Array([0, 0, 8])), goodLabels()));
    expect(e.message).toBe('tiny: only 3 bytes, too short for an idx header');
  });

  it('truncated header', async () => {
    const e = await rejection(loadUserIdxPair(file('cut-header', idxBytes([3, 2, 4], seq(24)).subarray(0, 10)), goodLabels()));
    expect(e.message).toBe('cut-header: truncated header: 3 dimensions need 16 bytes, file has 10');
  });

  it('truncated pixel data, with expected and present byte counts', async () => {
    const e = await rejection(loadUserIdxPair(file('short-images', idxBytes([3, 2, 4], seq(24)).subarray(0, 16 + 19)), goodLabels()));
    expect(e.message).toMatch(/^short-images: truncated: header says 3x2x4 = 24 bytes of data, file holds 19$/);
  });

  it('truncated label data', async () => {
    const e = await rejection(loadUserIdxPair(goodImages(), file('short-labels', idxBytes([3], [0, 1, 2]).subarray(0, 8 + 2))));
    expect(e.message).toMatch(/^short-labels: truncated: header says 3 = 3 bytes of data, file holds 2$/);
  });

  it('trailing bytes after the data', async () => {
    const e = await rejection(loadUserIdxPair(goodImages(), file('long-labels', idxBytes([3], [0, 1, 2, 3, 4]))));
    expect(e.message).toBe('long-labels: 2 unexpected bytes after the 3 data');
  });

  it('header claiming 2^31 images', async () => {
    const e = await rejection(loadUserIdxPair(file('huge', idxBytes([2 ** 31, 28, 28], seq(784))), goodLabels()));
    expect(e.message).toMatch(/^huge: truncated: header says 2147483648x28x28 = 1683627180032 bytes of data, file holds 784$/);
  });

  it('zero rows', async () => {
    const e = await rejection(loadUserIdxPair(file('no-rows', idxBytes([3, 0, 4], [])), goodLabels()));
    expect(e.message).toBe('no-rows: dimension 1 has size 0');
  });

  it('zero columns', async () => {
    const e = await rejection(loadUserIdxPair(file('no-cols', idxBytes([3, 4, 0], [])), goodLabels()));
    expect(e.message).toBe('no-cols: dimension 2 has size 0');
  });

  it('count mismatch between images and labels', async () => {
    const e = await rejection(loadUserIdxPair(goodImages(), file('two-labels', idxBytes([2], [0, 1]))));
    expect(e.message).toBe('two-labels: holds 2 labels but imgs.idx holds 3 images');
  });

  it('label 200', async () => {
    const e = await rejection(loadUserIdxPair(goodImages(), file('labs', idxBytes([3], [0, 200, 1]))));
    expect(e.message).toBe('labs: label 200 at index 1 is outside 0..9');
  });

  it('label equal to an explicit class count', async () => {
    const e = await rejection(loadUserIdxPair(goodImages(), file('labs', idxBytes([3], [0, 3, 1])), { numClasses: 3 }));
    expect(e.message).toBe('labs: label 3 at index 1 is outside 0..2');
  });

  it('an impossible class count option', async () => {
    await expect(loadUserIdxPair(goodImages(), goodLabels(), { numClasses: 1 })).rejects.toThrow(
      /numClasses must be an integer from 2 to 256/,
    );
    await expect(loadUserIdxPair(goodImages(), goodLabels(), { numClasses: 2.5 })).rejects.toThrow(RangeError);
  });

  it('corrupt gzip stream', async () => {
    const gz = await gzip(idxBytes([3, 2, 4], seq(24)));
    for (let i = 10; i < gz.length - 8; i++) gz[i] ^= 0xa5;
    const e = await rejection(loadUserIdxPair(file('broken.gz', gz), goodLabels()));
    expect(e.message).toMatch(/^broken\.gz: the gzip data is corrupt or truncated/);
  });

  it('truncated gzip stream', async () => {
    const gz = await gzip(idxBytes([3, 2, 4], seq(24)));
    const e = await rejection(loadUserIdxPair(goodImages(), file('cut.gz', gz.subarray(0, gz.length - 12))));
    expect(e.message).toMatch(/^cut\.gz: the gzip data is corrupt or truncated/);
  });

  it('a gzip file that decompresses to nothing', async () => {
    const e = await rejection(loadUserIdxPair(file('nothing.gz', await gzip(new Uint8Array(0))), goodLabels()));
    expect(e.message).toBe('nothing.gz: is gzip-compressed but decompresses to 0 bytes');
  });

  it('a PNG passed as idx', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const e = await rejection(loadUserIdxPair(file('photo.png', png), goodLabels()));
    expect(e.message).toMatch(/^photo\.png: looks like a PNG image, not an idx file/);
  });

  it('JSON passed as idx labels', async () => {
    const e = await rejection(loadUserIdxPair(goodImages(), file('labels.json', text('  [0, 1, 2]'))));
    expect(e.message).toMatch(/^labels\.json: looks like JSON text, not an idx file/);
  });

  it('an HTML error page saved in place of the file', async () => {
    const page = text('<html>\n<head><title>404 Not Found</title></head>\n<body>not found</body></html>');
    const e = await rejection(loadUserIdxPair(file('train-images.gz', page), goodLabels()));
    expect(e.message).toMatch(/^train-images\.gz: looks like an HTML page \(a web page saved in place of the file\?\), not an idx file/);
    const zipped = await rejection(loadUserIdxPair(file('train-images.gz', await gzip(page)), goodLabels()));
    expect(zipped.message).toMatch(/^train-images\.gz: looks like an HTML page/);
  });

  it('a 1 GiB gzip bomb (made here) stops at the header, or where the header says the data ends', async () => {
    const zeros = await rejection(loadUserIdxPair(file('bomb.gz', gzipBomb(1024)), goodLabels()));
    expect(zeros.message).toBe('bomb.gz: holds unknown type 0x00 data; only unsigned byte (0x08) idx files are supported');
    const bomb = gzipBomb(1024, idxBytes([3], []));
    const start = performance.now();
    const headed = await rejection(loadUserIdxPair(goodImages(), file('bomb.gz', bomb)));
    expect(headed.message).toBe(
      'bomb.gz: decompresses to more than its idx header declares (3 = 3 bytes of data after its 8-byte header); it was refused without inflating the rest',
    );
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

// ------------------------------------------------------------------ malformed CIFAR input

describe('malformed CIFAR-10 input', () => {
  it('length 3072, one byte short', () => {
    const e = thrown(() => parseCifar10Batches([file('data_batch_1.bin', cifarBytes([1]).subarray(0, 3072))]));
    expect(e.message).toMatch(
      /^data_batch_1\.bin: length 3072 is not a multiple of 3073 \(remainder 3072\); CIFAR-10 binary records are 3073 bytes/,
    );
  });

  it('length 3074, hinting at CIFAR-100', () => {
    const bytes = new Uint8Array(3074);
    bytes[0] = 3;
    const e = thrown(() => parseCifar10Batches([file('train.bin', bytes)]));
    expect(e.message).toMatch(/^train\.bin: length 3074 is not a multiple of 3073 \(remainder 1\);.*CIFAR-100/);
  });

  it('two records and five stray bytes', () => {
    const bytes = new Uint8Array(2 * 3073 + 5);
    const e = thrown(() => parseCifar10Batches([file('b.bin', bytes)]));
    expect(e.message).toMatch(/^b\.bin: length 6151 is not a multiple of 3073 \(remainder 5\)/);
    expect(e.message).not.toMatch(/CIFAR-100/);
  });

  it('empty file', () => {
    const e = thrown(() => parseCifar10Batches([file('data_batch_1.bin', cifarBytes([1])), file('test_batch.bin', new Uint8Array(0))]));
    expect(e.message).toMatch(/^test_batch\.bin: is empty \(0 bytes\)/);
  });

  it('label 10', () => {
    const bytes = cifarBytes([1, 10, 2]);
    const e = thrown(() => parseCifar10Batches([file('ten.bin', bytes)]));
    expect(e.message).toBe('ten.bin: record 1 has label 10; CIFAR-10 labels are 0 to 9');
  });

  it('label 255 in a later record', () => {
    const bytes = cifarBytes([1, 2, 255]);
    const e = thrown(() => parseCifar10Batches([file('ok.bin', cifarBytes([0])), file('bad.bin', bytes)]));
    expect(e.message).toBe('bad.bin: record 2 has label 255; CIFAR-10 labels are 0 to 9');
  });

  it('zero files', async () => {
    expect(thrown(() => parseCifar10Batches([])).message).toMatch(/^CIFAR-10: no files given/);
    expect((await rejection(loadCifar10Batches([]))).message).toMatch(/^CIFAR-10: no files given/);
  });

  it('a text file named .bin', () => {
    const e = thrown(() => parseCifar10Batches([file('data_batch_1.bin', text('hello'))]));
    expect(e.message).toMatch(/^data_batch_1\.bin: looks like a text file, not a CIFAR-10 binary batch/);
  });

  it('JSON passed as CIFAR', () => {
    const e = thrown(() => parseCifar10Batches([file('batch.bin', text('{"labels": [1, 2, 3]}'))]));
    expect(e.message).toMatch(/^batch\.bin: looks like JSON text, not a CIFAR-10 binary batch/);
  });

  it('a PNG passed as CIFAR', () => {
    const e = thrown(() => parseCifar10Batches([file('cat.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]))]));
    expect(e.message).toMatch(/^cat\.png: looks like a PNG image/);
  });

  it('the tar archive instead of its contents', async () => {
    const tar = new Uint8Array(1024);
    tar.set(text('cifar-10-batches-bin/'), 0);
    tar.set(text('ustar'), 257);
    const e = await rejection(loadCifar10Batches([file('cifar-10-binary.tar.gz', await gzip(tar))]));
    expect(e.message).toMatch(/^cifar-10-binary\.tar\.gz: is a tar archive; extract it/);
  });

  it('a Python pickle (the python version of CIFAR-10)', () => {
    const e = thrown(() => parseCifar10Batches([file('data_batch_1', new Uint8Array([0x80, 0x02, 0x7d, 0x71, 0x00]))]));
    expect(e.message).toMatch(/^data_batch_1: is a Python pickle .*binary version/);
  });

  it('gzip passed to the synchronous parser', async () => {
    const gz = await gzip(cifarBytes([1]));
    const e = thrown(() => parseCifar10Batches([file('b.bin.gz', gz)]));
    expect(e.message).toMatch(/^b\.bin\.gz: is gzip-compressed; load it with loadCifar10Batches/);
  });

  it('corrupt gzip batch', async () => {
    const gz = await gzip(cifarBytes([1, 2]));
    const e = await rejection(loadCifar10Batches([file('b.bin.gz', gz.subarray(0, 30))]));
    expect(e.message).toMatch(/^b\.bin\.gz: the gzip data is corrupt or truncated/);
  });

  it('a gzip batch whose content is one byte short', async () => {
    const e = await rejection(loadCifar10Batches([file('b.bin.gz', await gzip(cifarBytes([1]).subarray(0, 3072)))]));
    expect(e.message).toMatch(/^b\.bin\.gz: length 3072 is not a multiple of 3073 \(remainder 3072\)/);
  });

  it('no test batch, or no training batch, among the files', async () => {
    const onlyTrain = [file('data_batch_1.bin', cifarBytes([1]))];
    expect((await rejection(loadCifar10TrainTest(onlyTrain))).message).toMatch(/no test batch.*test_batch\.bin/);
    const onlyTest = [file('test_batch.bin', cifarBytes([1]))];
    expect((await rejection(loadCifar10TrainTest(onlyTest))).message).toMatch(/no training batches/);
  });

  it('a hostile file name is cleaned and capped, and only a DataFileError is thrown', async () => {
    const hostile = `<img src=x onerror=alert(1)>\n\r\u2028evil\u202e${'A'.repeat(5000)}.bin`;
    const e = thrown(() => parseCifar10Batches([file(hostile, new Uint8Array(3072))]));
    const [name] = e.message.split(': length ');
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toMatch(/^<img src=x onerror=alert\(1\)> evil AAAA+\.\.\.$/);
    expect(e.message).not.toMatch(/[\n\r\u2028\u202e]/);
    expect(e.message).toMatch(/length 3072 is not a multiple of 3073/);
    expect(e.message.length).toBeLessThan(400);
    const idx = await rejection(loadUserIdxPair(file(hostile, new Uint8Array(0)), goodLabels()));
    expect(idx.message.split(': is empty')[0].length).toBeLessThanOrEqual(100);
  });
});

// ------------------------------------------------------------------ helpers

describe('displayFileName and sniffFormat', () => {
  it('keeps short names and names empty ones', () => {
    expect(displayFileName('data_batch_1.bin')).toBe('data_batch_1.bin');
    expect(displayFileName('')).toBe('(unnamed file)');
    expect(displayFileName('\n\t')).toBe('(unnamed file)');
    expect(displayFileName('x'.repeat(100))).toBe('x'.repeat(100));
    expect(displayFileName('x'.repeat(101))).toBe(`${'x'.repeat(97)}...`);
  });

  it('does not split a surrogate pair when capping', () => {
    const name = displayFileName('😀'.repeat(150));
    expect(Array.from(name)).toHaveLength(100);
    expect(name.endsWith('😀...')).toBe(true);
  });

  it('recognises common formats and leaves idx / CIFAR bytes alone', () => {
    expect(sniffFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('a JPEG image');
    expect(sniffFormat(new Uint8Array([0x50, 0x4b, 3, 4, 0]))).toBe('a zip archive');
    expect(sniffFormat(text('hello'))).toBe('a text file');
    expect(sniffFormat(text('\ufeff{"a":1}'))).toBe('JSON text');
    expect(sniffFormat(idxBytes([2], [1, 2]))).toBeNull();
    expect(sniffFormat(cifarBytes([9]))).toBeNull();
  });
});

describe('matching a preset to the image shape', () => {
  it('28x28x1 is fashion (preferred over tiny)', () => {
    expect(matchPresetForShape({ height: 28, width: 28, channels: 1 })).toBe('fashion');
    expect(describeShapeMismatch({ height: 28, width: 28, channels: 1 })).toBeNull();
  });

  it('32x32x3 is cifar', () => {
    expect(matchPresetForShape({ height: 32, width: 32, channels: 3 })).toBe('cifar');
    expect(describeShapeMismatch({ height: 32, width: 32, channels: 3 })).toBeNull();
  });

  it('64x64x3 has no preset, and the message names the shapes there are', () => {
    const shape = { height: 64, width: 64, channels: 3 };
    expect(matchPresetForShape(shape)).toBeNull();
    expect(describeShapeMismatch(shape)).toBe(
      'images are 64x64x3; the studio has presets for 28x28x1 (fashion, quick, tiny) and 32x32x3 (cifar)',
    );
  });

  it('channels must match too: 32x32x1 and 28x28x3 have no preset', () => {
    expect(matchPresetForShape({ height: 32, width: 32, channels: 1 })).toBeNull();
    expect(matchPresetForShape({ height: 28, width: 28, channels: 3 })).toBeNull();
    expect(describeShapeMismatch({ height: 28, width: 28, channels: 3 })).toMatch(/^images are 28x28x3;/);
  });

  it('loaded sets feed straight into the match', async () => {
    const cifar = parseCifar10Batches([file('b', cifarBytes([1]))]);
    expect(matchPresetForShape(cifar)).toBe('cifar');
    const idx = await loadUserIdxPair(file('i', idxBytes([1, 28, 28], seq(784))), file('l', idxBytes([1], [3])));
    expect(matchPresetForShape(idx)).toBe('fashion');
  });
});
