/**
 * The base of every resource class: it holds the core and nothing else, and gives each method a
 * one-line way to name a method, a path and a schema.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { checkRequestOptions, type RequestOptions } from './config.js';
import { AbortError, InvalidResponseError, isAbortError, isTimeoutError, TimeoutError } from './errors.js';
import type { QueryInput } from './query.js';
import { collectingDegraded, ConvertFailure, parseReply, type Model, type ReplyContext } from './schema.js';
import { pageReply, toPage, type Page, type PageParams, PageRequest } from './pagination.js';
import type { Core, HttpMethod } from './transport.js';
import { deleteResultOf, writeResultOf, type CreateResult, type DeleteResult, type WriteResult } from './results.js';

export interface CallInit {
  query?: QueryInput | URLSearchParams;
  body?: unknown;
  options?: RequestOptions | undefined;
}

/**
 * One deadline over every request a method call sends. A method that sends several requests
 * (`profiles.create` with `validateFields` or interests, `profiles.update` with `validateFields`,
 * …) runs them inside {@link APIResource._oneDeadline}; every request sent from there (by the
 * `_json`/`_write`/`_delete`/`_text`/`_stream`/`_list` helpers below: the one place every request
 * of a resource passes through) gets the time that is left, never a fresh `timeout`. The deadline
 * travels with the async context, so requests made by nested methods (`this.get()`, a list's
 * pages) count against it without each method passing it on.
 */
interface CallDeadline {
  /** performance.now() at which the call's time is spent. */
  readonly end: number;
  /** The call's timeout in ms (for messages). */
  readonly timeout: number;
  /** The caller's signal, for requests made without the caller's options. */
  readonly signal: AbortSignal | undefined;
}

const deadlines = new AsyncLocalStorage<CallDeadline>();

function deadlineMessage(d: CallDeadline): string {
  return `the call's timeout of ${d.timeout} ms was spent (it covers every request the call sends)`;
}

/**
 * The options of one request sent now: inside a method's deadline, the time that is left (a
 * TimeoutError, before sending, when none is); outside one, the options unchanged.
 */
function remaining(options: RequestOptions | undefined, shown: () => string): RequestOptions | undefined {
  const d = deadlines.getStore();
  if (d === undefined) return options;
  const left = Math.floor(d.end - performance.now());
  if (left < 1) throw new TimeoutError(`${shown()} not sent: ${deadlineMessage(d)}`, { request: shown() });
  const signal = options?.signal ?? d.signal;
  return { ...options, timeout: Math.min(left, options?.timeout ?? left), ...(signal ? { signal } : {}) };
}

/** Waits for `promise`, no longer than the deadline's time left and not past its signal. */
function waitWithin<T>(d: CallDeadline, promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const left = Math.max(0, Math.floor(d.end - performance.now()));
    const done = () => {
      clearTimeout(timer);
      d.signal?.removeEventListener('abort', onAbort);
    };
    const timer = setTimeout(() => {
      done();
      reject(new TimeoutError(`${what} not finished: ${deadlineMessage(d)}`, { request: what }));
    }, left);
    const onAbort = () => {
      done();
      reject(new AbortError(`${what} aborted by the caller`, { cause: d.signal?.reason }));
    };
    if (d.signal?.aborted) return onAbort();
    d.signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        done();
        resolve(v);
      },
      (e: unknown) => {
        done();
        reject(e as Error);
      },
    );
  });
}

export abstract class APIResource {
  /** @internal */
  protected readonly _core: Core;

  /** @internal */
  constructor(core: Core) {
    this._core = core;
  }

