/**
 * Reading dataset files from bytes, the same in Node and the browser: gzip is detected by
 * its magic bytes (a server may already have decompressed a .gz), inflated within a budget (an
 * idx file no further than its header declares, any file at most 1 GiB), then parsed as idx.
 */
import { DataFileError, imageSetFromIdx, parseIdx, type ImageSet } from './idx';
import { gunzipWithin, idxBudget } from './inflate';

export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * Decompresses gzip with the platform's DecompressionStream (browsers and Node >= 18), streaming,
 * within the 1 GiB cap every dataset file has (gunzipWithin in inflate.ts).
 */
export function gunzip(bytes: Uint8Array, fileName = 'file'): Promise<Uint8Array> {
  return gunzipWithin(bytes, fileName);
}

/** An idx file, plain or gzip; gzip is inflated once, no further than its header declares. */
export async function decodeIdxFile(bytes: Uint8Array, fileName: string) {
  return parseIdx(isGzip(bytes) ? await gunzipWithin(bytes, fileName, idxBudget(fileName)) : bytes, fileName);
}

export type ReadFile = (name: string) => Promise<Uint8Array>;

export interface IdxPairNames {
  images: string;
  labels: string;
}

export async function loadIdxPair(read: ReadFile, names: IdxPairNames, numClasses = 10): Promise<ImageSet> {
  const [images, labels] = await Promise.all([
    read(names.images).then((b) => decodeIdxFile(b, names.images)),
    read(names.labels).then((b) => decodeIdxFile(b, names.labels)),
  ]);
  return imageSetFromIdx(images, labels, names, numClasses);
}

export const fashionMnistFiles = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
};

export interface TrainTestSets {
  train: ImageSet;
  test: ImageSet;
}

export async function loadFashionMnist(read: ReadFile): Promise<TrainTestSets> {
  const [train, test] = await Promise.all([loadIdxPair(read, fashionMnistFiles.train), loadIdxPair(read, fashionMnistFiles.test)]);
  if (train.height !== test.height || train.width !== test.width) {
    throw new DataFileError(
      fashionMnistFiles.test.images,
      `images are ${test.height}x${test.width}, training images are ${train.height}x${train.width}`,
    );
  }
  return { train, test };
}
