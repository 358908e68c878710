/**
 * Logfiles (API §3.22–3.23): the date list, the names of one date, and each file as CSV (with or
 * without a header row), JSON and XML. Every file is served as a lazy stream that renders rows on
 * demand, so a synthetic multi-gigabyte file costs no memory.
 */
import { Readable } from 'node:stream';
import { FakeApiError, type FakeAccountContext, type FakeResponse, type RouteTable } from '../contract.js';
import {
  LOGFILE_COLUMNS,
  LOGFILE_TYPES,
  isLogfileType,
  logfileName,
  parseLogfileName,
  type LogfileRecord,
  type LogfileType,
} from './logfile-types.js';
import { logfileRecord, logfileTypeOf, syntheticRows } from './records.js';
import { campaignState, type CampaignState, type MailEvent } from './state.js';
import { DATE_RE, formatDate, parseDate } from './util.js';

export type LogfileFormat = 'csv' | 'csv-header' | 'json' | 'xml';

/** A logfile's rows: how many, and row `i` on demand. */
export interface LogfileSource {
  name: string;
  type: LogfileType;
  rows: number;
  row(i: number): LogfileRecord;
}

/** Mailing events grouped by file name; rebuilt after each sendMailing. */
function eventIndex(state: CampaignState): Map<string, MailEvent[]> {
  if (state.logfileIndex) return state.logfileIndex;
  const index = new Map<string, MailEvent[]>();
  for (const ev of state.events) {
    const name = logfileName(logfileTypeOf(ev), formatDate(ev.time));
    let list = index.get(name);
    if (!list) index.set(name, (list = []));
    list.push(ev);
  }
  state.logfileIndex = index;
  return index;
}

/** All logfile names of the account (mailing-derived and synthetic). */
function allNames(state: CampaignState): Set<string> {
  return new Set([...eventIndex(state).keys(), ...state.synthetic.keys()]);
}

/** The rows of one logfile, or undefined. A synthetic file replaces a mailing-derived file of the same name. */
export function logfileSource(account: FakeAccountContext, name: string): LogfileSource | undefined {
  const state = campaignState(account);
  const parsed = parseLogfileName(name);
  if (!parsed) return undefined;
  const syn = state.synthetic.get(name);
  if (syn) return { name, type: syn.type, rows: syn.rows, row: syntheticRows(syn.type, syn.date, syn.rows, syn.seed) };
  const events = eventIndex(state).get(name);
  if (!events) return undefined;
  return { name, type: parsed.type, rows: events.length, row: (i) => logfileRecord(events[i] as MailEvent, parsed.type) };
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** RFC 4180: quote a field that holds `,`, `"`, CR or LF; double the quotes inside. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };
export function xmlText(value: string | number): string {
  // characters XML 1.0 cannot carry at all are dropped
  return String(value)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c] as string);
}

interface Renderer {
  head: string;
  row(rec: LogfileRecord, i: number): string;
  tail: string;
}

function renderer(format: LogfileFormat, type: LogfileType): Renderer {
  const columns: readonly string[] = LOGFILE_COLUMNS[type];
  switch (format) {
    case 'csv':
    case 'csv-header':
      return {
        head: format === 'csv-header' ? `${columns.join(',')}\r\n` : '',
        row: (rec) => `${columns.map((c) => csvField(rec[c] ?? '')).join(',')}\r\n`,
        tail: '',
      };
    case 'json':
      return {
        head: '[',
        row: (rec, i) => `${i === 0 ? '\n' : ',\n'}${JSON.stringify(rec)}`,
        tail: ']\n',
      };
    case 'xml':
      return {
        head: '<?xml version="1.0" encoding="UTF-8"?>\n<records>\n',
        row: (rec) => `  <record>\n${columns.map((c) => `    <${c}>${xmlText(rec[c] ?? '')}</${c}>\n`).join('')}  </record>\n`,
        tail: '</records>\n',
      };
  }
}

const CHUNK_BYTES = 64 * 1024;

/**
 * A lazy logfile stream: rows are rendered only when the consumer asks for more (`_read`), in
 * chunks of about 64 KiB, so memory stays flat however many rows the file has.
 */
