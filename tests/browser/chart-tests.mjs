/**
 * Browser tests of the charts and exports (issue 14, items 3 and 4), as a person uses them:
 * hover the loss chart and read the step's losses, switch it to a log scale, smooth it, zoom
 * and reset; download the steps as CSV from the export menu and check the rows; export a
 * subnet as one zip and check the four files in it (the explorer test in run.mjs); download the
 * run's HTML report and check its figures are embedded. run.mjs passes its helpers in.
 */
import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { assert } from './harness.mjs';

export function chartTests({ openStudio, fillForm, tiny, waitForRunEnd, saveDownload }) {
  /** Chooses `format` in the export menu of the element matched by `within`, returns the saved path. */
  async function exportFrom(page, within, format) {
    const menu = page.locator(within).locator('details.export-menu').first();
    await menu.locator('summary').click();
    return saveDownload(page, () => menu.getByRole('button', { name: format, exact: true }).click());
  }

  return [
    [
      'charts: hovering the loss chart reads out the step, log scale, smoothing and the theme redraw it, zoom resets, the steps download as CSV, JSON and PNG and the run as an HTML report',
      async () => {
        const page = await openStudio();
        // 64 images in batches of 16: 4 steps
        await fillForm(page, { ...tiny, epochs: 1, stepsPerEpoch: 4, ranges: 2, perRange: 2 });
        await page.getByRole('button', { name: 'Start', exact: true }).click();
        await waitForRunEnd(page);
        const chart = page.locator('[data-testid=loss-chart]');
        await chart.locator('canvas').first().waitFor({ timeout: 10_000 });
        const over = chart.locator('.u-over');
        const box = await over.boundingBox();
        assert(box && box.width > 100, 'the loss chart should have a plot area');
        const readout = page.locator('[data-testid=loss-readout]');
        await over.hover({ position: { x: box.width * 0.98, y: box.height / 2 } });
        const lastStep = Number(await chart.getAttribute('data-points'));
        await page
          .waitForFunction(
            (n) =>
              new RegExp(`^step ${n} · largest \\d+\\.\\d{4}`).test(
                document.querySelector('[data-testid=loss-readout]')?.textContent ?? '',
              ),
            lastStep,
            { timeout: 5000 },
          )
          .catch(async () => assert(false, `hovering the last step read out: ${await readout.textContent()}`));
        console.log(`     hover: ${await readout.textContent()}`);
        // the y axis is titled and its ticks are even (1-2-5 steps, not 2.303, 2.280, ...)
        await page.locator('[data-testid=loss-log]').check();
        await page.waitForFunction(() => document.querySelector('[data-testid=loss-chart]')?.getAttribute('data-log') === 'true');
        await over.hover({ position: { x: 5, y: box.height / 2 } });
        await page.waitForFunction(() => /^step 1 · /.test(document.querySelector('[data-testid=loss-readout]')?.textContent ?? ''), null, {
          timeout: 5000,
        });
        await page.locator('[data-testid=loss-smoothing]').fill('0');
        await over.hover({ position: { x: box.width * 0.5, y: box.height / 2 } });
        await page.waitForFunction(
          () => /largest \d+\.\d{4} · smallest \d+\.\d{4}$/.test(document.querySelector('[data-testid=loss-readout]')?.textContent ?? ''),
          null,
          { timeout: 5000 },
        );
        // drag to zoom, then reset
        await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
        await page.mouse.up();
        await page.getByRole('button', { name: 'Reset zoom' }).first().click();
        await page.getByRole('button', { name: 'Reset zoom' }).waitFor({ state: 'detached', timeout: 5000 });
        // a theme change redraws the canvas charts in the new colours (axis text, grid)
        const pixels = () => page.evaluate(() => document.querySelector('[data-testid=loss-chart] canvas').toDataURL());
        await page.selectOption('select[aria-label=Theme]', 'light');
        await page.waitForTimeout(300);
        const light = await pixels();
        await page.selectOption('select[aria-label=Theme]', 'dark');
        await page
          .waitForFunction((before) => document.querySelector('[data-testid=loss-chart] canvas').toDataURL() !== before, light, {
            timeout: 5000,
          })
          .catch(() => assert(false, 'the loss chart was not redrawn for the dark theme'));
        await page.selectOption('select[aria-label=Theme]', 'light');
        // the strip has its readout too
        // a theme change rebuilds the uPlot charts, so poll until the strip's plot area is back:
        // boundingBox does not wait, and a waitFor alone can see the old chart just before the
        // rebuild detaches it (boundingBox read null after it in two test runs)
        const strip = page.locator('[data-testid=subnet-strip] .u-over');
        let stripBox = null;
        for (const until = Date.now() + 10_000; Date.now() < until && !(stripBox?.width > 50); await page.waitForTimeout(100)) {
          stripBox = await strip.boundingBox({ timeout: 1000 }).catch(() => null);
        }
        assert(stripBox && stripBox.width > 50, 'the subnet strip should have a plot area');
        await strip.hover({ position: { x: stripBox.width * 0.98, y: stripBox.height / 2 } });
        await page.waitForFunction(
          () => /^step \d+ · largest [\d.]+M/.test(document.querySelector('[data-testid=strip-readout]')?.textContent ?? ''),
          null,
          { timeout: 5000 },
        );

        const csvPath = await exportFrom(page, 'figure:has([data-testid=loss-chart])', 'CSV');
        const lines = readFileSync(csvPath, 'utf8').trimEnd().split('\r\n');
        assert(lines[0] === 'step,lr,slot,role,macs,loss,prior_bin,target_bin', `CSV header: ${lines[0]}`);
        const rows = lines.slice(1).map((l) => l.split(','));
        const steps = new Set(rows.map((r) => r[0]));
        assert(
          steps.size === lastStep && rows.length >= 2 * lastStep,
          `expected ${lastStep} steps of 2 or more subnets, saw ${rows.length} rows over ${steps.size} steps`,
        );
        assert(
          rows.every((r) => Number.isFinite(Number(r[5])) && r[5] !== ''),
          'every loss should be a number',
        );
        const jsonPath = await exportFrom(page, 'figure:has([data-testid=loss-chart])', 'JSON');
        const records = JSON.parse(readFileSync(jsonPath, 'utf8'));
        assert(
          records.length === rows.length && records[0].role === 'largest',
          `JSON should hold the same ${rows.length} rows: ${records.length}`,
        );
        const pngPath = await exportFrom(page, 'figure:has([data-testid=loss-chart])', 'PNG');
        const png = readFileSync(pngPath);
        assert(png.subarray(1, 4).toString() === 'PNG' && png.length > 2000, `the PNG is ${png.length} bytes`);
        console.log(`     ${rows.length} step rows as CSV and JSON, a ${png.length}-byte PNG`);
        // the run's report: one HTML file with its figures embedded and its tables
        const reportPath = await saveDownload(page, () => page.locator('[data-testid=run-report]').click());
        const html = readFileSync(reportPath, 'utf8');
        const images = html.match(/<img src="data:image\/(png|svg\+xml);base64,/g) ?? [];
        assert(images.length >= 3, `the report should embed the loss, strip and box-plot figures, it has ${images.length}`);
        assert(
          /<h2>Validation top-1 per epoch<\/h2>/.test(html) && /&quot;seed&quot;/.test(html),
          'the report should hold the epochs table and the config',
        );
        assert(!/<script|src="https?:/.test(html), 'the report should load nothing');
        console.log(`     report: ${(html.length / 1024).toFixed(0)} kB with ${images.length} figures`);
        await page.close();
      },
    ],
  ];
}

/** The entries of a zip file, as { name: bytes }. */
export function readZip(path) {
  return unzipSync(new Uint8Array(readFileSync(path)));
}
export { strFromU8 };
