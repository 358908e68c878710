/** `copernica databases list`. */
import type { Command } from 'commander';
import type { Database } from '../../resources/databases.js';
import type { CliContext } from '../context.js';
import { OUTPUT_FORMATS, pickFormat, positiveInt, printItems } from '../output.js';
import { formatOptions } from './shared.js';

export function registerDatabases(program: Command, ctx: CliContext): void {
  const databases = program.command('databases').description('databases of the account');
  const list = databases
    .command('list')
    .description('list the databases (GET /databases, every page)')
    .option('--limit <n>', 'at most this many databases')
    .addHelpText(
      'after',
      '\nJSON: an array of databases as the SDK types them: {"ID", "name", "description", "archived", "created", "fields", "interests", "collections"}',
    );
  formatOptions(list, OUTPUT_FORMATS, 'table').action(async (opts: { format?: string; json?: boolean; limit?: string }) => {
    const format = pickFormat(opts, OUTPUT_FORMATS, 'table');
    const limit = positiveInt('--limit', opts.limit);
    const client = ctx.client();
    const items = limit === undefined ? client.databases.list() : await client.databases.list().toArray({ limit });
    await printItems(ctx.stdout, items, format, (db: Database) => ({
      ID: db.ID,
      name: db.name,
      description: db.description,
      archived: db.archived,
      created: db.created,
      fields: db.fields?.length,
      collections: db.collections?.length,
    }));
  });
}
