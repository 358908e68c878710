/**
 * The logfile types of spec/API.md §3.23 and their columns, in file order, with the typed row of each.
 * Internal to the logfiles resource; the public types are re-exported from `logfiles.ts`.
 */
import { UNSAFE_KEY } from '../core/schema.js';

/**
 * @internal Columns of every logfile type, in file order (spec/API.md §3.23). Its keys are spelled
 * out in {@link LogfileTypeName}; the `satisfies` below and test/types/enums.test-d.ts keep them equal.
 */
export const LOGFILE_COLUMN_ORDER = {
  'cdm-attempts': [
    'id',
    'time',
    'mailingid',
    'profileid',
    'subprofileid',
    'databaseid',
    'collectionid',
    'senderdomain',
    'templateid',
    'tags',
    'email',
  ],
  'cdm-abuse': ['id', 'time', 'mail', 'email', 'tags', 'senderdomain', 'profile', 'subprofile', 'template'],
  'cdm-click': [
    'id',
    'senderdomain',
    'time',
    'linkinfo',
    'ip',
    'header',
    'email',
    'tags',
    'countrycode',
    'countryname',
    'regioncode',
    'city',
    'profile',
    'subprofile',
    'template',
  ],
  'cdm-delivery': ['id', 'time', 'attempts', 'email', 'tags', 'senderdomain', 'profile', 'subprofile', 'template'],
  'cdm-error': [
    'id',
    'time',
    'type',
    'status',
    'description',
    'code',
    'email',
    'tags',
    'senderdomain',
    'profile',
    'subprofile',
    'template',
  ],
  'cdm-impression': [
    'id',
    'time',
    'ip',
    'header',
    'email',
    'tags',
    'countrycode',
    'countryname',
    'regioncode',
    'city',
    'senderdomain',
    'profile',
    'subprofile',
    'template',
  ],
  'cdm-retry': ['id', 'time', 'attempt', 'email', 'tags', 'senderdomain', 'profile', 'subprofile', 'template'],
  'cdm-unsubscribe': ['id', 'time', 'email', 'tags', 'senderdomain', 'profile', 'subprofile', 'template'],
  'pom-attempts': [
    'id',
    'time',
    'groupid',
    'mailingid',
    'profileid',
    'subprofileid',
    'databaseid',
    'collectionid',
    'senderdomain',
    'templateid',
    'documentid',
    'tags',
    'email',
  ],
  'pom-abuses': ['id', 'time', 'mail', 'email', 'tags', 'senderdomain', 'groupid', 'profile', 'subprofile', 'template', 'document'],
  'pom-clicks': [
    'id',
    'time',
    'ip',
    'header',
    'email',
    'tags',
    'countrycode',
    'countryname',
    'regioncode',
    'city',
    'linkinfo',
    'senderdomain',
    'groupid',
    'profile',
    'subprofile',
    'template',
    'document',
  ],
  'pom-deliveries': ['id', 'time', 'attempts', 'email', 'tags', 'senderdomain', 'groupid', 'profile', 'subprofile', 'template', 'document'],
  'pom-errors': [
    'id',
    'time',
    'type',
    'status',
    'description',
    'code',
    'content',
    'email',
    'tags',
    'senderdomain',
    'groupid',
    'profile',
    'subprofile',
    'template',
    'document',
  ],
  'pom-impressions': [
    'id',
    'time',
    'ip',
    'header',
    'email',
    'tags',
    'countrycode',
    'countryname',
    'regioncode',
    'city',
    'senderdomain',
    'groupid',
    'profile',
    'subprofile',
    'template',
    'document',
  ],
  'pom-retries': ['id', 'time', 'attempts', 'email', 'tags', 'senderdomain', 'groupid', 'profile', 'subprofile', 'template', 'document'],
  'pom-unsubscribes': ['id', 'time', 'email', 'tags', 'senderdomain', 'groupid', 'profile', 'subprofile', 'template', 'document'],
} as const satisfies { [T in LogfileTypeName]: readonly LogfileColumns[T][] };

/**
 * A logfile type: the file name's prefix, e.g. `cdm-click` in `cdm-click.2017-03-08.log`. `cdm-*`
 * files are Marketing Suite mailings, `pom-*` files Publisher mailings.
 */
