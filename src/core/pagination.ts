/**
 * Lists. A list method returns a {@link PageRequest}: `await` it for one page (which can fetch the
 * next: `page.nextPage()`), `for await` it for every item, `.pages()` for every page,
 * `.toArray({ limit })` for a capped array. Memory does not grow with the number of items: at most
 * `concurrency` pages are held at once. A PageRequest is a real Promise (`.then`, `.catch`,
 * `.finally`, `instanceof Promise`); bad input makes it reject (never a synchronous throw).
 */
import { inspect } from 'node:util';
import { InvalidResponseError, ValidationError } from './errors.js';
import { BatchItems, collectItems } from './items.js';

/** One page of a list, normalised (bare-array replies get the same shape). */
export interface Page<T> {
  /** Offset that was applied. */
  start: number;
  /** Page size that was applied (at most 100). */
  limit: number;
  /** Number of items in `data`. */
  count: number;
  /** Number of items in all; `undefined` when asked with `total: false`. */
  total: number | undefined;
  /** The items of this page, in the server's order. */
  data: T[];
}

/**
 * The page an awaited {@link PageRequest} gives: the page, and the way to the one after it (the
 * same `limit`, from where this page ended). The two methods are not enumerable: spreads,
 * `JSON.stringify` and `structuredClone` see the plain page.
 *
 * @example
 * let page: ListPage<Database> | null = await client.databases.list({ limit: 10 });
 * while (page) {
 *   for (const db of page.data) console.log(db.name);
 *   page = await page.nextPage();
 * }
 */
export interface ListPage<T> extends Page<T> {
  /** Whether there is a page after this one (false after a short, empty or last counted page). */
  hasNextPage(): boolean;
  /**
   * Fetches the page after this one, or gives `null` when this is the last (no request is sent then).
   * A server that answers the next offset with this page's items again fails with an
   * InvalidResponseError rather than hand out the same items twice.
   */
  nextPage(): Promise<ListPage<T> | null>;
}

/** Paging parameters of list methods. */
export interface PageParams {
  /** Offset of the first item. Default 0. */
  start?: number;
  /** Page size, 1 to 100. Default 100. */
  limit?: number;
  /** Ask the server to count the total (default true for a single page; iteration asks only when it needs it). */
  total?: boolean;
  /**
   * Iteration only: fetch up to this many pages ahead in parallel (1 to 16, default 1), yielding in
   * order. Needs the total, so the first page is asked with `total: true`.
   */
  concurrency?: number;
}

/** The reply a page was read from (status and redacted request line), for errors about the paging. */
const replies = new WeakMap<object, { status: number; request: string }>();

/** @internal Records the reply a page came from (the resource's page parser does). */
export function pageReply<P extends object>(page: P, reply: { status: number; request: string }): P {
  replies.set(page, { status: reply.status, request: reply.request });
  return page;
}

/**
 * The iteration stops with this InvalidResponseError (a server that ignores the offset, or the key
 * filter, would otherwise hand out the same items forever).
 */
export function noProgress(page: object, why: string): InvalidResponseError {
  const reply = replies.get(page) ?? { status: 200, request: 'GET (a list page)' };
  return new InvalidResponseError(
    `The list stopped making progress: ${why}. The server ignored the paging parameters; iteration stopped rather than repeat the same items`,
    reply,
  );
}

/**
 * What identifies a page's window for the progress check: its first and last items. Two pages in a
 * row with the same ones (and a full size) are the same window: the offset did not move it.
 */
function windowOf<T>(page: Page<T>): string | undefined {
  const n = page.data.length;
  if (n === 0) return undefined;
  try {
    return JSON.stringify([n, page.data[0], page.data[n - 1]]);
  } catch {
    return undefined; // an item JSON cannot write (not one of ours): no check
  }
}

/** Refuses a page that does not move the iteration on from the page before it. */
function checkProgress<T>(previous: string | undefined, page: Page<T>, start: number): string | undefined {
  if (!Number.isSafeInteger(page.count) || page.count < 0)
    throw noProgress(page, `the page at start=${start} says count=${String(page.count)}`);
  const current = windowOf(page);
  if (current !== undefined && current === previous) {
    throw noProgress(page, `the page at start=${start} holds the same items as the page before it`);
  }
  return current;
}

export type PageFetcher<T> = (params: { start: number; limit: number; total: boolean }) => Promise<Page<T>>;

const MAX_LIMIT = 100;

