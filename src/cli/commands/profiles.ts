/** `copernica profiles list|export`. */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { Option, type Command } from 'commander';
import type { Copernica } from '../../client.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { OUTPUT_FORMATS, pickFormat, positiveInt, printItems, type OutputFormat, type Row } from '../output.js';
import { createProgress } from '../progress.js';
import { checkWhereFields, collect, databaseId, formatOptions, viewId } from './shared.js';
import { registerProfileSync } from './sync.js';

/** What list and export print per profile in JSON/NDJSON: the SDK's Profile object. */
interface ProfileLike {
  ID: number;
  created?: string | null | undefined;
  modified?: string | null | undefined;
  fields?: Record<string, unknown> | undefined;
}

const FIXED = ['ID', 'created', 'modified'];

/** A flat row: `ID`, `created`, `modified`, then the fields (a field named like a fixed column becomes `fields.<name>`). */
function profileRow(p: ProfileLike): Row {
  const row: Row = { ID: p.ID, created: p.created, modified: p.modified };
  for (const [k, v] of Object.entries(p.fields ?? {})) row[FIXED.includes(k) ? `fields.${k}` : k] = v;
  return row;
}

async function fieldColumns(client: Copernica, database: number): Promise<string[]> {
  const names: string[] = [];
  for await (const f of client.databases.fields.list(database)) names.push(FIXED.includes(f.name) ? `fields.${f.name}` : f.name);
  return [...FIXED, ...names];
}

const WHERE_HELP =
  "condition on a field, e.g. 'country==nl' (repeatable, ANDed; operators == != <> < > <= >= =~ !~; field names are checked against the database)";
const CHECK_HELP = 'send --where conditions on fields the database does not have (Copernica ignores them and matches every profile)';

interface ListOpts {
  database: string;
  where?: string[];
  checkFields: boolean;
  format?: string;
  json?: boolean;
  limit?: string;
  orderBy?: string;
  order?: 'asc' | 'desc';
}

interface ExportOpts {
  database?: string;
  view?: string;
  where?: string[];
  checkFields: boolean;
  format?: string;
  output?: string;
}

export function registerProfiles(program: Command, ctx: CliContext): void {
  const profiles = program.command('profiles').description('profiles of a database or view');

  const list = profiles
    .command('list')
    .description('list or search the profiles of a database (GET /database/{id}/profiles)')
    .requiredOption('--database <id|name>', 'database ID or name')
    .option('--where <condition>', WHERE_HELP, collect)
    .option('--no-check-fields', CHECK_HELP)
    .option('--limit <n>', 'at most this many profiles (default 100; use `profiles export` for all)')
    .option('--order-by <field>', 'sort key: a field name, id, modified or random')
    .addOption(new Option('--order <direction>', 'sort direction').choices(['asc', 'desc']))
    .addHelpText(
      'after',
      '\nJSON: an array of {"ID", "database", "secret", "created", "modified", "fields": {name: value}, "interests": [names], "removed"}.\nTable and CSV: ID, created, modified, then one column per field.',
    );
  formatOptions(list, OUTPUT_FORMATS, 'table').action(async (opts: ListOpts) => {
    const format = pickFormat(opts, OUTPUT_FORMATS, 'table');
    const limit = positiveInt('--limit', opts.limit) ?? 100;
    const client = ctx.client();
    const db = await databaseId(client, opts.database);
    if (opts.checkFields) await checkWhereFields(client, db, opts.where ?? []);
    const request = client.profiles.list(db, {
      where: opts.where ?? [],
      ...(opts.orderBy ? { orderBy: opts.orderBy } : {}),
      ...(opts.order ? { order: opts.order } : {}),
    });
    const items = await request.toArray({ limit });
    await printItems(ctx.stdout, items, format, profileRow);
  });

  profiles
    .command('export')
    .description('stream EVERY profile of a database or view, page by page (a progress bar on stderr when it is a terminal)')
    .option('--database <id|name>', 'database ID or name')
    .option('--view <id|name>', 'export the profiles of this view (by name: with --database)')
    .option('--where <condition>', WHERE_HELP, collect)
    .option('--no-check-fields', CHECK_HELP)
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'csv']).default('ndjson'))
    .option('--output <file>', 'write to this file (written as <file>.partial, renamed when complete) instead of stdout')
    .addHelpText(
      'after',
      '\nNDJSON: one profile object per line, as in `profiles list --json`.\nCSV: ID, created, modified, then one column per field of the database.\nA database export pages by ID (fields[]=id>LAST), so profiles added or removed meanwhile are neither skipped nor repeated.',
    )
    .action(async (opts: ExportOpts) => {
      const format = opts.format as OutputFormat;
      const client = ctx.client();
      let db = opts.database === undefined ? undefined : await databaseId(client, opts.database);
      const view = opts.view === undefined ? undefined : await viewId(client, opts.view, db);
      if (db === undefined && view === undefined) throw new UsageError('profiles export needs --database or --view');
      const where = opts.where ?? [];
      if (view !== undefined && db === undefined && (format === 'csv' || (opts.checkFields && where.length > 0)))
        db = (await client.views.get(view)).database;
      if (opts.checkFields) await checkWhereFields(client, db as number, where);
      const columns = format === 'csv' ? await fieldColumns(client, db as number) : undefined;
      const source = () =>
        view !== undefined ? client.profiles.listInView(view, { where }) : client.profiles.list(db as number, { where, iterate: 'key' });

      let total: number | undefined;
      if (ctx.stderr.isTTY === true) {
        total = (
          await (view !== undefined
            ? client.profiles.listInView(view, { where, limit: 1 })
            : client.profiles.list(db as number, { where, limit: 1 }))
        ).total;
      }
      const progress = await createProgress(ctx.stderr, total);
      async function* counted(): AsyncGenerator<ProfileLike> {
        for await (const p of source()) {
          yield p as ProfileLike;
          progress.tick();
        }
      }

      if (opts.output === undefined) {
        try {
          await printItems(ctx.stdout, counted(), format, profileRow, columns);
        } finally {
          progress.stop();
        }
        return;
      }
      const partial = `${opts.output}.partial`;
      const file: Writable = createWriteStream(partial, { flags: 'w' });
      try {
        await printItems(file, counted(), format, profileRow, columns);
        file.end();
        await finished(file);
        renameSync(partial, opts.output);
      } catch (error) {
        file.destroy();
        rmSync(partial, { force: true });
        throw error;
      } finally {
        progress.stop();
      }
    });

  registerProfileSync(profiles, ctx);
}