export type LogfileTypeName =
  | 'cdm-attempts'
  | 'cdm-abuse'
  | 'cdm-click'
  | 'cdm-delivery'
  | 'cdm-error'
  | 'cdm-impression'
  | 'cdm-retry'
  | 'cdm-unsubscribe'
  | 'pom-attempts'
  | 'pom-abuses'
  | 'pom-clicks'
  | 'pom-deliveries'
  | 'pom-errors'
  | 'pom-impressions'
  | 'pom-retries'
  | 'pom-unsubscribes';

/**
 * The columns of every logfile type (spec/API.md §3.23). The run-time list of each type's columns in
 * file order is kept beside it; test/types/enums.test-d.ts proves they name the same columns.
 */
export interface LogfileColumns {
  /** Columns of `cdm-attempts` files, in file order: `id`, `time`, `mailingid`, `profileid`, `subprofileid`, `databaseid`, `collectionid`, `senderdomain`, `templateid`, `tags`, `email`. */
  'cdm-attempts':
    | 'id'
    | 'time'
    | 'mailingid'
    | 'profileid'
    | 'subprofileid'
    | 'databaseid'
    | 'collectionid'
    | 'senderdomain'
    | 'templateid'
    | 'tags'
    | 'email';
  /** Columns of `cdm-abuse` files, in file order: `id`, `time`, `mail`, `email`, `tags`, `senderdomain`, `profile`, `subprofile`, `template`. */
  'cdm-abuse': 'id' | 'time' | 'mail' | 'email' | 'tags' | 'senderdomain' | 'profile' | 'subprofile' | 'template';
  /** Columns of `cdm-click` files, in file order: `id`, `senderdomain`, `time`, `linkinfo`, `ip`, `header`, `email`, `tags`, `countrycode`, `countryname`, `regioncode`, `city`, `profile`, `subprofile`, `template`. */
  'cdm-click':
    | 'id'
    | 'senderdomain'
    | 'time'
    | 'linkinfo'
    | 'ip'
    | 'header'
    | 'email'
    | 'tags'
    | 'countrycode'
    | 'countryname'
    | 'regioncode'
    | 'city'
    | 'profile'
    | 'subprofile'
    | 'template';
  /** Columns of `cdm-delivery` files, in file order: `id`, `time`, `attempts`, `email`, `tags`, `senderdomain`, `profile`, `subprofile`, `template`. */
  'cdm-delivery': 'id' | 'time' | 'attempts' | 'email' | 'tags' | 'senderdomain' | 'profile' | 'subprofile' | 'template';
  /** Columns of `cdm-error` files, in file order: `id`, `time`, `type`, `status`, `description`, `code`, `email`, `tags`, `senderdomain`, `profile`, `subprofile`, `template`. */
  'cdm-error':
    | 'id'
    | 'time'
    | 'type'
    | 'status'
    | 'description'
    | 'code'
    | 'email'
    | 'tags'
    | 'senderdomain'
    | 'profile'
    | 'subprofile'
    | 'template';
  /** Columns of `cdm-impression` files, in file order: `id`, `time`, `ip`, `header`, `email`, `tags`, `countrycode`, `countryname`, `regioncode`, `city`, `senderdomain`, `profile`, `subprofile`, `template`. */
  'cdm-impression':
    | 'id'
    | 'time'
    | 'ip'
    | 'header'
    | 'email'
    | 'tags'
    | 'countrycode'
    | 'countryname'
    | 'regioncode'
    | 'city'
    | 'senderdomain'
    | 'profile'
    | 'subprofile'
    | 'template';
  /** Columns of `cdm-retry` files, in file order: `id`, `time`, `attempt`, `email`, `tags`, `senderdomain`, `profile`, `subprofile`, `template`. */
  'cdm-retry': 'id' | 'time' | 'attempt' | 'email' | 'tags' | 'senderdomain' | 'profile' | 'subprofile' | 'template';
  /** Columns of `cdm-unsubscribe` files, in file order: `id`, `time`, `email`, `tags`, `senderdomain`, `profile`, `subprofile`, `template`. */
  'cdm-unsubscribe': 'id' | 'time' | 'email' | 'tags' | 'senderdomain' | 'profile' | 'subprofile' | 'template';
  /** Columns of `pom-attempts` files, in file order: `id`, `time`, `groupid`, `mailingid`, `profileid`, `subprofileid`, `databaseid`, `collectionid`, `senderdomain`, `templateid`, `documentid`, `tags`, `email`. */
  'pom-attempts':
    | 'id'
    | 'time'
    | 'groupid'
    | 'mailingid'
    | 'profileid'
    | 'subprofileid'
    | 'databaseid'
    | 'collectionid'
    | 'senderdomain'
    | 'templateid'
    | 'documentid'
    | 'tags'
    | 'email';
  /** Columns of `pom-abuses` files, in file order: `id`, `time`, `mail`, `email`, `tags`, `senderdomain`, `groupid`, `profile`, `subprofile`, `template`, `document`. */
  'pom-abuses': 'id' | 'time' | 'mail' | 'email' | 'tags' | 'senderdomain' | 'groupid' | 'profile' | 'subprofile' | 'template' | 'document';
  /** Columns of `pom-clicks` files, in file order: `id`, `time`, `ip`, `header`, `email`, `tags`, `countrycode`, `countryname`, `regioncode`, `city`, `linkinfo`, `senderdomain`, `groupid`, `profile`, `subprofile`, `template`, `document`. */
  'pom-clicks':
    | 'id'
    | 'time'
    | 'ip'
    | 'header'
    | 'email'
    | 'tags'
    | 'countrycode'
    | 'countryname'
    | 'regioncode'
    | 'city'
    | 'linkinfo'
    | 'senderdomain'
    | 'groupid'
    | 'profile'
    | 'subprofile'
    | 'template'
    | 'document';
  /** Columns of `pom-deliveries` files, in file order: `id`, `time`, `attempts`, `email`, `tags`, `senderdomain`, `groupid`, `profile`, `subprofile`, `template`, `document`. */
  'pom-deliveries':
    | 'id'
    | 'time'
    | 'attempts'
    | 'email'
    | 'tags'
    | 'senderdomain'
    | 'groupid'
    | 'profile'
    | 'subprofile'
    | 'template'
    | 'document';
  /** Columns of `pom-errors` files, in file order: `id`, `time`, `type`, `status`, `description`, `code`, `content`, `email`, `tags`, `senderdomain`, `groupid`, `profile`, `subprofile`, `template`, `document`. */
  'pom-errors':
    | 'id'
    | 'time'
    | 'type'
    | 'status'
    | 'description'
    | 'code'
    | 'content'
    | 'email'
    | 'tags'
    | 'senderdomain'
    | 'groupid'
    | 'profile'
    | 'subprofile'
    | 'template'
    | 'document';
  /** Columns of `pom-impressions` files, in file order: `id`, `time`, `ip`, `header`, `email`, `tags`, `countrycode`, `countryname`, `regioncode`, `city`, `senderdomain`, `groupid`, `profile`, `subprofile`, `template`, `document`. */
  'pom-impressions':
    | 'id'
    | 'time'
    | 'ip'
    | 'header'
    | 'email'
    | 'tags'
    | 'countrycode'
    | 'countryname'
    | 'regioncode'
    | 'city'
    | 'senderdomain'
    | 'groupid'
    | 'profile'
    | 'subprofile'
    | 'template'
    | 'document';
  /** Columns of `pom-retries` files, in file order: `id`, `time`, `attempts`, `email`, `tags`, `senderdomain`, `groupid`, `profile`, `subprofile`, `template`, `document`. */
  'pom-retries':
    | 'id'
    | 'time'
    | 'attempts'
    | 'email'
    | 'tags'
    | 'senderdomain'
    | 'groupid'
    | 'profile'
    | 'subprofile'
    | 'template'
    | 'document';
  /** Columns of `pom-unsubscribes` files, in file order: `id`, `time`, `email`, `tags`, `senderdomain`, `groupid`, `profile`, `subprofile`, `template`, `document`. */
  'pom-unsubscribes': 'id' | 'time' | 'email' | 'tags' | 'senderdomain' | 'groupid' | 'profile' | 'subprofile' | 'template' | 'document';
}

