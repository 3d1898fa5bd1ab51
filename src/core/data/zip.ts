/**
 * Files bundled as one .zip (fflate's zipSync: small, synchronous, well kept), so a subnet
 * export arrives as one download holding the envelope, the model JSON, its weights and the
 * YAML, instead of four that the browser may block or scatter. Names are checked to be plain
 * file names (or folder/name), since a zip entry like "../x" is a path traversal on unpacking.
 * Fixed timestamps keep the bytes reproducible for the same files.
 */
import { zipSync, type Zippable } from 'fflate';
import { plainFileNameProblem, quoteName } from '../records/file-name';

export interface ZipEntry {
  name: string;
  data: Uint8Array | string;
}

const FIXED_TIME = new Date(Date.UTC(2020, 0, 1));

export function zipFiles(entries: ZipEntry[]): Uint8Array {
  const files: Zippable = {};
  for (const { name, data } of entries) {
    for (const part of name.split('/')) {
      const problem = plainFileNameProblem(part);
      if (problem) throw new Error(`cannot put ${quoteName(name)} in a zip: ${problem}`);
    }
    if (name in files) throw new Error(`two files named ${quoteName(name)} in one zip`);
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    files[name] = [bytes, { mtime: FIXED_TIME }];
  }
  return zipSync(files, { level: 6 });
}
