/**
 * Datasets the user picks from disk: MNIST-style idx pairs and CIFAR-10 binary batches,
 * plain or gzip-compressed. Pure byte handling, the same in Node and the browser; every
 * failure is a DataFileError that names the (sanitised) file and says what is wrong.
 *
 * Pixels come out as ImageSet expects them: bytes in NHWC order, channels interleaved
 * (pixel (y, x), channel c of image n at ((n * H + y) * W + x) * C + c), as assembleBatch reads.
 */
import { isGzip, type TrainTestSets } from './dataset-files';
import { DataFileError, imageSetFromIdx, parseIdx, type ImageSet } from './idx';
import { checkIdxHead, gunzipWithin, idxBudget, type InflateBudget } from './inflate';
import { sniffFormat } from './sniff-format';
import { presetNames, presetSpaces, type PresetName } from '../space/presets';

export { sniffFormat };

/** A file as the user chose it: its name (for messages) and its bytes. */
export interface UserFile {
  name: string;
  bytes: Uint8Array;
}

/** File names go into messages shown to the user; this many characters at most. */
export const MAX_NAME_IN_MESSAGE = 100;

/**
 * A file name fit for an error message: control characters (newlines, tabs, ...) become
 * spaces and the name is cut to MAX_NAME_IN_MESSAGE characters. The result is still
 * untrusted text; the UI must render it as text, never as HTML.
 */
export function displayFileName(name: unknown): string {
  const text = String(name ?? '')
    // C0/C1 controls, line and paragraph separators, bidi overrides and isolates
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return '(unnamed file)';
  const chars = Array.from(text); // do not split a surrogate pair
  return chars.length <= MAX_NAME_IN_MESSAGE ? text : `${chars.slice(0, MAX_NAME_IN_MESSAGE - 3).join('')}...`;
}

/**
 * Decompresses gzip input (detected by magic bytes, not by name) within `budget`; plain input is
 * returned as is. Corrupt gzip and output past the budget are DataFileErrors naming the file.
 */
async function maybeGunzip(bytes: Uint8Array, name: string, budget: InflateBudget): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  let out: Uint8Array;
  try {
    out = await gunzipWithin(bytes, name, budget);
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    const corrupt = `${name}: is not valid gzip data (`;
    if (!message.startsWith(corrupt)) throw error;
    const detail = message.slice(corrupt.length).replace(/\)$/s, '');
    throw new DataFileError(name, `the gzip data is corrupt or truncated and could not be decompressed (${detail.slice(0, 200)})`);
  }
  if (out.length === 0) throw new DataFileError(name, 'is gzip-compressed but decompresses to 0 bytes');
  return out;
}

/** An idx file's bytes, inflated (when gzip) no further than its header declares. */
export const inflateIdx = (bytes: Uint8Array, name: string): Promise<Uint8Array> => maybeGunzip(bytes, name, idxBudget(name));

// ---------------------------------------------------------------- CIFAR-10 binary batches

export const CIFAR10_IMAGE_BYTES = 32 * 32 * 3;
export const CIFAR10_RECORD_BYTES = 1 + CIFAR10_IMAGE_BYTES;
/** A CIFAR-10 batch file holds 10,000 records: a compressed one inflating past that is refused (a bomb stops there). */
export const CIFAR10_MAX_RECORDS = 10_000;

const cifarBudget: InflateBudget = () => ({
  limit: CIFAR10_MAX_RECORDS * CIFAR10_RECORD_BYTES,
  exceeded: `decompresses to more than ${CIFAR10_MAX_RECORDS * CIFAR10_RECORD_BYTES} bytes, the ${CIFAR10_MAX_RECORDS} records of 3073 bytes a CIFAR-10 batch file holds; it was refused without inflating the rest (choose the batches as distributed, or an uncompressed file)`,
});
const CIFAR100_RECORD_BYTES = 2 + CIFAR10_IMAGE_BYTES;
const CIFAR_PLANE = 32 * 32;

/** Checks one decompressed CIFAR-10 binary batch and returns its record count. */
function checkCifarBatch(bytes: Uint8Array, name: string): number {
  if (bytes.length === 0) throw new DataFileError(name, 'is empty (0 bytes); a CIFAR-10 binary batch holds records of 3073 bytes');
  // every record starts with a label 0..9, so a first byte above 9 is never CIFAR-10
  if (bytes[0] > 9) {
    const format = sniffFormat(bytes);
    if (format === 'a tar archive') {
      throw new DataFileError(name, 'is a tar archive; extract it and choose the data_batch_*.bin and test_batch.bin files inside');
    }
    if (format === 'a Python pickle') {
      throw new DataFileError(
        name,
        'is a Python pickle (the CIFAR-10 python version); choose the files of the binary version (data_batch_*.bin, test_batch.bin)',
      );
    }
    if (format !== null) {
      throw new DataFileError(name, `looks like ${format}, not a CIFAR-10 binary batch (records of 1 label byte 0-9 and 3072 pixel bytes)`);
    }
  }
  const remainder = bytes.length % CIFAR10_RECORD_BYTES;
  if (remainder !== 0) {
    const hint =
      bytes.length % CIFAR100_RECORD_BYTES === 0
        ? ' (the length fits CIFAR-100 records of 3074 bytes with 2 label bytes, which are not supported)'
        : '';
    throw new DataFileError(
      name,
      `length ${bytes.length} is not a multiple of 3073 (remainder ${remainder}); CIFAR-10 binary records are 3073 bytes (1 label byte and 3072 pixel bytes)${hint}`,
    );
  }
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  for (let r = 0; r < count; r++) {
    const label = bytes[r * CIFAR10_RECORD_BYTES];
    if (label > 9) throw new DataFileError(name, `record ${r} has label ${label}; CIFAR-10 labels are 0 to 9`);
  }
  return count;
}