/** Columns holding IDs or counts: typed as numbers (`null` when the cell is empty). */
export type NumericLogfileColumn =
  | 'mailingid'
  | 'groupid'
  | 'profileid'
  | 'subprofileid'
  | 'databaseid'
  | 'collectionid'
  | 'templateid'
  | 'documentid'
  | 'profile'
  | 'subprofile'
  | 'template'
  | 'document'
  | 'attempts'
  | 'attempt'
  | 'linkinfo'
  | 'code';

const NUMERIC: ReadonlySet<string> = new Set<NumericLogfileColumn>([
  'mailingid',
  'groupid',
  'profileid',
  'subprofileid',
  'databaseid',
  'collectionid',
  'templateid',
  'documentid',
  'profile',
  'subprofile',
  'template',
  'document',
  'attempts',
  'attempt',
  'linkinfo',
  'code',
]);

/**
 * One row of a logfile of type `T`, keyed by the documented column names. IDs and counts are
 * numbers (`0` where the file writes 0, e.g. no subprofile; `null` for an empty cell); `time` is
 * `YYYY-MM-DD hh:mm:ss` as written (no zone is documented), `null` for an empty or zero date;
 * everything else is a string (`tags` stays `;`-joined).
 */
export type LogfileRowOf<T extends LogfileTypeName> = T extends LogfileTypeName
  ? {
      -readonly [C in LogfileColumns[T]]: C extends NumericLogfileColumn ? number | null : C extends 'time' ? string | null : string;
    }
  : never;