export function checkPageParams(p: PageParams | undefined): Required<Omit<PageParams, 'total'>> & { total: boolean | undefined } {
  const start = p?.start ?? 0;
  const limit = p?.limit ?? MAX_LIMIT;
  const concurrency = p?.concurrency ?? 1;
  const issues: string[] = [];
  if (!Number.isSafeInteger(start) || start < 0) issues.push(`start: must be a non-negative integer, got ${String(start)}`);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    issues.push(`limit: must be an integer from 1 to ${MAX_LIMIT}, got ${String(limit)}`);
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 16)
    issues.push(`concurrency: must be an integer from 1 to 16, got ${String(concurrency)}`);
  if (p?.total !== undefined && typeof p.total !== 'boolean') issues.push('total: must be a boolean');
  if (issues.length) throw new ValidationError(`Invalid paging parameters: ${issues.join('; ')}`, issues);
  return { start, limit, concurrency, total: p?.total };
}

/** Whether paging goes on after `page`, asked at `start` with `limit` (the iteration's rule). */
function hasMore<T>(page: Page<T>, start: number, limit: number): boolean {
  if (page.count === 0 || page.data.length === 0) return false;
  if (page.total !== undefined && start + page.count >= page.total) return false;
  return !(page.count < limit && page.count < page.limit); // a short page is the last one
}

/**
 * `page` with (non-enumerable) `hasNextPage()` and `nextPage()`, the next asked like this one. The
 * progress check (the next page must not hold this page's items again) runs in `nextPage()`, so a
 * plain `await` of a list pays nothing for it. `previous` is the window of the page before `page`.
 */
function linkPage<T>(
  fetch: PageFetcher<T>,
  page: Page<T>,
  at: { start: number; limit: number; total: boolean },
  previous?: string,
): ListPage<T> {
  return Object.defineProperties(page as ListPage<T>, {
    hasNextPage: { value: () => hasMore(page, at.start, at.limit), configurable: true, writable: true },
    nextPage: {
      value: async (): Promise<ListPage<T> | null> => {
        const window = checkProgress(previous, page, at.start);
        if (!hasMore(page, at.start, at.limit)) return null;
        const next = { start: at.start + page.count, limit: at.limit, total: at.total };
        const following = await fetch(next);
        checkProgress(window, following, next.start);
        return linkPage(fetch, following, next, window);
      },
      configurable: true,
      writable: true,
    },
  });
}

/**
 * A lazily sent list request: nothing is sent until it is awaited or iterated. It is a real Promise
 * (`instanceof Promise`, `.then`, `.catch`, `.finally`) of the one page asked for, and an async
 * iterable of every item from there on. Bad input (paging parameters, IDs, options) never throws
 * where the list method is called: the request rejects with the ValidationError when awaited, and
 * its iteration throws it at the first step.
 */
export class PageRequest<T> extends Promise<ListPage<T>> implements AsyncIterable<T> {
  readonly #fetch: PageFetcher<T>;
  readonly #params: ReturnType<typeof checkPageParams>;
  readonly #iterate: (() => AsyncGenerator<Page<T>>) | undefined;
  /** Why this request cannot be sent (bad input), if it cannot. */
  #error: unknown;
  #first: Promise<ListPage<T>> | undefined;

  /**
   * Derived promises (what `then`/`catch`/`finally` return) are plain Promises: a PageRequest is
   * made by a list method only (and its constructor takes a fetcher, not an executor).
   */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** @internal Resources make these; users get them from list methods. */
  constructor(fetch: PageFetcher<T>, params?: PageParams, iterate?: () => AsyncGenerator<Page<T>>) {
    // The Promise slot itself is settled at once and never read: every way of reading a
    // PageRequest (then, catch, finally, iteration) goes through the lazy first page below.
    super((resolve) => resolve(undefined as unknown as ListPage<T>));
    this.#fetch = fetch;
    let checked: ReturnType<typeof checkPageParams> = { start: 0, limit: MAX_LIMIT, concurrency: 1, total: undefined };
    try {
      checked = checkPageParams(params);
    } catch (error) {
      this.#error = error;
    }
    this.#params = checked;
    this.#iterate = iterate;
  }

  /**
   * @internal A request that fails with `error` when awaited or iterated (a list method refusing
   * its input before any request: the refusal is a rejection, like every other method's).
   */
  static failed<T>(error: unknown): PageRequest<T> {
    const request = new PageRequest<T>(() => Promise.reject(error as Error));
    request.#error = error;
    return request;
  }

  #page(): Promise<ListPage<T>> {
    if (this.#first === undefined) {
      if (this.#error !== undefined) {
        this.#first = Promise.reject(this.#error as Error);
      } else {
        const at = { start: this.#params.start, limit: this.#params.limit, total: this.#params.total ?? true };
        const fetch = this.#fetch;
        this.#first = fetch(at).then((page) => linkPage(fetch, page, at));
      }
    }
    return this.#first;
  }

