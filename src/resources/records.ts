/**
 * What profiles and subprofiles share: they are Copernica's records (a database's and a
 * collection's). Their field-value maps, their reply model (hand-written for speed), their list
 * parameters and the list request that pages them by key or by offset. The core knows paging and
 * validation; which properties a record has lives here.
 */
import { z } from 'zod';
import { checkInput, hasControlCharacters } from '../core/input.js';
import { filterExpressions, type FilterInput } from '../core/filter.js';
import { checkKeysetParams, keysetPages, type IterationMode } from '../core/keyset.js';
import { checkPageParams, PageRequest, type Page, type PageParams } from '../core/pagination.js';
import type { QueryInput } from '../core/query.js';
import {
  ConvertFailure,
  convertedModel,
  id,
  integerId,
  listOf,
  noteDegraded,
  typeName,
  UNSAFE_KEY,
  type DegradedIssue,
  type Model,
} from '../core/schema.js';

/** Field values as Copernica returns them: field name → string. */
export type RecordFieldValues = Record<string, string>;

/**
 * The constraint on a field-map type `F` (`client.profiles.list<F>(db)`): field name → `string`, or a
 * union of string literals (a select field's choices), because Copernica sends every field value as
 * a string (`"60"`, not `60`). A map that declares another value type is a compile error:
 * `client.profiles.list<{ age: number }>(db)` does not compile. Convert values yourself
 * (`Number(p.fields.age)`). Values to write may be numbers ({@link RecordFieldInput}).
 *
 * @typeParam F - The field map being checked (an interface or a type alias).
 */
export type FieldMap<F> = { [K in keyof F]: string };

/**
 * The names a record filter (`where`) may compare: the field map's field names and the special
 * names `id`, `code` and `modified`. Any string when `F` is the default {@link RecordFieldValues}.
 * `F` is never inferred from a filter or from values: a call is typed only when you name `F`.
 */
export type RecordFilterField<F> = (keyof NoInfer<F> & string) | 'id' | 'code' | 'modified';

/**
 * Field values to write: field name → string or number (numbers are sent as they are and stored
 * as text). With a field map type `F`, only its field names compile.
 */
export type RecordFieldInput<F extends FieldMap<F> = RecordFieldValues> = { [K in keyof NoInfer<F>]?: NoInfer<F>[K] | string | number };

/** A bare list of IDs (`profileids`, `subprofileids`): strings or numbers → numbers. */
export const recordIdList = z.array(id);

/** The IDs of the records in a view or miniview: a bare array (the pages) or a `{ data }` envelope. */
export const recordIdListOrEnvelope = listOf(id);

/** Field values of a write body: non-empty names, string or finite number values. Nothing is dropped. */
export const recordFieldInput = z
  .record(z.string(), z.union([z.string(), z.number().finite()], { error: 'field values must be strings or numbers' }))
  .superRefine((values, ctx) => {
    for (const name of Object.keys(values)) {
      const problem =
        name.trim() === ''
          ? 'field names must not be empty'
          : name.trim() !== name
            ? 'field names must not start or end with white space'
            : hasControlCharacters(name)
              ? 'field names must not contain control characters'
              : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
    }
  });

/**
 * Parameters of the record lists (`client.profiles.list()`, `listInView()`,
 * `client.subprofiles.list()`): the filter, the sort order, the paging and how iteration pages.
 * `F` (a field map) types the field names `where` and `orderBy` take.
 */
export interface RecordListParams<F extends FieldMap<F> = RecordFieldValues> {
  /**
   * `fields[]` conditions: `where.eq('country', 'nl')`, `'age>16'`, or an array of them (ANDed). With
   * a field map `F`, only its field names (and `id`, `code`, `modified`) compile.
   */
  where?: FilterInput<RecordFilterField<F>>;
  /**
   * Sort key: a field name or field ID, or `id` (default), `random`, `modified`. Sent as `orderby`.
   * The page's prose also describes `order` as taking the field name; the SDK sends the name as
   * `orderby` (the page's parameter table) because the live service reads `order` as the direction
   * only (spec/OBSERVED.md: only `desc`/`descending` sort descending, anything else ascending).
   */
  orderBy?: 'id' | 'random' | 'modified' | (keyof NoInfer<F> & string) | number;
  /** Sort direction, sent as `order`. */
  order?: 'asc' | 'desc';
  /** Offset of the first record (offset iteration only). */
  start?: number;
  /** Page size, 1 to 100 (default 100). */
  limit?: number;
  /** Count the total (default true for one page, false while iterating). */
  total?: boolean;
  /** Offset iteration: fetch up to this many pages ahead (1–16). */
  concurrency?: number;
  /**
   * `'key'` pages with `fields[]=id>LAST&orderby=id&order=asc` (plus your filters), so an export
   * running while others insert and delete neither skips nor repeats a record; `'offset'` pages
   * with `start`. Default: `'key'`, unless `start`, `orderBy` (other than id), `order: 'desc'` or
   * `concurrency` ask for offset paging. Awaiting the list (one page) always uses the offset.
   */
  iterate?: IterationMode;
}