  /**
   * Runs a method that sends several requests under one deadline: the call's `timeout` (or the
   * client's) and `signal` cover all of them. Nested calls stay under the outer deadline. A request
   * cut short by it fails with a TimeoutError that says so.
   */
  protected _oneDeadline<T>(options: RequestOptions | undefined, run: () => Promise<T>): Promise<T> {
    let checked: RequestOptions | undefined;
    try {
      checked = checkRequestOptions(options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const outer = deadlines.getStore();
    const timeout = checked?.timeout ?? this._core.config.timeout;
    const end = performance.now() + timeout;
    if (outer !== undefined && outer.end <= end) return run();
    const d: CallDeadline = { end, timeout, signal: checked?.signal ?? outer?.signal };
    return deadlines.run(d, async () => {
      try {
        return await run();
      } catch (error) {
        // The core names the time it was given (what was left); the caller set the call's timeout.
        if (isTimeoutError(error) && performance.now() >= d.end - 1 && !error.message.includes(deadlineMessage(d))) {
          throw new TimeoutError(`${error.request.split(' ')[0]} request timed out: ${deadlineMessage(d)}`, {
            request: error.request,
            cause: error,
          });
        }
        throw error;
      }
    });
  }

  /**
   * Waits for a promise other calls may share (e.g. a cache of field definitions), within this
   * call's deadline and signal: a call never waits past its own timeout for someone else's request.
   * `shared()` returns the shared promise (starting it when there is none). When it fails on the
   * deadline or signal of the call that started it while this call still has time, it is asked once
   * more (a cache drops a failed entry): one caller's timeout or abort is not another's failure.
   */
  protected async _withinDeadline<T>(shared: () => Promise<T>, what: string): Promise<T> {
    const d = deadlines.getStore();
    if (d === undefined) return shared();
    try {
      return await waitWithin(d, shared(), what);
    } catch (error) {
      const theirs = (isTimeoutError(error) || isAbortError(error)) && performance.now() < d.end - 1 && !d.signal?.aborted;
      if (!theirs) throw error;
      return waitWithin(d, shared(), what);
    }
  }

  /** `METHOD base/path` of a request about to be sent (no query: no token, no input values). */
  #shown(method: string, path: string): () => string {
    return () => `${method} ${this._core.config.baseUrl}${path}`;
  }

  /** A JSON call parsed with a model. */
  protected _json<T>(method: HttpMethod, path: string, schema: Model<T> | z.ZodType<T>, init: CallInit = {}): Promise<T> {
    let options: RequestOptions | undefined;
    try {
      options = remaining(checkRequestOptions(init.options), this.#shown(method, path));
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const strict = this._core.config.strict;
    const logger = this._core.config.logger;
    return this._core.callWith({ method, path, query: init.query, body: init.body, options }, (res) =>
      parseReply(schema, res.data, strict, { status: res.status, request: res.request, logger }),
    );
  }

  /** A POST or PUT whose reply is empty: the written ID and location from the headers. */
  protected async _write(method: 'POST' | 'PUT', path: string, init: CallInit = {}): Promise<WriteResult> {
    const options = remaining(checkRequestOptions(init.options), this.#shown(method, path));
    const res = await this._core.call({ method, path, query: init.query, body: init.body, responseType: 'none', options });
    return writeResultOf(res);
  }

  /**
   * A POST that creates an entity: the write result with the new ID. A reply without one (no
   * `X-Created`, no ID at the end of `X-location`/`Location`) is an InvalidResponseError saying that
   * the entity was probably created (so the caller looks before trying again: no duplicate write).
   */
  protected async _create(path: string, init: CallInit = {}): Promise<CreateResult> {
    const options = remaining(checkRequestOptions(init.options), this.#shown('POST', path));
    const res = await this._core.call({ method: 'POST', path, query: init.query, body: init.body, responseType: 'none', options });
    const result = writeResultOf(res);
    if (result.id === undefined) {
      throw new InvalidResponseError(
        `The reply to POST (status ${res.status}) did not carry the new ID (no X-Created header, no ID at the end of X-location): the entity was probably created; look it up before trying again`,
        { status: res.status, request: res.request },
      );
    }
    return { ...result, id: result.id };
  }

  /** A DELETE: whether something was removed. */
  protected async _delete(path: string, init: CallInit = {}): Promise<DeleteResult> {
    const options = remaining(checkRequestOptions(init.options), this.#shown('DELETE', path));
    const res = await this._core.call({ method: 'DELETE', path, query: init.query, responseType: 'none', options });
    return deleteResultOf(res);
  }

  /** A text reply (message bodies, CSV). */
  protected async _text(path: string, init: CallInit = {}): Promise<string> {
    const options = remaining(checkRequestOptions(init.options), this.#shown('GET', path));
    const res = await this._core.call<string | undefined>({ method: 'GET', path, query: init.query, responseType: 'text', options });
    return res.data ?? '';
  }

  /** A streamed reply (logfiles). The caller must consume or destroy the stream. */
  protected async _stream(path: string, init: CallInit = {}): Promise<Readable> {
    const options = remaining(checkRequestOptions(init.options), this.#shown('GET', path));
    const res = await this._core.call<Readable>({ method: 'GET', path, query: init.query, responseType: 'stream', options });
    return res.data;
  }

  /**
   * A list method's body: `build` checks the input and makes the request; a refusal (a
   * ValidationError from an ID, a path or the paging parameters) becomes a PageRequest that rejects
   * with it, never a synchronous throw (one failure contract: every method's failure is a rejection).
   */
  protected _pages<T>(build: () => PageRequest<T>): PageRequest<T> {
    try {
      return build();
    } catch (error) {
      return PageRequest.failed(error);
    }
  }

  /**
   * A list: paging envelope or bare array, items parsed with `item`. `query` is sent with every page;
   * `start`, `limit` and `total` are added per page for envelope endpoints.
   */
  protected _list<T>(
    path: string,
    item: Model<T>,
    init: { query?: QueryInput; params?: PageParams | undefined; options?: RequestOptions | undefined; paged?: boolean } = {},
  ): PageRequest<T> {
    let options: RequestOptions | undefined;
    try {
      options = checkRequestOptions(init.options);
    } catch (error) {
      return PageRequest.failed(error);
    }
    const paged = init.paged ?? true;
    const fetch = async (p: { start: number; limit: number; total: boolean }): Promise<Page<T>> => {
      const query = paged ? { ...init.query, start: p.start, limit: p.limit, total: p.total } : init.query;
      const res = await this._core.call({ method: 'GET', path, query, options: remaining(options, this.#shown('GET', path)) });
      return pageReply(
        parsePage(item, res.data ?? [], this._core.config.strict, {
          status: res.status,
          request: res.request,
          logger: this._core.config.logger,
        }),
        res,
      );
    };
    return new PageRequest(fetch, init.params);
  }
}

const arrayCache = new WeakMap<object, z.ZodType>();

function pageNumber(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return NaN;
}

/** Items through the model's direct converter, when it has one (undefined: use the schema). */
function convertAll<T>(item: Model<T>, data: unknown[], strict: boolean, ctx: ReplyContext): T[] | undefined {
  const convert = item.convert;
  if (!convert) return undefined;
  // Degradations the converter notes (loose mode) are warned about once per endpoint and property.
  return collectingDegraded(ctx, () => {
    const out: T[] = new Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const r = convert(data[i], strict);
      if (r instanceof ConvertFailure) {
        const where = `reply.data.${i}${r.path === undefined ? '' : `.${r.path}`}`;
        throw new InvalidResponseError(
          `The reply to ${ctx.request.split(' ')[0]} did not have the expected shape: ${where}: ${r.describe(data[i])}`,
          ctx,
        );
      }
      out[i] = r;
    }
    return out;
  });
}

/**
 * A list reply as a page: a bare array, or an envelope `{start, limit, count, total, data}` whose
 * numbers may come as strings. The envelope is read by hand (it is on the hot path of every export),
 * the items with the item model in the client's mode.
 */
function parsePage<T>(item: Model<T>, data: unknown, strict: boolean, ctx: ReplyContext): Page<T> {
  const itemSchema = strict ? item.strict : item.loose;
  let items = arrayCache.get(itemSchema) as z.ZodType<T[]> | undefined;
  if (!items) {
    items = z.array(itemSchema);
    arrayCache.set(itemSchema, items);
  }
  if (Array.isArray(data)) return toPage(convertAll(item, data, strict, ctx) ?? parseReply(items, data, false, ctx));
  if (typeof data === 'object' && data !== null && Array.isArray((data as { data?: unknown }).data)) {
    const e = data as Record<string, unknown>;
    const numbers = { start: pageNumber(e.start), limit: pageNumber(e.limit), count: pageNumber(e.count), total: pageNumber(e.total) };
    const wrong = Object.entries(numbers).find(([, v]) => Number.isNaN(v));
    if (wrong) {
      throw new InvalidResponseError(
        `The reply to ${ctx.request.split(' ')[0]} did not have the expected shape: reply.${wrong[0]}: expected a number`,
        ctx,
      );
    }
    const list = convertAll(item, e.data as unknown[], strict, ctx) ?? parseReply(items, e.data, false, ctx);
    return toPage({ ...(numbers as { start?: number; limit?: number; count?: number; total?: number }), data: list });
  }
  // Neither a bare array nor an envelope: zod says what is wrong (an array was expected).
  return toPage(parseReply(items, data, false, ctx));
}
