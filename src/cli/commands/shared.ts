/** Helpers shared by the commands: format options, repeatable options, database and view names. */
import type { Command } from 'commander';
import type { Copernica } from '../../client.js';
import { CliError, UsageError } from '../errors.js';
import type { OutputFormat } from '../output.js';

/** Adds `--format <f>` (one of `allowed`) and, when JSON is allowed, `--json`. */
export function formatOptions(cmd: Command, allowed: readonly OutputFormat[], fallback: OutputFormat): Command {
  cmd.option('--format <format>', `output format: ${allowed.join(', ')}`, fallback);
  if (allowed.includes('json')) cmd.option('--json', 'same as --format json (stable for piping, see docs/cli.md)');
  return cmd;
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const INTEGER = /^[1-9]\d*$/;

/** A database ID from an ID or a name (names are looked up in `GET /databases`, ignoring case). */
export async function databaseId(client: Copernica, value: string): Promise<number> {
  if (INTEGER.test(value)) return Number(value);
  if (!value.trim()) throw new UsageError('--database must be a database ID or name');
  for await (const db of client.databases.list()) {
    if (db.name.toLowerCase() === value.toLowerCase()) return db.ID;
  }
  throw new CliError(`no database named ${JSON.stringify(value)} in this account`);
}

/** A view ID from an ID, or a name among the top-level views of `database` (ignoring case). */
export async function viewId(client: Copernica, value: string, database: number | undefined): Promise<number> {
  if (INTEGER.test(value)) return Number(value);
  if (database === undefined) throw new UsageError('--view by name needs --database (or give the view ID)');
  for await (const view of client.views.list(database)) {
    if (view.name.toLowerCase() === value.toLowerCase()) return view.ID;
  }
  throw new CliError(`no view named ${JSON.stringify(value)} in database ${database}`);
}