/**
 * A list request over records (profiles, subprofiles): offset iteration through the core
 * {@link PageRequest}, or key iteration through {@link keysetPages}. `fetch` gets the query of a page
 * (without paging) and the paging of that page.
 */
export function recordListRequest<T>(o: {
  query: QueryInput;
  filters: readonly string[];
  params: RecordListParams;
  keyOf: (item: T) => number;
  fetch: (query: QueryInput, paging: { start: number; limit: number; total: boolean }) => PromiseLike<Page<T>>;
}): PageRequest<T> {
  const { start, limit, total, concurrency, orderBy, order, iterate } = o.params;
  const paging: PageParams = {};
  if (start !== undefined) paging.start = start;
  if (limit !== undefined) paging.limit = limit;
  if (total !== undefined) paging.total = total;
  if (concurrency !== undefined) paging.concurrency = concurrency;
  const checked = checkPageParams(paging);
  const filters = o.filters.length ? [...o.filters] : undefined;
  // Full exports page by key unless the caller asks for something key paging cannot do (an offset,
  // another sort order, pages fetched ahead): it neither skips nor repeats a record while others
  // write, and it was measured as fast as offset paging (BENCHMARKS.md).
  const keyCompatible =
    (start ?? 0) === 0 &&
    (orderBy === undefined || String(orderBy).toLowerCase() === 'id') &&
    (order ?? 'asc') === 'asc' &&
    (concurrency ?? 1) === 1;
  if ((iterate ?? (keyCompatible ? 'key' : 'offset')) === 'offset') {
    const query: QueryInput = { ...o.query, fields: filters, orderby: orderBy === undefined ? undefined : String(orderBy), order };
    return new PageRequest((p) => Promise.resolve(o.fetch(query, p)), paging);
  }
  checkKeysetParams({ start, orderBy, order, concurrency });
  const query: QueryInput = { ...o.query, fields: filters, orderby: 'id', order: 'asc' };
  const iterateKeys = () =>
    keysetPages<T>({
      query: o.query,
      filters: o.filters,
      limit: checked.limit,
      keyOf: o.keyOf,
      fetch: async (q) => o.fetch(q, { start: 0, limit: checked.limit, total: false }),
    });
  return new PageRequest((p) => Promise.resolve(o.fetch(query, p)), paging, iterateKeys);
}

const listParamsSchema = z.strictObject({
  where: z.unknown().optional(),
  orderBy: z
    .union([
      z
        .string()
        .min(1)
        .refine((s) => s.trim() === s && !hasControlCharacters(s), 'must be a field name, a field ID, id, random or modified'),
      z.number().int().positive(),
    ])
    .optional(),
  order: z.enum(['asc', 'desc']).optional(),
  start: z.number().optional(),
  limit: z.number().optional(),
  total: z.boolean().optional(),
  concurrency: z.number().optional(),
  iterate: z.enum(['offset', 'key']).optional(),
});

/**
 * A profile or subprofile list: checks the parameters (unknown keys refused) and the filters, then
 * makes the request. `fetch` fetches one page of the given query.
 */
export function recordList<T extends { ID: number }>(
  params: RecordListParams | undefined,
  fetch: (query: QueryInput, paging: { start: number; limit: number; total: boolean }) => PromiseLike<Page<T>>,
): PageRequest<T> {
  const p = checkInput(listParamsSchema, params ?? {}, 'params') as RecordListParams;
  const filters = filterExpressions(params?.where, 'params.where');
  return recordListRequest<T>({ query: {}, filters, params: p, keyOf: (item) => item.ID, fetch });
}

const RECORD_DATES = ['created', 'modified', 'removed'] as const;

/** What a record's converter degraded so far (loose mode): made on the first degraded property only. */
interface Degradations {
  raw: Record<string, unknown>;
  issues: DegradedIssue[];
}

