/**
 * Measures one decompression-bomb case in its own process (bombs made here, never stored): wall
 * and CPU time of the refusal, and the peak resident memory above what the process held just
 * before the call.
 *   npx tsx tests/core/bomb-measure.ts user-zeros|user-header|user-huge|user-declares-1g|cli-header|cifar-zeros
 */
import { gzipBomb } from './gzip-bomb';
import { idxBytes, seq } from './idx-fixtures';
import { loadUserDataset } from '../../src/core/data/user-dataset';
import { decodeIdxFile } from '../../src/core/data/dataset-files';

const scenario = process.argv[2];
const header = (shape: number[]) => idxBytes(shape, []);
const bomb =
  scenario === 'user-zeros' || scenario === 'cifar-zeros'
    ? gzipBomb(1024)
    : scenario === 'user-huge'
      ? gzipBomb(1024, header([2 ** 31, 28, 28]))
      : scenario === 'user-declares-1g'
        ? gzipBomb(1024, header([1_300_000, 28, 28]))
        : gzipBomb(1024, header([60000, 28, 28]));
const good = (name: string, shape: number[]) => ({
  name,
  bytes: idxBytes(
    shape,
    seq(shape.reduce((a, b) => a * b, 1)).map((v) => (shape.length === 1 ? v % 10 : v)),
  ),
});
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
if (global.gc) global.gc();
const before = process.memoryUsage().rss;
const cpuBefore = process.cpuUsage();
const start = performance.now();
let outcome: string;
try {
  if (scenario === 'cli-header') {
    await decodeIdxFile(bomb, 'train-images-idx3-ubyte.gz');
  } else if (scenario === 'cifar-zeros') {
    await loadUserDataset([
      { name: 'data_batch_1.bin.gz', bytes: bomb },
      { name: 'test_batch.bin', bytes: new Uint8Array(3073) },
    ]);
  } else {
    await loadUserDataset([
      { name: 'train-images-idx3-ubyte.gz', bytes: bomb },
      good('train-labels-idx1-ubyte', [3]),
      good('t10k-images-idx3-ubyte', [3, 28, 28]),
      good('t10k-labels-idx1-ubyte', [3]),
    ]);
  }
  outcome = 'ACCEPTED';
} catch (error) {
  outcome = String((error as Error).message).slice(0, 300);
}
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuBefore);
const maxRss = process.resourceUsage().maxRSS * 1024;
console.log(
  JSON.stringify({
    scenario,
    bombBytes: bomb.length,
    ms: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssBeforeMiB: mib(before),
    maxRssMiB: mib(maxRss),
    extraMiB: mib(maxRss - before),
    outcome,
  }),
);
