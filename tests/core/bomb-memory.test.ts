/**
 * The decompression-bomb budget measured where it counts, each case in a fresh Node process
 * (tests/core/bomb-measure.ts): a 1 GiB bomb is refused in under 2 s of CPU time with under
 * 256 MiB of memory above what the process held before, through the browser's loader
 * (loadUserDataset) and the CLI's (decodeIdxFile).
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

function measure(scenario: string): { ms: number; cpuMs: number; extraMiB: number; outcome: string } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'bomb-measure.ts'), scenario], {
    encoding: 'utf8',
    cwd: join(here, '..', '..'),
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('a 1 GiB gzip bomb, in a process of its own', () => {
  it.each([
    ['user-zeros', /holds unknown type 0x00 data/],
    ['user-header', /decompresses to more than its idx header declares/],
    ['cli-header', /decompresses to more than its idx header declares/],
    ['cifar-zeros', /decompresses to more than 30730000 bytes/],
  ])('%s: refused in under 2 s with under 256 MiB extra', (scenario, message) => {
    const result = measure(scenario);
    expect(result.outcome).toMatch(message);
    // CPU time: on a machine shared with other work, wall time measures the neighbours too
    expect(result.cpuMs, `wall ${result.ms} ms`).toBeLessThan(2000);
    expect(result.extraMiB).toBeLessThan(256);
  });
});
