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
writeFileSync(join(out, 'node.xz'), run('xz', ['-9', '-T2', '-c', join(scratch, 'node')], { maxBuffer: 256 * 2 ** 20 }));
const webgpuDir = join(root, 'node_modules/webgpu');
writeFileSync(
  join(out, 'dawn.node.xz'),
  run('xz', ['-9', '-T2', '-c', join(webgpuDir, 'dist/linux-x64/dawn.node')], { maxBuffer: 256 * 2 ** 20 }),
);
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
