/**
 * Logfiles (spec/API.md §3.22–3.23): daily mail-server logs as CSV, JSON or XML. Downloads are Node
 * Readable streams (never buffered whole); `records()` parses them incrementally into typed rows,
 * so memory does not grow with the file.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseCsv } from 'csv-parse';
import { SaxesParser } from 'saxes';
import { BatchItems, collectItems } from '../core/items.js';
import { z } from 'zod';
import { APIResource, type CallInit } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import { APIError, ConnectionError, InvalidResponseError, isCopernicaError, NotFoundError } from '../core/errors.js';
import { checkInput } from '../core/input.js';
import { param, path } from '../core/path.js';
import { listOf, UNSAFE_KEY } from '../core/schema.js';
import {
  LOGFILE_COLUMN_ORDER,
  convertCell,
  logfileTypeOf,
  typedRow,
  type LogfileRow,
  type LogfileRowOf,
  type LogfileTypeName,
  type UntypedLogfileRow,
} from './logfile-types.js';

export type {
  LogfileColumns,
  LogfileRow,
  LogfileRowOf,
  LogfileTypeName,
  NumericLogfileColumn,
  UntypedLogfileRow,
} from './logfile-types.js';

/** How to download a logfile: CSV without header (the default), CSV with a header row, JSON or XML. */
export type LogfileDownloadFormat = 'csv' | 'csv-header' | 'json' | 'xml';
/** Which representation `records()` reads; all three give the same rows. */
export type LogfileRecordFormat = 'csv' | 'json' | 'xml';

/** Parameters of `client.logfiles.download()`. */
export interface LogfileDownloadParams {
  /** Default `csv` (`/logfiles/{name}`); `csv-header` is `/header`, `json` is `/json`, `xml` is `/xml`. */
  format?: LogfileDownloadFormat;
}

/** Parameters of `client.logfiles.records()`. */
export interface LogfileRecordParams {
  /** The representation to stream and parse. Default `csv` (the smallest). */
  format?: LogfileRecordFormat;
  /**
   * The largest one record (a CSV line, a JSON object, an XML `<record>`) may be, in characters of
   * its text (bytes, for ASCII), from 1,024 to 1,073,741,824. Default 1,048,576 (1 MiB; a real row
   * is a few hundred). A larger record stops the iteration with an `InvalidResponseError` that
   * names the record (and, for CSV, the line) before the parser holds it whole: a hostile or broken
   * server cannot make one row take the process's memory.
   */
  maxRecordSize?: number;
}

/** Default {@link LogfileRecordParams.maxRecordSize}. */
export const DEFAULT_MAX_RECORD_SIZE = 1024 * 1024;
const MIN_RECORD_SIZE = 1024;
const MAX_RECORD_SIZE = 1024 * 1024 * 1024;

/** A record over `maxRecordSize`: becomes an InvalidResponseError of the logfile. */
class RecordTooLarge extends Error {
  constructor(record: number, limit: number, line?: number) {
    // CSV names the line (a header row is a line too), JSON and XML the record's position.
    super(
      `${line === undefined ? `record ${record}` : `the record at line ${line}`} is larger than maxRecordSize (${limit} characters); pass a larger maxRecordSize to read it`,
    );
  }
}

const downloadSchema = z.strictObject({ format: z.enum(['csv', 'csv-header', 'json', 'xml']).optional() });
const recordSchema = z.strictObject({
  format: z.enum(['csv', 'json', 'xml']).optional(),
  maxRecordSize: z.number().int().min(MIN_RECORD_SIZE).max(MAX_RECORD_SIZE).optional(),
});
const stringList = listOf(z.string());

/**
 * The rows of one logfile, streamed: nothing is requested until you iterate; each iteration is one
 * download. Leaving a `for await` early aborts the download.
 */
export class LogfileRecordStream<R> implements AsyncIterable<R> {
  readonly #open: () => AsyncIterableIterator<R>;

  /** @internal `open` starts a download and iterates its rows. */
  constructor(open: () => AsyncIterableIterator<R>) {
    this.#open = open;
  }

  /**
   * The rows in file order, parsed while the download streams in; each `for await` starts a new
   * download, and leaving the loop early (`break`, an exception) stops it.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<R> {
    return this.#open();
  }

  /** Rows up to `limit` (required, so a 1 GB file cannot fill memory by accident); stops the download there. */
  async toArray(options: { limit: number }): Promise<R[]> {
    return collectItems(this, options);
  }
}

