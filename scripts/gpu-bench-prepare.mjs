#!/usr/bin/env node
// `npm run gpu-bench:prepare`: fills gpu-bench/ (git-ignored, under 60 MiB) with what
// `bash scripts/gpu-bench-run.sh` needs on a GPU machine that has no Node and no network:
// - node.xz: this machine's node binary, stripped and xz-compressed;
// - dawn.node.xz + webgpu/: the `webgpu` package (Dawn for Node) with its linux-x64 binary;
// - libvulkan1.deb: Debian's Vulkan loader (apt-get download);
// - bench.mjs.xz: `npm run bench` bundled into one file (esbuild), compressed;
// - peer_torch.py + space_fashion.json: the PyTorch peer, copied from ../shared/bench/.
// Fashion-MNIST is not copied: the run script points the bench at public/data/ in the checkout.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'gpu-bench');
// the folder travels to the GPU machine with the checkout (64 MiB in all, the checkout's
// tracked files included: about 35 MiB), so it is kept well under the 60 MiB
const limit = 60 * 2 ** 20;
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'webgpu'), { recursive: true });
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], ...opts });

console.log('bundling the bench');
await build({
  entryPoints: [join(root, 'src/cli/bench.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  outfile: join(out, 'bench.mjs'),
  minify: true,
  external: ['webgpu'],
  // the CommonJS parts of tfjs call require(); give the ESM bundle one
  banner: { js: "import { createRequire as __nasCreateRequire } from 'node:module'; const require = __nasCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

run('xz', ['-9', '-T2', join(out, 'bench.mjs')]);

console.log('compressing node (stripped) and Dawn');
const scratch = join(tmpdir(), `gpu-bench-${process.pid}`);
mkdirSync(scratch, { recursive: true });
copyFileSync(process.execPath, join(scratch, 'node'));
try {
  run('strip', [join(scratch, 'node')]);
} catch {
  console.log('  (strip not available: node kept with its symbols)');
}
// machine code: the x86 branch filter before LZMA2, one thread (a single block): 21.1 MB for
// node 20 here against 21.9 MB with plain -9 -T2; the run script's Python lzma reads either
const xzCode = (file) => run('xz', ['--x86', '--lzma2=preset=9e', '-T1', '-c', file], { maxBuffer: 256 * 2 ** 20 });
writeFileSync(join(out, 'node.xz'), xzCode(join(scratch, 'node')));
const webgpuDir = join(root, 'node_modules/webgpu');
writeFileSync(join(out, 'dawn.node.xz'), xzCode(join(webgpuDir, 'dist/linux-x64/dawn.node')));
for (const f of ['index.js', 'package.json', 'LICENSE.md']) copyFileSync(join(webgpuDir, f), join(out, 'webgpu', f));
rmSync(scratch, { recursive: true, force: true });

console.log("fetching Debian's Vulkan loader (libvulkan1)");
run('apt-get', ['download', 'libvulkan1'], { cwd: out });
const deb = readdirSync(out).find((f) => f.startsWith('libvulkan1') && f.endsWith('.deb'));
if (!deb) throw new Error('apt-get download libvulkan1 gave no .deb');
run('mv', [join(out, deb), join(out, 'libvulkan1.deb')]);

const shared = join(root, '..', 'shared', 'bench');
for (const f of ['peer_torch.py', 'space_fashion.json']) {
  if (!existsSync(join(shared, f)))
    throw new Error(`${join(shared, f)} is missing: the peer lives in ../shared/bench/ beside the checkout`);
  copyFileSync(join(shared, f), join(out, f));
}

const size = readdirSync(out, { recursive: true }).reduce(
  (n, f) => n + (statSync(join(out, f)).isFile() ? statSync(join(out, f)).size : 0),
  0,
);
console.log(`gpu-bench/: ${(size / 2 ** 20).toFixed(1)} MiB`);
if (size > limit) throw new Error(`gpu-bench/ is ${(size / 2 ** 20).toFixed(1)} MiB, over the 60 MiB limit`);

// what a device run carries: the checkout's tracked and untracked (not ignored) files, plus
// gpu-bench/ named in its carry; the device tool takes 64 MiB in all
const travelling = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, maxBuffer: 64 * 2 ** 20 })
  .toString()
  .split('\0')
  .filter((f) => f && existsSync(join(root, f)))
  .reduce((n, f) => n + statSync(join(root, f)).size, 0);
const travel = travelling + size;
const travelLimit = 64 * 2 ** 20;
console.log(
  `a device run carries ${(travel / 2 ** 20).toFixed(2)} MiB of its 64 MiB: the checkout ${(travelling / 2 ** 20).toFixed(2)} MiB, gpu-bench/ ${(size / 2 ** 20).toFixed(2)} MiB`,
);
if (travel > travelLimit)
  throw new Error(
    `the checkout and gpu-bench/ come to ${(travel / 2 ** 20).toFixed(2)} MiB, over the device tool's 64 MiB: move large untracked files out of the checkout, or results out of docs/results/`,
  );
