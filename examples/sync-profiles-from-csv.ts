/**
 * Sync profiles from a CSV file: every row is upserted into a database, keyed on its e-mail
 * address (updated when a profile with that address exists, created otherwise).
 *
 *   COPERNICA_ACCESS_TOKEN=… node examples/sync-profiles-from-csv.ts --database 12 contacts.csv
 *
 * The first row names the columns; they must be field names of the database (the SDK checks them
 * against the database's fields before sending, so a typo is reported instead of silently
 * dropped). Rows are read as a stream: a file of a million rows does not fill memory.
 * `COPERNICA_BASE_URL` points the script elsewhere (e.g. the fake server of `copernica-fake`).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse';
import { Copernica, isCopernicaError, isValidationError, where } from 'copernica-rest';

/** Options of {@link main}. */
export interface SyncProfilesOptions {
  /** Database ID (the upsert endpoint takes IDs only). */
  database: number;
  /** Path of the CSV file, or a stream of its bytes. */
  csv: string | Readable;
  /** Column holding the e-mail address (the key). Default `email`. */
  keyColumn?: string;
  /** Check field names and values against the database's fields before sending. Default true. */
  validateFields?: boolean;
  /** Default: `COPERNICA_ACCESS_TOKEN`. */
  accessToken?: string;
  /** Default: `COPERNICA_BASE_URL`, else the real API. */
  baseUrl?: string;
}

/** A row that was not synced, and why. */
export interface SkippedRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  reason: string;
}

/** What {@link main} did. */
export interface SyncProfilesSummary {
  created: number;
  updated: number;
  skipped: SkippedRow[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Upserts every row of the CSV; rows without a valid address, or refused by validation, are
 * skipped and reported (other errors stop the sync).
 *
 * @example
 * const summary = await main({ database: 12, csv: 'contacts.csv' });
 * console.log(summary.created, summary.updated, summary.skipped);
 */
export async function main(opts: SyncProfilesOptions): Promise<SyncProfilesSummary> {
  const accessToken = opts.accessToken ?? process.env.COPERNICA_ACCESS_TOKEN;
  if (!accessToken) throw new Error('Set COPERNICA_ACCESS_TOKEN (or pass accessToken)');
  const baseUrl = opts.baseUrl ?? process.env.COPERNICA_BASE_URL;
  const client = new Copernica({ accessToken, ...(baseUrl ? { baseUrl } : {}) });
  const key = opts.keyColumn ?? 'email';

  const input = typeof opts.csv === 'string' ? createReadStream(opts.csv) : opts.csv;
  const rows = input.pipe(parse({ columns: true, trim: true, skip_empty_lines: true, bom: true, info: true }));
  const summary: SyncProfilesSummary = { created: 0, updated: 0, skipped: [] };

  for await (const { record, info } of rows as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    const email = record[key] ?? '';
    if (!EMAIL.test(email)) {
      summary.skipped.push({ line: info.lines, reason: `no valid e-mail address in column ${key}` });
      continue;
    }
    try {
      // Sequential on purpose: upserts of the same address must not race (two creates).
      const result = await client.profiles.upsert(opts.database, {
        where: where.eq(key, email),
        fields: record,
        validateFields: opts.validateFields ?? true,
      });
      if (result.created) summary.created++;
      else summary.updated++;
    } catch (error) {
      if (!isValidationError(error)) throw error;
      summary.skipped.push({ line: info.lines, reason: error.message });
    }
  }
  return summary;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({ options: { database: { type: 'string' } }, allowPositionals: true });
  if (!values.database || !/^\d+$/.test(values.database) || positionals.length !== 1) {
    console.error('usage: node examples/sync-profiles-from-csv.ts --database <id> <file.csv>');
    process.exit(2);
  }
  main({ database: Number(values.database), csv: positionals[0]! }).then(
    (s) => {
      console.log(`created ${s.created}, updated ${s.updated}, skipped ${s.skipped.length}`);
      for (const row of s.skipped) console.log(`  line ${row.line}: ${row.reason}`);
    },
    (error: unknown) => {
      console.error(isCopernicaError(error) || error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