/** Rows that fail at the first read (a refused `records()` call). */
// eslint-disable-next-line require-yield
// biome-ignore lint/correctness/useYield: a stream that fails on its first read, and yields nothing
async function* refusedRows<R>(error: unknown): AsyncGenerator<R> {
  throw error;
}

function filePath(name: string, format: LogfileDownloadFormat): string {
  const file = param.filename(name, 'name');
  switch (format) {
    case 'csv':
      return path`/logfiles/${file}`;
    case 'csv-header':
      return path`/logfiles/${file}/header`;
    case 'json':
      return path`/logfiles/${file}/json`;
    case 'xml':
      return path`/logfiles/${file}/xml`;
  }
}

// ---------------------------------------------------------------------------------------------
// Incremental parsers: each yields plain records and never holds more than one chunk of rows.

/**
 * CSV rows as arrays (RFC 4180 quoting; CRLF or LF line ends; quoted fields may span lines), in
 * batches: every row the parser has ready is taken in one step, so a 4,000,000-row file costs one
 * async step per socket read (~250 rows) instead of several per row. The consumer (`BatchItems`)
 * lets go of each row as it hands it out: what survives V8's young-generation collections stays
 * small, and V8 does not grow the young generation during a long file (BENCHMARKS.md, memory).
 */
async function* csvBatches(body: Readable, maxRecordSize = DEFAULT_MAX_RECORD_SIZE): AsyncGenerator<string[][]> {
  // csv-parse bounds the text of a record's fields (max_record_size); a line of separators only
  // (empty fields, an array slot each) is bounded by counting the bytes since the last line feed: a
  // line is never longer than the record it belongs to, so this refuses no valid record.
  const parser = parseCsv({
    record_delimiter: ['\r\n', '\n'],
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: maxRecordSize,
  });
  let failure: Error | undefined;
  let records = 0;
  let lineBytes = 0;
  const tooLarge = (line: number) => new RecordTooLarge(records + 1, maxRecordSize, line);
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  parser.on('readable', notify);
  parser.on('end', () => {
    ended = true;
    notify();
  });
  parser.on('error', (e: Error) => {
    failure ??= e;
    notify();
  });
  body.on('error', (e) => parser.destroy(e));
  body.pipe(parser);
  // After pipe's own listener: the parser has taken the chunk (and counted its lines) when this runs.
  const measure = (chunk: Buffer | string) => {
    const lf = typeof chunk === 'string' ? chunk.lastIndexOf('\n') : chunk.lastIndexOf(10);
    lineBytes = lf === -1 ? lineBytes + chunk.length : chunk.length - lf - 1;
    if (lineBytes > maxRecordSize && !failure) {
      failure = tooLarge(parser.info.lines);
      body.unpipe(parser);
      body.pause();
      notify();
    }
  };
  body.on('data', measure);
  try {
    for (;;) {
      // The rows the parser completed before a failure are handed out first.
      const batch: string[][] = [];
      let rec: string[] | null;
      while ((rec = parser.read() as string[] | null) !== null) batch.push(rec);
      records += batch.length;
      if (batch.length > 0) yield batch;
      else if (failure) {
        const e = failure as Error & { code?: unknown; lines?: unknown };
        if (e.code === 'CSV_MAX_RECORD_SIZE') throw tooLarge(typeof e.lines === 'number' ? e.lines : parser.info.lines);
        throw failure;
      } else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    body.off('data', measure);
    body.unpipe(parser);
    parser.destroy();
  }
}

/** Objects of a top-level JSON array, parsed one by one as their text completes. */
async function* jsonObjects(body: Readable, maxRecordSize = DEFAULT_MAX_RECORD_SIZE): AsyncGenerator<Record<string, unknown>[]> {
  const decoder = new StringDecoder('utf8');
  let records = 0;
  let started = false;
  let finished = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let carry = '';
  const bad = (what: string) => new Error(`the JSON logfile is not an array of objects (${what})`);
  const scan = (text: string, out: Record<string, unknown>[]) => {
    let from = depth > 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) inString = false;
        continue;
      }
      if (depth === 0) {
        if (c === 32 || c === 10 || c === 13 || c === 9) continue;
        if (!started) {
          if (c !== 91 && c !== 0xfeff) throw bad('no opening [');
          if (c === 91) started = true;
          continue;
        }
        if (finished) throw bad('text after the closing ]');
        if (c === 44) continue; // ,
        if (c === 93) {
          finished = true;
          continue;
        }
        if (c !== 123) throw bad('an element that is not an object');
        depth = 1;
        from = i;
        carry = '';
        continue;
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) {
          if (carry.length + i + 1 - from > maxRecordSize) throw new RecordTooLarge(records + 1, maxRecordSize);
          records++;
          out.push(JSON.parse(carry + text.slice(from, i + 1)) as Record<string, unknown>);
          carry = '';
          from = -1;
        }
      }
    }
    if (depth > 0) {
      // The text of the object in progress is all that is held between chunks: bounded here.
      if (carry.length + text.length - from > maxRecordSize) throw new RecordTooLarge(records + 1, maxRecordSize);
      carry += text.slice(from);
    }
  };
  for await (const chunk of body) {
    const out: Record<string, unknown>[] = [];
    scan(typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer), out);
    yield out;
  }
  const rest: Record<string, unknown>[] = [];
  scan(decoder.end(), rest);
  yield rest;
  if (!finished) throw bad(started ? 'truncated' : 'empty');
}

