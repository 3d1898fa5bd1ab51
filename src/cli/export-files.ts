/** Exported subnets on disk: the envelope read and validated, and its standalone model loaded from the files beside it. */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { readSubnetEnvelopeText, type SubnetEnvelope } from '../core/subnet-envelope';
import { loadExportedModel } from '../engine/subnet-export';

export async function readEnvelopeFile(path: string): Promise<SubnetEnvelope> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`could not read ${path}: ${(error as Error).message}`);
  }
  return readSubnetEnvelopeText(text, path);
}

/** The model named by an envelope (model.json, then the weights file its manifest names), or null when exported without weights. */
export async function loadEnvelopeModel(envelopePath: string, envelope: SubnetEnvelope): Promise<tf.LayersModel | null> {
  if (!envelope.model) return null;
  const modelPath = join(dirname(envelopePath), envelope.model.path);
  const modelJson = await readFile(modelPath, 'utf8');
  const manifest = JSON.parse(modelJson) as { weightsManifest?: { paths: string[] }[] };
  const weightsName = manifest.weightsManifest?.[0]?.paths?.[0];
  if (!weightsName) throw new Error(`${modelPath} names no weights file`);
  const weights = new Uint8Array(await readFile(join(dirname(modelPath), weightsName)));
  return loadExportedModel(modelJson, weights);
}
