/**
 * loadUserDataset with hostile and mistaken files: each file is inflated once, within the budget
 * its header sets, and every refusal names the file and its precise cause (empty, too short,
 * wrong magic, float data, 4-D, an HTML page, swapped files, sizes that differ, a bomb).
 */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import type { UserFile } from '../../src/core/data/dataset-import';
import { DataFileError } from '../../src/core/data/idx';
import { loadUserDataset } from '../../src/core/data/user-dataset';
import { gzipBomb } from './gzip-bomb';
import { idxBytes, seq } from './idx-fixtures';

const file = (name: string, bytes: Uint8Array): UserFile => ({ name, bytes });
const gz = (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes));
const images = (count: number, size = 28) => idxBytes([count, size, size], seq(count * size * size));
const labels = (count: number) =>
  idxBytes(
    [count],
    seq(count).map((v) => v % 10),
  );

/** The four files of a small valid dataset; `replace` swaps some of them. */
function dataset(replace: Record<string, Uint8Array> = {}): UserFile[] {
  const files: Record<string, Uint8Array> = {
    'train-images-idx3-ubyte.gz': gz(images(6)),
    'train-labels-idx1-ubyte.gz': gz(labels(6)),
    't10k-images-idx3-ubyte.gz': gz(images(3)),
    't10k-labels-idx1-ubyte.gz': gz(labels(3)),
    ...replace,
  };
  return Object.entries(files).map(([name, bytes]) => file(name, bytes));
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error('expected a refusal, the dataset loaded');
  return error;
}

describe('loadUserDataset', () => {
  it('loads four valid files, gzip or plain, and picks the preset', async () => {
    const loaded = await loadUserDataset(dataset({ 't10k-labels-idx1-ubyte.gz': labels(3) }));
    expect(loaded.preset).toBe('fashion');
    expect([loaded.sets.train.count, loaded.sets.test.count]).toEqual([6, 3]);
    expect(Array.from(loaded.sets.test.labels)).toEqual([0, 1, 2]);
  });

  it('sorts by content: images and labels of one split with their names swapped still load', async () => {
    const loaded = await loadUserDataset(
      dataset({ 'train-images-idx3-ubyte.gz': gz(labels(6)), 'train-labels-idx1-ubyte.gz': gz(images(6)) }),
    );
    expect(loaded.sets.train.count).toBe(6);
  });
});

