/**
 * Checks what the explorer exported, from Node: the envelope against its schema, and the
 * standalone model loaded with tfjs measured on the same validation images the explorer used.
 * Prints one JSON line: { name, recorded, measured, images }.
 *   node --import tsx tests/browser/check-export.ts DIR
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { splitTrainValidation } from '../../src/core/data/split';
import { initNodeBackend, loadFashionMnistFromDisk } from '../../src/cli/node-runtime';
import { loadEnvelopeModel, readEnvelopeFile } from '../../src/cli/export-files';
import { standaloneAccuracy } from '../../src/engine/subnet-export';

const dir = process.argv[2];
const names = await readdir(dir);
const envelopeName = names.find((n) => n.endsWith('.json') && !n.endsWith('.model.json'));
if (!envelopeName) throw new Error(`no envelope in ${dir}: ${names.join(', ')}`);
const envelopePath = join(dir, envelopeName);
const envelope = await readEnvelopeFile(envelopePath);
if (!envelope.model || !envelope.accuracy) throw new Error('the envelope has no model or no accuracy');
await initNodeBackend('wasm');
const model = (await loadEnvelopeModel(envelopePath, envelope))!;
const data = await loadFashionMnistFromDisk();
const validation = splitTrainValidation(data.train.count, 5000).validation.slice(0, envelope.accuracy.images);
const measured = await standaloneAccuracy(model, data.train, envelope.dataset.normalisation, validation);
console.log(
  JSON.stringify({ name: envelope.name, recorded: envelope.accuracy.value, measured, images: validation.length, files: names.length }),
);
