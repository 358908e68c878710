/**
 * Key-based iteration (keyset paging). Offset paging skips or repeats records when others insert
 * or delete between pages (spec/OBSERVED.md, "Lists and filters"). Paging by key asks every page as
 * `fields[]=id>LAST`, `orderby=id`, `order=asc` (plus the caller's own filters), from offset 0:
 * a record deleted behind the cursor cannot shift the next page, and each ID is yielded at most once.
 * Records inserted during the export appear when their ID is above the cursor (new IDs are).
 *
 * Plugs into {@link PageRequest} through its `iterate` argument.
 */
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { checkInput } from './input.js';
import { filterExpressions, type FilterInput } from './filter.js';
import { id } from './schema.js';
import { checkPageParams, noProgress, PageRequest, type Page, type PageParams } from './pagination.js';
import type { QueryInput } from './query.js';

/** One page asked by key. */
export interface KeysetFetchParams {
  /** The query of this page: the caller's query plus `fields[]` (with `id>LAST`), `orderby`, `order`, `start`, `limit`, `total`. */
  query: QueryInput;
}

/** Options of {@link keysetPages}. */
export interface KeysetOptions<T> {
  /** The caller's query (filters as `fields`, without `start`/`limit`/`total`/`orderby`/`order`). */
  query: QueryInput;
  /** The caller's `fields[]` expressions; `id>LAST` is appended to them. */
  filters: readonly string[];
  /** Page size, 1 to 100. */
  limit: number;
  /** The numeric key of an item (its ID). */
  keyOf: (item: T) => number;
  /** Fetches one page with the given query. */
  fetch: (query: QueryInput) => Promise<Page<T>>;
}

/** The query of one key-based page. */
export function keysetQuery(query: QueryInput, filters: readonly string[], after: number | undefined, limit: number): QueryInput {
  return {
    ...query,
    fields: after === undefined ? [...filters] : [...filters, `id>${after}`],
    orderby: 'id',
    order: 'asc',
    start: 0,
    limit,
    total: false,
  };
}

/** Refuses list parameters that contradict key-based iteration. */
export function checkKeysetParams(p: { start?: number | undefined; orderBy?: string | number | undefined; order?: string | undefined; concurrency?: number | undefined }): void {
  const issues: string[] = [];
  if (p.start !== undefined && p.start !== 0) issues.push("start: key iteration starts at the lowest ID; filter with where.idAfter(id) instead of an offset");
  if (p.orderBy !== undefined && String(p.orderBy).toLowerCase() !== 'id') issues.push("orderBy: key iteration orders by id; leave orderBy out or use iterate: 'offset'");
  if (p.order !== undefined && p.order !== 'asc') issues.push("order: key iteration runs in ascending ID order");
  if (p.concurrency !== undefined && p.concurrency !== 1) issues.push("concurrency: key iteration cannot fetch ahead (each page needs the last ID of the one before)");
  if (issues.length) throw new ValidationError(`Invalid list parameters for iterate: 'key': ${issues.join('; ')}`, issues);
}

/**
 * Every page by key, in ascending key order. Stops after a page shorter than `limit`. Items whose
 * key is not above the last one seen are dropped (never yielded twice). A full page that does not
 * advance the cursor (a server that ignores `id>LAST`) is an InvalidResponseError: ending there
 * quietly would pass a truncated export off as complete, and asking again would loop.
 */
export async function* keysetPages<T>(o: KeysetOptions<T>): AsyncGenerator<Page<T>> {
  let after: number | undefined;
  for (;;) {
    const page = await o.fetch(keysetQuery(o.query, o.filters, after, o.limit));
    const received = page.data.length;
    const data = after === undefined ? page.data : page.data.filter((item) => o.keyOf(item) > (after as number));
    let last = after;
    for (const item of data) {
      const key = o.keyOf(item);
      if (last === undefined || key > last) last = key;
    }
    if (received >= o.limit && (data.length === 0 || last === after)) {
      throw noProgress(page, `a full page asked with id>${String(after)} holds no ID above ${String(after)}`);
    }
    yield data.length === received ? page : { ...page, count: data.length, data };
    if (received < o.limit || data.length === 0 || last === after) return;
    after = last;
  }
}

/**
 * How a list is iterated with `for await` / `.pages()`: by offset (`start`) or by key (`id>LAST`).
 * Default: by key, unless `start`, `orderBy` (other than id), `order: 'desc'` or `concurrency` ask
 * for offset paging.
 */
export type IterationMode = 'offset' | 'key';

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

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** List parameters plus the `where` filter, as the record list methods take them. */
export interface RecordListInput extends RecordListParams {
  where?: FilterInput;
}

const listParamsSchema = z.strictObject({
  where: z.unknown().optional(),
  orderBy: z
    .union([z.string().min(1).refine((s) => s.trim() === s && !CONTROL.test(s), 'must be a field name, a field ID, id, random or modified'), z.number().int().positive()])
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

/** Moves a lower-case `id` to `ID` (spec/API.md §1.11: some pages send records with `id`). */
export function idToID(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const o = value as Record<string, unknown>;
  if (o.ID !== undefined || o.id === undefined) return value;
  const { id: lower, ...rest } = o;
  return { ...rest, ID: lower };
}

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
            : CONTROL.test(name)
              ? 'field names must not contain control characters'
              : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
    }
  });
