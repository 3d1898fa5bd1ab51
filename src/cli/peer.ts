/**
 * The PyTorch peer of our sandwich step (`../shared/bench/peer_torch.py`, outside this
 * repository): run as a child process so its images/s can be interleaved with ours in
 * one benchmark run, at the same thread count.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './node-runtime';

export const defaultPeerScript = join(projectRoot, '..', 'shared', 'bench', 'peer_torch.py');
const python = '/usr/bin/python3';

export interface PeerResult {
  imagesPerSecond: number;
  sandwichMs: number;
  threads: number;
  torch: string;
  device: string;
  raw: Record<string, unknown>;
}

/** Why the peer cannot run here, or null when it can. */
export function peerUnavailable(script = defaultPeerScript): string | null {
  if (!existsSync(script)) return `the peer script ${script} is missing (it lives in ../shared/bench/ beside the checkout)`;
  if (!existsSync(python)) return `${python} is missing`;
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${python} has no torch (apt-get install python3-torch)`;
  return null;
}

export interface PeerOptions {
  script?: string;
  space?: string;
  threads: number;
  batch: number;
  steps: number;
  device?: 'cpu' | 'cuda';
}

export function runPeer(options: PeerOptions): PeerResult {
  const script = options.script ?? defaultPeerScript;
  const space = options.space ?? join(script, '..', 'space_fashion.json');
  const args = [
    script,
    space,
    '--threads',
    String(options.threads),
    '--batch',
    String(options.batch),
    '--steps',
    String(options.steps),
    '--warmup',
    '2',
  ];
  if (options.device) args.push('--device', options.device);
  const run = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0)
    throw new Error(`peer_torch.py failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' / ')}`);
  const line = run.stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error('peer_torch.py printed no JSON line');
  const raw = JSON.parse(line) as Record<string, unknown>;
  return {
    imagesPerSecond: Number(raw.images_per_s),
    sandwichMs: Number(raw.sandwich_ms),
    threads: Number(raw.threads),
    torch: String(raw.torch),
    device: String(raw.device),
    raw,
  };
}
