/**
 * Export the profiles of a view as NDJSON (one JSON object per line), streamed page by page with
 * backpressure: memory stays flat however large the view is.
 *
 *   COPERNICA_ACCESS_TOKEN=… npm run -s example -- examples/export-view-ndjson.ts --view 55 > members.ndjson
 *   COPERNICA_ACCESS_TOKEN=… npm run example -- examples/export-view-ndjson.ts --view 55 --out members.ndjson
 *
 * Each line is the SDK's typed profile: `{"ID":…,"database":…,"secret":…,"created":…,"modified":…,
 * "fields":{…},"interests":[…]}` (numbers for IDs, null for empty dates).
 * `COPERNICA_BASE_URL` points the script elsewhere (e.g. the fake server of `copernica-fake`).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Copernica, isCopernicaError } from 'copernica-rest';

/** Options of {@link main}. */
export interface ExportViewOptions {
  /** View ID. */
  view: number;
  /** File path, or a writable stream (not ended by `main`). Default: standard output. */
  out?: string | Writable;
  /** Default: `COPERNICA_ACCESS_TOKEN`. */
  accessToken?: string;
  /** Default: `COPERNICA_BASE_URL`, else the real API. */
  baseUrl?: string;
}

/**
 * Writes every profile of the view as one JSON line; resolves with the number of lines.
 *
 * @example
 * const lines = await main({ view: 55, out: 'members.ndjson' });
 */
export async function main(opts: ExportViewOptions): Promise<number> {
  const accessToken = opts.accessToken ?? process.env.COPERNICA_ACCESS_TOKEN;
  if (!accessToken) throw new Error('Set COPERNICA_ACCESS_TOKEN (or pass accessToken)');
  const baseUrl = opts.baseUrl ?? process.env.COPERNICA_BASE_URL;
  const client = new Copernica({ accessToken, ...(baseUrl ? { baseUrl } : {}) });

  const ownFile = typeof opts.out === 'string';
  const out: Writable = typeof opts.out === 'string' ? createWriteStream(opts.out) : (opts.out ?? process.stdout);
  let lines = 0;
  try {
    // `for await` fetches the next page only when this loop asks for it.
    for await (const profile of client.profiles.listInView(opts.view)) {
      if (!out.write(`${JSON.stringify(profile)}\n`)) await once(out, 'drain');
      lines++;
    }
  } finally {
    if (ownFile) {
      out.end();
      await finished(out);
    }
  }
  return lines;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { view: { type: 'string' }, out: { type: 'string' } } });
  if (!values.view || !/^\d+$/.test(values.view)) {
    console.error('usage: npm run example -- examples/export-view-ndjson.ts --view <id> [--out file.ndjson]');
    process.exit(2);
  }
  // `… | head` closes standard output early: stop quietly instead of reporting EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : 1));
  main({ view: Number(values.view), ...(values.out ? { out: values.out } : {}) }).then(
    (n) => console.error(`exported ${n} profiles`),
    (error: unknown) => {
      console.error(isCopernicaError(error) || error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
