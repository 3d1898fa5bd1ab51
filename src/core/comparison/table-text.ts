/**
 * Tables as CSV (RFC 4180) and JSON, for every chart's data and every table the studio shows.
 * A table is named columns and rows of cells; a cell is a number, a string, a boolean or empty.
 * Numbers keep their full precision (String(n), which round-trips), so a spreadsheet or pandas
 * reads back exactly what the studio measured; NaN and ±Infinity become empty cells in CSV and
 * null in JSON, which has no spelling for them.
 */
export type Cell = number | string | boolean | null | undefined;

export interface Table {
  columns: string[];
  rows: Cell[][];
}

function csvCell(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = String(cell);
  // quoted when it holds the separator, a quote or a line break; quotes doubled
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with a header row, CRLF line ends as RFC 4180 asks, and a final line end. */
export function toCsv(table: Table): string {
  const lines = [table.columns, ...table.rows].map((row) => row.map(csvCell).join(','));
  return lines.join('\r\n') + '\r\n';
}

function jsonCell(cell: Cell): number | string | boolean | null {
  if (cell === undefined || cell === null) return null;
  if (typeof cell === 'number' && !Number.isFinite(cell)) return null;
  return cell;
}

/** The table as JSON: an array of objects keyed by column, pretty-printed. */
export function tableToJson(table: Table): string {
  const records = table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, jsonCell(row[i])])));
  return JSON.stringify(records, null, 2) + '\n';
}

/** Any value as JSON, with non-finite numbers as null (JSON.stringify writes them as null too, but says so here). */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
