/**
 * Pull yesterday's click logfile (`cdm-click.YYYY-MM-DD.log`, Marketing Suite) into typed rows:
 * IDs as numbers, empty dates as null. The file is parsed while it downloads.
 *
 *   COPERNICA_ACCESS_TOKEN=… npm run example -- examples/yesterday-clicks.ts
 *
 * "Yesterday" is the UTC day before now (logfile names carry UTC dates). Prints one summary line
 * per clicked link. `COPERNICA_BASE_URL` points the script elsewhere (e.g. the fake server).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Copernica, isCopernicaError } from 'copernica-rest';
import type { LogfileRowOf } from 'copernica-rest';

/** One row of a `cdm-click` logfile, as the SDK types it. */
export type ClickRow = LogfileRowOf<'cdm-click'>;

/** Options of {@link main}. */
export interface YesterdayClicksOptions {
  /** "Now"; yesterday is the UTC day before it. Default: the current time. */
  now?: Date;
  /** Default: `COPERNICA_ACCESS_TOKEN`. */
  accessToken?: string;
  /** Default: `COPERNICA_BASE_URL`, else the real API. */
  baseUrl?: string;
}

/** What {@link main} found. */
export interface YesterdayClicks {
  /** The day read, `YYYY-MM-DD` (UTC). */
  date: string;
  /** The logfile read, or null when that day has no click logfile. */
  file: string | null;
  rows: ClickRow[];
}

/**
 * Reads yesterday's `cdm-click` logfile into typed rows (an empty list when there is none).
 *
 * @example
 * const { date, rows } = await main();
 * for (const r of rows) console.log(r.time, r.email, r.linkinfo, r.profile);
 */
export async function main(opts: YesterdayClicksOptions = {}): Promise<YesterdayClicks> {
  const accessToken = opts.accessToken ?? process.env.COPERNICA_ACCESS_TOKEN;
  if (!accessToken) throw new Error('Set COPERNICA_ACCESS_TOKEN (or pass accessToken)');
  const baseUrl = opts.baseUrl ?? process.env.COPERNICA_BASE_URL;
  const client = new Copernica({ accessToken, ...(baseUrl ? { baseUrl } : {}) });

  const now = opts.now ?? new Date();
  const date = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const names = await client.logfiles.names(date);
  const file = names.find((n) => n === `cdm-click.${date}.log`) ?? null;
  const rows: ClickRow[] = [];
  if (file !== null) {
    // The name's prefix types the rows: `records('cdm-click.…')` yields ClickRow.
    for await (const row of client.logfiles.records(file as `cdm-click.${string}`)) rows.push(row);
  }
  return { date, file, rows };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { now: { type: 'string' } } });
  main(values.now ? { now: new Date(values.now) } : {}).then(
    ({ date, file, rows }) => {
      if (file === null) return console.log(`no click logfile for ${date}`);
      const perLink = new Map<number | null, number>();
      for (const r of rows) perLink.set(r.linkinfo, (perLink.get(r.linkinfo) ?? 0) + 1);
      console.log(`${file}: ${rows.length} clicks`);
      for (const [link, n] of perLink) console.log(`  link ${link ?? '?'}: ${n}`);
    },
    (error: unknown) => {
      console.error(isCopernicaError(error) || error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
