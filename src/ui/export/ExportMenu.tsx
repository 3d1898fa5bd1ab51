/**
 * The one export menu every chart and table has: PNG (and SVG for SVG charts) of the figure,
 * CSV and JSON of its data. A <details> disclosure: keyboard and screen-reader friendly with no
 * script of its own, and closed again after a choice.
 */
import { useRef, useState } from 'react';
import { tableToJson, toCsv, toJsonText, type Table } from '../../core/comparison/table-text';
import { downloadFiles } from '../download';
import type { ChartImage } from './chart-image';

export interface ExportMenuProps {
  /** file name without extension, e.g. "run-3-loss" */
  name: string;
  /** what the menu exports, for its label: "loss chart" */
  what: string;
  table?: () => Table;
  /** JSON richer than the table's records (defaults to the table as records) */
  json?: () => unknown;
  image?: ChartImage;
}

const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'export';

export function ExportMenu({ name, what, table, json, image }: ExportMenuProps) {
  const details = useRef<HTMLDetailsElement>(null);
  const [error, setError] = useState<string | null>(null);
  const base = safe(name);
  const run =
    (
      make: () =>
        Promise<{ ext: string; data: Uint8Array | string; mime: string }> | { ext: string; data: Uint8Array | string; mime: string },
    ) =>
    async () => {
      setError(null);
      try {
        const file = await make();
        downloadFiles([{ name: `${base}.${file.ext}`, data: file.data, mime: file.mime }]);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
      if (details.current) details.current.open = false;
    };
  return (
    <details className="export-menu" ref={details} data-testid={`export-${base}`}>
      <summary aria-label={`Export the ${what}`}>Export</summary>
      <div className="export-items" role="group" aria-label={`Export the ${what} as`}>
        {image && (
          <button type="button" onClick={run(async () => ({ ext: 'png', data: await image.png(), mime: 'image/png' }))}>
            PNG
          </button>
        )}
        {image?.svg && (
          <button type="button" onClick={run(() => ({ ext: 'svg', data: image.svg!(), mime: 'image/svg+xml' }))}>
            SVG
          </button>
        )}
        {table && (
          <button type="button" onClick={run(() => ({ ext: 'csv', data: toCsv(table()), mime: 'text/csv' }))}>
            CSV
          </button>
        )}
        {(json || table) && (
          <button
            type="button"
            onClick={run(() => ({ ext: 'json', data: json ? toJsonText(json()) : tableToJson(table!()), mime: 'application/json' }))}
          >
            JSON
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
