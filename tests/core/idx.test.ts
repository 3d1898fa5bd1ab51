import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeIdxFile, gunzip, isGzip, loadFashionMnist, loadIdxPair, type ReadFile } from '../../src/core/data/dataset-files';
import { DataFileError, imageSetFromIdx, parseIdx } from '../../src/core/data/idx';
import { idxBytes, seq } from './idx-fixtures';
import { gzipBomb } from './gzip-bomb';

/** Runs fn and returns the DataFileError it throws (fails the test otherwise). */
function dataError(fn: () => unknown): DataFileError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).name).toBe('DataFileError');
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError, nothing was thrown');
}

describe('parseIdx', () => {
  it('parses a 3D image file and a 1D label file', () => {
    const images = parseIdx(idxBytes([2, 3, 4], seq(24)), 'imgs');
    expect(images.shape).toEqual([2, 3, 4]);
    expect(Array.from(images.data)).toEqual(seq(24));
    const labels = parseIdx(idxBytes([2], [7, 1]), 'labs');
    expect(labels.shape).toEqual([2]);
    expect(Array.from(labels.data)).toEqual([7, 1]);
  });

  it('reads big-endian sizes above 255', () => {
    const parsed = parseIdx(idxBytes([300], seq(300)));
    expect(parsed.shape).toEqual([300]);
    expect(parsed.data[299]).toBe(299 % 256);
  });

  it('reads a view into a larger buffer at a non-zero offset', () => {
    const file = idxBytes([2, 2, 2], seq(8, 10));
    const big = new Uint8Array(file.length + 7);
    big.set(file, 3);
    const parsed = parseIdx(big.subarray(3, 3 + file.length), 'view');
    expect(parsed.shape).toEqual([2, 2, 2]);
    expect(Array.from(parsed.data)).toEqual(seq(8, 10));
  });

  it('rejects a file too short for the magic number', () => {
    const e = dataError(() => parseIdx(new Uint8Array([0, 0, 8]), 'short.idx'));
    expect(e.message).toBe('short.idx: only 3 bytes, too short for an idx header');
  });

  it('rejects a wrong magic number, showing the bytes found', () => {
    const bytes = idxBytes([2], [1, 2]);
    bytes[0] = 0x1f;
    bytes[1] = 0x8b;
    const e = dataError(() => parseIdx(bytes, 'gz-by-mistake'));
    expect(e.message).toMatch(/^gz-by-mistake: not an idx file/);
    expect(e.message).toContain('0x1f 0x8b');
    bytes[0] = 0;
    expect(dataError(() => parseIdx(bytes, 'half')).message).toContain('0x00 0x8b');
  });

  it('rejects non-byte element types, naming the type', () => {
    const e = dataError(() => parseIdx(idxBytes([2], [1, 2], 0x0d), 'floats.idx'));
    expect(e.message).toMatch(/^floats\.idx: holds float data/);
    expect(e.message).toContain('unsigned byte (0x08)');
    expect(dataError(() => parseIdx(idxBytes([2], [1, 2], 0x0e), 'f')).message).toContain('double');
    expect(dataError(() => parseIdx(idxBytes([2], [1, 2], 0x09), 'f')).message).toContain('signed byte');
    expect(dataError(() => parseIdx(idxBytes([2], [1, 2], 0x42), 'f')).message).toContain('unknown type 0x42');
  });

  it('rejects zero dimensions and more than four', () => {
    const zero = new Uint8Array([0, 0, 8, 0, 1, 2]);
    expect(dataError(() => parseIdx(zero, 'z.idx')).message).toBe('z.idx: has 0 dimensions; expected 1 to 4');
    const five = idxBytes([1, 1, 1, 1, 2], [1, 2]);
    expect(dataError(() => parseIdx(five, 'five.idx')).message).toMatch(/^five\.idx: has 5 dimensions/);
    expect(parseIdx(idxBytes([1, 1, 1, 2], [1, 2])).shape).toEqual([1, 1, 1, 2]);
  });

  it('rejects a dimension of size 0', () => {
    const e = dataError(() => parseIdx(idxBytes([3, 0, 2], []), 'empty.idx'));
    expect(e.message).toBe('empty.idx: dimension 1 has size 0');
  });

  it('rejects a truncated header', () => {
    const full = idxBytes([2, 3, 4], seq(24));
    const e = dataError(() => parseIdx(full.subarray(0, 10), 'cut.idx'));
    expect(e.message).toBe('cut.idx: truncated header: 3 dimensions need 16 bytes, file has 10');
  });

  it('rejects truncated data with both byte counts', () => {
    const full = idxBytes([2, 3, 4], seq(24));
    const e = dataError(() => parseIdx(full.subarray(0, full.length - 5), 'train-images'));
    expect(e.message).toMatch(/^train-images: truncated/);
    expect(e.message).toContain('2x3x4 = 24 bytes');
    expect(e.message).toContain('holds 19');
  });

  it('rejects trailing bytes, counting them', () => {
    const full = idxBytes([2, 3], seq(8));
    const e = dataError(() => parseIdx(full, 'long.idx'));
    expect(e.message).toBe('long.idx: 2 unexpected bytes after the 2x3 data');
  });

  it('uses a default file name', () => {
    expect(dataError(() => parseIdx(new Uint8Array(0))).message).toMatch(/^idx file: only 0 bytes/);
  });
});