  /** The single page asked for (`start`, `limit`, `total` default true), with `nextPage()`. */
  override then<R1 = ListPage<T>, R2 = never>(
    onfulfilled?: ((value: ListPage<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#page().then(onfulfilled, onrejected);
  }

  /** The single page, or what `onrejected` makes of its failure. */
  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<ListPage<T> | R> {
    return this.#page().catch(onrejected);
  }

  /** The single page, running `onfinally` once it is settled. */
  override finally(onfinally?: (() => void) | null): Promise<ListPage<T>> {
    return this.#page().finally(onfinally);
  }

  /**
   * What `util.inspect` and `console.log` show: the paging asked for (the Promise slot underneath
   * is never read, so Node's default `Promise { undefined }` would mislead).
   */
  [inspect.custom](): string {
    if (this.#error !== undefined) return `PageRequest { refused: ${inspect((this.#error as Error)?.message ?? this.#error)} }`;
    const { start, limit, concurrency, total } = this.#params;
    return `PageRequest ${inspect({ start, limit, ...(total === undefined ? {} : { total }), ...(concurrency > 1 ? { concurrency } : {}) })}`;
  }

  /** Every page from `start` on, in order. */
  pages(): AsyncGenerator<Page<T>> {
    if (this.#error !== undefined) return refused(this.#error);
    if (this.#iterate) return this.#iterate();
    return this.#params.concurrency > 1 ? this.#concurrentPages() : this.#sequentialPages();
  }

  async *#sequentialPages(): AsyncGenerator<Page<T>> {
    const { limit } = this.#params;
    let start = this.#params.start;
    const wantTotal = this.#params.total ?? false;
    let previous: string | undefined;
    for (;;) {
      const page = await this.#fetch({ start, limit, total: wantTotal });
      previous = checkProgress(previous, page, start);
      yield page;
      if (!hasMore(page, start, limit)) return;
      start += page.count;
    }
  }

  async *#concurrentPages(): AsyncGenerator<Page<T>> {
    const { limit, concurrency } = this.#params;
    const first = await this.#fetch({ start: this.#params.start, limit, total: true });
    let previous = checkProgress(undefined, first, this.#params.start);
    yield first;
    if (first.total === undefined) {
      // The server did not count: fall back to sequential paging after the first page.
      if (first.count < limit) return;
      yield* new PageRequest(this.#fetch, { start: this.#params.start + first.count, limit, total: false }).pages();
      return;
    }
    const total = first.total;
    let next = this.#params.start + first.count;
    if (first.count === 0 || next >= total) return;
    const inFlight: { start: number; page: Promise<Page<T>> }[] = [];
    const schedule = () => {
      while (inFlight.length < concurrency && next < total) {
        const page = this.#fetch({ start: next, limit, total: false });
        // A page fetched ahead may fail while an earlier one is awaited: mark it handled now (it is
        // still awaited, and its error thrown, in order) so Node reports no unhandled rejection.
        page.catch(() => undefined);
        inFlight.push({ start: next, page });
        next += limit;
      }
    };
    schedule();
    try {
      while (inFlight.length > 0) {
        const { start, page: pending } = inFlight.shift()!;
        const page = await pending;
        previous = checkProgress(previous, page, start);
        yield page;
        if (page.count < limit) {
          // Fewer items than counted: the data shrank while we read. Stop at the short page.
          return;
        }
        schedule();
      }
    } finally {
      inFlight.length = 0; // abandoned iteration: the pages in flight settle unobserved (already handled)
    }
  }

  /**
   * Every item from `start` on, page by page (`for await (const item of request)`); leaving the loop
   * early stops the paging.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new BatchItems(pageData(this.pages()));
  }

  /** Every item, up to `limit` items (required, so an accidental full export cannot fill memory). */
  async toArray(options: { limit: number }): Promise<T[]> {
    return collectItems(this, options);
  }
}

/** Normalises a reply to a page: an envelope is kept, a bare array becomes `{start:0, limit:n, count:n, total:n, data}`. */
export function toPage<T>(data: T[] | { start?: number; limit?: number; count?: number; total?: number; data: T[] }): Page<T> {
  if (Array.isArray(data)) return { start: 0, limit: data.length, count: data.length, total: data.length, data };
  return {
    start: data.start ?? 0,
    limit: data.limit ?? data.data.length,
    count: data.count ?? data.data.length,
    total: data.total,
    data: data.data,
  };
}

/** A page generator that fails at its first step (a refused request's iteration). */
// eslint-disable-next-line require-yield
// biome-ignore lint/correctness/useYield: a stream that fails on its first read, and yields nothing
async function* refused<T>(error: unknown): AsyncGenerator<Page<T>> {
  throw error;
}

/** The items of each page, a page at a time (what {@link BatchItems} hands out one by one). */
async function* pageData<T>(pages: AsyncGenerator<Page<T>>): AsyncGenerator<T[]> {
  for await (const page of pages) yield page.data;
}
