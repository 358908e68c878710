/**
 * The base of every resource class: it holds the core and nothing else, and gives each method a
 * one-line way to name a method, a path and a schema.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { checkRequestOptions, type RequestOptions } from './config.js';
import { InvalidResponseError } from './errors.js';
import type { QueryInput } from './query.js';
import { ConvertFailure, parseReply, type Model } from './schema.js';
import { toPage, type Page, type PageParams, PageRequest } from './pagination.js';
import { writeResultOf, type Core, type HttpMethod, type WriteResult } from './transport.js';

/** Result of a DELETE. */
export interface DeleteResult {
  /** True when something was removed (200), false when there was nothing to remove (204). */
  removed: boolean;
  /** HTTP status: 200 (removed) or 204 (nothing to remove). */
  status: number;
  /** The `X-deleted` header, e.g. `profile 4567`. */
  deleted: string | undefined;
}

export interface CallInit {
  query?: QueryInput | URLSearchParams;
  body?: unknown;
  options?: RequestOptions | undefined;
}

export abstract class APIResource {
  /** @internal */
  protected readonly _core: Core;

  /** @internal */
  constructor(core: Core) {
    this._core = core;
  }

  /** A JSON call parsed with a model. */
  protected _json<T>(method: HttpMethod, path: string, schema: Model<T> | z.ZodType<T>, init: CallInit = {}): Promise<T> {
    let options: RequestOptions | undefined;
    try {
      options = checkRequestOptions(init.options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const strict = this._core.config.strict;
    return this._core.callWith({ method, path, query: init.query, body: init.body, options }, (res) => parseReply(schema, res.data, strict, res));
  }

  /** A POST or PUT whose reply is empty: the written ID and location from the headers. */
  protected async _write(method: 'POST' | 'PUT', path: string, init: CallInit = {}): Promise<WriteResult> {
    const res = await this._core.call({ method, path, query: init.query, body: init.body, responseType: 'none', options: checkRequestOptions(init.options) });
    return writeResultOf(res);
  }

  /** A DELETE: whether something was removed. */
  protected async _delete(path: string, init: CallInit = {}): Promise<DeleteResult> {
    const res = await this._core.call({ method: 'DELETE', path, query: init.query, responseType: 'none', options: checkRequestOptions(init.options) });
    return { removed: res.status !== 204, status: res.status, deleted: res.header('x-deleted') };
  }

  /** A text reply (message bodies, CSV). */
  protected async _text(path: string, init: CallInit = {}): Promise<string> {
    const res = await this._core.call<string | undefined>({ method: 'GET', path, query: init.query, responseType: 'text', options: checkRequestOptions(init.options) });
    return res.data ?? '';
  }

  /** A streamed reply (logfiles). The caller must consume or destroy the stream. */
  protected async _stream(path: string, init: CallInit = {}): Promise<Readable> {
    const res = await this._core.call<Readable>({ method: 'GET', path, query: init.query, responseType: 'stream', options: checkRequestOptions(init.options) });
    return res.data;
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
    const options = checkRequestOptions(init.options);
    const paged = init.paged ?? true;
    const fetch = async (p: { start: number; limit: number; total: boolean }): Promise<Page<T>> => {
      const query = paged ? { ...init.query, start: p.start, limit: p.limit, total: p.total } : init.query;
      const res = await this._core.call({ method: 'GET', path, query, options });
      return parsePage(item, res.data ?? [], this._core.config.strict, res);
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
function convertAll<T>(item: Model<T>, data: unknown[], strict: boolean, ctx: { status: number; request: string }): T[] | undefined {
  if (!item.convert) return undefined;
  const out: T[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const r = item.convert(data[i], strict);
    if (r instanceof ConvertFailure) {
      const where = `reply.data.${i}${r.path === undefined ? '' : `.${r.path}`}`;
      throw new InvalidResponseError(`The reply to ${ctx.request.split(' ')[0]} did not have the expected shape: ${where}: ${r.message}`, ctx);
    }
    out[i] = r;
  }
  return out;
}

/**
 * A list reply as a page: a bare array, or an envelope `{start, limit, count, total, data}` whose
 * numbers may come as strings. The envelope is read by hand (it is on the hot path of every export),
 * the items with the item model in the client's mode.
 */
function parsePage<T>(item: Model<T>, data: unknown, strict: boolean, ctx: { status: number; request: string }): Page<T> {
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
      throw new InvalidResponseError(`The reply to ${ctx.request.split(' ')[0]} did not have the expected shape: reply.${wrong[0]}: expected a number`, ctx);
    }
    const list = convertAll(item, e.data as unknown[], strict, ctx) ?? parseReply(items, e.data, false, ctx);
    return toPage({ ...(numbers as { start?: number; limit?: number; count?: number; total?: number }), data: list });
  }
  // Neither a bare array nor an envelope: zod says what is wrong (an array was expected).
  return toPage(parseReply(items, data, false, ctx));
}