describe('imageSetFromIdx', () => {
  const images = () => parseIdx(idxBytes([3, 2, 4], seq(24)));
  const labels = (values: number[]) => parseIdx(idxBytes([values.length], values));

  it('pairs images and labels', () => {
    const set = imageSetFromIdx(images(), labels([0, 9, 4]));
    expect(set).toMatchObject({ count: 3, height: 2, width: 4, channels: 1, numClasses: 10 });
    expect(Array.from(set.labels)).toEqual([0, 9, 4]);
    expect(set.images).toHaveLength(24);
  });

  it('rejects a label count mismatch, naming both files', () => {
    const names = { images: 'imgs.idx', labels: 'labs.idx' };
    const e = dataError(() => imageSetFromIdx(images(), labels([0, 1]), names));
    expect(e.message).toBe('labs.idx: holds 2 labels but imgs.idx holds 3 images');
  });

  it('rejects a label >= numClasses, with its index', () => {
    const e = dataError(() => imageSetFromIdx(images(), labels([0, 10, 1])));
    expect(e.message).toBe('labels: label 10 at index 1 is outside 0..9');
    expect(dataError(() => imageSetFromIdx(images(), labels([0, 2, 1]), undefined, 2)).message).toContain('outside 0..1');
    expect(imageSetFromIdx(images(), labels([0, 2, 1]), undefined, 3).numClasses).toBe(3);
  });

  it('rejects images that are not 3D and labels that are not 1D', () => {
    const flat = parseIdx(idxBytes([3, 8], seq(24)));
    const e = dataError(() => imageSetFromIdx(flat, labels([0, 1, 2]), { images: 'flat.idx', labels: 'l' }));
    expect(e.message).toBe('flat.idx: expected 3 dimensions (count x height x width), found 2');
    const e2 = dataError(() => imageSetFromIdx(images(), parseIdx(idxBytes([3, 1], [0, 1, 2])), { images: 'i', labels: 'l2.idx' }));
    expect(e2.message).toMatch(/^l2\.idx: expected 1 dimension/);
  });
});