/**
 * Joins uncompressed CIFAR-10 binary batches (data_batch_1.bin ... test_batch.bin) into one
 * ImageSet of 32x32x3 images, in file order. Each record is 1 label byte, then 1024 red,
 * 1024 green and 1024 blue bytes (row-major); the planes are interleaved into HWC.
 * Gzip-compressed files need loadCifar10Batches (decompression is asynchronous).
 */
export function parseCifar10Batches(files: UserFile[]): ImageSet {
  return parseCifar(files, false);
}

function parseCifar(files: UserFile[], decompressed: boolean): ImageSet {
  if (!Array.isArray(files) || files.length === 0) {
    throw new DataFileError(
      'CIFAR-10',
      'no files given; choose one or more binary batches (data_batch_1.bin ... data_batch_5.bin, test_batch.bin)',
    );
  }
  const named = files.map((f) => ({ name: displayFileName(f?.name), bytes: f?.bytes }));
  for (const f of named) {
    if (!(f.bytes instanceof Uint8Array)) throw new DataFileError(f.name, 'has no bytes to read');
    if (!decompressed && isGzip(f.bytes))
      throw new DataFileError(f.name, 'is gzip-compressed; load it with loadCifar10Batches, which decompresses it');
  }
  const counts = named.map((f) => checkCifarBatch(f.bytes, f.name));
  const count = counts.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(count * CIFAR10_IMAGE_BYTES);
  const labels = new Uint8Array(count);
  let n = 0;
  named.forEach((f, i) => {
    const src = f.bytes;
    for (let r = 0; r < counts[i]; r++, n++) {
      const rec = r * CIFAR10_RECORD_BYTES;
      labels[n] = src[rec];
      const red = rec + 1;
      const dst = n * CIFAR10_IMAGE_BYTES;
      for (let p = 0; p < CIFAR_PLANE; p++) {
        const o = dst + 3 * p;
        images[o] = src[red + p];
        images[o + 1] = src[red + CIFAR_PLANE + p];
        images[o + 2] = src[red + 2 * CIFAR_PLANE + p];
      }
    }
  });
  return { images, labels, count, height: 32, width: 32, channels: 3, numClasses: 10 };
}

/** As parseCifar10Batches, but each file may also be gzip-compressed (detected by its magic bytes). */
export async function loadCifar10Batches(files: UserFile[]): Promise<ImageSet> {
  if (!Array.isArray(files) || files.length === 0) return parseCifar10Batches([]);
  const plain = await Promise.all(
    files.map(async (f) => {
      const name = displayFileName(f?.name);
      if (!(f?.bytes instanceof Uint8Array)) throw new DataFileError(name, 'has no bytes to read');
      return { name: f.name, bytes: await maybeGunzip(f.bytes, name, cifarBudget) };
    }),
  );
  return parseCifar(plain, true);
}

/** The last path component of a name (a browser may give "cifar-10-batches-bin/test_batch.bin"). */
const baseName = (name: string) =>
  String(name ?? '')
    .split(/[\\/]/)
    .pop() ?? '';

/** Puts test_batch* files into test and all others into train, keeping their order. */
export function splitCifarTrainTest<T extends { name: string }>(files: T[]): { train: T[]; test: T[] } {
  const train: T[] = [];
  const test: T[] = [];
  for (const f of files) (/^test_batch/i.test(baseName(f.name)) ? test : train).push(f);
  return { train, test };
}

/** Splits with splitCifarTrainTest and loads both halves; each must have at least one file. */
export async function loadCifar10TrainTest(files: UserFile[]): Promise<TrainTestSets> {
  const { train, test } = splitCifarTrainTest(files);
  if (files.length > 0 && test.length === 0) {
    throw new DataFileError('CIFAR-10', 'no test batch among the chosen files; add test_batch.bin');
  }
  if (files.length > 0 && train.length === 0) {
    throw new DataFileError('CIFAR-10', 'no training batches among the chosen files; add data_batch_1.bin ... data_batch_5.bin');
  }
  const [trainSet, testSet] = await Promise.all([loadCifar10Batches(train), loadCifar10Batches(test)]);
  return { train: trainSet, test: testSet };
}

