/**
 * Browser tests on the built app (run `npm run build` first): open the page in headless
 * Chromium with WebGPU on, start a tiny run the way a person would, and check that the
 * engine worker trained on webgpu and that the loss went down. Screenshots go to
 * test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, launchBrowser, runTests, startPreview } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = join(root, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });

const preview = await startPreview(root);
const browser = await launchBrowser();
const consoleLines = [];

async function openStudio(context = browser.context) {
  const page = await context.newPage();
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  await page.goto(preview.url, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Start' }).waitFor({ timeout: 60_000 });
  return page;
}

/** Fills the run form the way a person would, one field at a time, and presses Start. */
async function startRun(page, settings) {
  for (const [name, value] of Object.entries(settings)) {
    if (name === 'space' || name === 'backend') await page.selectOption(`select[name=${name}]`, value);
    else await page.fill(`input[name=${name}]`, String(value));
  }
  await page.getByRole('button', { name: 'Start' }).click();
}

const ok = await runTests([
  [
    'a tiny run trains on webgpu in the worker and the loss goes down',
    async () => {
      const page = await openStudio();
      await startRun(page, { space: 'tiny', backend: 'webgpu', epochs: 2, stepsPerEpoch: 3, trainSubset: 64, batchSize: 16, learningRate: 0.1, ranges: 2, perRange: 1 });
      await page.locator('[data-testid=phase] strong').filter({ hasText: /^(done|failed|stopped)$/ }).waitFor({ timeout: 540_000 });
      await page.screenshot({ path: join(artifacts, 'engine-run-webgpu.png'), fullPage: true });
      const phase = await page.locator('[data-testid=phase] strong').textContent();
      const error = (await page.locator('[data-testid=error]').count()) ? await page.locator('[data-testid=error]').textContent() : '';
      assert(phase === 'done', `run ended as ${phase}: ${error}`);
      const backend = await page.locator('[data-testid=backend]').getAttribute('data-backend');
      const backendText = await page.locator('[data-testid=backend]').textContent();
      assert(backend === 'webgpu', `trained on ${backend}: ${backendText}`);
      console.log(`     ${backendText}`);
      const summary = page.locator('[data-testid=loss-summary]');
      const first = Number(await summary.getAttribute('data-first-loss'));
      const last = Number(await summary.getAttribute('data-last-loss'));
      const steps = Number(await summary.getAttribute('data-steps'));
      console.log(`     largest-subnet loss ${first.toFixed(4)} -> ${last.toFixed(4)} over ${steps} steps`);
      assert(steps === 6, `expected 6 steps, saw ${steps}`);
      assert(Number.isFinite(first) && Number.isFinite(last) && last < first - 0.02, `loss did not go down: ${first} -> ${last}`);
      const epochRows = await page.locator('[data-testid=epochs] tbody tr').count();
      assert(epochRows === 2, `expected 2 evaluated epochs, saw ${epochRows}`);
      const rangeRows = await page.locator('[data-testid=ranges] tbody tr').count();
      assert(rangeRows === 2, `expected 2 FLOPs ranges, saw ${rangeRows}`);
      assert(/^https?:\/\/.*[?&]backend=webgpu/.test(page.url()), `settings are not in the URL: ${page.url()}`);
      await page.close();
    },
  ],
  [
    'without WebGPU, auto falls back to another backend and says so',
    async () => {
      const plain = await launchBrowser({ webgpu: false });
      try {
        const page = await openStudio(plain.context);
        await startRun(page, { space: 'tiny', backend: 'auto', epochs: 1, stepsPerEpoch: 1, trainSubset: 16, batchSize: 8, ranges: 1, perRange: 1 });
        await page.locator('[data-testid=fallback-notice]').waitFor({ timeout: 120_000 });
        const notice = await page.locator('[data-testid=fallback-notice]').textContent();
        const backend = await page.locator('[data-testid=backend]').getAttribute('data-backend');
        console.log(`     ${notice}`);
        assert(backend && backend !== 'webgpu', `expected a fallback backend, got ${backend}`);
        assert(/webgpu/i.test(notice ?? '') && notice?.includes(backend), `the notice should name webgpu and the backend used: ${notice}`);
        await page.locator('[data-testid=phase] strong').filter({ hasText: /^(done|failed|stopped)$/ }).waitFor({ timeout: 300_000 });
        await page.screenshot({ path: join(artifacts, 'engine-run-fallback.png'), fullPage: true });
        const phase = await page.locator('[data-testid=phase] strong').textContent();
        assert(phase === 'done', `fallback run ended as ${phase}`);
      } finally {
        await plain.close();
      }
    },
  ],
], join(artifacts, 'browser.json'));

await browser.close();
preview.stop();
if (!ok) {
  console.log('--- browser console ---');
  console.log(consoleLines.slice(-40).join('\n'));
}
process.exit(ok ? 0 : 1);
