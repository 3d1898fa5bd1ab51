/**
 * Exported subnets on disk: the envelope read and validated, and its standalone model loaded from
 * the files beside it. Every name an envelope or a model.json gives (model.path, the weights
 * manifest's paths) must be a plain file name; it is resolved inside the naming file's folder and
 * checked to stay there, by POSIX and by Windows rules alike, before anything is read.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, posix, resolve, win32 } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { plainFileNameProblem, quoteName } from '../core/records/file-name';
import { parseJsonText } from '../core/records/json-text';
import { modelWeightsFiles, readSubnetEnvelopeText, type SubnetEnvelope } from '../core/records/subnet-envelope';
import { loadExportedModel } from '../engine/subnet-export';

/** A file's text as UTF-8; a byte-order mark is dropped, as a browser's File.text() does. */
async function readText(path: string, what: string): Promise<string> {
  const bytes = await readBytes(path, what);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${what} (${path}) is not UTF-8 text`);
  }
}

async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new Error(`could not read ${what} (${path}): ${why}`, { cause: error });
  }
}

export async function readEnvelopeFile(path: string): Promise<SubnetEnvelope> {
  return readSubnetEnvelopeText(await readText(path, 'the envelope'), path);
}

/**
 * The path of `name` in `folder`, for a name some file gives in `field`: refused unless it is a
 * plain file name and, resolved, stays directly inside the folder (also read as a Windows path).
 */
export function resolveBeside(folder: string, name: string, field: string, source: string): string {
  const problem = plainFileNameProblem(name);
  if (problem) throw new Error(`${source}: ${field} ${quoteName(name)} must be a plain file name in the same folder: ${problem}`);
  const root = resolve(folder);
  const target = resolve(root, name);
  const inside = (p: typeof posix | typeof win32, base: string) => {
    const resolved = p.resolve(base, name);
    return p.dirname(resolved) === p.resolve(base) && p.basename(resolved) === name;
  };
  if (dirname(target) !== root || basename(target) !== name || !inside(posix, '/folder') || !inside(win32, 'C:\\folder')) {
    throw new Error(`${source}: ${field} ${quoteName(name)} does not resolve to a file directly inside ${root}`);
  }
  return target;
}

/** The model named by an envelope (model.json, then the weights files its manifest names), or null when exported without weights. */
export async function loadEnvelopeModel(envelopePath: string, envelope: SubnetEnvelope): Promise<tf.LayersModel | null> {
  if (!envelope.model) return null;
  const folder = dirname(resolve(envelopePath));
  const modelPath = resolveBeside(folder, envelope.model.path, 'model.path', envelopePath);
  const modelJson = parseJsonText(await readText(modelPath, `the model.json that model.path of ${envelopePath} names`), modelPath);
  const weightsPaths = modelWeightsFiles(modelJson, modelPath).map((name, i) =>
    resolveBeside(folder, name, `weights file ${i + 1} of the weightsManifest`, modelPath),
  );
  const parts = await Promise.all(weightsPaths.map((path) => readBytes(path, `a weights file that ${modelPath} names`)));
  const weights = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    weights.set(part, at);
    at += part.length;
  }
  // the checked value, re-serialised: no byte-order mark, no "__proto__" keys
  return loadExportedModel(JSON.stringify(modelJson), weights);
}
