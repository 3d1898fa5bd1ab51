/** Checkpoint files in Node: written atomically (a kill mid-write leaves the old file), read with validation. */
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../core/records/checkpoint-format';

export async function writeCheckpointFile(path: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.partial`;
  await writeFile(tmp, encodeCheckpoint(checkpoint));
  await rename(tmp, path);
}

export async function readCheckpointFile(path: string): Promise<Checkpoint> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`could not read checkpoint ${path}: ${(error as Error).message}`, { cause: error });
  }
  return decodeCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}
