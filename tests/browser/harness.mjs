/**
 * Browser-test harness: serves the built app with `vite preview` (COOP/COEP headers) and
 * drives Debian's chromium through playwright-core, WebGPU on (docs/design.md, "Backends and conv forms").
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts `vite preview` on the built dist/ (or `outDir`, a build made elsewhere) and resolves once it answers. */
export async function startPreview(root, { outDir } = {}) {
  const port = await freePort();
  const args = [join(root, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'];
  if (outDir) args.push('--outDir', outDir);
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) break;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null) throw new Error(`vite preview exited: ${output}`);
    if (Date.now() > deadline) throw new Error(`vite preview did not answer on ${url}: ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop: () => child.kill('SIGTERM') };
}

/**
 * `webgpu: false` leaves out the one flag WebGPU needs here, to test the fallback path;
 * `serviceWorkers: 'block'` gives a browser where no service worker can run.
 */
export async function launchBrowser({ webgpu = true, serviceWorkers = 'allow' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'nas-studio-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: webgpu ? CHROMIUM_ARGS : CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu'),
    viewport: { width: 1280, height: 900 },
    serviceWorkers,
  });
  return {
    context,
    profile,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A minimal runner: named async tests, a closing 'N passed, N failed' line, exit code. */
export async function runTests(tests, reportPath) {
  let passed = 0;
  let failed = 0;
  // `node tests/browser/run.mjs some words` runs only the tests whose name contains them
  const only = process.argv.slice(2).join(' ');
  for (const [name, fn] of tests.filter(([name]) => !only || name.includes(only))) {
    const start = Date.now();
    try {
      await fn();
      passed++;
      console.log(`ok   ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)\n     ${error?.stack ?? error}`);
    }
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  if (reportPath) writeFileSync(reportPath, JSON.stringify({ passed, failed }));
  return failed === 0;
}

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

/**
 * The engine worker's per-step memory samples (tf.memory() and GPU programs after each step,
 * src/worker/engine.worker.ts), read through Playwright's worker.evaluate; null when no worker
 * of the page has them.
 */
export async function engineMemorySamples(page) {
  for (const worker of page.workers()) {
    const samples = await worker
      .evaluate(() => (typeof self.nasStudioMemorySamples === 'function' ? self.nasStudioMemorySamples() : null))
      .catch(() => null);
    if (samples) return samples;
  }
  return null;
}