describe('dataset files', () => {
  const plain = idxBytes([2, 2, 3], seq(12, 100));

  it('detects gzip by its magic bytes', () => {
    expect(isGzip(new Uint8Array(gzipSync(plain)))).toBe(true);
    expect(isGzip(plain)).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
  });

  it('decodeIdxFile gives the same result for gzip and plain bytes', async () => {
    const fromGzip = await decodeIdxFile(new Uint8Array(gzipSync(plain)), 'a.gz');
    const fromPlain = await decodeIdxFile(plain, 'a');
    expect(fromGzip.shape).toEqual([2, 2, 3]);
    expect(fromGzip.shape).toEqual(fromPlain.shape);
    expect(Array.from(fromGzip.data)).toEqual(Array.from(fromPlain.data));
    expect(Array.from(await gunzip(new Uint8Array(gzipSync(plain))))).toEqual(Array.from(plain));
  });

  it('rejects corrupt gzip with a DataFileError that names the file and gzip', async () => {
    const corrupt = new Uint8Array([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3]);
    const error = await decodeIdxFile(corrupt, 'broken.gz').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toMatch(/^broken\.gz: is not valid gzip data/);
    await expect(gunzip(new Uint8Array([0x1f, 0x8b, 9, 9, 9]), 'bad-method.gz')).rejects.toThrow(/bad-method\.gz: .*gzip/);
  });

  it('a 1 GiB gzip bomb (made here) is refused where its header says the data ends, in under 2 s', async () => {
    const [headed, zeros] = [gzipBomb(1024, idxBytes([60000, 28, 28], [])), gzipBomb(1024)];
    const start = performance.now();
    await expect(decodeIdxFile(headed, 'train-images-idx3-ubyte.gz')).rejects.toThrow(
      /^train-images-idx3-ubyte\.gz: decompresses to more than its idx header declares \(60000x28x28 = 47040000 bytes of data after its 16-byte header\)/,
    );
    await expect(decodeIdxFile(zeros, 'zeros.gz')).rejects.toThrow(/^zeros\.gz: holds unknown type 0x00 data/);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('inflates a valid file exactly, with a trailing byte or a byte short named', async () => {
    const gz = (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes));
    await expect(decodeIdxFile(gz(Uint8Array.from([...plain, 7])), 'long.gz')).rejects.toThrow(
      /^long\.gz: 1 unexpected bytes after the 2x2x3 data$/,
    );
    await expect(decodeIdxFile(gz(plain.subarray(0, plain.length - 1)), 'short.gz')).rejects.toThrow(
      /^short\.gz: truncated: header says 2x2x3 = 12 bytes of data, file holds 11$/,
    );
  });

  it('rejects a gzip stream cut short', async () => {
    const gz = new Uint8Array(gzipSync(plain));
    await expect(decodeIdxFile(gz.subarray(0, gz.length - 6), 'cut.gz')).rejects.toThrow(/cut\.gz/);
  });

  it('loadIdxPair reads both files through ReadFile, gzip or not', async () => {
    const files: Record<string, Uint8Array> = {
      'imgs.gz': new Uint8Array(gzipSync(idxBytes([3, 2, 2], seq(12)))),
      labs: idxBytes([3], [2, 0, 1]),
    };
    const requested: string[] = [];
    const read: ReadFile = async (name) => {
      requested.push(name);
      if (!(name in files)) throw new Error(`no such file ${name}`);
      return files[name];
    };
    const set = await loadIdxPair(read, { images: 'imgs.gz', labels: 'labs' }, 3);
    expect(requested.sort()).toEqual(['imgs.gz', 'labs']);
    expect(set).toMatchObject({ count: 3, height: 2, width: 2, channels: 1, numClasses: 3 });
    expect(Array.from(set.images)).toEqual(seq(12));
    expect(Array.from(set.labels)).toEqual([2, 0, 1]);

    await expect(loadIdxPair(read, { images: 'imgs.gz', labels: 'missing' })).rejects.toThrow(/no such file missing/);
    // numClasses is passed through to the label check, naming the label file
    await expect(loadIdxPair(read, { images: 'imgs.gz', labels: 'labs' }, 2)).rejects.toThrow(/^labs: label 2 at index 0/);
  });

  it('loadFashionMnist loads train and test and rejects mismatched image sizes', async () => {
    const make = (h: number): Record<string, Uint8Array> => ({
      'train-images-idx3-ubyte.gz': new Uint8Array(gzipSync(idxBytes([2, 3, 3], seq(18)))),
      'train-labels-idx1-ubyte.gz': new Uint8Array(gzipSync(idxBytes([2], [1, 2]))),
      't10k-images-idx3-ubyte.gz': idxBytes([1, h, 3], seq(h * 3)),
      't10k-labels-idx1-ubyte.gz': idxBytes([1], [5]),
    });
    const ok = make(3);
    const sets = await loadFashionMnist(async (name) => ok[name]);
    expect(sets.train.count).toBe(2);
    expect(sets.test.count).toBe(1);
    const bad = make(4);
    await expect(loadFashionMnist(async (name) => bad[name])).rejects.toThrow(
      /^t10k-images-idx3-ubyte\.gz: images are 4x3, training images are 3x3/,
    );
  });
});
