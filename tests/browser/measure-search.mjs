/**
 * Measures the in-browser evolutionary search on a trained supernet, used as a person would:
 * open the studio, choose the backend on the Setup view, import a run file on the Runs view,
 * open the explorer, search, wait. Not part of `npm test` (it takes minutes to tens of minutes).
 *
 *   npm run export-run -- --results docs/results/fashion-3ep-seed1.json --checkpoint runs/fashion-3ep-seed1.ckpt --out runs/fashion-3ep-seed1.nasrun
 *   npm run build            # or: npx vite build --outDir /tmp/dist-measure --emptyOutDir, then --dist /tmp/dist-measure
 *   npm run measure:browser-search -- --file runs/fashion-3ep-seed1.nasrun --backend wasm \
 *     --population 8 --generations 2 --mutations 4 --crossovers 4 --validation-images 1000 --calibration-batches 4
 *
 * Prints the backend used, the wall time from the click to the end, evaluations and seconds per
 * evaluation, the hypervolume by generation and the front; writes them to
 * test-artifacts/browser-search-<backend>.json with a screenshot beside it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startPreview } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = join(root, 'test-artifacts');

const usage = `usage: npm run measure:browser-search -- --file F.nasrun [options]
  --file F                  the run file to import (required)
  --backend B               auto|webgpu|webgl|wasm|cpu, chosen on the Setup view (default wasm)
  --population N --generations N --mutations N --crossovers N
  --validation-images N --calibration-batches N
  --fitness supernet|predictor   (default: the explorer's, supernet)
  --dist DIR                the built app to serve (default dist/)
  --timeout-min M           press Stop search after M minutes of searching (default 40)
  --stop-wait-min M         then wait at most M minutes for it to stop (default 3; the search
                            stops between generations only) and report what it had so far
  --tag T                   artifact names browser-search-<tag> (default: the backend)`;

function parseArgs(argv) {
  const args = new Map();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) throw new Error(`unexpected argument "${token}"\n${usage}`);
    if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args.set(token.slice(2), argv[++i]);
    else args.set(token.slice(2), 'true');
  }
  const known = [
    'file',
    'backend',
    'population',
    'generations',
    'mutations',
    'crossovers',
    'validation-images',
    'calibration-batches',
    'fitness',
    'dist',
    'timeout-min',
    'stop-wait-min',
    'tag',
    'help',
  ];
  for (const name of args.keys()) if (!known.includes(name)) throw new Error(`unknown option --${name}\n${usage}`);
  return args;
}

const args = parseArgs(process.argv.slice(2));
if (args.has('help')) {
  console.log(usage);
  process.exit(0);
}
const file = args.get('file');
if (!file) throw new Error(`--file is required\n${usage}`);
const filePath = isAbsolute(file) ? file : join(process.cwd(), file);
const backend = args.get('backend') ?? 'wasm';
const tag = args.get('tag') ?? backend;
const timeoutMs = Number(args.get('timeout-min') ?? 40) * 60_000;
const stopWaitMs = Number(args.get('stop-wait-min') ?? 3) * 60_000;
const form = Object.fromEntries(
  [
    ['population', 'search-population'],
    ['generations', 'search-generations'],
    ['mutations', 'search-mutations'],
    ['crossovers', 'search-crossovers'],
    ['validation-images', 'search-validationImages'],
    ['calibration-batches', 'search-calibrationBatches'],
  ]
    .filter(([flag]) => args.has(flag))
    .map(([flag, field]) => {
      const value = Number(args.get(flag));
      if (!Number.isInteger(value) || value < 0) throw new Error(`--${flag} must be a whole number, got "${args.get(flag)}"`);
      return [field, value];
    }),
);

mkdirSync(artifacts, { recursive: true });
const dist = args.get('dist');
const preview = await startPreview(root, dist ? { outDir: isAbsolute(dist) ? dist : join(root, dist) } : {});
const browser = await launchBrowser();
const consoleLines = [];
const seconds = (ms) => Math.round(ms / 100) / 10;
const elapsed = (from) => `${seconds(Date.now() - from)} s`;

try {
  const page = await browser.context.newPage();
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  const opened = Date.now();
  page.on('crash', () => console.log(`  the page crashed ${elapsed(opened)} after it opened`));
  browser.context.on('close', () => console.log(`  the browser closed ${elapsed(opened)} after the page opened`));
  await page.goto(preview.url, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Start', exact: true }).waitFor({ timeout: 60_000 });
  console.log(`studio open (${elapsed(opened)}) at ${preview.url}${dist ? ` serving ${dist}` : ''}`);

  // the search runs on the backend chosen on the Setup view
  await page.locator('select[name=backend]').selectOption(backend);

  const imported = Date.now();
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await page.setInputFiles('input[name=run-file]', filePath);
  await page.locator('[data-testid=import-ok], [data-testid=import-error]').first().waitFor({ timeout: 180_000 });
  if (await page.locator('[data-testid=import-error]').count())
    throw new Error(`import failed: ${await page.locator('[data-testid=import-error]').textContent()}`);
  console.log(
    `${await page.locator('[data-testid=import-ok]').textContent()} (${elapsed(imported)}, ${(readFileSync(filePath).length / 1024 / 1024).toFixed(2)} MiB)`,
  );

  // the imported run's own Explore button (the tab of the same name would do in a fresh profile)
  await page.getByTestId('runs-table').getByRole('button', { name: 'Explore' }).first().click();
  await page.locator('[data-testid=search-start]').waitFor({ timeout: 30_000 });
  for (const [name, value] of Object.entries(form)) await page.fill(`input[name=${name}]`, String(value));
  if (args.has('fitness')) await page.locator('select[name=search-fitness]').selectOption(args.get('fitness'));
  const formValues = await page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('input[name^=search-], select[name^=search-]')].map((e) => [e.name.slice(7), e.value]),
    ),
  );
  console.log(`search form: ${JSON.stringify(formValues)}, backend setting ${backend}`);

  // when each generation and each evaluation arrives, timed in the page
  await page.evaluate(() => {
    const store = window.nasStudio.store;
    window.__generationTimes = [];
    window.__progressTimes = [];
    let seen = 0;
    let lastProgress = '';
    store.subscribe((state) => {
      const search = Object.values(state.searches)[0];
      if (!search) return;
      while (seen < search.generations.length)
        window.__generationTimes.push({ generation: search.generations[seen++].generation, at: performance.now() });
      const progress = search.progress ? `${search.progress.done}/${search.progress.total}` : '';
      if (progress && progress !== lastProgress)
        window.__progressTimes.push({ generation: search.generations.length, progress, at: performance.now() });
      lastProgress = progress;
    });
  });
  const clickedAt = await page.evaluate(() => performance.now());
  const started = Date.now();
  await page.locator('[data-testid=search-start]').click();

  let lastStatus = '';
  let lastPrint = 0;
  let stopNote = null;
  for (;;) {
    const status = page.locator('[data-testid=search-status]');
    const phase = (await status.count()) ? await status.getAttribute('data-phase') : null;
    const text = (await status.count()) ? ((await status.textContent()) ?? '') : '';
    if (phase && phase !== 'running') break;
    if (text !== lastStatus && Date.now() - lastPrint > 30_000) {
      console.log(`  ${elapsed(started)}: ${text}`);
      lastStatus = text;
      lastPrint = Date.now();
    }
    if (Date.now() - started > timeoutMs) {
      console.log(`  stopping: ${seconds(timeoutMs)} s passed (${text})`);
      await page.getByRole('button', { name: 'Stop search' }).click();
      const pressed = Date.now();
      try {
        await page.locator('[data-testid=search-status]:not([data-phase=running])').waitFor({ timeout: stopWaitMs });
        stopNote = `Stop search pressed after ${seconds(timeoutMs)} s; the search ended ${elapsed(pressed)} later`;
      } catch {
        stopNote = `Stop search pressed after ${seconds(timeoutMs)} s; still running ${elapsed(pressed)} later (it stops between generations only): reporting what it had`;
      }
      console.log(`  ${stopNote}`);
      break;
    }
    await page.waitForTimeout(2000);
  }
  const wallSeconds = (Date.now() - started) / 1000;
  const statusText = await page.locator('[data-testid=search-status]').textContent();
  const phase = await page.locator('[data-testid=search-status]').getAttribute('data-phase');

  const state = await page.evaluate(() => {
    const s = window.nasStudio.store.getState();
    const search = Object.values(s.searches)[0];
    const run = s.runs[search.runId];
    return {
      run: { id: run.id, name: run.name, label: run.label, step: run.checkpoint?.step, epochs: run.epochs.length, log: run.log.slice(-12) },
      phase: search.phase,
      error: search.error,
      config: search.config,
      generations: search.generations,
      evaluated: search.evaluated.map((e) => ({
        key: e.key,
        macs: e.macs,
        params: e.params,
        accuracy: e.accuracy,
        generation: e.generation,
        origin: e.origin,
      })),
      front: search.front.map((e) => ({
        key: e.key,
        macs: e.macs,
        params: e.params,
        accuracy: e.accuracy,
        generation: e.generation,
        origin: e.origin,
      })),
      results: search.results && {
        backend: search.results.backend,
        config: search.results.config,
        window: search.results.window,
        generations: search.results.generations,
        hypervolume: search.results.hypervolume,
        timing: search.results.timing,
        stopped: search.results.stopped,
        refinedFront: search.results.refinedFront.map((e) => ({ key: e.key, macs: e.macs, params: e.params, accuracy: e.accuracy })),
      },
      generationTimes: window.__generationTimes,
      progressTimes: window.__progressTimes,
    };
  });
  const frontRows = await page
    .locator('[data-testid=front-table] tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent.trim())));
  const scatter = page.locator('[data-testid=pareto-scatter]');
  const points = Number(await scatter.getAttribute('data-points'));
  const frontSize = Number(await scatter.getAttribute('data-front'));
  const screenshot = join(artifacts, `browser-search-${tag}.png`);
  await page.screenshot({ path: screenshot, fullPage: true });

  // a search stopped before it ended has no results: count the evaluations the page saw finish
  const evaluations = state.results?.timing.realEvaluations ?? Math.max(state.evaluated.length, state.progressTimes.length);
  const lastEvaluationSeconds = state.progressTimes.length ? (state.progressTimes.at(-1).at - clickedAt) / 1000 : null;
  const generationWall = state.generationTimes.map((g) => ({ generation: g.generation, secondsAfterClick: seconds(g.at - clickedAt) }));
  const report = {
    file: basename(filePath),
    backendRequested: backend,
    backendUsed: state.results?.backend ?? null,
    phase,
    error: state.error,
    stopNote,
    status: statusText,
    config: state.results?.config ?? state.config,
    wallSeconds: seconds(wallSeconds * 1000),
    searchSeconds: state.results?.timing.seconds ?? null,
    evaluations,
    secondsPerEvaluation: evaluations
      ? Math.round(((state.results ? wallSeconds : (lastEvaluationSeconds ?? wallSeconds)) / evaluations) * 1000) / 1000
      : null,
    msPerRealEvaluation: state.results?.timing.msPerRealEvaluation ?? null,
    points,
    frontSize,
    hypervolume: state.results?.hypervolume ?? state.generations.at(-1)?.hypervolume ?? null,
    generations: (state.results?.generations ?? state.generations).map((g) => ({
      ...g,
      wallSecondsAfterClick: generationWall.find((w) => w.generation === g.generation)?.secondsAfterClick ?? null,
    })),
    front: state.front,
    evaluated: state.evaluated,
    evaluationsWall: state.progressTimes.map((p) => ({
      generation: p.generation,
      progress: p.progress,
      secondsAfterClick: seconds(p.at - clickedAt),
    })),
    frontTable: frontRows.map(([macs, params, accuracy]) => ({ macs, params, accuracy })),
    run: state.run,
    console: consoleLines.filter((l) => /error|warn/i.test(l)).slice(-30),
    measuredAt: new Date().toISOString(),
  };
  const out = join(artifacts, `browser-search-${tag}.json`);
  writeFileSync(out, JSON.stringify(report, null, 1));

  console.log(`\nsearch ${phase}: ${statusText}`);
  if (state.error) console.log(`error: ${state.error}`);
  const used = report.backendUsed;
  console.log(
    `backend: ${used ? `${used.name} (${used.adapter})${used.fallbacks.length ? `, after ${used.fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; ')}` : ''}` : 'unknown (no results)'} [requested ${backend}]`,
  );
  console.log(`wall time from the click: ${report.wallSeconds} s (the search itself reports ${report.searchSeconds ?? '-'} s)`);
  console.log(
    `evaluations: ${evaluations} real (${points} subnets on the chart), ${report.secondsPerEvaluation ?? '-'} s each by wall time${state.results ? '' : ' (click to the last finished evaluation)'}, ${report.msPerRealEvaluation?.toFixed(0) ?? '-'} ms each by the search's own timing`,
  );
  if (!state.results)
    console.log(`evaluations finished at (s after the click): ${report.evaluationsWall.map((e) => e.secondsAfterClick).join(', ')}`);
  console.log('hypervolume by generation:');
  for (const g of report.generations) {
    console.log(
      `  gen ${g.generation}: ${g.hypervolume.toFixed(4)} (front ${g.frontSize}, ${g.totalEvaluations} evaluations${g.seconds !== undefined ? `, ${g.seconds.toFixed(1)} s into the search` : ''}${g.wallSecondsAfterClick !== null ? `, ${g.wallSecondsAfterClick} s after the click` : ''})`,
    );
  }
  console.log(`front (${report.frontTable.length} subnets):\n  M MACs    params     val top-1`);
  for (const row of report.frontTable) console.log(`  ${row.macs.padStart(6)}  ${row.params.padStart(8)}  ${row.accuracy.padStart(9)}`);
  console.log(`\n${out}\n${screenshot}`);
  if (phase !== 'done') process.exitCode = 1;
  await page.close();
} catch (error) {
  console.log(`FAILED: ${error?.stack ?? error}`);
  if (consoleLines.length) console.log(`browser console (last lines):\n${consoleLines.slice(-20).join('\n')}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  preview.stop();
}
