/**
 * tfjs in Node without tfjs-node (it cannot install here): the wasm backend with its .wasm
 * files read from node_modules, and the pure-JS cpu backend.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadFashionMnist, type TrainTestSets } from '../core/data/dataset-files';
import { selectBackend, type BackendInfo, type BackendPreference } from '../engine/backend';
import { registerNodeWebGpu } from './node-webgpu';

const require = createRequire(import.meta.url);
let wasmPathsSet = false;
/** The wasm backend reads its .wasm files from node_modules (resolved when first needed: a bundled GPU bench has none). */
function useWasmFromNodeModules(): void {
  if (wasmPathsSet) return;
  wasmPathsSet = true;
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
}

/** `auto` in Node: wasm, then cpu; webgpu (Dawn) only when asked for by name. */
export const nodeBackendOrder = ['wasm', 'cpu'] as const;

export async function initNodeBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  if (preference === 'webgl') throw new Error("backend 'webgl' is not available in Node; use webgpu, wasm or cpu");
  // tfjs logs a hint about tfjs-node on first use in Node; it cannot install here
  tf.env().set('IS_NODE', true);
  if (preference === 'webgpu') {
    await registerNodeWebGpu();
    const info = await selectBackend('webgpu', []);
    return info;
  }
  useWasmFromNodeModules();
  return selectBackend(preference, [...nodeBackendOrder]);
}

/** The repository's root; NAS_STUDIO_ROOT overrides it for a bundled copy of a command (the GPU bench). */
export const projectRoot = process.env.NAS_STUDIO_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fashionMnistDir = join(projectRoot, 'public', 'data', 'fashion-mnist');

export function loadFashionMnistFromDisk(dir = fashionMnistDir): Promise<TrainTestSets> {
  return loadFashionMnist(async (name) => new Uint8Array(await readFile(join(dir, name))));
}
