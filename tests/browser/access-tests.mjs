/**
 * Browser tests of issue 14's fixes, as a person meets them: shortcuts that refuse what Start
 * refuses and ask before starting or stopping work during a run, the new run shown on Start,
 * the shortcuts dialog's focus, the explorer by keyboard, the budget switch, readable subnet
 * details, contrast measured from the rendered colours in both themes, and the built folder
 * on a plain static host (no COOP/COEP headers). run.mjs passes its helpers in.
 */
import { join } from 'node:path';
import { measureContrast } from './contrast.mjs';
import { assert, launchBrowser } from './harness.mjs';
import { serveStatic } from './static-server.mjs';

export function accessTests({ root, artifacts, openStudio, fillForm, tiny, waitForRunEnd }) {
  const phase = (page) => page.locator('[data-testid=phase] strong').textContent();
  const state = (page, pick) => page.evaluate(pick);
  /** keys go to the page, not to the form field that has the focus */
  const blur = (page) => page.evaluate(() => document.activeElement?.blur());
  const activeTestId = (page) =>
    page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.textContent?.trim() ?? null);

  /** Checks the view in light and dark; returns a line per theme for the log. */
  async function checkContrast(page, where) {
    const lines = [];
    for (const theme of ['light', 'dark']) {
      await page.selectOption('select[aria-label=Theme]', theme);
      // charts drawn from computed styles repaint after the frame
      await page.waitForTimeout(300);
      const result = await page.evaluate(measureContrast);
      const low = (x) => (x ? `${x.ratio.toFixed(2)}:1 ${x.fg} on ${x.bg} (${x.what})` : 'none');
      lines.push(
        `${where}, ${theme}: ${result.text} texts, lowest ${low(result.lowestText)}; ${result.graphics} chart marks, lowest ${low(result.lowestGraphic)}`,
      );
      assert(
        result.failures.length === 0,
        `${where}, ${theme} theme: under the contrast threshold: ${JSON.stringify(result.failures.slice(0, 8))}`,
      );
    }
    return lines;
  }

  return [
    [
      'shortcuts: s and c refuse your own data with no files loaded, Start shows the new run, s and x ask first while a run trains, the ? dialog takes and returns the focus',
      async () => {
        // a browser of its own: it counts runs from an empty library, and earlier tests leave theirs
        const fresh = await launchBrowser();
        try {
          const page = await openStudio(fresh.context);
          // (a) "your own" data, nothing loaded: the keys start nothing and the reason is on screen
          await page.selectOption('select[name=dataset]', 'user');
          await blur(page);
          for (const key of ['s', 'c']) {
            await page.keyboard.press('1');
            await page.keyboard.press('2');
            await page.keyboard.press(key);
            const problems = await page.locator('[data-testid=settings-problems]').textContent({ timeout: 5000 });
            assert(/Load your dataset files first/.test(problems), `after ${key} the Setup view should say why: ${problems}`);
            assert(
              (await state(page, () => window.nasStudio.store.getState().runOrder.length)) === 0,
              `${key} must not start a run on Fashion-MNIST`,
            );
          }
          // the controller refuses too, whoever calls it
          const refused = await page.evaluate(() => {
            try {
              window.nasStudio.controller.startRun(window.nasStudio.store.getState().settings);
              return 'started';
            } catch (error) {
              return error.message;
            }
          });
          assert(/Load your dataset files first/.test(refused), `the controller should refuse: ${refused}`);
          console.log(`     s and c with no files: ${refused}`);

          // (d) the dialog takes the focus, keeps Tab inside and gives the focus back
          await page.selectOption('select[name=dataset]', 'fashion-mnist');
          // long enough to be in progress through the shortcuts below (each run is stopped)
          await fillForm(page, { ...tiny, epochs: 100, stepsPerEpoch: 4, ranges: 1, perRange: 1 });
          await page.locator('[data-testid=start]').focus();
          await page.keyboard.press('?');
          await page.locator('[data-testid=shortcuts]').waitFor({ timeout: 5000 });
          assert(await page.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null), 'the dialog should take the focus');
          for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
          assert(await page.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null), 'Tab should stay in the dialog');
          await page.keyboard.press('Escape');
          await page.locator('[data-testid=shortcuts]').waitFor({ state: 'detached', timeout: 5000 });
          assert((await activeTestId(page)) === 'start', `the focus should return to Start, it is on ${await activeTestId(page)}`);

          // (b, c) a run trains; x asks first, and Escape keeps it training
          await page.locator('[data-testid=start]').click();
          await page
            .locator('[data-testid=phase] strong')
            .filter({ hasText: /running/ })
            .waitFor({ timeout: 180_000 });
          const first = await state(page, () => window.nasStudio.store.getState().runOrder[0]);
          await blur(page);
          await page.keyboard.press('x');
          const dialog = page.locator('[data-testid=confirm-dialog]');
          await dialog.waitFor({ timeout: 5000 });
          console.log(`     x while training asks: ${await dialog.locator('p').textContent()}`);
          assert((await activeTestId(page)) === 'Cancel', `the safe answer should have the focus, not ${await activeTestId(page)}`);
          await page.keyboard.press('Escape');
          await dialog.waitFor({ state: 'detached', timeout: 5000 });
          assert((await phase(page)) === 'running', 'Escape should leave the run training');
          // s asks before queueing; the queued run is the one the Train view then shows, even after picking the first run
          await page.keyboard.press('s');
          await dialog.waitFor({ timeout: 5000 });
          await dialog.locator('[data-testid=confirm-yes]').click();
          await page.locator('.run-picker button').first().click();
          await blur(page);
          await page.keyboard.press('s');
          await dialog.locator('[data-testid=confirm-yes]').click();
          const { order, selected } = await state(page, () => ({
            order: window.nasStudio.store.getState().runOrder,
            selected: window.nasStudio.store.getState().selectedRunId,
          }));
          assert(
            order.length === 3 && selected === order[2],
            `the Train view should follow the newest run: ${JSON.stringify({ order, selected })}`,
          );
          assert((await phase(page)) === 'queued', `the Train view should show the queued run, it shows ${await phase(page)}`);
          // x with confirmation stops the run in progress, each in turn
          for (let i = 0; i < 3; i++) {
            // between runs nothing is in progress, and x has nothing to ask about
            await page.waitForFunction(
              () => Object.values(window.nasStudio.store.getState().runs).some((r) => r.phase === 'running'),
              null,
              { timeout: 180_000 },
            );
            await blur(page);
            await page.keyboard.press('x');
            await dialog.locator('[data-testid=confirm-yes]').click({ timeout: 60_000 });
            await page.waitForFunction(
              (n) =>
                Object.values(window.nasStudio.store.getState().runs).filter((r) => ['stopped', 'done', 'failed'].includes(r.phase))
                  .length > n,
              i,
              { timeout: 180_000 },
            );
          }
          const phases = await state(page, () =>
            window.nasStudio.store.getState().runOrder.map((id) => window.nasStudio.store.getState().runs[id].phase),
          );
          console.log(`     after three confirmed stops: ${phases.join(', ')} (first run ${first})`);
          assert(
            phases.every((p) => p === 'stopped'),
            `every run should have stopped: ${phases}`,
          );
        } finally {
          await fresh.close();
        }
      },
    ],
    [
      'contrast and keyboard: text at 4.5:1 and chart colours at 3:1 in both themes; the Pareto points and front rows by keyboard; the budget turns off; subnet details in words',
      async () => {
        const page = await openStudio();
        const lines = await checkContrast(page, 'Setup');
        await fillForm(page, { ...tiny, epochs: 1, stepsPerEpoch: 2, ranges: 2, perRange: 2, k: 2, sampler: 'bestup' });
        await page.getByRole('button', { name: 'Compare samplers' }).click();
        for (const sampler of ['uniform', 'bestup', 'worstup'])
          await page.locator(`[data-testid=compare-run][data-sampler=${sampler}][data-phase=done]`).waitFor({ timeout: 540_000 });
        lines.push(...(await checkContrast(page, 'Compare')));
        await page.keyboard.press('2');
        await page.locator('[data-testid=range-boxes]').waitFor({ timeout: 10_000 });
        lines.push(...(await checkContrast(page, 'Train')));
        await page.screenshot({ path: join(artifacts, 'studio-train-dark.png'), fullPage: true });

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
        // the scatter takes the focus; the arrows choose subnets and open their details
        const scatter = page.locator('[data-testid=pareto-scatter]');
        await scatter.focus();
        await page.keyboard.press('Home');
        const details = page.locator('[data-testid=subnet-details]');
        await details.waitFor({ timeout: 10_000 });
        const smallest = await details.getAttribute('data-key');
        await page.keyboard.press('ArrowRight');
        const next = await details.getAttribute('data-key');
        assert(smallest !== next, 'ArrowRight should move to another subnet');
        const readout = await page.locator('[data-testid=pareto-readout]').textContent();
        assert(/^subnet 2 of \d+: [\d.]+ M MACs/.test(readout), `the readout should describe the point: ${readout}`);
        await page.keyboard.press('ArrowUp');
        const onFront = await details.getAttribute('data-key');
        const frontKeys = await page
          .locator('[data-testid=front-table] tbody tr')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
        assert(frontKeys.includes(onFront), 'ArrowUp should land on the front');
        console.log(`     scatter by keyboard: ${readout} · then ${await page.locator('[data-testid=pareto-readout]').textContent()}`);
        // a front row by Tab focus and Enter
        const lastRow = page.locator('[data-testid=front-table] tbody tr').last();
        await lastRow.focus();
        await page.keyboard.press('Enter');
        assert(
          (await details.getAttribute('data-key')) === (await lastRow.getAttribute('data-key')),
          'Enter on a front row should show its subnet',
        );
        // the details speak plainly; the JSON is folded away
        const origin = await details.locator('[data-testid=detail-origin]').textContent();
        assert(
          /^generation \d+: (the smallest subnet|a random subnet|a mutation|a crossover)/.test(origin) && !/ by /.test(origin),
          `origin in words: ${origin}`,
        );
        assert((await details.locator('[data-testid=subnet-stages] tbody tr').count()) >= 2, 'a row per stage');
        assert(!(await details.locator('[data-testid=detail-encoding]').isVisible()), 'the raw JSON should be folded');
        // the budget: off, on, and off again
        const label = page.locator('[data-testid=budget-label]');
        assert(
          /^No budget/.test(await label.textContent()) && (await page.locator('[data-testid=budget-slider]').isDisabled()),
          'no budget at first',
        );
        await page.locator('[data-testid=budget-toggle]').check();
        assert(/^Budget [\d.]+ M MACs/.test(await label.textContent()), `budget on: ${await label.textContent()}`);
        await page.locator('[data-testid=budget-toggle]').uncheck();
        assert(/^No budget/.test(await label.textContent()), `budget off again: ${await label.textContent()}`);
        await page.locator('[data-testid=budget-toggle]').check();
        lines.push(...(await checkContrast(page, 'Explore')));
        await page.screenshot({ path: join(artifacts, 'studio-explore-dark.png'), fullPage: true });
        for (const line of lines) console.log(`     ${line}`);
        // the theme is kept per browser: the tests after this one start from auto again
        await page.selectOption('select[aria-label=Theme]', 'auto');
        await page.close();
      },
    ],
    [
      'a plain static host: the built folder under a sub-path, no COOP/COEP headers, trains (isolated by the service worker; one wasm thread, said, where service workers are blocked)',
      async () => {
        const host = await serveStatic(join(root, 'dist'), '/nas-studio/');
        const settings = { ...tiny, backend: 'wasm', epochs: 1, stepsPerEpoch: 2, ranges: 1, perRange: 1 };
        try {
          for (const serviceWorkers of ['allow', 'block']) {
            const browser = await launchBrowser({ webgpu: false, serviceWorkers });
            try {
              const page = await browser.context.newPage();
              await page.goto(host.url, { waitUntil: 'commit' });
              // with service workers the page reloads once, under the worker
              if (serviceWorkers === 'allow') await page.waitForFunction(() => window.crossOriginIsolated, null, { timeout: 60_000 });
              await page.getByRole('button', { name: 'Start', exact: true }).waitFor({ timeout: 60_000 });
              const isolated = await page.evaluate(() => window.crossOriginIsolated);
              const notice = await page.locator('[data-testid=isolation-notice]').count();
              assert(
                isolated === (serviceWorkers === 'allow'),
                `crossOriginIsolated is ${isolated} with service workers ${serviceWorkers}`,
              );
              assert(notice === (isolated ? 0 : 1), `the one-thread notice should show exactly when the page is not isolated (${notice})`);
              await fillForm(page, settings);
              await page.getByRole('button', { name: 'Start', exact: true }).click();
              await waitForRunEnd(page, 300_000);
              const badge = await page.locator('[data-testid=backend]').textContent();
              console.log(
                `     service workers ${serviceWorkers}: crossOriginIsolated ${isolated}; ${badge}${notice ? `; notice: ${await page.locator('[data-testid=isolation-notice] p').textContent()}` : ''}`,
              );
              assert(
                /WebAssembly/.test(badge) && /no thread support/.test(badge) === !isolated,
                `the badge should say whether wasm has threads: ${badge}`,
              );
              if (!isolated) await page.screenshot({ path: join(artifacts, 'studio-not-isolated.png') });
              await page.close();
            } finally {
              await browser.close();
            }
          }
        } finally {
          await host.stop();
        }
      },
    ],
  ];
}
