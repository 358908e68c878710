/** `copernica profiles sync` and `copernica profiles changes` (issue 15). */
import { createReadStream, createWriteStream, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import type { SyncOutcome, SyncSummary } from '../../resources/sync.js';
import type { CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { positiveInt } from '../output.js';
import { createProgress } from '../progress.js';
import { databaseId } from './shared.js';

interface SyncOpts {
  database: string;
  key: string;
  dryRun?: boolean;
  create: boolean;
  preserve?: string;
  concurrency?: string;
  format?: 'csv' | 'ndjson';
  log?: string;
  checkpoint?: string;
  json?: boolean;
}

interface ChangesOpts {
  database: string;
  since?: string;
  cursorFile?: string;
}

/** Records of a CSV (header row = field names) or NDJSON file, streamed (memory does not grow with the file). */
async function* readRecords(file: string, format: 'csv' | 'ndjson'): AsyncGenerator<Record<string, unknown>> {
  if (format === 'csv') {
    const { parse } = await import('csv-parse'); // loaded for a CSV sync only, never for `--help`
    const parser = createReadStream(file).pipe(parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: false }));
    for await (const row of parser) yield row as Record<string, unknown>;
    return;
  }
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new CliError(`${file} line ${n}: not JSON`);
    }
    yield value as Record<string, unknown>;
  }
}

function formatOf(file: string, given: 'csv' | 'ndjson' | undefined): 'csv' | 'ndjson' {
  if (given) return given;
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson';
  throw new UsageError(`cannot tell the format of ${file}: name it .csv, .ndjson or .jsonl, or pass --format`);
}

/** One outcome as a log line: no secrets (the SDK's errors carry none), values as written. */
function logLine(o: SyncOutcome): string {
  const { error, ...rest } = o as SyncOutcome & { error?: { toJSON(): unknown } };
  const subprofiles = o.subprofiles.map((s) => ({ ...s, error: s.error?.toJSON() }));
  return `${JSON.stringify({ ...rest, subprofiles, ...(error ? { error: error.toJSON() } : {}) })}\n`;
}

export function summaryLine(s: SyncSummary): string {
  const subs = s.subprofiles.created + s.subprofiles.updated + s.subprofiles.unchanged + s.subprofiles.failed + s.subprofiles.skipped;
  return (
    `${s.dryRun ? 'dry run (nothing written): ' : ''}${s.done} records: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.failed} failed` +
    (s.resumedAt ? ` (resumed after ${s.resumedAt})` : '') +
    (subs
      ? `; subprofiles: ${s.subprofiles.created} created, ${s.subprofiles.updated} updated, ${s.subprofiles.unchanged} unchanged, ${s.subprofiles.failed} failed`
      : '') +
    ` in ${(s.durationMs / 1000).toFixed(1)} s`
  );
}

export function registerProfileSync(profiles: Command, ctx: CliContext): void {
  profiles
    .command('sync')
    .description('sync records from a CSV or NDJSON file into a database, keyed on one field: create, update or leave each profile')
    .argument('<file>', 'records: a .csv file (header row = field names) or .ndjson/.jsonl (one object per line)')
    .requiredOption('--database <id|name>', 'database ID or name')
    .requiredOption('--key <field>', 'the field that identifies a record (e.g. customerId or email)')
    .option('--dry-run', 'report what would change, write nothing')
    .option('--no-create', 'never create a profile (records without one are skipped)')
    .option('--preserve <fields>', 'comma-separated fields never overwritten when they hold a value')
    .option('--concurrency <n>', 'records in flight at once, 1 to 32 (default 8)')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'ndjson']))
    .option('--log <file>', 'write one NDJSON line per record outcome to this file')
    .option('--checkpoint <file>', 'keep progress in this JSON file; a run that died resumes after the last finished record')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nStdout: the summary. Stderr: a progress bar (on a terminal) and one line per failed record.\nExit code 1 when a record failed. An empty CSV cell empties the field; leave the column out to keep a value.',
    )
    .action(async (file: string, opts: SyncOpts) => {
      const format = formatOf(file, opts.format);
      const concurrency = positiveInt('--concurrency', opts.concurrency);
      if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
      const preserve =
        opts.preserve === undefined
          ? undefined
          : opts.preserve
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '');
      const client = ctx.client();
      const db = await databaseId(client, opts.database);
      const { FileCheckpoint } = await import('../../resources/sync.js');
      const progress = await createProgress(ctx.stderr, undefined, 'records');
      const log = opts.log === undefined ? undefined : createWriteStream(`${opts.log}`, { flags: 'w' });
      let summary: SyncSummary;
      try {
        const run = client.profiles.sync(db, readRecords(file, format) as AsyncIterable<Record<string, string>>, {
          key: opts.key,
          create: opts.create,
          ...(opts.dryRun ? { dryRun: true } : {}),
          ...(preserve ? { preserve } : {}),
          ...(concurrency !== undefined ? { concurrency } : {}),
          ...(opts.checkpoint ? { checkpoint: new FileCheckpoint(opts.checkpoint) } : {}),
        });
        for await (const o of run) {
          progress.tick();
          if (log && !log.write(logLine(o))) await once(log, 'drain');
          if (o.status === 'failed')
            ctx.stderr.write(
              `record ${o.index}${o.key ? ` (${opts.key} ${JSON.stringify(o.key)})` : ''}: ${o.error.name}: ${o.error.message}\n`,
            );
        }
        summary = await run.summary();
      } finally {
        progress.stop();
        if (log) {
          log.end();
          await finished(log);
        }
      }
      ctx.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `${summaryLine(summary)}\n`);
      if (summary.failed > 0)
        throw new CliError(`${summary.failed} of ${summary.done} records failed${opts.log ? ` (see ${opts.log})` : ''}`);
    });

  profiles
    .command('changes')
    .description('print (NDJSON) the profiles modified since a cursor or a date, each once; then the cursor for next time')
    .requiredOption('--database <id|name>', 'database ID or name')
    .option(
      '--since <cursor|date>',
      'the cursor of the previous run, or a date YYYY-MM-DD[ hh:mm:ss] in Copernica (Amsterdam) time; default: every profile',
    )
    .option('--cursor-file <file>', 'read --since from this file when it exists, and write the new cursor to it when the run completes')
    .addHelpText('after', '\nStdout: one profile per line. Stderr: `cursor: <cursor>` at the end (unless --cursor-file).')
    .action(async (opts: ChangesOpts) => {
      let since = opts.since;
      if (since === undefined && opts.cursorFile && existsSync(opts.cursorFile)) since = readFileSync(opts.cursorFile, 'utf8').trim();
      const client = ctx.client();
      const db = await databaseId(client, opts.database);
      const changes = client.profiles.changes(db, since === undefined ? {} : { since });
      for await (const p of changes) {
        if (!ctx.stdout.write(`${JSON.stringify(p)}\n`)) await once(ctx.stdout, 'drain');
      }
      if (opts.cursorFile) {
        writeFileSync(`${opts.cursorFile}.partial`, `${changes.cursor}\n`);
        renameSync(`${opts.cursorFile}.partial`, opts.cursorFile);
      } else ctx.stderr.write(`cursor: ${changes.cursor}\n`);
    });
}