export class LogfileStream extends Readable {
  /** Rows rendered so far (grows only as the stream is read). */
  rowsProduced = 0;
  #started = false;
  readonly #render: Renderer;

  constructor(
    readonly source: LogfileSource,
    readonly format: LogfileFormat,
  ) {
    super({ highWaterMark: CHUNK_BYTES });
    this.#render = renderer(format, source.type);
  }

  override _read(): void {
    let chunk = '';
    if (!this.#started) {
      this.#started = true;
      chunk += this.#render.head;
    }
    while (chunk.length < CHUNK_BYTES && this.rowsProduced < this.source.rows) {
      chunk += this.#render.row(this.source.row(this.rowsProduced), this.rowsProduced);
      this.rowsProduced++;
    }
    if (this.rowsProduced >= this.source.rows) {
      chunk += this.#render.tail;
      if (chunk !== '') this.push(chunk);
      this.push(null);
      return;
    }
    this.push(chunk);
  }
}

const CONTENT_TYPES: Record<LogfileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  'csv-header': 'text/csv; charset=utf-8',
  json: 'application/json',
  xml: 'application/xml; charset=utf-8',
};

function serveFile(account: FakeAccountContext, name: string | undefined, format: LogfileFormat): FakeResponse {
  const src = name === undefined ? undefined : logfileSource(account, name);
  if (!src) throw new FakeApiError(`No logfile with name ${JSON.stringify(name ?? '')}`);
  return { status: 200, contentType: CONTENT_TYPES[format], stream: new LogfileStream(src, format) };
}

/** Options of {@link FakeCopernica.generateLogfile}. */
export interface GenerateLogfileOptions {
  /** Logfile type, e.g. `cdm-click` or `pom-errors` (the types and columns of API §3.23). */
  type: LogfileType;
  /** `YYYY-MM-DD`: the file's date (all row times fall on it). */
  date: string;
  /** Number of rows (0 or more); they are generated while the file streams, not stored. */
  rows: number;
  /** Default 1. Same (type, date, rows, seed), same content, byte for byte. */
  seed?: number;
}

/**
 * Register a synthetic logfile whose rows are made up while it streams (nothing is stored but
 * the parameters). Returns the file name, e.g. `cdm-click.2017-03-08.log`.
 */
export function generateLogfile(account: FakeAccountContext, opts: GenerateLogfileOptions): string {
  if (!isLogfileType(opts.type)) throw new TypeError(`Unknown logfile type: ${String(opts.type)} (one of ${LOGFILE_TYPES.join(', ')})`);
  if (!parseDate(opts.date)) throw new TypeError(`Invalid date: ${String(opts.date)} (expected YYYY-MM-DD)`);
  if (!Number.isSafeInteger(opts.rows) || opts.rows < 0) throw new TypeError('rows must be a non-negative integer');
  const seed = opts.seed ?? 1;
  const name = logfileName(opts.type, opts.date);
  campaignState(account).synthetic.set(name, { type: opts.type, date: opts.date, rows: opts.rows, seed });
  return name;
}

export function registerLogfileRoutes(routes: RouteTable): void {
  routes.add('GET', '/logfiles', (req) => {
    const dates = new Set<string>();
    for (const name of allNames(campaignState(req.account))) dates.add((parseLogfileName(name) as { date: string }).date);
    return { status: 200, json: [...dates].sort() };
  });

  // `/logfiles/{date}` and `/logfiles/{filename}` share one template: dispatch on the value's shape
  routes.add('GET', '/logfiles/{name}', (req) => {
    const value = req.params.name ?? '';
    if (DATE_RE.test(value)) {
      if (!parseDate(value)) throw new FakeApiError(`Invalid date ${JSON.stringify(value)}`);
      const names = [...allNames(campaignState(req.account))].filter((n) => parseLogfileName(n)?.date === value);
      return { status: 200, json: names.sort() };
    }
    return serveFile(req.account, value, 'csv');
  });
  routes.add('GET', '/logfiles/{filename}/header', (req) => serveFile(req.account, req.params.filename, 'csv-header'));
  routes.add('GET', '/logfiles/{filename}/json', (req) => serveFile(req.account, req.params.filename, 'json'));
  routes.add('GET', '/logfiles/{filename}/xml', (req) => serveFile(req.account, req.params.filename, 'xml'));
}