/** A row of any logfile type. */
export type LogfileRow = { [T in LogfileTypeName]: LogfileRowOf<T> }[LogfileTypeName];

/** A row of a file whose type the SDK does not know: the server's own header names, string values. */
export type UntypedLogfileRow = Record<string, string>;

/**
 * Whether a logfile name (as `client.logfiles.names()` gives it) is of the given type. A type guard:
 * once it holds, `client.logfiles.records(name)` yields that type's typed rows, no cast needed.
 *
 * @example
 * import { isLogfileName } from 'copernica-rest';
 * const names = await client.logfiles.names('2024-03-01');
 * const clicks = names.find((n) => isLogfileName(n, 'cdm-click'));
 * if (clicks) for await (const row of client.logfiles.records(clicks)) console.log(row.email, row.linkinfo);
 */
export function isLogfileName<T extends LogfileTypeName>(name: string, type: T): name is `${T}.${string}` {
  return typeof name === 'string' && name.startsWith(`${type}.`);
}

/** The type of a logfile from its name (`cdm-click.2017-03-08.log` → `cdm-click`), or undefined. */
export function logfileTypeOf(name: string): LogfileTypeName | undefined {
  const prefix = name.split('.')[0] ?? '';
  return Object.hasOwn(LOGFILE_COLUMN_ORDER, prefix) ? (prefix as LogfileTypeName) : undefined;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Converts one cell to its documented type. Throws a plain Error with a message on a bad value. */
export function convertCell(column: string, value: unknown): string | number | null {
  if (NUMERIC.has(column)) {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (value === null || value === undefined || value === '') return null;
    if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
    throw new Error(`column ${column} should hold a number`);
  }
  if (column === 'time') {
    if (value === null || value === undefined || value === '') return null;
    if (typeof value !== 'string') throw new Error('column time should hold a timestamp');
    return /^0000-00-00/.test(value) ? null : value;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  throw new Error(`column ${column} should hold text`);
}

/**
 * Turns a record keyed by column into a typed row: documented columns in file order (a missing one
 * is an error), extra columns kept as text unless `strict`.
 */
export function typedRow(columns: readonly string[], rec: Record<string, unknown>, strict: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    if (!Object.hasOwn(rec, c)) throw new Error(`column ${c} is missing`);
    out[c] = convertCell(c, rec[c]);
  }
  if (Object.keys(rec).length !== columns.length) {
    for (const k of Object.keys(rec)) {
      if (Object.hasOwn(out, k)) continue;
      if (strict) throw new Error(`unknown column ${k}`);
      if (k === UNSAFE_KEY) continue; // never `out.__proto__ = …` (UNSAFE_KEY in core/schema.ts)
      out[k] = convertCell(k, rec[k]);
    }
  }
  return out;
}