/** `<records><record><column>text</column>…</record>…</records>`, record by record. */
async function* xmlRecords(body: Readable, maxRecordSize = DEFAULT_MAX_RECORD_SIZE): AsyncGenerator<Record<string, string>[]> {
  const decoder = new StringDecoder('utf8');
  const parser = new SaxesParser({ position: false });
  // Characters fed since the last record boundary (<record> or </record>): saxes buffers a text
  // node until its end, so the bound is checked per chunk, before the next one is fed. A boundary
  // inside a chunk restarts the count at the next chunk (it may undercount by one network chunk,
  // never refuse a record within the limit).
  let sinceBoundary = 0;
  let boundary = false;
  let records = 0;
  let level = 0;
  let sawRoot = false;
  let current: Record<string, string> | undefined;
  let column: string | undefined;
  let text = '';
  let out: Record<string, string>[] = [];
  let failure: Error | undefined;
  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.on('opentag', (tag) => {
    level++;
    if (level === 1) {
      if (tag.name !== 'records') failure ??= new Error(`the XML root is <${tag.name}>, expected <records>`);
      sawRoot = true;
    } else if (level === 2 && tag.name === 'record') {
      current = {};
      boundary = true;
    } else if (level === 3 && current) {
      column = tag.name;
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (column !== undefined) text += t;
  });
  parser.on('cdata', (t) => {
    if (column !== undefined) text += t;
  });
  parser.on('closetag', () => {
    if (level === 3 && current && column !== undefined) {
      if (column !== UNSAFE_KEY) current[column] = text; // UNSAFE_KEY in core/schema.ts
      column = undefined;
    } else if (level === 2 && current) {
      out.push(current);
      records++;
      current = undefined;
      boundary = true;
    }
    level--;
  });
  const feed = (s: string) => {
    boundary = false;
    if (s) parser.write(s);
    if (failure) throw failure;
    sinceBoundary = boundary ? 0 : sinceBoundary + s.length;
    if (sinceBoundary > maxRecordSize) throw new RecordTooLarge(records + 1, maxRecordSize);
    const batch = out;
    out = [];
    return batch;
  };
  for await (const chunk of body) yield feed(typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
  yield feed(decoder.end());
  parser.close();
  if (failure) throw failure;
  if (!sawRoot) throw new Error('the XML logfile has no <records> root');
}

// ---------------------------------------------------------------------------------------------
// The resource

/**
 * Logfiles: the dates that have files, the names of a date's files, downloads as streams, and typed
 * records.
 */
export class Logfiles extends APIResource {
  /**
   * The dates (`YYYY-MM-DD`) for which logfiles exist (`GET /logfiles`).
   *
   * @example const dates = await client.logfiles.dates(); // ['2024-03-01', …]
   */
  async dates(options?: RequestOptions): Promise<string[]> {
    return this._json('GET', '/logfiles', stringList, { options });
  }

  /**
   * The names of the logfiles of one date (a `YYYY-MM-DD` string, or a Date taken in UTC).
   *
   * @example const names = await client.logfiles.names('2024-03-01'); // ['cdm-click.2024-03-01.log', …]
   */
  async names(date: string | Date, options?: RequestOptions): Promise<string[]> {
    return this._json('GET', path`/logfiles/${param.date(date, 'date')}`, stringList, { options });
  }

  /**
   * Downloads one logfile as a Node Readable stream of bytes, never buffered whole. Consume or
   * destroy it. Format `csv` (default, no header row), `csv-header`, `json` or `xml`.
   *
   * @example
   * import { createWriteStream } from 'node:fs';
   * import { pipeline } from 'node:stream/promises';
   * await pipeline(await client.logfiles.download('cdm-click.2024-03-01.log', { format: 'xml' }), createWriteStream('clicks.xml'));
   */
  async download(name: string, params?: LogfileDownloadParams, options?: RequestOptions): Promise<Readable> {
    const p = checkInput(downloadSchema, params ?? {}, 'params');
    return this.#file(filePath(name, p.format ?? 'csv'), { options });
  }

  /**
   * The column names of a logfile as the server writes them (the first line of
   * `/logfiles/{name}/header`; the rest of the download is cancelled).
   *
   * @example const columns = await client.logfiles.header('cdm-click.2024-03-01.log'); // ['id', 'senderdomain', 'time', …]
   */
  async header(name: string, options?: RequestOptions): Promise<string[]> {
    const p = filePath(name, 'csv-header');
    const body = await this.#file(p, { options });
    try {
      for await (const batch of this.#guard(csvBatches(body), p)) if (batch.length > 0) return batch[0]!;
      return [];
    } finally {
      body.destroy();
    }
  }

  /**
   * The rows of one logfile, typed by its type (from the name's prefix, spec/API.md §3.23): numbers for IDs
   * and counts, `null` for empty cells and zero dates. Parsed incrementally while downloading, so
   * memory stays flat however big the file is. A file of an unknown type is read from `/header`
   * CSV and gives string rows keyed by the server's column names. A name typed only as `string` (what
   * `names()` returns) gives the union of every type's rows; narrow it first with
   * {@link isLogfileName} to get one type's rows.
   *
   * @example
   * for await (const row of client.logfiles.records('cdm-click.2024-03-01.log')) {
   *   console.log(row.time, row.email, row.linkinfo); // linkinfo: number
   * }
   */
  records<T extends LogfileTypeName>(
    name: `${T}.${string}`,
    params?: LogfileRecordParams,
    options?: RequestOptions,
  ): LogfileRecordStream<LogfileRowOf<T>>;
  records(name: string, params?: LogfileRecordParams, options?: RequestOptions): LogfileRecordStream<LogfileRow | UntypedLogfileRow>;
  records(name: string, params?: LogfileRecordParams, options?: RequestOptions): LogfileRecordStream<LogfileRow | UntypedLogfileRow> {
    try {
      return this.#records(name, params, options);
    } catch (error) {
      // Bad input never throws here: the stream's first read rejects with it (one failure contract).
      return new LogfileRecordStream(() => refusedRows(error));
    }
  }

  #records(
    name: string,
    params: LogfileRecordParams | undefined,
    options: RequestOptions | undefined,
  ): LogfileRecordStream<LogfileRow | UntypedLogfileRow> {
    const p = checkInput(recordSchema, params ?? {}, 'params');
    const format = p.format ?? 'csv';
    const maxRecordSize = p.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
    param.filename(name, 'name'); // a ValidationError before anything reads the name
    const type = logfileTypeOf(name);
    const fileFormat: LogfileDownloadFormat = format === 'csv' && type === undefined ? 'csv-header' : format;
    const filePathText = filePath(name, fileFormat);
    const strict = this._core.config.strict;
    const columns: readonly string[] | undefined = type === undefined ? undefined : LOGFILE_COLUMN_ORDER[type];
    type Row = LogfileRow | UntypedLogfileRow;
    const invalid = (message: string) => this.#invalid(filePathText, message);
    // Rows are parsed a chunk at a time (raw cells or records) and converted one by one as the
    // caller takes them, so a chunk in memory holds raw rows only.
    if (format === 'csv') {
      // Each `for await` is a download of its own, with its own header row: the columns live here.
      const open = (): AsyncIterableIterator<Row> => {
        let cols = columns;
        const source = async function* (this: Logfiles): AsyncGenerator<string[][]> {
          const body = await this.#file(filePathText, { options });
          try {
            for await (const batch of this.#guard(csvBatches(body, maxRecordSize), filePathText)) {
              if (cols === undefined && batch.length > 0) cols = batch.shift();
              yield batch;
            }
          } finally {
            body.destroy();
          }
        };
        const toRow = (cells: string[]): Row => {
          const c = cols as readonly string[];
          if (cells.length !== c.length) throw invalid(`a CSV row has ${cells.length} cells, expected ${c.length}`);
          return (columns === undefined ? untyped(c, cells) : typedCells(c, cells, filePathText)) as Row;
        };
        return new BatchItems(source.call(this), toRow);
      };
      return new LogfileRecordStream(open);
    }
    const source = async function* (this: Logfiles): AsyncGenerator<Record<string, unknown>[]> {
      const body = await this.#file(filePathText, { options });
      try {
        yield* this.#guard<Record<string, unknown>[]>(
          format === 'json' ? jsonObjects(body, maxRecordSize) : xmlRecords(body, maxRecordSize),
          filePathText,
        );
      } finally {
        body.destroy();
      }
    };
    const toRow = (rec: Record<string, unknown>): Row => {
      if (columns === undefined) {
        // A column named `__proto__` is dropped, as in every parsed reply (UNSAFE_KEY in core/schema.ts).
        return Object.fromEntries(
          Object.entries(rec).flatMap(([k, v]) => (k === UNSAFE_KEY ? [] : [[k, v === null || v === undefined ? '' : String(v)]])),
        );
      }
      try {
        return typedRow(columns, rec, strict) as LogfileRow;
      } catch (error) {
        throw invalid((error as Error).message);
      }
    };
    return new LogfileRecordStream(() => new BatchItems(source.call(this), toRow));
  }

  /** @internal Wraps parser and network failures in the SDK's error classes. */
  async *#guard<R>(source: AsyncGenerator<R>, p: string): AsyncGenerator<R> {
    try {
      yield* source;
    } catch (error) {
      if (isCopernicaError(error)) throw error;
      const e = error as { code?: unknown; message?: unknown };
      const network = typeof e?.code === 'string' && /^(UND_ERR|ECONN|EPIPE|ETIMEDOUT|ERR_STREAM_PREMATURE_CLOSE)/.test(e.code);
      if (network)
        throw new ConnectionError(`reading GET ${p} failed: ${String(e.message ?? error)}`, { request: `GET ${p}`, cause: error });
      throw this.#invalid(p, String(e?.message ?? error), error);
    }
  }

  /**
   * Opens a logfile download. A missing file is a {@link NotFoundError} like every other missing
   * thing: the server answers 400 `No logfile with name …`, which the general status mapping (it
   * knows `No … with supplied ID`) leaves a plain APIError.
   */
  async #file(p: string, init: CallInit = {}): Promise<Readable> {
    try {
      return await this._stream(p, init);
    } catch (error) {
      if (
        error instanceof APIError &&
        error.code === 'api_error' &&
        error.status === 400 &&
        /^No logfile\b/i.test(error.serverMessage ?? '')
      ) {
        throw new NotFoundError({
          status: error.status,
          headers: error.headers,
          body: error.body,
          serverMessage: error.serverMessage,
          request: error.request,
          message: error.message,
        });
      }
      throw error;
    }
  }

  /** @internal */
  #invalid(p: string, message: string, cause?: unknown): InvalidResponseError {
    return new InvalidResponseError(`The logfile from GET ${p} could not be read: ${message}`, { status: 200, request: `GET ${p}`, cause });
  }
}

function untyped(cols: readonly string[], cells: readonly string[]): UntypedLogfileRow {
  const out: UntypedLogfileRow = {};
  cols.forEach((c, i) => {
    if (c === UNSAFE_KEY) return; // never `out.__proto__ = …` (UNSAFE_KEY in core/schema.ts)
    out[c] = cells[i] ?? '';
  });
  return out;
}

/**
 * One object per column set with every column present, copied for each row: the copy gets the
 * final shape at once, where adding 15 properties one by one reallocates the property store
 * several times per row.
 */
const rowTemplates = new WeakMap<readonly string[], Record<string, unknown>>();

function typedCells(cols: readonly string[], cells: readonly string[], p: string): Record<string, unknown> {
  let template = rowTemplates.get(cols);
  if (template === undefined) {
    template = Object.fromEntries(cols.map((c) => [c, null]));
    rowTemplates.set(cols, template);
  }
  const out: Record<string, unknown> = { ...template };
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i] as string;
    try {
      out[c] = convertCell(c, cells[i]);
    } catch (error) {
      throw new InvalidResponseError(`The logfile from GET ${p} could not be read: ${(error as Error).message}`, {
        status: 200,
        request: `GET ${p}`,
        cause: error,
      });
    }
  }
  return out;
}