// ---------------------------------------------------------------- user idx pairs

export interface UserIdxOptions {
  /** Number of classes: labels must be below it. 'infer' uses max label + 1, at least 2. Default 10. */
  numClasses?: number | 'infer';
}

/** Decompresses and checks the bytes of one idx file before parsing; returns its dimension count, or null. */
async function prepareIdx(file: UserFile, role: 'images' | 'labels'): Promise<{ name: string; bytes: Uint8Array; dims: number | null }> {
  const name = displayFileName(file?.name);
  if (!(file?.bytes instanceof Uint8Array)) throw new DataFileError(name, 'has no bytes to read');
  if (file.bytes.length === 0) throw new DataFileError(name, `is empty (0 bytes); expected an idx ${role} file`);
  const bytes = await inflateIdx(file.bytes, name);
  checkIdxHead(bytes, name);
  const dims = bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08 ? bytes[3] : null;
  return { name, bytes, dims };
}

const idxKind = (dims: number) => `an idx${dims} file (${dims} dimension${dims === 1 ? '' : 's'})`;

/**
 * An MNIST-format pair chosen by the user: an idx3 ubyte images file (count x height x width)
 * and an idx1 ubyte labels file (count), each plain or gzip-compressed.
 */
export async function loadUserIdxPair(images: UserFile, labels: UserFile, options: UserIdxOptions = {}): Promise<ImageSet> {
  const requested = options.numClasses ?? 10;
  if (requested !== 'infer' && !(Number.isInteger(requested) && requested >= 2 && requested <= 256)) {
    throw new RangeError(`numClasses must be an integer from 2 to 256 or 'infer', got ${String(requested)}`);
  }
  const [img, lab] = await Promise.all([prepareIdx(images, 'images'), prepareIdx(labels, 'labels')]);
  if (img.dims === 1 && lab.dims === 3) {
    throw new DataFileError(
      img.name,
      `is an idx1 (labels) file and ${lab.name} is an idx3 (images) file; the images and labels files look swapped`,
    );
  }
  const imgIdx = parseIdx(img.bytes, img.name);
  const labIdx = parseIdx(lab.bytes, lab.name);
  if (imgIdx.shape.length !== 3) {
    const hint = imgIdx.shape.length === 1 ? ' (a labels file?)' : '';
    throw new DataFileError(
      img.name,
      `is ${idxKind(imgIdx.shape.length)}${hint}; the images file must be an idx3 ubyte file (count x height x width)`,
    );
  }
  if (labIdx.shape.length !== 1) {
    const hint = labIdx.shape.length === 3 ? ' (an images file?)' : '';
    throw new DataFileError(lab.name, `is ${idxKind(labIdx.shape.length)}${hint}; the labels file must be an idx1 ubyte file (count)`);
  }
  let numClasses: number;
  if (requested === 'infer') {
    let max = 0;
    for (let i = 0; i < labIdx.data.length; i++) if (labIdx.data[i] > max) max = labIdx.data[i];
    numClasses = Math.max(2, max + 1);
  } else {
    numClasses = requested;
  }
  return imageSetFromIdx(imgIdx, labIdx, { images: img.name, labels: lab.name }, numClasses);
}

// ---------------------------------------------------------------- matching a preset

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/** When several presets share an input shape, the first here wins (fashion before tiny). */
const PRESET_PREFERENCE: readonly PresetName[] = ['fashion', 'cifar', 'quick', 'tiny'];

const orderedPresets = (): PresetName[] => [
  ...PRESET_PREFERENCE.filter((p) => presetNames.includes(p)),
  ...presetNames.filter((p) => !PRESET_PREFERENCE.includes(p)),
];

const shapeText = (s: ImageShape) => `${s.height}x${s.width}x${s.channels}`;

/** The preset whose input is exactly this shape (fashion for 28x28x1, cifar for 32x32x3), or null. */
export function matchPresetForShape(shape: ImageShape): PresetName | null {
  for (const name of orderedPresets()) {
    const input = presetSpaces[name].input;
    if (input.height === shape.height && input.width === shape.width && input.channels === shape.channels) return name;
  }
  return null;
}

/**
 * Null when a preset fits the shape; otherwise a message naming the available shapes, e.g.
 * "images are 64x64x3; the studio has presets for 28x28x1 (fashion, tiny) and 32x32x3 (cifar)".
 */
export function describeShapeMismatch(shape: ImageShape): string | null {
  if (matchPresetForShape(shape) !== null) return null;
  const byShape = new Map<string, PresetName[]>();
  for (const name of orderedPresets()) {
    const key = shapeText(presetSpaces[name].input);
    byShape.set(key, [...(byShape.get(key) ?? []), name]);
  }
  const parts = [...byShape].map(([key, names]) => `${key} (${names.join(', ')})`);
  const list = parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `images are ${shapeText(shape)}; the studio has presets for ${list}`;
}
