/**
 * A run trained by `npm run train` as a studio run file, to import on the Runs view:
 *   npm run export-run -- --results runs/f.json --checkpoint runs/f.ckpt --out runs/f.nasrun [--name "..."]
 * Reads the results JSON and the checkpoint, maps them to a run record (src/core/records/run-from-results)
 * and writes one .nasrun file: the record and the checkpoint, checked as the studio checks it.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { decodeCheckpoint } from '../core/records/checkpoint-format';
import { decodeRunArchive, encodeRunArchive } from '../core/records/run-archive';
import { runFromResults } from '../core/records/run-from-results';
import { TOOL_VERSION } from '../core/records/version';
import type { RunResults } from '../core/records/run-records';
import { parseArgs, rejectUnknown } from './args';
import { errorMessage } from '../core/training/error-message';

const usage = `usage: npm run export-run -- --results FILE.json --checkpoint FILE.ckpt --out FILE.nasrun [--name "..."]
  --results FILE     the results JSON npm run train wrote (required)
  --checkpoint FILE  its checkpoint (required: the studio searches and resumes from it)
  --out FILE         the run file to write (default: the results path with .nasrun)
  --name TEXT        the run's name in the studio`;

async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new Error(`could not read ${what} ${path}: ${(error as Error).message}`, { cause: error });
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) return console.log(usage);
  rejectUnknown(args, ['results', 'checkpoint', 'out', 'name', 'help']);
  const resultsPath = args.get('results');
  const checkpointPath = args.get('checkpoint');
  if (!resultsPath || !checkpointPath) throw new Error(`--results and --checkpoint are required\n${usage}`);
  const out = args.get('out') ?? resultsPath.replace(/\.json$/, '') + '.nasrun';

  let results: RunResults;
  try {
    results = JSON.parse(new TextDecoder().decode(await readBytes(resultsPath, 'results'))) as RunResults;
  } catch (error) {
    throw new Error(`${resultsPath} is not a results JSON: ${(error as Error).message}`, { cause: error });
  }
  const checkpointBytes = await readBytes(checkpointPath, 'checkpoint');
  const checkpoint = decodeCheckpoint(checkpointBytes, checkpointPath);
  const { run, notes } = runFromResults({
    results,
    checkpoint: { header: checkpoint.header, bytes: checkpointBytes.length },
    name: args.get('name'),
    source: { results: basename(resultsPath), checkpoint: basename(checkpointPath) },
  });
  const bytes = encodeRunArchive({ run, search: null, checkpoint: checkpointBytes, toolVersion: TOOL_VERSION });
  // read it back as the studio will before writing it
  decodeRunArchive(bytes, out);

  await mkdir(dirname(out), { recursive: true });
  const tmp = `${out}.partial`;
  await writeFile(tmp, bytes);
  await rename(tmp, out);

  const headerBytes = bytes.length - checkpointBytes.length;
  console.log(
    `run "${run.name}" (id ${run.id}, ${run.phase}): ${run.steps.length} steps, ${run.epochs.length} epochs, ${run.rangeHistory.length} range evaluations, checkpoint after step ${run.checkpoint?.step}`,
  );
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`wrote ${out}: ${mib(bytes.length)} (record ${mib(headerBytes)}, checkpoint ${mib(checkpointBytes.length)})`);
  console.log('import it in the studio: Runs view (key 5) → Import a run…');
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;

main().catch((error) => {
  console.error(`error: ${errorMessage(error)}`);
  process.exit(1);
});
