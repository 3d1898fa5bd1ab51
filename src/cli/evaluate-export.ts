/**
 * Reads an exported subnet back and checks it: the envelope against its schema (a clear error
 * naming the field otherwise), then its standalone model's top-1 on the Fashion-MNIST test set.
 *   npm run evaluate-export -- runs/search/fashion-0.34M-8422a8fa.json
 */
import { standaloneAccuracy } from '../engine/subnet-export';
import { loadEnvelopeModel, readEnvelopeFile } from './export-files';
import { parseArgs, rejectUnknown } from './args';
import { initNodeBackend, loadFashionMnistFromDisk } from './node-runtime';
import { errorMessage } from '../core/training/error-message';

async function main() {
  const [file, ...rest] = process.argv.slice(2);
  if (!file || file.startsWith('--')) throw new Error('usage: npm run evaluate-export -- ENVELOPE.json [--backend wasm|cpu]');
  const args = parseArgs(rest);
  rejectUnknown(args, ['backend']);
  const envelope = await readEnvelopeFile(file);
  console.log(
    `${envelope.name}: ${(envelope.macs / 1e6).toFixed(3)} M MACs, ${envelope.params} parameters, space "${envelope.space.name}", trained with ${envelope.training.sampler}`,
  );
  if (envelope.accuracy)
    console.log(
      `recorded: ${(envelope.accuracy.value * 100).toFixed(2)}% top-1 on ${envelope.accuracy.images} ${envelope.accuracy.split} images (${envelope.accuracy.method})`,
    );
  await initNodeBackend((args.get('backend') ?? 'auto') as 'auto');
  const model = await loadEnvelopeModel(file, envelope);
  if (!model) return console.log('exported without weights: nothing to evaluate');
  const data = await loadFashionMnistFromDisk();
  const accuracy = await standaloneAccuracy(model, data.test, envelope.dataset.normalisation);
  console.log(`standalone model: ${(accuracy * 100).toFixed(2)}% top-1 on the ${data.test.count} Fashion-MNIST test images`);
}

main().catch((error) => {
  console.error(`error: ${errorMessage(error)}`);
  process.exit(1);
});
