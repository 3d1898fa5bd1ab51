/**
 * The idx file format of MNIST and Fashion-MNIST: magic (two zero bytes, a type code and
 * the number of dimensions), big-endian uint32 sizes, then the data. Only unsigned bytes
 * (type 0x08) are read; anything else gets an error that says what is wrong.
 */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

export class DataFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DataFileError';
  }
}

/** What an idx header says: the shape, where the data starts and how many bytes it declares. */
export interface IdxHeader {
  shape: number[];
  headerLength: number;
  /** the product of the shape: bytes of unsigned-byte data that must follow the header */
  dataBytes: number;
}

/**
 * Reads an idx header from the first bytes of a file (all of it, or at least the first 20), with
 * the precise message for each way it can be wrong: too short, wrong magic, another data type,
 * a dimension count out of range, a header cut short, a zero dimension.
 */
export function readIdxHeader(bytes: Uint8Array, fileName = 'idx file'): IdxHeader {
  if (bytes.length < 4) throw new DataFileError(fileName, `only ${bytes.length} bytes, too short for an idx header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFileError(
      fileName,
      `not an idx file: the magic number must start with two zero bytes, found 0x${hex(bytes[0])} 0x${hex(bytes[1])}`,
    );
  }
  const type = bytes[2];
  const dims = bytes[3];
  if (type !== 0x08) {
    const name = TYPE_NAMES[type] ?? `unknown type 0x${hex(type)}`;
    throw new DataFileError(fileName, `holds ${name} data; only unsigned byte (0x08) idx files are supported`);
  }
  if (dims < 1 || dims > 4) throw new DataFileError(fileName, `has ${dims} dimensions; expected 1 to 4`);
  const headerLength = 4 + 4 * dims;
  if (bytes.length < headerLength) {
    throw new DataFileError(fileName, `truncated header: ${dims} dimensions need ${headerLength} bytes, file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < dims; i++) {
    const size = view.getUint32(4 + 4 * i, false);
    if (size === 0) throw new DataFileError(fileName, `dimension ${i} has size 0`);
    shape.push(size);
  }
  return { shape, headerLength, dataBytes: shape.reduce((a, b) => a * b, 1) };
}

export function parseIdx(bytes: Uint8Array, fileName = 'idx file'): IdxArray {
  const { shape, headerLength, dataBytes: expected } = readIdxHeader(bytes, fileName);
  const actual = bytes.length - headerLength;
  if (actual < expected) {
    throw new DataFileError(fileName, `truncated: header says ${shape.join('x')} = ${expected} bytes of data, file holds ${actual}`);
  }
  if (actual > expected) {
    throw new DataFileError(fileName, `${actual - expected} unexpected bytes after the ${shape.join('x')} data`);
  }
  return { shape, data: bytes.subarray(headerLength) };
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** Labeled images, pixels as bytes in NHWC order. */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  numClasses: number;
}

/** Pairs an images idx (N x H x W) with a labels idx (N), checking that they match. */
export function imageSetFromIdx(
  images: IdxArray,
  labels: IdxArray,
  names = { images: 'images', labels: 'labels' },
  numClasses = 10,
): ImageSet {
  if (images.shape.length !== 3) {
    throw new DataFileError(names.images, `expected 3 dimensions (count x height x width), found ${images.shape.length}`);
  }
  if (labels.shape.length !== 1) {
    throw new DataFileError(names.labels, `expected 1 dimension (count), found ${labels.shape.length}`);
  }
  const [count, height, width] = images.shape;
  if (labels.shape[0] !== count) {
    throw new DataFileError(names.labels, `holds ${labels.shape[0]} labels but ${names.images} holds ${count} images`);
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] >= numClasses) {
      throw new DataFileError(names.labels, `label ${labels.data[i]} at index ${i} is outside 0..${numClasses - 1}`);
    }
  }
  return { images: images.data, labels: labels.data, count, height, width, channels: 1, numClasses };
}
