/**
 * A run as one self-contained HTML file: its figures embedded as data URLs (PNG of the canvas
 * charts, SVG of the SVG ones), its config and its tables, so it opens anywhere, offline, and
 * can be attached to a note or a mail. Every text from the run is escaped: a run's name or a
 * dataset file name is the user's text.
 */
import type { Table } from '../comparison/table-text';

export interface ReportSection {
  heading: string;
  text?: string;
  /** a data: URL of a PNG or SVG image */
  figure?: { src: string; alt: string };
  table?: Table;
}

export interface RunReport {
  title: string;
  /** when and by what it was made, one line */
  generated: string;
  config: unknown;
  sections: ReportSection[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function cellText(cell: Table['rows'][number][number]): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(+cell.toPrecision(6)) : '';
  return String(cell);
}

function tableHtml(table: Table): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = table.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(cellText(c))}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Only data: URLs of images go into src, so a report never loads anything from elsewhere. */
function safeImageSrc(src: string): string {
  if (!/^data:image\/(png|svg\+xml)[;,]/.test(src)) throw new Error('a report figure must be a PNG or SVG data URL');
  return escapeHtml(src);
}

export function runReportHtml(report: RunReport): string {
  const sections = report.sections
    .map((s) => {
      const parts = [`<h2>${escapeHtml(s.heading)}</h2>`];
      if (s.text) parts.push(`<p>${escapeHtml(s.text)}</p>`);
      if (s.figure) parts.push(`<figure><img src="${safeImageSrc(s.figure.src)}" alt="${escapeHtml(s.figure.alt)}"></figure>`);
      if (s.table) parts.push(tableHtml(s.table));
      return `<section>\n${parts.join('\n')}\n</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; max-width: 960px; margin: 24px auto; padding: 0 16px; color: #1d232b; }
figure { margin: 8px 0; } img { max-width: 100%; border: 1px solid #d8dde3; }
table { border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #d8dde3; padding: 2px 8px; text-align: left; }
pre { background: #f4f6f8; padding: 8px; overflow-x: auto; font-size: 12px; }
.muted { color: #5d6875; }
</style>
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
<p class="muted">${escapeHtml(report.generated)}</p>
${sections}
<section>
<h2>Config</h2>
<pre>${escapeHtml(JSON.stringify(report.config, null, 2))}</pre>
</section>
</body>
</html>
`;
}