/** Loose mode: `key` of `out` reads undefined, its raw value is kept and an issue is noted for the warning. */
function degrade(
  d: Degradations | undefined,
  out: Record<string, unknown>,
  key: string,
  expected: string,
  value: unknown,
  path = key,
  received = value,
): Degradations {
  d ??= { raw: {}, issues: [] };
  out[key] = undefined;
  d.raw[key] = value;
  d.issues.push({ path, expected, received: typeName(received) });
  return d;
}

/**
 * A field's name as a warning's property path names it: `fields.email`; a name with other
 * characters quoted (`fields["a b"]`, control characters escaped) and long ones cut, because the
 * name comes from the server and ends up in a log line.
 */
function fieldPath(name: string): string {
  const short = name.length > 64 ? `${name.slice(0, 64)}…` : name;
  return /^[\w-]+$/.test(short) ? `fields.${short}` : `fields[${JSON.stringify(short)}]`;
}

/**
 * The field values of a reply (a record's `fields`, or `GET profile/{id}/fields`): strings kept,
 * numbers as strings (`60` → `"60"`: the wire type of every field is text), `null` as `""`. A value
 * of another type (an object, an array, a boolean: no guess at its text) is refused in strict mode
 * and degraded alone in loose mode: left out of the map, its raw value kept in
 * `degradedProperties(map)`, warned as `fields.NAME`. `__proto__` is dropped (UNSAFE_KEY). The parsed
 * map is handed back as it is when nothing needs converting (no copy on the hot path).
 */
function convertFieldValues(values: Record<string, unknown>, strict: boolean): Record<string, unknown> | ConvertFailure {
  let copy: Record<string, unknown> | undefined;
  let unusable: Degradations | undefined;
  for (const key in values) {
    if (key === UNSAFE_KEY) {
      // JSON.parse made it an own data property; dropped like everywhere else (UNSAFE_KEY).
      copy ??= { ...values };
      delete copy[UNSAFE_KEY];
      continue;
    }
    const value = values[key];
    if (typeof value === 'string') continue;
    copy ??= { ...values };
    if (typeof value === 'number') copy[key] = String(value);
    else if (value === null) copy[key] = '';
    else if (strict) return new ConvertFailure('fields', `expected a string for field ${JSON.stringify(key)}`, true);
    else {
      unusable = degrade(unusable, copy, key, 'a field value (a string)', value, fieldPath(key));
      delete copy[key];
    }
  }
  if (unusable && copy) noteDegraded(copy, unusable.raw, unusable.issues);
  return copy ?? values;
}

/**
 * The reply of `GET profile/{id}/fields` and `GET subprofile/{id}/fields`: a field-value map
 * ({@link convertFieldValues}); PHP's empty `[]` reads as `{}`; anything but an object is refused.
 */
export const recordFieldValues: Model<RecordFieldValues> = convertedModel((v, strict) => {
  if (Array.isArray(v) && v.length === 0) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return new ConvertFailure(undefined, 'expected an object of field values');
  return convertFieldValues(v as Record<string, unknown>, strict) as RecordFieldValues | ConvertFailure;
});

/**
 * What {@link recordModel} yields for records that name their owners in `R` (`database`; `profile`
 * and `collection`) and carry `interests` when `I`: the one declaration `Profile` and `Subprofile`
 * are proven equal to (test/types/schemas.test-d.ts), while test/core/parity.test.ts proves the
 * converter yields it, value for value, like its zod twin. Every property but `ID` may read
 * `undefined` (loose mode degrades what it cannot use).
 */
export type RecordOf<R extends string, I extends boolean> = {
  ID: number;
  secret?: string | undefined;
  created?: string | null | undefined;
  modified?: string | null | undefined;
  removed?: string | null | undefined;
  fields?: RecordFieldValues | undefined;
} & { [K in R]?: number | undefined } & (I extends true ? { interests?: string[] | undefined } : unknown);

/**
 * The reply model of a record (a profile or a subprofile): hand-written, because a page holds a
 * hundred of them and a zod object per record cost more than the HTTP call (BENCHMARKS.md). The reply
 * policy of every model (docs/replies.md, core/schema.ts): `ID` (also read from `id`) is required;
 * the `refs` (e.g. `database`) are IDs, `secret` a string, dates strings with zero dates as null,
 * `fields` a map of strings (numbers become strings, null `""`, PHP's empty `[]` an empty map),
 * `interests` (when asked) strings. In loose mode a value it cannot use is degraded: the property
 * reads undefined, the raw value is kept ({@link degradedProperties}) and the parse warns once per
 * endpoint and property; a field value it cannot use (an object, an array, a boolean) is left out of
 * `fields` alone, its raw value kept in `degradedProperties(record.fields)`. Unknown properties pass
 * through. Strict mode refuses all of that. test/core/parity.test.ts runs it against its zod twin
 * over generated records.
 */
