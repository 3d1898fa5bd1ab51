/**
 * A dataset the person picked from disk: MNIST-format idx files (four: train and test, images
 * and labels, gzip or plain) or CIFAR-10 binary batches. Decides which it is, loads it, and
 * names the search-space preset that fits its image shape. Every failure is a message naming
 * the file and the problem.
 */
import type { TrainTestSets } from './dataset-files';
import {
  describeShapeMismatch,
  displayFileName,
  inflateIdx,
  loadCifar10TrainTest,
  loadUserIdxPair,
  matchPresetForShape,
  type UserFile,
} from './dataset-import';
import { DataFileError, readIdxHeader } from './idx';
import { checkIdxHead } from './inflate';
import type { PresetName } from '../space/presets';

export interface UserDataset {
  name: string;
  sets: TrainTestSets;
  preset: PresetName;
}

export interface DatasetSummary {
  name: string;
  preset: PresetName;
  shape: [number, number, number];
  trainCount: number;
  testCount: number;
  numClasses: number;
}

export const summariseDataset = (d: UserDataset): DatasetSummary => ({
  name: d.name,
  preset: d.preset,
  shape: [d.sets.train.height, d.sets.train.width, d.sets.train.channels],
  trainCount: d.sets.train.count,
  testCount: d.sets.test.count,
  numClasses: d.sets.train.numClasses,
});

type IdxKind = 'images' | 'labels';

interface DecodedIdx {
  file: UserFile;
  name: string;
  /** inflated once, within the budget its header sets */
  bytes: Uint8Array;
  kind: IdxKind;
  shape: number[];
}

/**
 * One idx file, inflated once (no further than its header declares) and sorted by its header:
 * idx3 images or idx1 labels. Every other file gets the precise cause: empty, too short, not idx
 * (and what it looks like: an HTML page, JSON, an image), another data type, another dimension count.
 */
async function decodeIdx(file: UserFile): Promise<DecodedIdx> {
  const name = displayFileName(file?.name);
  if (!(file?.bytes instanceof Uint8Array)) throw new DataFileError(name, 'has no bytes to read');
  if (file.bytes.length === 0) throw new DataFileError(name, 'is empty (0 bytes); expected an idx images (idx3) or labels (idx1) file');
  const bytes = await inflateIdx(file.bytes, name);
  checkIdxHead(bytes, name);
  const { shape } = readIdxHeader(bytes, name);
  const dims = shape.length;
  if (dims !== 3 && dims !== 1) {
    throw new DataFileError(
      name,
      `is an idx${dims} file (${shape.join('x')}); an MNIST-format dataset is idx3 images (count x height x width) and idx1 labels (count)`,
    );
  }
  return { file, name, bytes, kind: dims === 3 ? 'images' : 'labels', shape };
}

/** What a file's name says it holds ("train-images-idx3-ubyte", "t10k-labels.gz"), or null. */
function kindByName(name: string): IdxKind | null {
  const images = /images|idx3/i.test(name);
  const labels = /labels|idx1/i.test(name);
  return images === labels ? null : images ? 'images' : 'labels';
}

const isTest = (name: string) => /t10k|test/i.test(name);

/** Runs every task; the first failure in input order is thrown, so the message does not depend on timing. */
async function allInOrder<T>(tasks: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

export async function loadUserDataset(files: UserFile[]): Promise<UserDataset> {
  if (files.length === 0)
    throw new Error('no files chosen: pick the four idx files of an MNIST-format dataset, or the CIFAR-10 binary batches');
  const cifar = files.some((f) => /\.bin(\.gz)?$/i.test(f.name));
  let sets: TrainTestSets;
  let name: string;
  /** the training images' file, named when no preset fits their size */
  let imagesFile = 'CIFAR-10';
  if (cifar) {
    sets = await loadCifar10TrainTest(files);
    name = 'CIFAR-10 (your files)';
  } else {
    const decoded = await allInOrder(files.map(decodeIdx));
    const pick = (test: boolean, kind: IdxKind) => decoded.filter((d) => isTest(d.name) === test && d.kind === kind);
    const slots = {
      'training images': pick(false, 'images'),
      'training labels': pick(false, 'labels'),
      'test images': pick(true, 'images'),
      'test labels': pick(true, 'labels'),
    };
    for (const [what, found] of Object.entries(slots)) {
      if (found.length === 1) continue;
      // a file whose name says images but holds labels (or the reverse) is the likely cause: name it
      const misnamed = decoded.filter((d) => kindByName(d.name) !== null && kindByName(d.name) !== d.kind);
      if (misnamed.length > 0) {
        const list = misnamed.map(
          (d) =>
            `${d.name} holds ${d.kind} (an idx${d.shape.length} file, ${d.shape.join('x')}) though its name says ${kindByName(d.name)}`,
        );
        throw new DataFileError(
          misnamed[0].name,
          `${list.join('; ')}: the images and labels files look swapped, so there ${found.length === 0 ? 'are no' : 'is more than one file of'} ${what}`,
        );
      }
      throw new Error(
        `${found.length === 0 ? 'missing' : 'more than one file for'} the ${what}: choose four idx files, the test ones named with "t10k" or "test" (got ${files.map((f) => displayFileName(f.name)).join(', ')})`,
      );
    }
    const [trainImages, trainLabels, testImages, testLabels] = [
      slots['training images'][0],
      slots['training labels'][0],
      slots['test images'][0],
      slots['test labels'][0],
    ];
    const asFile = (d: DecodedIdx): UserFile => ({ name: d.file.name, bytes: d.bytes });
    const train = await loadUserIdxPair(asFile(trainImages), asFile(trainLabels));
    const test = await loadUserIdxPair(asFile(testImages), asFile(testLabels));
    if (train.height !== test.height || train.width !== test.width || train.channels !== test.channels) {
      throw new DataFileError(
        testImages.name,
        `holds ${test.height}x${test.width} images but the training images in ${trainImages.name} are ${train.height}x${train.width}; training and test images must be the same size`,
      );
    }
    sets = { train, test };
    imagesFile = trainImages.name;
    name = trainImages.name.replace(/[-_.]?train.*$/i, '') || 'your idx dataset';
  }
  const shape = { height: sets.train.height, width: sets.train.width, channels: sets.train.channels };
  const preset = matchPresetForShape(shape);
  if (!preset) {
    throw new DataFileError(imagesFile, describeShapeMismatch(shape) ?? 'no search space fits these images');
  }
  return { name, sets, preset };
}
