/**
 * `npm run measure:default-run` (not part of `npm test`): opens the built studio in headless
 * Chromium as a new user would, with the backend set in the URL (default wasm), presses
 * Start on the default settings (one Fashion-MNIST epoch) and prints the progress line
 * (step, elapsed, ETA, images/s) every 15 s for `--seconds` of training, then stops the run.
 * Writes the lines to test-artifacts/default-run-<backend>.json.
 *
 *   npm run build && npm run measure:default-run -- --backend wasm --seconds 120
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startPreview } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const backend = option('backend', 'wasm');
const seconds = Number(option('seconds', '120'));

const preview = await startPreview(root);
const browser = await launchBrowser({ webgpu: backend === 'webgpu' });
const lines = [];
try {
  const page = await browser.context.newPage();
  await page.goto(`${preview.url}?backend=${backend}`, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Start', exact: true }).waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.locator('[data-testid=progress]').waitFor({ timeout: 300_000 });
  const started = Date.now();
  const badge = await page
    .locator('[data-testid=backend]')
    .first()
    .textContent()
    .catch(() => '');
  console.log(`backend: ${badge?.trim() || backend}`);
  while (Date.now() - started < seconds * 1000) {
    await page.waitForTimeout(15_000);
    const line = (await page.locator('[data-testid=progress] p').textContent())?.trim() ?? '';
    lines.push({ atSeconds: Math.round((Date.now() - started) / 1000), line });
    console.log(`${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s  ${line}`);
  }
  mkdirSync(join(root, 'test-artifacts'), { recursive: true });
  writeFileSync(join(root, 'test-artifacts', `default-run-${backend}.json`), JSON.stringify({ backend, badge, lines }, null, 1));
} finally {
  await browser.close();
  preview.stop();
}
