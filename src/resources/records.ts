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
import { ConvertFailure, convertedModel, id, integerId, UNSAFE_KEY, type Model } from '../core/schema.js';

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
 * Field values to write: field name → string or number. With a field map type `F`, the names and
 * value types come from `F`.
 */
export type RecordFieldInput<F extends FieldMap<F> = RecordFieldValues> = { [K in keyof F]?: F[K] | string | number };

/** A bare list of IDs (`profileids`, `subprofileids`): strings or numbers → numbers. */
export const recordIdList = z.array(id);

/** A field-value map of a reply: values as strings. */
export const recordFieldValues = z.record(z.string(), z.union([z.string(), z.number(), z.null()]).transform((v) => (v === null ? '' : String(v))));

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

/** Paging, sorting and iteration parameters shared by the profile and subprofile lists. */
export interface RecordListParams {
  start?: number;
  limit?: number;
  total?: boolean;
  concurrency?: number;
  orderBy?: string | number;
  order?: 'asc' | 'desc';
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

/** List parameters plus the `where` filter, as the record list methods take them. */
export interface RecordListInput extends RecordListParams {
  where?: FilterInput;
}

const listParamsSchema = z.strictObject({
  where: z.unknown().optional(),
  orderBy: z
    .union([z.string().min(1).refine((s) => s.trim() === s && !hasControlCharacters(s), 'must be a field name, a field ID, id, random or modified'), z.number().int().positive()])
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
  params: RecordListInput | undefined,
  fetch: (query: QueryInput, paging: { start: number; limit: number; total: boolean }) => PromiseLike<Page<T>>,
): PageRequest<T> {
  const p = checkInput(listParamsSchema, params ?? {}, 'params') as RecordListParams;
  const filters = filterExpressions(params?.where, 'params.where');
  return recordListRequest<T>({ query: {}, filters, params: p, keyOf: (item) => item.ID, fetch });
}

const RECORD_DATES = ['created', 'modified', 'removed'] as const;

/**
 * The reply model of a record (a profile or a subprofile): hand-written, because a page holds a
 * hundred of them and a zod object per record cost more than the HTTP call (BENCHMARKS.md). It
 * checks and converts exactly what the zod models did: `ID` (also read from `id`) and the `refs`
 * (e.g. `database`) as IDs, `secret` a string, dates with zero dates as null, `fields` as a map of
 * strings, `interests` (when asked) as strings; unknown properties pass through, or are refused in
 * strict mode. test/core/parity.test.ts runs it against its zod twin over generated records.
 */
export function recordModel<T>(refs: readonly string[], options: { interests: boolean }): Model<T> {
  const known = new Set(['ID', 'id', ...refs, 'secret', 'fields', ...RECORD_DATES, ...(options.interests ? ['interests'] : [])]);
  // One object per record, copied from a template with every property already in place (a single
  // allocation of the final shape; adding properties one by one, or to the parsed object, grows a
  // property store per record, which kept more alive per young-generation collection and made a
  // long iteration's memory grow, measured). `fields` and `interests` of the parsed reply (the SDK's
  // own, fresh from JSON.parse) are shared unless a value needs converting.
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
    for (const ref of refs) {
      const n = integerId(o[ref]);
      if (n === undefined) return new ConvertFailure(ref, 'expected an ID (integer or digits)');
      out[ref] = n;
    }
    const secret = o.secret ?? '';
    if (typeof secret !== 'string') return new ConvertFailure('secret', 'expected a string');
    out.secret = secret;
    for (const key of RECORD_DATES) {
      const d = o[key];
      // `false`: what the live service sends as `removed` of an entity that was not removed (spec/OBSERVED.md).
      if (d === undefined || d === null || d === '' || d === false) out[key] = null;
      else if (typeof d === 'string') out[key] = d.startsWith('0000-00-00') ? null : d;
      else return new ConvertFailure(key, 'expected a timestamp string');
    }
    const f = o.fields;
    if (f === undefined) out.fields = {};
    else {
      if (typeof f !== 'object' || f === null || Array.isArray(f)) return new ConvertFailure('fields', 'expected an object of field values', true);
      const values = f as Record<string, unknown>;
      let copy: Record<string, string> | undefined;
      for (const key in values) {
        if (key === UNSAFE_KEY) {
          // JSON.parse made it an own data property; dropped like everywhere else (UNSAFE_KEY).
          copy ??= { ...(values as Record<string, string>) };
          delete copy[UNSAFE_KEY];
          continue;
        }
        const value = values[key];
        if (typeof value === 'string') continue;
        if (typeof value !== 'number' && value !== null) return new ConvertFailure('fields', `expected a string for field ${JSON.stringify(key)}`, true);
        copy ??= { ...(values as Record<string, string>) };
        copy[key] = typeof value === 'number' ? String(value) : '';
      }
      out.fields = copy ?? values;
    }
    if (options.interests) {
      const list = o.interests ?? [];
      if (!Array.isArray(list)) return new ConvertFailure('interests', 'expected an array of interest names', true);
      let copy: string[] | undefined;
      for (let i = 0; i < list.length; i++) {
        const item: unknown = list[i];
        if (typeof item === 'string') continue;
        if (typeof item !== 'number') return new ConvertFailure('interests', 'expected an array of interest names', true);
        copy ??= [...(list as string[])];
        copy[i] = String(item);
      }
      out.interests = copy ?? list;
    }
    for (const key in o) {
      if (known.has(key)) continue;
      if (strict) return new ConvertFailure(key, `unknown property ${JSON.stringify(key)}`);
      if (key === UNSAFE_KEY) continue; // never `out.__proto__ = …` (see UNSAFE_KEY)
      out[key] = o[key];
    }
    return out as T;
  };
  return convertedModel(convert);
}
