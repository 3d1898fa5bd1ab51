/**
 * Browser tests on the built app (run `npm run build` first): open the studio in headless
 * Chromium with WebGPU on and use it as a person would — set up and start a tiny run, watch
 * the box plots appear, run a comparison, reproduce a run from its link, switch theme, read
 * the shortcuts — and measure main-thread long tasks while a run trains. Screenshots of the
 * main views go to test-artifacts/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, engineMemorySamples, launchBrowser, runTests, startPreview } from './harness.mjs';
import { accessTests } from './access-tests.mjs';
import { chartTests, readZip } from './chart-tests.mjs';
import { setupTests } from './setup-tests.mjs';
import { compareRunsTests } from './compare-runs-tests.mjs';
import { screenshot } from './screenshots.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = join(root, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });

const preview = await startPreview(root);
const browser = await launchBrowser();
const consoleLines = [];

/** Long tasks are recorded from the first byte, so a test can look at any interval. */
const recordLongTasks = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  // long animation frames name the scripts behind a slow frame, so a failure says what to fix
  window.__longFrames = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__longFrames.push({
        start: entry.startTime,
        duration: entry.duration,
        render: entry.renderStart ? entry.startTime + entry.duration - entry.renderStart : 0,
        scripts: (entry.scripts ?? []).map((x) => ({
          invoker: x.invoker,
          fn: x.sourceFunctionName,
          at: x.sourceCharPosition,
          ms: Math.round(x.duration),
        })),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
};

/**
 * Asserts that no main-thread task between performance.now() times `start` and `end` took over
 * 50 ms; prints the count and the longest, and the long animation frames (with their scripts)
 * when one did, so a failure says what to fix.
 */
async function assertNoLongTask(page, start, end, during, label) {
  const tasks = await page.evaluate(([s, e]) => window.__longTasks.filter((t) => t.start >= s && t.start <= e), [start, end]);
  const longest = Math.max(0, ...tasks.map((t) => t.duration));
  console.log(`     ${label} in ${((end - start) / 1000).toFixed(1)} s: ${tasks.length} long tasks, longest ${longest.toFixed(0)} ms`);
  if (longest > 50) {
    const frames = await page.evaluate(
      ([s, e]) => window.__longFrames.filter((f) => f.start + f.duration >= s && f.start <= e && f.duration > 50),
      [start, end],
    );
    console.log(`     long animation frames: ${JSON.stringify(frames)}`);
  }
  assert(longest <= 50, `a main-thread task took ${longest.toFixed(0)} ms during ${during}: ${JSON.stringify(tasks)}`);
}

async function openStudio(context = browser.context, query = '') {
  const page = await context.newPage();
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  await page.addInitScript(recordLongTasks);
  await page.goto(preview.url + query, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Start', exact: true }).waitFor({ timeout: 60_000 });
  return page;
}

/**
 * Fills the run form the way a person would, one field at a time. The sampler goes first: k
 * and the estimator are only shown for a sampler that ranks candidates. Booleans tick a box.
 */
async function fillForm(page, settings) {
  const entries = Object.entries(settings).sort(([a], [b]) => Number(b === 'sampler') - Number(a === 'sampler'));
  for (const [name, value] of entries) {
    const select = page.locator(`select[name=${name}]`);
    if (typeof value === 'boolean') await page.locator(`input[name=${name}]`).setChecked(value);
    else if (await select.count()) await select.selectOption(String(value));
    else await page.fill(`input[name=${name}]`, String(value));
  }
}

const tiny = { space: 'tiny', backend: 'webgpu', trainSubset: 64, batchSize: 16, learningRate: 0.1, rangeImages: 100, evalImages: 200 };
/** one step of the tiny space on `auto`: what the backend-choice tests start, to see which backend it picks */
const oneAutoStep = {
  space: 'tiny',
  backend: 'auto',
  epochs: 1,
  stepsPerEpoch: 1,
  trainSubset: 16,
  batchSize: 8,
  ranges: 1,
  perRange: 1,
  rangeImages: 50,
  evalImages: 100,
};
const finished = /^(done|failed|stopped)$/;

async function waitForRunEnd(page, timeout = 540_000) {
  await page.locator('[data-testid=phase] strong').filter({ hasText: finished }).waitFor({ timeout });
  const phase = await page.locator('[data-testid=phase] strong').textContent();
  const error = (await page.locator('[data-testid=error]').count()) ? await page.locator('[data-testid=error]').textContent() : '';
  assert(phase === 'done', `run ended as ${phase}: ${error}`);
}

/** Starts a tiny run and waits until it has a checkpoint after at least `step` steps. */
async function runToCheckpoint(context, settings, step) {
  const page = await openStudio(context);
  await fillForm(page, settings);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForCheckpoint(page, step);
  return page;
}

const waitForCheckpoint = (page, step) =>
  page.waitForFunction(
    (at) => Number(document.querySelector('[data-testid=checkpoint]')?.getAttribute('data-checkpoint-step') ?? -1) >= at,
    step,
    { polling: 500, timeout: 540_000 },
  );

const runSummary = async (page) => {
  const summary = page.locator('[data-testid=loss-summary]');
  return {
    first: await summary.getAttribute('data-first-loss'),
    steps: Number(await summary.getAttribute('data-steps')),
    epochs: await page.locator('[data-testid=epochs] tbody tr').count(),
  };
};

async function reloadStudio(page) {
  await page.reload({ waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Start', exact: true }).waitFor({ timeout: 60_000 });
}

const phaseText = (page) => page.locator('[data-testid=phase] strong').textContent();

/** An idx file (unsigned bytes) of the given dimensions, each byte from `fill(index)`. */
const idx = (dims, fill) => {
  const count = dims.reduce((a, b) => a * b, 1);
  const bytes = Buffer.alloc(4 + 4 * dims.length + count);
  bytes.writeUInt32BE(0x0800 + dims.length, 0);
  dims.forEach((d, i) => bytes.writeUInt32BE(d, 4 + 4 * i));
  for (let i = 0; i < count; i++) bytes[4 + 4 * dims.length + i] = fill(i);
  return bytes;
};
/** A file for setInputFiles. */
const file = (name, buffer) => ({ name, mimeType: 'application/octet-stream', buffer });
/** The four MNIST-format files of a 28x28 dataset: `train` and `test` images, labels cycling 0-9. */
const mnistFiles = (train, test) => [
  file(
    'train-images-idx3-ubyte',
    idx([train, 28, 28], (i) => i % 251),
  ),
  file(
    'train-labels-idx1-ubyte',
    idx([train], (i) => i % 10),
  ),
  file(
    't10k-images-idx3-ubyte',
    idx([test, 28, 28], (i) => i % 241),
  ),
  file(
    't10k-labels-idx1-ubyte',
    idx([test], (i) => i % 10),
  ),
];

/** Saves the next download of the page under test-artifacts/ and returns its path. */
async function saveDownload(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()]);
  const path = join(artifacts, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

/** The chromium processes of the browser using `profile` (found by its --user-data-dir) and their descendants. */
function browserProcesses(profile) {
  const procs = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const ppid = Number(
        readFileSync(`/proc/${entry}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .split(' ')[1],
      );
      procs.push({ pid: Number(entry), ppid, cmdline });
    } catch {
      /* gone */
    }
  }
  const ours = new Set(procs.filter((p) => p.cmdline.some((a) => a === `--user-data-dir=${profile}`)).map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!ours.has(p.pid) && ours.has(p.ppid)) grew = ours.add(p.pid) !== null;
  }
  return procs.filter((p) => ours.has(p.pid));
}

/** Resident memory (bytes) of the renderer processes (the page and its workers) of the browser using `profile`. */
function rendererRss(profile) {
  let total = 0;
  for (const p of browserProcesses(profile)) {
    // a forked child rewrites its command line as one string of space-separated arguments
    if (!/(^| )--type=renderer( |$)/.test(p.cmdline.join(' '))) continue;
    try {
      total += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      /* gone */
    }
  }
  return total;
}

/** Samples rendererRss every 25 ms until stopped; returns the peak and how many samples it took. */
function sampleRss(profile) {
  let peak = rendererRss(profile);
  let samples = 1;
  const timer = setInterval(() => {
    peak = Math.max(peak, rendererRss(profile));
    samples++;
  }, 25);
  return () => {
    clearInterval(timer);
    return { peak: Math.max(peak, rendererRss(profile)), samples: samples + 1 };
  };
}

// hostile files: picked by the name part they share, `node tests/browser/run.mjs "hostile files"`
const hostileFileTests = [
  [
    'hostile files: a 1 GiB gzip bomb chosen as a dataset is refused in under 2 s with under 256 MiB more memory',
    async () => {
      const fresh = await launchBrowser();
      try {
        const page = await openStudio(fresh.context);
        // made here, never stored: the zeros are one flushed deflate block repeated (tests/core/gzip-bomb.ts)
        const made = spawnSync(
          process.execPath,
          [
            '--import',
            'tsx',
            '-e',
            "import { gzipBomb } from './tests/core/gzip-bomb.ts'; import { idxBytes } from './tests/core/idx-fixtures.ts'; const b = gzipBomb(1024, idxBytes([60000, 28, 28], [])); process.stdout.write(Buffer.from(b).toString('base64'));",
          ],
          { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 },
        );
        assert(made.status === 0, `could not make the bomb: ${made.stderr}`);
        const bomb = Buffer.from(made.stdout, 'base64');
        const zeros = Buffer.from(
          spawnSync(
            process.execPath,
            [
              '--import',
              'tsx',
              '-e',
              "import { gzipBomb } from './tests/core/gzip-bomb.ts'; process.stdout.write(Buffer.from(gzipBomb(1024)).toString('base64'));",
            ],
            { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 },
          ).stdout,
          'base64',
        );
        // the other three files of a small dataset (the bomb stands in for its training images)
        const rest = mnistFiles(30, 10).slice(1);
        const cifarTest = file('test_batch.bin', Buffer.alloc(3073));
        for (const [what, bytes, expected, name, others] of [
          [
            'behind a valid idx3 header',
            bomb,
            /train-images-idx3-ubyte\.gz: decompresses to more than its idx header declares \(60000x28x28/,
            'train-images-idx3-ubyte.gz',
            rest,
          ],
          ['of zeros', zeros, /train-images-idx3-ubyte\.gz: holds unknown type 0x00 data/, 'train-images-idx3-ubyte.gz', rest],
          [
            'of zeros as a CIFAR-10 batch',
            zeros,
            /data_batch_1\.bin\.gz: decompresses to more than 30730000 bytes/,
            'data_batch_1.bin.gz',
            [cifarTest],
          ],
        ]) {
          // let the page settle (Setup's start-up speed probes train in the worker: their memory is not the bomb's),
          // then measure from the moment the files are handed over
          await page.locator('[data-testid=estimate][data-run-seconds]').waitFor({ timeout: 120_000 });
          if (await page.locator('[data-testid=quick-estimate]').count())
            await page.locator('[data-testid=quick-estimate][data-seconds]').waitFor({ timeout: 120_000 });
          await page.waitForTimeout(500);
          const stop = sampleRss(fresh.profile);
          const before = rendererRss(fresh.profile);
          const start = Date.now();
          await page.setInputFiles('input[name=dataset-files]', [file(name, bytes), ...others]);
          const error = await page.locator('[data-testid=dataset-error]').filter({ hasText: name }).textContent({ timeout: 60_000 });
          const ms = Date.now() - start;
          const { peak, samples } = stop();
          const extra = peak - before;
          const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
          console.log(
            `     bomb ${what} (${bytes.length} bytes): refused in ${ms} ms; renderer processes ${mib(before)} before, peak ${mib(peak)} (+${mib(extra)}, ${samples} samples): ${error}`,
          );
          assert(expected.test(error), `the error should name the file and the budget: ${error}`);
          assert(ms < 2000, `the bomb took ${ms} ms to refuse`);
          assert(extra < 256 * 2 ** 20, `the bomb took ${(extra / 2 ** 20).toFixed(1)} MiB more memory`);
          // the next case must show its own error
          await page.reload({ waitUntil: 'commit' });
          await page.getByRole('button', { name: 'Start', exact: true }).waitFor({ timeout: 60_000 });
        }
      } finally {
        await fresh.close();
      }
    },
  ],
  [
    'hostile files: a 50 MB run file imports with no main-thread task over 50 ms (PerformanceObserver longtask)',
    async () => {
      const path = join(artifacts, 'large-import.nasrun');
      const made = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'tests/browser/make-large-run.ts'), path], {
        cwd: root,
        encoding: 'utf8',
      });
      assert(made.status === 0, `could not make the run file: ${made.stderr}`);
      const { bytes, steps } = JSON.parse(made.stdout.trim().split('\n').pop());
      const fresh = await launchBrowser();
      try {
        const page = await openStudio(fresh.context);
        await page.keyboard.press('5');
        await page.getByText('No runs yet').waitFor({ timeout: 10_000 });
        await page.waitForTimeout(1000);
        const start = await page.evaluate(() => performance.now());
        await page.setInputFiles('input[name=run-file]', path);
        // poll with a plain query every 2 s rather than a locator, which would itself load the main thread
        await page.waitForFunction(() => document.querySelector('[data-testid=import-ok], [data-testid=import-error]') !== null, null, {
          polling: 2000,
          timeout: 120_000,
        });
        const end = await page.evaluate(() => performance.now());
        const notice = await page.locator('[data-testid=import-ok], [data-testid=import-error]').textContent();
        assert((await page.locator('[data-testid=import-ok]').count()) === 1, `the import failed: ${notice}`);
        await assertNoLongTask(page, start, end, 'the import', `${(bytes / 1e6).toFixed(1)} MB, ${steps} steps imported: ${notice}`);
        // the worker stored it: after a reload the run is there with every step
        await reloadStudio(page);
        await page.keyboard.press('5');
        await page
          .locator('[data-testid=runs-table] [data-testid=run-name]')
          .filter({ hasText: 'a long imported run' })
          .waitFor({ timeout: 60_000 });
        const stored = await page.evaluate(() => Object.values(window.nasStudio.store.getState().runs).map((r) => r.steps.length));
        assert(
          stored.length === 1 && stored[0] === steps,
          `after a reload the library holds ${JSON.stringify(stored)} steps, expected ${steps}`,
        );
        await page.close();
      } finally {
        await fresh.close();
        rmSync(path, { force: true });
      }
    },
  ],
];

// one profile for the persistence tests: the import test uses the run the reload test resumed
const kept = await launchBrowser();
const persistenceTests = [
  [
    'a run interrupted by a reload resumes from its last checkpoint with its history intact',
    async () => {
      const settings = { ...tiny, epochs: 3, stepsPerEpoch: 2, ranges: 1, perRange: 2 };
      // the checkpoint at the end of the first epoch
      const page = await runToCheckpoint(kept.context, settings, 2);
      const checkpointStep = Number(await page.locator('[data-testid=checkpoint]').getAttribute('data-checkpoint-step'));
      const before = await runSummary(page);
      assert(
        (await phaseText(page)) === 'running',
        `the run should still be training at its first checkpoint, it is ${await phaseText(page)}`,
      );
      await reloadStudio(page);
      await page.getByRole('button', { name: 'Runs', exact: true }).click();
      const row = page.locator('[data-testid=runs-table] tbody tr').first();
      await row.locator('.phase-interrupted').waitFor({ timeout: 30_000 });
      await row.getByRole('button', { name: 'Open' }).click();
      const after = await runSummary(page);
      console.log(
        `     reloaded at step ${before.steps} (checkpoint after step ${checkpointStep}); the studio shows ${after.steps} steps, ${after.epochs} epochs, interrupted`,
      );
      assert(after.first === before.first, `the loss history changed across the reload: ${before.first} -> ${after.first}`);
      assert(after.steps >= checkpointStep && after.epochs >= 1, `history lost: ${JSON.stringify(after)}`);
      await page.locator('[data-testid=interrupted]').waitFor({ timeout: 5000 });
      await page.locator('[data-testid=resume-run]').click();
      await waitForRunEnd(page);
      const done = await runSummary(page);
      console.log(`     resumed from step ${checkpointStep}: ${done.steps} steps, ${done.epochs} epochs, first loss ${done.first}`);
      assert(done.steps === 6 && done.epochs === 3, `after the resume: ${JSON.stringify(done)}`);
      assert(done.first === before.first, 'the first steps should be the ones trained before the reload');
      assert(
        (await page.locator('[data-testid=range-boxes]').getAttribute('data-evaluations')) === '3',
        'one range evaluation per epoch, across the resume',
      );
      assert(/resumed once/.test(await page.locator('[data-testid=checkpoint]').textContent()), 'the run should say it was resumed');
      // and the finished run is still all there after another reload
      await reloadStudio(page);
      await page.keyboard.press('2');
      await page.locator('[data-testid=phase] strong').filter({ hasText: 'done' }).waitFor({ timeout: 30_000 });
      assert((await runSummary(page)).steps === 6, 'the finished run should survive a reload');
      await page.close();
    },
  ],
  [
    'a run is renamed, exported to a file, deleted, imported back and searched; damaged files are named',
    async () => {
      const page = await openStudio(kept.context);
      await page.getByRole('button', { name: 'Runs', exact: true }).click();
      const row = page.locator('[data-testid=runs-table] tbody tr').first();
      await row.locator('[data-testid=run-name]').click();
      await page.fill('input[name=run-name]', 'my resumed run');
      await page.keyboard.press('Enter');
      await row.locator('[data-testid=run-name]').filter({ hasText: 'my resumed run' }).waitFor({ timeout: 5000 });
      const file = await saveDownload(page, () => row.locator('[data-testid=export-run]').click());
      console.log(`     exported ${file.split('/').pop()} (${readFileSync(file).length} bytes)`);
      await row.locator('[data-testid=delete-run]').click();
      await row.locator('[data-testid=confirm-delete]').click();
      await page.getByText('No runs yet').waitFor({ timeout: 10_000 });
      // damaged copies first: each is named, and nothing is added
      const bytes = readFileSync(file);
      const damaged = [
        ['truncated.nasrun', bytes.subarray(0, Math.floor(bytes.length * 0.6)), /truncated|bytes|short/i],
        ['subnet.json', Buffer.from('{"type":"nas-studio/subnet"}'), /JSON/],
        ['empty.nasrun', Buffer.alloc(0), /empty/i],
      ];
      for (const [name, buffer, pattern] of damaged) {
        await page.setInputFiles('input[name=run-file]', { name, mimeType: 'application/octet-stream', buffer });
        const error = await page.locator('[data-testid=import-error]').filter({ hasText: name }).textContent({ timeout: 10_000 });
        console.log(`     ${error}`);
        assert(pattern.test(error), `the error for ${name} should match ${pattern}: ${error}`);
      }
      assert((await page.getByText('No runs yet').count()) === 1, 'a damaged file must not add a run');
      // a full storage quota (Chromium's real one, lowered through the DevTools protocol) is
      // reported, and nothing is half-added. In a fresh browser: Chromium 156 stops enforcing an
      // overridden quota for an origin once it has stored data under the default one.
      const fresh = await launchBrowser();
      try {
        const other = await openStudio(fresh.context);
        await other.keyboard.press('5');
        await other.getByText('No runs yet').waitFor({ timeout: 10_000 });
        const cdp = await fresh.context.newCDPSession(other);
        await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(other.url()).origin, quotaSize: 1024 });
        await other.setInputFiles('input[name=run-file]', file);
        const quotaError = await other
          .locator('[data-testid=import-error]')
          .filter({ hasText: /quota/i })
          .textContent({ timeout: 10_000 })
          .catch(async (error) => {
            const notices = await other.locator('[data-testid=import-error], [data-testid=import-ok]').allTextContents();
            throw new Error(
              `no quota error after an import over the quota; the Runs view says: ${JSON.stringify(notices)} (${error.message.split('\n')[0]})`,
            );
          });
        console.log(`     quota: ${quotaError}`);
        assert((await other.getByText('No runs yet').count()) === 1, 'an import that could not be saved must not add a run');
      } finally {
        await fresh.close();
      }
      await page.setInputFiles('input[name=run-file]', file);
      await page.locator('[data-testid=import-ok]').waitFor({ timeout: 30_000 });
      await row.locator('[data-testid=run-name]').filter({ hasText: 'my resumed run' }).waitFor({ timeout: 5000 });
      // after a reload the imported run is there, and its supernet can be searched
      await reloadStudio(page);
      await page.keyboard.press('4');
      await fillForm(page, {
        'search-population': 4,
        'search-generations': 1,
        'search-mutations': 2,
        'search-crossovers': 2,
        'search-validationImages': 100,
        'search-calibrationBatches': 2,
      });
      await page.locator('[data-testid=search-start]').click();
      await page.locator('[data-testid=search-status][data-phase=done]').waitFor({ timeout: 540_000 });
      const points = Number(await page.locator('[data-testid=pareto-scatter]').getAttribute('data-points'));
      console.log(`     ${await page.locator('[data-testid=search-status]').textContent()}`);
      assert(points >= 6, `the search on the imported run should evaluate subnets, saw ${points}`);
      await page.screenshot({ path: join(artifacts, 'studio-imported-search.png'), fullPage: true });
      await page.close();
    },
  ],
  [
    'a lost WebGPU device and a crashed worker mark the run failed, keep its history, and it resumes',
    async () => {
      const page = await runToCheckpoint(kept.context, { ...tiny, epochs: 3, stepsPerEpoch: 2, ranges: 1, perRange: 1, seed: 3 }, 1);
      for (const fault of ['device-loss', 'crash']) {
        await page.locator('[data-testid=phase] strong').filter({ hasText: 'running' }).waitFor({ timeout: 60_000 });
        const before = await runSummary(page);
        await page.evaluate((kind) => window.nasStudio.controller.simulateFault(kind), fault);
        await page.locator('[data-testid=phase] strong').filter({ hasText: 'failed' }).waitFor({ timeout: 60_000 });
        const error = await page.locator('[data-testid=error]').textContent();
        console.log(`     ${fault}: ${error}`);
        assert(
          fault === 'crash' ? /crashed/.test(error) : /WebGPU device was lost/.test(error),
          `the error should say what happened: ${error}`,
        );
        const kept = await runSummary(page);
        assert(
          kept.first === before.first && kept.steps >= before.steps,
          `the history should be kept: ${JSON.stringify(before)} -> ${JSON.stringify(kept)}`,
        );
        await page.locator('[data-testid=resume-run]').first().click();
      }
      await waitForRunEnd(page);
      const done = await runSummary(page);
      assert(done.steps === 6 && done.epochs === 3, `after two resumes: ${JSON.stringify(done)}`);
      assert(
        (await page.locator('[data-testid=backend]').getAttribute('data-backend')) === 'webgpu',
        'the resumed run should train on a fresh WebGPU device',
      );
      await page.close();
    },
  ],
];

const ok = await runTests(
  [
    [
      'a tiny run trains on webgpu in the worker, the loss goes down and the box plots show every range',
      async () => {
        const page = await openStudio();
        // 64 images in batches of 16: 4 steps an epoch, 8 in all, evaluated every 2
        await fillForm(page, { ...tiny, epochs: 2, stepsPerEpoch: 4, ranges: 3, perRange: 2, evalEvery: 2 });
        await screenshot(page, 'studio-setup.png', { fullPage: true, docs: true });
        await page.getByRole('button', { name: 'Start', exact: true }).click();
        await waitForRunEnd(page);
        await screenshot(page, 'studio-train.png', { fullPage: true, docs: true });
        const backend = await page.locator('[data-testid=backend]').getAttribute('data-backend');
        const backendText = await page.locator('[data-testid=backend]').textContent();
        assert(backend === 'webgpu', `trained on ${backend}: ${backendText}`);
        console.log(`     ${backendText}`);
        const summary = page.locator('[data-testid=loss-summary]');
        const first = Number(await summary.getAttribute('data-first-loss'));
        const last = Number(await summary.getAttribute('data-last-loss'));
        const steps = Number(await summary.getAttribute('data-steps'));
        console.log(`     largest-subnet loss ${first.toFixed(4)} -> ${last.toFixed(4)} over ${steps} steps`);
        assert(steps === 8, `expected 8 steps, saw ${steps}`);
        assert(Number.isFinite(first) && Number.isFinite(last) && last < first - 0.02, `loss did not go down: ${first} -> ${last}`);
        assert((await page.locator('[data-testid=epochs] tbody tr').count()) === 2, 'expected 2 evaluated epochs');
        const boxes = page.locator('[data-testid=range-boxes] [data-testid=boxplot]');
        assert(
          (await boxes.getAttribute('data-groups')) === '3',
          `expected 3 FLOPs ranges, saw ${await boxes.getAttribute('data-groups')}`,
        );
        const counts = await boxes.locator('[data-sampler]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
        assert(counts.length === 3 && counts.every((c) => c === 2), `expected 2 subnets in each of 3 boxes, saw ${counts}`);
        // every 2 steps: after steps 2 and 6, and at the end of each epoch (steps 4 and 8)
        const evaluations = await page.locator('[data-testid=range-boxes]').getAttribute('data-evaluations');
        assert(evaluations === '4', `expected a range evaluation every 2 steps (4 in all), saw ${evaluations}`);
        // the history slider goes back to the first evaluation
        await page.locator('[data-testid=history-slider]').fill('0');
        await page.getByText('Evaluation 1 of 4').waitFor({ timeout: 5000 });
        assert(
          (await page.locator('[data-testid=subnet-strip]').getAttribute('data-points')) === '8',
          'the subnet strip should hold 8 steps',
        );
        assert(Number(await page.locator('[data-testid=prior-chart]').getAttribute('data-bins')) > 1, 'the FLOPs prior should have bins');
        assert(/^https?:\/\/.*[?&]backend=webgpu/.test(page.url()), `settings are not in the URL: ${page.url()}`);
        await page.close();
      },
    ],
    [
      // the warning at batch 128 is measured, not tested (minutes on SwiftShader): docs/results/webgl-memory-2026-12-03-*
      'a tiny run trains on webgl with its BN kernel (composed of WebGL kernels) and keeps its tensor count flat',
      async () => {
        const page = await openStudio();
        await fillForm(page, { ...tiny, backend: 'webgl', epochs: 1, stepsPerEpoch: 4, ranges: 1, perRange: 1 });
        await page.getByRole('button', { name: 'Start', exact: true }).click();
        await waitForRunEnd(page);
        const badge = page.locator('[data-testid=backend]');
        assert((await badge.getAttribute('data-backend')) === 'webgl', `trained on ${await badge.textContent()}`);
        const summary = page.locator('[data-testid=loss-summary]');
        const [first, last, steps] = await Promise.all(
          ['first-loss', 'last-loss', 'steps'].map(async (a) => Number(await summary.getAttribute(`data-${a}`))),
        );
        assert(
          steps === 4 && Number.isFinite(first) && Number.isFinite(last),
          `4 steps with finite losses, saw ${steps}: ${first} -> ${last}`,
        );
        const samples = await engineMemorySamples(page);
        const tensorsAt = (step) => samples?.find((x) => x.step === step)?.numTensors;
        const programsAt = (step) => samples?.find((x) => x.step === step)?.gpuPrograms;
        console.log(`     WebGL programs compiled after steps 2 and 4: ${programsAt(2)}, ${programsAt(4)}`);
        console.log(
          `     ${await badge.textContent()}; loss ${first.toFixed(4)} -> ${last.toFixed(4)}; tensors after steps 2 and 4: ${tensorsAt(2)}, ${tensorsAt(4)}`,
        );
        assert(
          tensorsAt(2) !== undefined && tensorsAt(2) === tensorsAt(4),
          `the tensor count should stay flat: ${tensorsAt(2)}, ${tensorsAt(4)}`,
        );
        await page.close();
      },
    ],
    [
      // on wasm: on SwiftShader the GPU emulation keeps both of this machine's cores busy and stretches
      // ordinary main-thread tasks past 50 ms (57-79 ms in 3 of 6 runs that shared the webgpu run above)
      'no main-thread task over 50 ms while a run trains (PerformanceObserver longtask)',
      async () => {
        const page = await openStudio();
        // 1,600 images in batches of 16: 100 steps an epoch, 300 in all, evaluated every 25: long enough on
        // wasm for many progress updates, evaluations, checkpoints and three epoch ends
        await fillForm(page, {
          ...tiny,
          backend: 'wasm',
          trainSubset: 1600,
          epochs: 3,
          stepsPerEpoch: 100,
          ranges: 3,
          perRange: 2,
          evalEvery: 25,
        });
        const startButton = page.getByRole('button', { name: 'Start', exact: true });
        await startButton.waitFor();
        // measured from the click on: Playwright's own locator work before it runs in the page too
        const start = await page.evaluate(() => {
          document.querySelector('[data-testid=start]').click();
          return performance.now();
        });
        // poll with a plain query every 2 s rather than a locator, which would itself load the main thread
        await page.waitForFunction(
          () => /^(done|failed|stopped)$/.test(document.querySelector('[data-testid=phase] strong')?.textContent ?? ''),
          null,
          { polling: 2000, timeout: 540_000 },
        );
        const end = await page.evaluate(() => performance.now());
        await waitForRunEnd(page);
        await assertNoLongTask(page, start, end, 'the run', 'training');

        await page.close();
      },
    ],
    [
      'a comparison over two seeds trains every sampler and the noise floor, and shows box plots, differences with intervals and the statistics',
      async () => {
        const page = await openStudio();
        // wasm: eight runs on a software WebGPU adapter take longer than the view needs to be tested
        // k is set under BestUp (a Uniform run has none); Compare trains every sampler with it
        await fillForm(page, {
          ...tiny,
          backend: 'wasm',
          epochs: 1,
          stepsPerEpoch: 2,
          ranges: 2,
          perRange: 2,
          sampler: 'bestup',
          k: 2,
          seeds: 2,
        });
        await page.getByRole('button', { name: 'Compare samplers' }).click();
        await page.locator('[data-testid=compare-view]').waitFor({ timeout: 10_000 });
        // 3 samplers and the noise floor, for seeds 1 and 2; polled with a plain query (cheap for the page)
        await page
          .waitForFunction(
            () => {
              const runs = [...document.querySelectorAll('[data-testid=compare-run]')];
              return runs.length === 8 && runs.every((r) => /^(done|failed|stopped)$/.test(r.getAttribute('data-phase')));
            },
            null,
            { polling: 2000, timeout: 900_000 },
          )
          .catch(async (error) => {
            const phases = await page
              .locator('[data-testid=compare-run]')
              .evaluateAll((els) =>
                els.map((e) => `${e.getAttribute('data-name')}@${e.getAttribute('data-seed')}:${e.getAttribute('data-phase')}`),
              );
            throw new Error(`${error.message}; runs: ${phases.join(', ')}`);
          });
        const runs = await page
          .locator('[data-testid=compare-run]')
          .evaluateAll((els) =>
            els.map((e) => `${e.getAttribute('data-name')}@${e.getAttribute('data-seed')}:${e.getAttribute('data-phase')}`),
          );
        const names = ['Uniform', 'BestUp-2 (loss)', 'WorstUp-2 (loss)', 'Uniform (noise floor)'];
        assert(runs.join(',') === [1, 2].flatMap((seed) => names.map((n) => `${n}@${seed}:done`)).join(','), `runs: ${runs}`);
        await page.locator('[data-testid=compare-table]').waitFor({ timeout: 10_000 });
        await screenshot(page, 'studio-compare.png', { fullPage: true, docs: true });
        const plot = page.locator('[data-testid=compare-view] [data-testid=boxplot]');
        assert((await plot.getAttribute('data-groups')) === '2', 'expected 2 ranges');
        for (let range = 0; range < 2; range++) {
          const samplers = await plot
            .locator(`[data-range="${range}"] [data-sampler]`)
            .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-sampler')}:${e.getAttribute('data-count')}`));
          // a box pools a sampler's two seeds: 2 subnets x 2 seeds
          assert(samplers.join(',') === names.map((n) => `${n}:4`).join(','), `range ${range} shows ${samplers}`);
        }
        const table = page.locator('[data-testid=compare-table]');
        assert((await table.getAttribute('data-seeds')) === '2', 'expected statistics over 2 seeds');
        const rows = await table.locator('tbody tr').evaluateAll((els) => els.map((e) => e.getAttribute('data-row')));
        assert(rows.join(',') === 'smallest,range,range,largest', `statistics rows: ${rows}`);
        const cells = await table
          .locator('td[data-verdict]')
          .evaluateAll((els) => els.map((e) => ({ verdict: e.getAttribute('data-verdict'), cls: e.className, text: e.textContent })));
        assert(cells.length === 4 * 3, `expected a difference per row and sampler, got ${cells.length}`);
        for (const c of cells) {
          assert(/\[[-+]\d+\.\d, [-+]\d+\.\d\]/.test(c.text), `a difference without its interval: ${c.text}`);
          // only a difference whose interval excludes 0 is coloured, and it says which way
          if (c.verdict === 'within noise')
            assert(c.cls === 'noise' && c.text.includes('within noise'), `within noise but shown as ${c.cls}: ${c.text}`);
          else assert(c.cls === c.verdict, `verdict ${c.verdict} shown as ${c.cls}`);
        }
        const chart = page.locator('[data-testid=difference-chart]');
        assert((await chart.getAttribute('data-groups')) === '4', 'expected the differences of 4 rows');
        const points = await chart
          .locator('[data-verdict]')
          .evaluateAll((els) =>
            els.map(
              (e) =>
                `${e.getAttribute('data-sampler')}:${e.getAttribute('data-verdict')}:${e.querySelector('circle').getAttribute('fill')}`,
            ),
          );
        assert(points.length === 12, `expected 12 difference points, got ${points.length}`);
        for (const p of points)
          if (p.includes(':within noise:')) assert(p.endsWith(':none'), `a difference within noise drawn filled: ${p}`);
        assert(Number(await page.locator('[data-testid=accuracy-chart]').getAttribute('data-points')) >= 1, 'expected accuracy over time');
        await page.close();
      },
    ],
    [
      'the explorer searches a trained run live, shows a subnet, and exports it with weights that reproduce its accuracy',
      async () => {
        const page = await openStudio();
        await fillForm(page, { ...tiny, epochs: 1, stepsPerEpoch: 2, ranges: 1, perRange: 1 });
        await page.getByRole('button', { name: 'Start', exact: true }).click();
        await waitForRunEnd(page);
        await page.getByRole('button', { name: 'Explore' }).click();
        await fillForm(page, {
          'search-population': 4,
          'search-generations': 1,
          'search-mutations': 2,
          'search-crossovers': 2,
          'search-validationImages': 100,
          'search-calibrationBatches': 2,
        });
        await page.locator('[data-testid=search-start]').click();
        await page.locator('[data-testid=search-status][data-phase=done]').waitFor({ timeout: 540_000 });
        const scatter = page.locator('[data-testid=pareto-scatter]');
        const points = Number(await scatter.getAttribute('data-points'));
        const front = Number(await scatter.getAttribute('data-front'));
        console.log(`     ${await page.locator('[data-testid=search-status]').textContent()}`);
        assert(points >= 6 && front >= 1, `expected points and a front, saw ${points} points, front ${front}`);
        assert(
          (await page.locator('[data-testid=hypervolume-chart]').getAttribute('data-generations')) === '2',
          'expected hypervolume for generations 0 and 1',
        );
        await page.locator('[data-testid=front-table] tbody tr').last().click();
        const details = page.locator('[data-testid=subnet-details]');
        await details.waitFor({ timeout: 10_000 });
        await details
          .locator('[data-testid=detail-latency]')
          .filter({ hasText: / ms median of 20 / })
          .waitFor({ timeout: 120_000 });
        assert(
          Number(await details.locator('[data-testid=subnet-diagram]').getAttribute('data-blocks')) >= 2,
          'the diagram should draw the blocks',
        );
        const shown = Number(await details.locator('[data-testid=detail-accuracy]').getAttribute('data-accuracy'));
        await screenshot(page, 'studio-explore.png', { fullPage: true, docs: true });
        await details.getByLabel('select for export').check();
        const exportDir = join(artifacts, 'export');
        rmSync(exportDir, { recursive: true, force: true });
        mkdirSync(exportDir, { recursive: true });
        // one download: a zip of the envelope, the model JSON, its weights and the YAML
        const zipPath = await saveDownload(page, () => page.locator('[data-testid=export-selected]').click());
        assert(zipPath.endsWith('.zip'), `the export should be one zip: ${zipPath}`);
        const entries = readZip(zipPath);
        const downloads = Object.keys(entries).sort();
        assert(
          downloads.length === 4 && ['.json', '.model.json', '.bin', '.yaml'].every((ext) => downloads.some((n) => n.endsWith(ext))),
          `the zip holds ${downloads}`,
        );
        for (const [name, bytes] of Object.entries(entries)) writeFileSync(join(exportDir, name), bytes);
        const check = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'tests/browser/check-export.ts'), exportDir], {
          cwd: root,
          encoding: 'utf8',
        });
        assert(check.status === 0, `the export check failed: ${check.stderr}`);
        const result = JSON.parse(check.stdout.trim().split('\n').pop());
        console.log(
          `     exported ${downloads.join(', ')}; explorer showed ${(shown * 100).toFixed(1)}%, the envelope says ${(result.recorded * 100).toFixed(1)}%, the loaded model measures ${(result.measured * 100).toFixed(1)}% on the same ${result.images} images`,
        );
        assert(Math.abs(result.recorded - shown) < 1e-9, 'the envelope should record the accuracy the explorer showed');
        assert(
          Math.abs(result.measured - shown) <= 2 / result.images + 1e-9,
          'the exported model should reproduce the accuracy (within 2 images of backend rounding)',
        );
        await page.close();
      },
    ],
    [
      'the URL reproduces the form, and a broken link value is named and replaced by its default',
      async () => {
        const query =
          '?space=tiny&sampler=worstup&estimator=loss&k=5&epochs=3&batchSize=32&learningRate=0.05&seed=7&ranges=4&perRange=2&backend=wasm';
        const page = await openStudio(browser.context, query);
        const values = async () =>
          page.evaluate(() =>
            Object.fromEntries([...document.querySelectorAll('input[name], select[name]')].map((e) => [e.name, e.value])),
          );
        let form = await values();
        const expected = {
          space: 'tiny',
          sampler: 'worstup',
          k: '5',
          epochs: '3',
          batchSize: '32',
          learningRate: '0.05',
          seed: '7',
          ranges: '4',
          perRange: '2',
          backend: 'wasm',
        };
        for (const [k, v] of Object.entries(expected)) assert(form[k] === v, `${k} is ${form[k]}, the link says ${v}`);
        await page.fill('input[name=seed]', '11');
        await page.waitForFunction(() => location.search.includes('seed=11'));
        const link = page.url();
        const again = await openStudio(browser.context, new URL(link).search);
        form = await again.evaluate(() =>
          Object.fromEntries([...document.querySelectorAll('input[name], select[name]')].map((e) => [e.name, e.value])),
        );
        for (const [k, v] of Object.entries({ ...expected, seed: '11' }))
          assert(form[k] === v, `reopened link: ${k} is ${form[k]}, expected ${v}`);
        const broken = await openStudio(browser.context, '?epochs=abc&sampler=best');
        const notice = await broken.locator('[data-testid=link-problems]').textContent();
        assert(/epochs/.test(notice) && /sampler/.test(notice), `the notice should name epochs and sampler: ${notice}`);
        await Promise.all([page.close(), again.close(), broken.close()]);
      },
    ],
    [
      'shortcuts are listed behind ?, and the theme switches the page and its charts',
      async () => {
        const page = await openStudio();
        await page.keyboard.press('?');
        await page.locator('[data-testid=shortcuts]').waitFor({ timeout: 5000 });
        const rows = await page.locator('[data-testid=shortcuts] tr').count();
        assert(rows >= 8, `expected the shortcut list, saw ${rows} rows`);
        await screenshot(page, 'studio-shortcuts.png', { docs: true });
        await page.keyboard.press('Escape');
        await page.locator('[data-testid=shortcuts]').waitFor({ state: 'detached', timeout: 5000 });
        await page.selectOption('select[aria-label=Theme]', 'dark');
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert(bg === 'rgb(17, 20, 24)', `dark theme background is ${bg}`);
        await page.selectOption('select[aria-label=Theme]', 'light');
        const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert(light === 'rgb(244, 246, 248)', `light theme background is ${light}`);
        await page.keyboard.press('t');
        assert(
          (await page.evaluate(() => document.documentElement.getAttribute('data-theme'))) === 'dark',
          't should switch light to dark',
        );
        await page.keyboard.press('5');
        await page.getByText('Runs kept in this browser').waitFor({ timeout: 5000 });
        await screenshot(page, 'studio-runs-dark.png', { docs: true });
        await page.close();
      },
    ],
    [
      'your own dataset: valid idx files load and pick a preset; a truncated idx file and a CIFAR batch of the wrong length are named',
      async () => {
        const page = await openStudio();
        await fillForm(page, { space: 'tiny', seed: 5 });
        const good = mnistFiles(300, 50);
        await page.setInputFiles('input[name=dataset-files]', good);
        const summary = await page.locator('[data-testid=dataset-summary]').textContent({ timeout: 30_000 });
        assert(/300 training and 50 test images of 28x28x1, 10 classes/.test(summary), `summary: ${summary}`);
        assert((await page.locator('select[name=space]').inputValue()) === 'fashion', 'a 28x28x1 dataset should pick the fashion space');
        assert(
          (await page.locator('select[name=dataset]').inputValue()) === 'user',
          'the dataset select should switch to the loaded files',
        );
        const truncated = [...good];
        truncated[0] = file('train-images-idx3-ubyte', idx([300, 28, 28], () => 1).subarray(0, 5000));
        await page.setInputFiles('input[name=dataset-files]', truncated);
        const idxError = await page.locator('[data-testid=dataset-error]').textContent({ timeout: 30_000 });
        console.log(`     ${idxError}`);
        assert(
          /train-images-idx3-ubyte/.test(idxError) && /truncated|expected|bytes/i.test(idxError),
          `the idx error should name the file and the truncation: ${idxError}`,
        );
        await page.setInputFiles('input[name=dataset-files]', [
          file('data_batch_1.bin', Buffer.alloc(3073 * 2 + 100)),
          file('test_batch.bin', Buffer.alloc(3073)),
        ]);
        const cifarError = await page
          .locator('[data-testid=dataset-error]')
          .filter({ hasText: /data_batch_1/ })
          .textContent({ timeout: 30_000 });
        console.log(`     ${cifarError}`);
        assert(/3073/.test(cifarError), `the CIFAR error should explain the record length: ${cifarError}`);
        // nothing of the session is lost: the earlier dataset and the settings stay
        assert((await page.locator('[data-testid=dataset-summary]').count()) === 1, 'the dataset loaded before should still be there');
        assert((await page.locator('input[name=seed]').inputValue()) === '5', 'the settings should be untouched');
        await screenshot(page, 'studio-dataset-errors.png', { fullPage: true, docs: true });
        await page.close();
      },
    ],
    ...accessTests({ root, artifacts, openStudio, fillForm, tiny, waitForRunEnd }),
    ...setupTests({ openStudio, fillForm, tiny }),
    ...chartTests({ openStudio, fillForm, tiny, waitForRunEnd, saveDownload }),
    ...compareRunsTests({ openStudio, fillForm, tiny, waitForRunEnd, saveDownload }),
    ...persistenceTests,
    ...hostileFileTests,
    [
      'without WebGPU, auto chooses wasm over webgl on SwiftShader, and with WebGPU (a SwiftShader adapter) still wasm, and says why',
      async () => {
        const plain = await launchBrowser({ webgpu: false });
        try {
          for (const [label, context, gpus] of [
            [
              'without the WebGPU flag',
              plain.context,
              /webgl runs on a software renderer here \(SwiftShader\), never faster than wasm; webgpu is not available/,
            ],
            [
              'with the WebGPU flag',
              browser.context,
              /webgpu and webgl run on a software renderer here \(SwiftShader\), never faster than wasm/,
            ],
          ]) {
            const page = await openStudio(context);
            await fillForm(page, oneAutoStep);
            await page.getByRole('button', { name: 'Start', exact: true }).click();
            await page.locator('[data-testid=backend-reason]').waitFor({ timeout: 120_000 });
            const reason = (await page.locator('[data-testid=backend-reason]').textContent()) ?? '';
            const badge = page.locator('[data-testid=backend]');
            const backend = await badge.getAttribute('data-backend');
            const threads = Number(await badge.getAttribute('data-threads'));
            const cores = await page.evaluate(() => navigator.hardwareConcurrency);
            console.log(`     ${label}: ${reason} · ${await badge.textContent()} (hardwareConcurrency ${cores})`);
            assert(backend === 'wasm', `${label}: auto chose ${backend}: ${reason}`);
            assert(gpus.test(reason), `${label}: the reason should say why no GPU backend was chosen: ${reason}`);
            // one thread per logical core, at most 8 (tfjs alone would run half the cores); the badge says how many
            const expected = Math.min(Math.max(cores, 1), 8);
            assert(
              threads === expected && reason.startsWith(`wasm, ${threads} thread`),
              `${label}: wasm should run ${expected} thread(s), the badge says ${threads}: ${reason}`,
            );
            assert((await badge.textContent()).includes(`${threads} thread`), 'the badge should show the thread count');
            assert((await page.locator('[data-testid=fallback-notice]').count()) === 0, 'auto choosing wasm is not a fallback');
            await waitForRunEnd(page, 300_000);
            if (context === plain.context) await page.screenshot({ path: join(artifacts, 'studio-auto-backend.png'), fullPage: true });
            await page.close();
          }
        } finally {
          await plain.close();
        }
      },
    ],
    [
      'auto probes once per browser and reuses the cached probe (software renderers probed as if hardware)',
      async () => {
        const plain = await launchBrowser({ webgpu: false });
        try {
          const page = await openStudio(plain.context);
          // the test switch: webgl on SwiftShader is probed like a GPU, with a tiny workload
          await page.evaluate(() => localStorage.setItem('nas-studio/probe-software-renderers', '1'));
          const started = Date.now();
          await fillForm(page, oneAutoStep);
          await page.getByRole('button', { name: 'Start', exact: true }).click();
          await page.locator('[data-testid=backend-reason]').waitFor({ timeout: 180_000 });
          const first = (await page.locator('[data-testid=backend-reason]').textContent()) ?? '';
          console.log(`     first run (${((Date.now() - started) / 1000).toFixed(1)} s to choose): ${first}`);
          assert(
            /faster here than webgl \((probe [\d.]+ s vs [\d.]+ s a step|no time in the probe)/.test(first) ||
              /^webgl.*faster here than wasm/.test(first),
            `the reason should give the probe's figures: ${first}`,
          );
          assert(!/cached/.test(first), 'the first choice comes from a new probe');
          await waitForRunEnd(page, 300_000);
          const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('nas-studio/backend-probes') ?? '{}'));
          const keys = Object.keys(stored);
          console.log(`     cached probe: ${JSON.stringify(stored)}`);
          assert(
            keys.length === 1 && /tiny@8\|cores=/.test(keys[0]) && stored[keys[0]].results.length === 2,
            `one probe of webgl and wasm should be cached: ${keys}`,
          );
          // a fresh page (a fresh worker) reads the cache instead of probing again
          await reloadStudio(page);
          await fillForm(page, oneAutoStep);
          await page.getByRole('button', { name: 'Start', exact: true }).click();
          // the reloaded page shows the first run until the new one has its backend
          await page
            .waitForFunction(() => /cached/.test(document.querySelector('[data-testid=backend-reason]')?.textContent ?? ''), null, {
              polling: 250,
              timeout: 120_000,
            })
            .catch(() => {});
          const second = (await page.locator('[data-testid=backend-reason]').textContent()) ?? '';
          console.log(`     after a reload: ${second}`);
          assert(/by the probe cached in this browser/.test(second), `the second choice should come from the cache: ${second}`);
          assert(second.split(':')[0] === first.split(':')[0], 'the cached probe should choose the same backend');
          await waitForRunEnd(page, 300_000);
          await page.close();
        } finally {
          await plain.close();
        }
      },
    ],
  ],
  join(artifacts, 'browser.json'),
);

await browser.close();
await kept.close();
preview.stop();
if (!ok) {
  console.log('--- browser console ---');
  console.log(consoleLines.slice(-40).join('\n'));
}
process.exit(ok ? 0 : 1);