describe('loadUserDataset refuses, naming the file and the precise cause', () => {
  const html = new TextEncoder().encode('<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n');
  const cases: [string, Record<string, Uint8Array>, RegExp][] = [
    [
      'an empty file',
      { 'train-images-idx3-ubyte.gz': new Uint8Array(0) },
      /^train-images-idx3-ubyte\.gz: is empty \(0 bytes\); expected an idx images \(idx3\) or labels \(idx1\) file$/,
    ],
    [
      'a 3-byte file',
      { 'train-labels-idx1-ubyte.gz': new Uint8Array([0, 0, 8]) },
      /^train-labels-idx1-ubyte\.gz: only 3 bytes, too short for an idx header$/,
    ],
    [
      'a 3-byte file, gzip',
      { 'train-labels-idx1-ubyte.gz': gz(new Uint8Array([0, 0, 8])) },
      /^train-labels-idx1-ubyte\.gz: only 3 bytes, too short for an idx header$/,
    ],
    [
      'a truncated header',
      { 't10k-images-idx3-ubyte.gz': gz(images(3).subarray(0, 10)) },
      /^t10k-images-idx3-ubyte\.gz: truncated header: 3 dimensions need 16 bytes, file has 10$/,
    ],
    [
      'a wrong magic number',
      { 't10k-images-idx3-ubyte.gz': Uint8Array.from([0x12, 0x03, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0]) },
      /^t10k-images-idx3-ubyte\.gz: not an idx file: the magic number must start with two zero bytes, found 0x12 0x03$/,
    ],
    [
      'float data',
      { 'train-images-idx3-ubyte.gz': gz(idxBytes([6, 28, 28], seq(6 * 28 * 28), 0x0d)) },
      /^train-images-idx3-ubyte\.gz: holds float data; only unsigned byte \(0x08\) idx files are supported$/,
    ],
    [
      'a 4-D file',
      { 'train-images-idx3-ubyte.gz': gz(idxBytes([6, 28, 28, 1], seq(6 * 28 * 28))) },
      /^train-images-idx3-ubyte\.gz: is an idx4 file \(6x28x28x1\); an MNIST-format dataset is idx3 images \(count x height x width\) and idx1 labels \(count\)$/,
    ],
    ['a 2-D file', { 'train-labels-idx1-ubyte.gz': idxBytes([6, 1], seq(6)) }, /^train-labels-idx1-ubyte\.gz: is an idx2 file \(6x1\)/],
    [
      'an HTML 404 page',
      { 'train-images-idx3-ubyte.gz': html },
      /^train-images-idx3-ubyte\.gz: looks like an HTML page \(a web page saved in place of the file\?\), not an idx file/,
    ],
    ['an HTML 404 page, gzip', { 't10k-labels-idx1-ubyte.gz': gz(html) }, /^t10k-labels-idx1-ubyte\.gz: looks like an HTML page/],
    [
      'JSON',
      { 't10k-labels-idx1-ubyte.gz': new TextEncoder().encode('[0, 1, 2]') },
      /^t10k-labels-idx1-ubyte\.gz: looks like JSON text, not an idx file/,
    ],
    [
      'training images and test labels swapped',
      { 'train-images-idx3-ubyte.gz': gz(labels(3)), 't10k-labels-idx1-ubyte.gz': gz(images(6)) },
      /^train-images-idx3-ubyte\.gz: train-images-idx3-ubyte\.gz holds labels \(an idx1 file, 3\) though its name says images; t10k-labels-idx1-ubyte\.gz holds images \(an idx3 file, 6x28x28\) though its name says labels: the images and labels files look swapped, so there are no training images$/,
    ],
    [
      'test images 1x1 pixel',
      { 't10k-images-idx3-ubyte.gz': gz(images(3, 1)) },
      /^t10k-images-idx3-ubyte\.gz: holds 1x1 images but the training images in train-images-idx3-ubyte\.gz are 28x28; training and test images must be the same size$/,
    ],
    [
      'all images 1x1 pixel',
      { 'train-images-idx3-ubyte.gz': gz(images(6, 1)), 't10k-images-idx3-ubyte.gz': gz(images(3, 1)) },
      /^train-images-idx3-ubyte\.gz: images are 1x1x1; the studio has presets for 28x28x1 \(fashion, quick, tiny\) and 32x32x3 \(cifar\)$/,
    ],
    [
      'a label count that differs',
      { 'train-labels-idx1-ubyte.gz': gz(labels(5)) },
      /^train-labels-idx1-ubyte\.gz: holds 5 labels but train-images-idx3-ubyte\.gz holds 6 images$/,
    ],
  ];

  it.each(cases)('%s', async (_, replace, message) => {
    const error = await refusal(loadUserDataset(dataset(replace)));
    expect(error).toBeInstanceOf(DataFileError);
    expect(error.message).toMatch(message);
  });

  it('names the first bad file in the order given, whatever finishes first', async () => {
    const error = await refusal(
      loadUserDataset(dataset({ 'train-images-idx3-ubyte.gz': gz(new Uint8Array(5000)), 't10k-labels-idx1-ubyte.gz': new Uint8Array(0) })),
    );
    expect(error.message).toMatch(/^train-images-idx3-ubyte\.gz: holds unknown type 0x00 data/);
  });
});

describe('loadUserDataset and decompression bombs (made here, never stored)', () => {
  it('a 1 GiB bomb of zeros is refused by its header within 2 s', async () => {
    const bomb = gzipBomb(1024);
    const start = performance.now();
    const error = await refusal(loadUserDataset(dataset({ 'train-images-idx3-ubyte.gz': bomb })));
    const ms = performance.now() - start;
    expect(error.message).toBe(
      'train-images-idx3-ubyte.gz: holds unknown type 0x00 data; only unsigned byte (0x08) idx files are supported',
    );
    expect(ms).toBeLessThan(2000);
  });

  it('a 1 GiB bomb behind a valid idx3 header stops where the header says the data ends, within 2 s', async () => {
    const bomb = gzipBomb(1024, idxBytes([60000, 28, 28], []));
    const start = performance.now();
    const error = await refusal(loadUserDataset(dataset({ 'train-images-idx3-ubyte.gz': bomb })));
    const ms = performance.now() - start;
    expect(error.message).toBe(
      'train-images-idx3-ubyte.gz: decompresses to more than its idx header declares (60000x28x28 = 47040000 bytes of data after its 16-byte header); it was refused without inflating the rest',
    );
    expect(ms).toBeLessThan(2000);
  });

  it('a header declaring more than 1 GiB is refused before inflating any data', async () => {
    const error = await refusal(loadUserDataset(dataset({ 't10k-images-idx3-ubyte.gz': gzipBomb(64, idxBytes([2 ** 31, 28, 28], [])) })));
    expect(error.message).toBe(
      't10k-images-idx3-ubyte.gz: its idx header declares 2147483648x28x28 = 1683627180032 bytes of data, more than the 1073741824 bytes (1 GiB) one dataset file may hold',
    );
  });

  it('a CIFAR-10 batch inflating past the 10,000 records of a batch is refused', async () => {
    const error = await refusal(
      loadUserDataset([file('data_batch_1.bin.gz', gzipBomb(1024)), file('test_batch.bin', new Uint8Array(3073))]),
    );
    expect(error.message).toBe(
      'data_batch_1.bin.gz: decompresses to more than 30730000 bytes, the 10000 records of 3073 bytes a CIFAR-10 batch file holds; it was refused without inflating the rest (choose the batches as distributed, or an uncompressed file)',
    );
  });
});
