/**
 * Key-based iteration (keyset paging). Offset paging skips or repeats records when others insert
 * or delete between pages (spec/OBSERVED.md, "Lists and filters"). Paging by key asks every page as
 * `fields[]=id>LAST`, `orderby=id`, `order=asc` (plus the caller's own filters), from offset 0:
 * a record deleted behind the cursor cannot shift the next page, and each ID is yielded at most once.
 * Records inserted during the export appear when their ID is above the cursor (new IDs are).
 *
 * Plugs into `PageRequest` through its `iterate` argument (src/resources/records.ts does).
 */
import { ValidationError } from './errors.js';
import { noProgress, type Page } from './pagination.js';
import type { QueryInput } from './query.js';

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
export function checkKeysetParams(p: {
  start?: number | undefined;
  orderBy?: string | number | undefined;
  order?: string | undefined;
  concurrency?: number | undefined;
}): void {
  const issues: string[] = [];
  if (p.start !== undefined && p.start !== 0)
    issues.push('start: key iteration starts at the lowest ID; filter with where.idAfter(id) instead of an offset');
  if (p.orderBy !== undefined && String(p.orderBy).toLowerCase() !== 'id')
    issues.push("orderBy: key iteration orders by id; leave orderBy out or use iterate: 'offset'");
  if (p.order !== undefined && p.order !== 'asc') issues.push('order: key iteration runs in ascending ID order');
  if (p.concurrency !== undefined && p.concurrency !== 1)
    issues.push('concurrency: key iteration cannot fetch ahead (each page needs the last ID of the one before)');
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
