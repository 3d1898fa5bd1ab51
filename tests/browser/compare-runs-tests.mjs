/**
 * Browser test of comparing any finished runs on the Runs view (issue 14, item 5), as a person
 * does it: train two tiny runs that differ in sampler and learning rate, tick both on the Runs
 * view, compare them, and read the overlaid loss curves, the box plots per range, the table of
 * differences and the settings with the differing fields marked. run.mjs passes its helpers in.
 */
import { readFileSync } from 'node:fs';
import { assert, launchBrowser } from './harness.mjs';
import { screenshot } from './screenshots.mjs';

export function compareRunsTests({ openStudio, fillForm, tiny, waitForRunEnd, saveDownload }) {
  return [
    [
      'compare any runs: two finished runs ticked on the Runs view show overlaid losses, boxes per range, differences and their differing settings',
      async () => {
        // a browser of its own: it expects exactly its two runs in the library, and earlier tests leave theirs
        const fresh = await launchBrowser();
        try {
          const page = await openStudio(fresh.context);
          // wasm: two short runs, and the webgpu adapter here is a software one
          const base = { ...tiny, backend: 'wasm', epochs: 1, stepsPerEpoch: 3, ranges: 2, perRange: 2 };
          for (const settings of [base, { ...base, sampler: 'bestup', learningRate: 0.2 }]) {
            await fillForm(page, settings);
            await page.getByRole('button', { name: 'Start', exact: true }).click();
            await waitForRunEnd(page);
            await page.getByRole('button', { name: 'Setup', exact: true }).click();
          }
          await page.getByRole('button', { name: 'Runs', exact: true }).click();
          const picks = page.locator('[data-testid=pick-run]');
          assert((await picks.count()) === 2, `both finished runs should be pickable, saw ${await picks.count()}`);
          const compare = page.locator('[data-testid=compare-picked]');
          assert(await compare.isDisabled(), 'comparing needs two ticked runs');
          // the older run (listed first) ticked first: it becomes the reference
          await picks.nth(0).check();
          await picks.nth(1).check();
          await screenshot(page, 'studio-runs.png', { docs: true });
          await compare.click();
          const view = page.locator('[data-testid=runs-comparison]');
          await view.waitFor({ timeout: 10_000 });

          const chart = view.locator('[data-testid=runs-loss-chart]');
          await chart.locator('canvas').first().waitFor({ timeout: 10_000 });
          assert(
            (await chart.getAttribute('data-series')) === '2' && (await chart.getAttribute('data-points')) === '3',
            `the loss overlay should hold 2 runs of 3 steps: ${await chart.getAttribute('data-series')} / ${await chart.getAttribute('data-points')}`,
          );
          const over = chart.locator('.u-over');
          const box = await over.boundingBox();
          await over.hover({ position: { x: box.width * 0.98, y: box.height / 2 } });
          const readout = await view.locator('.chart-readout').textContent();
          assert(/^step 3 · 1: .* \d\.\d{4} · 2: .* \d\.\d{4}$/.test(readout), `hover should read out both runs' losses: ${readout}`);

          const boxes = view.locator('[data-testid=boxplot]');
          assert((await boxes.getAttribute('data-groups')) === '2', `box plots for 2 ranges: ${await boxes.getAttribute('data-groups')}`);
          const rows = await view.locator('[data-testid=runs-differences] tbody tr').allTextContents();
          assert(rows.length === 4, `2 range rows and the largest and smallest subnets: ${JSON.stringify(rows)}`);
          assert(
            /largest subnet test top-1\d+\.\d%\d+\.\d%[-+]\d+\.\d/.test(rows[2]),
            `the largest subnet's row should give both accuracies and the difference: ${rows[2]}`,
          );
          const differing = await view
            .locator('[data-testid=runs-settings] tr[data-differs=true]')
            .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-setting')));
          assert(
            differing.includes('sampler') && differing.includes('learningRate') && !differing.includes('space'),
            `sampler and learning rate differ, the space does not: ${differing}`,
          );
          assert(
            (await view.locator('[data-testid=runs-comparison-warning]').count()) === 0,
            'runs of one space and dataset need no warning',
          );
          console.log(`     ${rows.join(' | ')}; differing: ${differing.join(', ')}`);

          const menu = view.locator('[data-testid=export-compared-runs-differences]');
          await menu.locator('summary').click();
          const csv = readFileSync(await saveDownload(page, () => menu.getByRole('button', { name: 'CSV', exact: true }).click()), 'utf8');
          assert(
            /^row,1: .* accuracy,2: .* accuracy,2: .* minus 1 \(points\)\r\n/.test(csv) && csv.split('\r\n').length === 6,
            `the differences CSV: ${csv}`,
          );
          await screenshot(page, 'studio-compare-runs.png', { fullPage: true, docs: true });

          // a run of another space can still be compared, under a warning that says what differs
          await page.getByRole('button', { name: 'Setup', exact: true }).click();
          await fillForm(page, { ...base, space: 'quick', trainSubset: 32, stepsPerEpoch: 1, ranges: 1, perRange: 1 });
          const problems = page.locator('[data-testid=settings-problems]');
          assert((await problems.count()) === 0, `the quick-space run should start: ${await problems.allTextContents()}`);
          await page.getByRole('button', { name: 'Start', exact: true }).click();
          await waitForRunEnd(page);
          await page.getByRole('button', { name: 'Runs', exact: true }).click();
          // the ticks are the Runs view's own: leaving the view cleared them
          for (const i of [0, 1, 2]) await page.locator('[data-testid=pick-run]').nth(i).check();
          await page.locator('[data-testid=compare-picked]').click();
          const warning = await page.locator('[data-testid=runs-comparison-warning]').textContent({ timeout: 10_000 });
          assert(
            /space: tiny vs quick/.test(warning) && /training subset: 64 images vs 32 images/.test(warning),
            `the warning should say what differs: ${warning}`,
          );
          assert((await page.locator('[data-testid=runs-comparison]').getAttribute('data-runs')) === '3', 'three runs compared');
        } finally {
          await fresh.close();
        }
      },
    ],
  ];
}
