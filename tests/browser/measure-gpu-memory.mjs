/**
 * `node tests/browser/measure-gpu-memory.mjs` (not part of `npm test`; run `npm run build`
 * first): trains the tiny space in the built studio on each GPU backend (webgpu, webgl) in
 * headless Chromium and prints tfjs's memory() after step 10 and after the last step: tensors,
 * GPU bytes of live tensors, GPU bytes tfjs holds (its pool included), and whether webgl logged
 * "High memory usage in GPU". The engine worker samples memory() after every step; the script
 * reads the samples through Playwright's worker.evaluate. Figures go to
 * test-artifacts/gpu-memory-<backend>.json.
 *
 *   node tests/browser/measure-gpu-memory.mjs --backends webgpu,webgl --steps 100 --batch 16
 *
 * On SwiftShader a tiny-space step at batch 16 takes about a second on webgl and several on
 * webgpu: 100 steps take minutes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineMemorySamples, launchBrowser, startPreview } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const backends = option('backends', 'webgpu,webgl').split(',');
const steps = Number(option('steps', '100'));
const batch = Number(option('batch', '16'));
const space = option('space', 'tiny');
const early = Math.min(10, steps);

const preview = await startPreview(root);
mkdirSync(join(root, 'test-artifacts'), { recursive: true });
const rows = [];
const mb = (bytes) => (bytes === undefined ? '-' : `${(bytes / 2 ** 20).toFixed(2)} MiB`);
try {
  for (const backend of backends) {
    const browser = await launchBrowser({ webgpu: backend === 'webgpu' });
    const warnings = [];
    try {
      const page = await browser.context.newPage();
      const listen = (m) => /High memory usage/i.test(m.text()) && warnings.push(m.text());
      page.on('console', listen);
      page.on('worker', (w) => w.on?.('console', listen));
      await page.goto(preview.url, { waitUntil: 'commit' });
      await page.getByRole('button', { name: 'Start', exact: true }).waitFor({ timeout: 120_000 });
      const form = {
        space,
        backend,
        epochs: 1,
        stepsPerEpoch: steps,
        trainSubset: steps * batch,
        batchSize: batch,
        ranges: 1,
        perRange: 1,
        rangeImages: 50,
        evalImages: 100,
      };
      for (const [name, value] of Object.entries(form)) {
        const select = page.locator(`select[name=${name}]`);
        if (await select.count()) await select.selectOption(String(value));
        else await page.fill(`input[name=${name}]`, String(value));
      }
      const started = Date.now();
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      const badge = page.locator('[data-testid=backend]');
      await badge.waitFor({ timeout: 300_000 });
      const chosen = await badge.getAttribute('data-backend');
      if (chosen !== backend) throw new Error(`asked for ${backend}, the run got ${chosen}: ${await badge.textContent()}`);
      console.log(`${backend}: ${(await badge.textContent()).trim()}`);
      let lastPrinted = 0;
      for (;;) {
        const step = Number(
          (await page
            .locator('[data-testid=progress]')
            .getAttribute('data-step')
            .catch(() => null)) ?? 0,
        );
        if (step >= steps) break;
        const phase = await page.locator('[data-testid=phase] strong').textContent();
        if (/^(failed|stopped)$/.test(phase ?? ''))
          throw new Error(
            `the run ${phase}: ${await page
              .locator('[data-testid=error]')
              .textContent()
              .catch(() => '')}`,
          );
        if (Date.now() - lastPrinted > 30_000) {
          console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s: step ${step} of ${steps}`);
          lastPrinted = Date.now();
        }
        await page.waitForTimeout(2000);
      }
      const seconds = (Date.now() - started) / 1000;
      const samples = await engineMemorySamples(page);
      if (!samples) throw new Error('no engine worker with memory samples found');
      const at = (s) => samples.find((x) => x.step === s);
      const first = at(early);
      const last = at(steps);
      if (!first || !last)
        throw new Error(`samples after steps ${early} and ${steps} missing: have ${samples.map((x) => x.step).join(',')}`);
      const row = { backend, adapter: (await badge.textContent()).trim(), space, batch, steps, seconds, first, last, warnings, samples };
      rows.push(row);
      writeFileSync(join(root, 'test-artifacts', `gpu-memory-${backend}.json`), JSON.stringify(row, null, 1));
      for (const s of [first, last]) {
        console.log(
          `  after step ${String(s.step).padStart(3)}: ${s.numTensors} tensors, GPU in use ${mb(s.gpuBytesInUse)} (${s.gpuBytesInUse} B), GPU held ${mb(s.gpuBytesAllocated)} (${s.gpuBytesAllocated} B), ${s.gpuPrograms ?? '-'} GPU programs compiled, step ${s.ms.toFixed(0)} ms${s.warnedAboutMemory !== undefined ? `, warned ${s.warnedAboutMemory}` : ''}`,
        );
      }
      console.log(
        `  ${steps} steps in ${seconds.toFixed(0)} s; "High memory usage" logged: ${warnings.length ? warnings.join(' | ') : 'no'}`,
      );
      await page.close();
    } finally {
      await browser.close();
    }
  }
} finally {
  preview.stop();
}
console.log('\nbackend | step | tensors | GPU bytes in use | GPU bytes held (pool included) | GPU programs compiled');
for (const r of rows)
  for (const s of [r.first, r.last])
    console.log(`${r.backend} | ${s.step} | ${s.numTensors} | ${s.gpuBytesInUse} | ${s.gpuBytesAllocated} | ${s.gpuPrograms ?? '-'}`);