export function recordModel<const R extends string, I extends boolean>(
  refs: readonly R[],
  options: { interests: I },
): Model<RecordOf<R, I>> {
  type T = RecordOf<R, I>;
  const known = new Set(['ID', 'id', ...refs, 'secret', 'fields', ...RECORD_DATES, ...(options.interests ? ['interests'] : [])]);
  // One object per record, copied from a template with every property already in place (a single
  // allocation of the final shape; adding properties one by one, or to the parsed object, grows a
  // property store per record, which kept more alive per young-generation collection and made a
  // long iteration's memory grow, measured). `fields` and `interests` of the parsed reply (the SDK's
  // own, fresh from JSON.parse) are shared unless a value needs converting. A degraded property
  // stays in place, reading undefined (the shape is kept).
  const template: Record<string, unknown> = { ID: 0 };
  for (const ref of refs) template[ref] = 0;
  template.secret = '';
  for (const key of RECORD_DATES) template[key] = null;
  template.fields = null;
  if (options.interests) template.interests = null;
  const convert = (v: unknown, strict: boolean): T | ConvertFailure => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return new ConvertFailure(undefined, 'expected an object');
    const o = v as Record<string, unknown>;
    const out = { ...template };
    const ID = integerId(o.ID ?? o.id);
    if (ID === undefined) return new ConvertFailure('ID', 'expected an ID (integer or digits)');
    out.ID = ID;
    let d: Degradations | undefined;
    for (const ref of refs) {
      const n = integerId(o[ref]);
      if (n !== undefined) out[ref] = n;
      else if (strict) return new ConvertFailure(ref, 'expected an ID (integer or digits)');
      else d = degrade(d, out, ref, 'an ID (integer or digits)', o[ref]);
    }
    const secret = o.secret ?? '';
    if (typeof secret === 'string') out.secret = secret;
    else if (strict) return new ConvertFailure('secret', 'expected a string');
    else d = degrade(d, out, 'secret', 'a string', secret);
    for (const key of RECORD_DATES) {
      const date = o[key];
      // `false`: what the live service sends as `removed` of an entity that was not removed (spec/OBSERVED.md).
      if (date === undefined || date === null || date === '' || date === false) out[key] = null;
      else if (typeof date === 'string') out[key] = date.startsWith('0000-00-00') ? null : date;
      else if (strict) return new ConvertFailure(key, 'expected a timestamp string');
      else d = degrade(d, out, key, 'a timestamp string', date);
    }
    const f = o.fields;
    if (typeof f === 'object' && f !== null && !Array.isArray(f)) {
      const values = convertFieldValues(f as Record<string, unknown>, strict);
      if (values instanceof ConvertFailure) return values;
      out.fields = values;
    } else if (f === undefined || (Array.isArray(f) && f.length === 0)) {
      // `[]`: PHP's JSON for an empty map (a record without field values), read as `{}` in both modes.
      out.fields = {};
    } else if (strict) return new ConvertFailure('fields', 'expected an object of field values', true);
    else d = degrade(d, out, 'fields', 'an object of field values', f);
    if (options.interests) {
      const list = o.interests ?? [];
      if (!Array.isArray(list)) {
        if (strict) return new ConvertFailure('interests', 'expected an array of interest names', true);
        d = degrade(d, out, 'interests', 'an array of interest names', list);
      } else {
        let copy: unknown[] | undefined;
        let i = 0;
        for (; i < list.length; i++) {
          const item: unknown = list[i];
          if (typeof item === 'string') continue;
          if (typeof item !== 'number') break;
          copy ??= [...list];
          copy[i] = String(item);
        }
        if (i === list.length) out.interests = copy ?? list;
        else if (strict) return new ConvertFailure('interests', 'expected an array of interest names', true);
        // A list is degraded as a whole (a shorter list would look complete).
        else d = degrade(d, out, 'interests', 'an interest name (a string)', list, `interests.${i}`, list[i]);
      }
    }
    for (const key in o) {
      if (known.has(key)) continue;
      if (strict) return new ConvertFailure(key, `unknown property ${JSON.stringify(key)}`);
      if (key === UNSAFE_KEY) continue; // never `out.__proto__ = …` (see UNSAFE_KEY)
      out[key] = o[key];
    }
    if (d) noteDegraded(out, d.raw, d.issues);
    return out as T;
  };
  return convertedModel(convert);
}
