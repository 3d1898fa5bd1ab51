/**
 * Writes a large run file for the browser's import test: the test fixture's run with its step
 * history stretched to STEPS steps (a long run's record), its search and a whole checkpoint,
 * about 50 MB in all. Made at test time, never stored.
 *   node --import tsx tests/browser/make-large-run.ts OUT.nasrun [STEPS]
 */
import { writeFileSync } from 'node:fs';
import { encodeRunArchive } from '../../src/core/records/run-archive';
import { makeCheckpointBytes, makeRun, makeSearch } from '../core/run-fixtures';

const [out, stepsArg] = process.argv.slice(2);
const steps = Number(stepsArg ?? 240_000);
const checkpoint = makeCheckpointBytes();
const run = makeRun(checkpoint);
const template = run.steps;
run.name = 'a long imported run';
run.steps = Array.from({ length: steps }, (_, i) => {
  const s = template[i % template.length];
  return { ...s, step: i, lr: 0.1 * (1 - i / steps), losses: s.losses.map((l) => Math.round((l - i / (steps * 2)) * 1e6) / 1e6) };
});
const bytes = encodeRunArchive({ run, search: makeSearch(), checkpoint, toolVersion: '0.1.0' });
writeFileSync(out, bytes);
console.log(JSON.stringify({ out, steps, bytes: bytes.length }));
