/**
 * Output formats. `json`: one JSON array (one item per line) or object; `ndjson`: one JSON object a
 * line; `csv`: a header row, then one row per item (RFC 4180, csv-stringify); `table`: aligned
 * columns for people. The JSON shapes are the SDK's typed objects, unchanged (see docs/cli.md).
 */
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { UsageError } from './errors.js';

export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'ndjson', 'csv'];

/** A flat row for table and CSV output. */
export type Row = Record<string, unknown>;

/** Writes text, waiting for `drain` when the stream's buffer is full (memory stays flat while streaming). */
export function write(stream: Writable, text: string): Promise<void> | void {
  if (stream.write(text)) return;
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    stream.once('drain', onDrain);
    stream.once('error', done);
  });
}

/** `--json` is `--format json`; with another `--format` it is a usage error. The format must be one of `allowed`. */
export function pickFormat(
  opts: { format?: string; json?: boolean },
  allowed: readonly OutputFormat[],
  fallback: OutputFormat,
): OutputFormat {
  if (opts.json && opts.format !== undefined && opts.format !== 'json') {
    throw new UsageError(`--json and --format ${opts.format} ask for different outputs; give one of them`);
  }
  const format = opts.json ? 'json' : (opts.format ?? fallback);
  if (!(allowed as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${allowed.join(', ')}, got ${JSON.stringify(format)}`);
  }
  return format as OutputFormat;
}

/** A cell as text: null/undefined → empty, arrays of scalars joined with `;`, objects as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)))
    return value.map((v) => cellText(v)).join(';');
  return JSON.stringify(value);
}

/** A table: a header row and aligned columns; cells longer than 60 characters are cut with `…`. */
export function tableText(rows: readonly Row[], columns: readonly string[] = columnsOf(rows)): string {
  if (columns.length === 0) return '';
  const cut = (s: string) => {
    const clean = s.replace(/[\r\n\t]+/g, ' ');
    return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
  };
  const cells = rows.map((r) => columns.map((c) => cut(cellText(r[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (parts: readonly string[]) =>
    parts
      .map((p, i) => (i === parts.length - 1 ? p : p.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns), ...cells.map(line)].join('\n') + '\n';
}

/** The union of the rows' keys, in order of first appearance. */
export function columnsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/** csv-stringify, loaded on the first CSV line (its CommonJS build, synchronously): no other output needs it. */
let stringify: typeof import('csv-stringify/sync').stringify | undefined;
const loadCjs = createRequire(import.meta.url);

/** One CSV line (with the header line first when `header` is true). */
export function csvText(rows: readonly Row[], columns: readonly string[], header: boolean): string {
  const records = rows.map((r) => columns.map((c) => cellText(r[c])));
  stringify ??= (loadCjs('csv-stringify/sync') as typeof import('csv-stringify/sync')).stringify;
  return stringify(header ? [columns as string[], ...records] : records);
}

/**
 * Streams items in a format. `toRow` flattens an item for table and CSV; JSON and NDJSON print the
 * item itself. Table output collects the items first (to align the columns); the others stream.
 * `columns` fixes the CSV/table columns (else the first item's keys). Returns the number of items.
 */
export async function printItems<T>(
  out: Writable,
  items: AsyncIterable<T> | Iterable<T>,
  format: OutputFormat,
  toRow: (item: T) => Row = (item) => item as Row,
  columns?: readonly string[],
): Promise<number> {
  let n = 0;
  if (format === 'table') {
    const rows: Row[] = [];
    for await (const item of items) rows.push(toRow(item));
    await write(out, tableText(rows, columns ?? columnsOf(rows)));
    return rows.length;
  }
  let cols = columns;
  for await (const item of items) {
    if (format === 'json') await write(out, `${n === 0 ? '[\n' : ',\n'}${JSON.stringify(item)}`);
    else if (format === 'ndjson') await write(out, `${JSON.stringify(item)}\n`);
    else {
      const row = toRow(item);
      const header = cols === undefined || n === 0;
      cols ??= Object.keys(row);
      await write(out, csvText([row], cols, header));
    }
    n++;
  }
  if (format === 'json') await write(out, n === 0 ? '[]\n' : '\n]\n');
  else if (format === 'csv' && n === 0 && cols) await write(out, csvText([], cols, true));
  return n;
}

/** One object: `json` pretty-printed, `ndjson` on one line, `table` as `key  value` lines, `csv` a header and one row. */
export async function printObject(out: Writable, item: Row, format: OutputFormat): Promise<void> {
  if (format === 'json') return write(out, `${JSON.stringify(item, null, 2)}\n`);
  if (format === 'ndjson') return write(out, `${JSON.stringify(item)}\n`);
  if (format === 'csv') return write(out, csvText([item], Object.keys(item), true));
  const keys = Object.keys(item);
  const width = Math.max(0, ...keys.map((k) => k.length));
  return write(out, keys.map((k) => `${k.padEnd(width)}  ${cellText(item[k])}`.trimEnd()).join('\n') + '\n');
}

/** Parses a positive integer option. */
export function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value)))
    throw new UsageError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return Number(value);
}
