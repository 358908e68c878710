/** Helpers shared by the commands: format options, repeatable options, database and view names. */
import type { Command } from 'commander';
import type { Copernica } from '../../client.js';
import { parseFilterExpression } from '../../core/filter.js';
import { CliError, UsageError } from '../errors.js';
import type { OutputFormat } from '../output.js';

/**
 * Adds `--format <f>` (one of `allowed`) and, when JSON is allowed, `--json`. The default is applied
 * by `pickFormat`, not by commander, so a `--format` given next to `--json` can be told apart.
 */
export function formatOptions(cmd: Command, allowed: readonly OutputFormat[], fallback: OutputFormat): Command {
  cmd.option('--format <format>', `output format: ${allowed.join(', ')} (default: ${fallback})`);
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

/** Names a filter may compare besides the fields: the (sub)profile ID, its secret code, its last change. */
const SPECIAL_FILTER_NAMES = ['id', 'code', 'modified'];

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), for "did you mean". */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Up to three known names close to `name` (edit distance at most 2, or one contains the other), closest first. */
export function closeNames(name: string, known: readonly string[]): string[] {
  const lower = name.toLowerCase();
  return known
    .map((k) => ({ k, d: distance(lower, k.toLowerCase()) }))
    .filter(
      ({ k, d }) => d <= Math.max(1, Math.min(2, Math.floor(lower.length / 3))) || (lower.length >= 3 && k.toLowerCase().includes(lower)),
    )
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, 3)
    .map(({ k }) => k);
}

/**
 * Refuses `--where` conditions on fields the database does not have: Copernica ignores an unknown
 * field and matches EVERY profile, so `contry==nl` would print them all. Names compare without case
 * (as the server does); `id`, `code` and `modified` are always allowed. Conditions that do not parse
 * are left to the SDK, which refuses them with a ValidationError. `--no-check-fields` skips this.
 */
export async function checkWhereFields(client: Copernica, database: number, where: readonly string[]): Promise<void> {
  const named = where
    .map((w) => ({ w, field: parseFilterExpression(w)?.field }))
    .filter((x): x is { w: string; field: string } => x.field !== undefined && x.field !== '');
  if (named.length === 0) return;
  const fields: string[] = [];
  for await (const f of client.databases.fields.list(database)) fields.push(f.name);
  const known = new Set([...fields, ...SPECIAL_FILTER_NAMES].map((n) => n.toLowerCase()));
  for (const { w, field } of named) {
    if (known.has(field.toLowerCase())) continue;
    const near = closeNames(field, [...fields, ...SPECIAL_FILTER_NAMES]);
    const hint =
      near.length > 0
        ? `; did you mean ${near.map((n) => JSON.stringify(n)).join(' or ')}?`
        : `; its fields: ${fields.length === 0 ? '(none)' : fields.slice(0, 20).join(', ') + (fields.length > 20 ? `, … (${fields.length} in all)` : '')}`;
    throw new UsageError(
      `--where ${JSON.stringify(w)}: database ${database} has no field ${JSON.stringify(field)}${hint} (Copernica ignores unknown fields and would match every profile; --no-check-fields skips this check)`,
    );
  }
}
