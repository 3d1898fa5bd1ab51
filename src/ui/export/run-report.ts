/**
 * Gathers the Train view's figures and a run's tables into core's self-contained HTML report:
 * the canvas charts as PNG data URLs, the SVG charts as SVG data URLs (as they are drawn now,
 * in the current theme's colours over its panel colour).
 */
import { runReportHtml, type ReportSection } from '../../core/records/run-report';
import { epochsTable, priorTable } from '../../core/records/run-tables';
import type { Table } from '../../core/comparison/table-text';
import type { RunRecord } from '../store/runs-slice';
import { flattenCanvases, svgText } from './chart-image';

function canvasFigure(selector: string, alt: string): ReportSection['figure'] {
  const el = document.querySelector(selector);
  if (!el || !el.querySelector('canvas')) return undefined;
  return { src: flattenCanvases(el).toDataURL('image/png'), alt };
}

function svgFigure(selector: string, alt: string): ReportSection['figure'] {
  const el = document.querySelector<SVGSVGElement>(selector);
  if (!el) return undefined;
  const bytes = new TextEncoder().encode(svgText(el));
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { src: `data:image/svg+xml;base64,${btoa(binary)}`, alt };
}

function latestRangesTable(run: RunRecord): Table | undefined {
  const latest = run.rangeHistory[run.rangeHistory.length - 1];
  if (!latest) return undefined;
  return {
    columns: ['range', 'lo_macs', 'hi_macs', 'subnets', 'min', 'q1', 'median', 'q3', 'max'],
    rows: latest.ranges.map((r) => [
      r.index,
      r.loMacs,
      r.hiMacs,
      r.accuracies.length,
      r.summary?.min,
      r.summary?.q1,
      r.summary?.median,
      r.summary?.q3,
      r.summary?.max,
    ]),
  };
}

export function runReport(run: RunRecord): string {
  const test = run.outcome?.test;
  const latest = run.rangeHistory[run.rangeHistory.length - 1];
  const sections: ReportSection[] = [
    {
      heading: 'Training loss',
      figure: canvasFigure('[data-testid=loss-chart]', 'training loss of the largest and smallest subnets over steps'),
    },
    { heading: 'Subnets trained', figure: canvasFigure('[data-testid=subnet-strip]', 'MACs of the subnets trained at each step') },
    {
      heading: 'Accuracy per FLOPs range',
      text: latest
        ? `Validation top-1 at step ${latest.step}, each subnet after BN recalibration on ${latest.calibrationBatches} batches, ${latest.images} images.`
        : 'No range evaluation yet.',
      figure: svgFigure('[data-testid=range-boxes] svg', 'box plots of subnet accuracy per FLOPs range'),
      table: latestRangesTable(run),
    },
    {
      heading: 'FLOPs prior and sampled subnets',
      figure: svgFigure('[data-testid=prior-chart]', 'FLOPs prior and where the sampled subnets fell'),
      table: run.start?.prior ? priorTable(run.start.prior, run.steps) : undefined,
    },
    {
      heading: 'Validation top-1 per epoch',
      text: test
        ? `Test top-1 at the end: largest ${(test.largest.accuracy * 100).toFixed(2)}%, smallest ${(test.smallest.accuracy * 100).toFixed(2)}%.`
        : undefined,
      table: epochsTable(run.epochs),
    },
  ];
  return runReportHtml({
    title: `NAS Studio run: ${run.name}`,
    generated: `${run.label} on ${run.datasetName}, ${run.phase}; report made ${new Date().toISOString()} by NAS Studio`,
    config: run.config,
    sections: sections.filter((s) => s.figure || s.table || s.text),
  });
}
