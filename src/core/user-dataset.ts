/**
 * A dataset the person picked from disk: MNIST-format idx files (four: train and test, images
 * and labels, gzip or plain) or CIFAR-10 binary batches. Decides which it is, loads it, and
 * names the search-space preset that fits its image shape. Every failure is a message naming
 * the file and the problem.
 */
import { gunzip, isGzip, type TrainTestSets } from './dataset-files';
import { describeShapeMismatch, displayFileName, loadCifar10TrainTest, loadUserIdxPair, matchPresetForShape, type UserFile } from './dataset-import';
import type { PresetName } from './presets';

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

const looksLikeIdx = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08;

/** idx3 (images) or idx1 (labels), looking through gzip when needed. */
async function idxKind(file: UserFile): Promise<'images' | 'labels' | null> {
  const head = isGzip(file.bytes) ? await gunzip(file.bytes, displayFileName(file.name)) : file.bytes;
  if (!looksLikeIdx(head)) return null;
  return head[3] === 3 ? 'images' : head[3] === 1 ? 'labels' : null;
}

const isTest = (name: string) => /t10k|test/i.test(name);

export async function loadUserDataset(files: UserFile[]): Promise<UserDataset> {
  if (files.length === 0) throw new Error('no files chosen: pick the four idx files of an MNIST-format dataset, or the CIFAR-10 binary batches');
  const cifar = files.some((f) => /\.bin(\.gz)?$/i.test(f.name));
  let sets: TrainTestSets;
  let name: string;
  if (cifar) {
    sets = await loadCifar10TrainTest(files);
    name = 'CIFAR-10 (your files)';
  } else {
    const kinds = await Promise.all(files.map(async (f) => ({ file: f, kind: await idxKind(f) })));
    const unknown = kinds.find((k) => k.kind === null);
    if (unknown) throw new Error(`${displayFileName(unknown.file.name)}: not an idx images or labels file (MNIST format) or a CIFAR-10 .bin batch`);
    const pick = (test: boolean, kind: 'images' | 'labels') => kinds.filter((k) => isTest(k.file.name) === test && k.kind === kind).map((k) => k.file);
    const slots = { 'training images': pick(false, 'images'), 'training labels': pick(false, 'labels'), 'test images': pick(true, 'images'), 'test labels': pick(true, 'labels') };
    for (const [what, found] of Object.entries(slots)) {
      if (found.length !== 1) {
        throw new Error(`${found.length === 0 ? 'missing' : 'more than one file for'} the ${what}: choose four idx files, the test ones named with "t10k" or "test" (got ${files.map((f) => displayFileName(f.name)).join(', ')})`);
      }
    }
    const train = await loadUserIdxPair(slots['training images'][0], slots['training labels'][0]);
    const test = await loadUserIdxPair(slots['test images'][0], slots['test labels'][0]);
    if (train.height !== test.height || train.width !== test.width || train.channels !== test.channels) {
      throw new Error(`the training images are ${train.height}x${train.width} but the test images are ${test.height}x${test.width}`);
    }
    sets = { train, test };
    name = displayFileName(slots['training images'][0].name).replace(/[-_.]?train.*$/i, '') || 'your idx dataset';
  }
  const shape = { height: sets.train.height, width: sets.train.width, channels: sets.train.channels };
  const preset = matchPresetForShape(shape);
  if (!preset) throw new Error(describeShapeMismatch(shape) ?? 'no search space fits these images');
  return { name, sets, preset };
}
