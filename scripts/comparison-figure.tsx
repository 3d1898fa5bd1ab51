/**
 * `npx tsx scripts/comparison-figure.tsx COMPARISON.json OUT.png [TITLE]`: the grouped box plots of a
 * comparison (npm run compare's JSON) drawn by the studio's own BoxPlot component, each sampler's
 * seeds pooled as the Compare view pools them, rendered to PNG by headless Chromium. So the figure
 * committed beside a comparison is the one the studio shows for it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { comparisonName } from '../src/core/comparison/noise-floor';
import type { RunResults } from '../src/core/records/run-records';
import { runFromResults } from '../src/core/records/run-from-results';
import { BoxPlot } from '../src/ui/charts/BoxPlot';
import { pooledBoxGroups } from '../src/ui/views/comparison-stats';
import type { RunRecord } from '../src/ui/store/runs-slice';

const [input, output, title] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: npx tsx scripts/comparison-figure.tsx COMPARISON.json OUT.png [TITLE]');
const comparison = JSON.parse(readFileSync(input, 'utf8')) as { runs: RunResults[] };
if (!Array.isArray(comparison.runs)) throw new Error(`${input}: no "runs" array; is it the JSON of npm run compare?`);
const runs = comparison.runs.map((results) => {
  const { run } = runFromResults({ results, checkpoint: null });
  return { ...run, label: comparisonName(run.label, results.config) } as unknown as RunRecord;
});
const seeds = [...new Set(comparison.runs.map((r) => r.config.seed))];
const caption = title ?? `Validation top-1 per FLOPs range, each sampler's subnets pooled over seeds ${seeds.join(', ')}`;
const groups = pooledBoxGroups(runs);
const svg = renderToStaticMarkup(createElement(BoxPlot, { groups, height: 380, caption }));
const escape = (text: string) => text.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
const legend = (groups[0]?.series ?? [])
  .map(
    (s) =>
      `<span style="margin-right:18px"><span style="display:inline-block;width:12px;height:12px;background:${s.color};margin-right:6px;vertical-align:-1px"></span>${escape(s.name)}</span>`,
  )
  .join('');
const css = readFileSync(new URL('../src/ui/styles.css', import.meta.url), 'utf8');
const html = `<!doctype html><html data-theme="light"><head><style>${css}</style></head><body style="width:860px;padding:12px;background:#fff"><figure><div style="font:14px sans-serif;margin:0 0 6px 62px">${legend}</div>${svg}</figure></body></html>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 890, height: 520 }, deviceScaleFactor: 2 });
  await page.setContent(html);
  writeFileSync(output, await page.locator('body > figure').screenshot());
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
}
