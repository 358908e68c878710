/**
 * Data requests (spec/API.md §3.25): privacy exports of everything stored about a profile, a subprofile or
 * an e-mail address. Start one, poll its status (or `waitUntilReady`), then fetch the data.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { CreateResult, WriteResult } from '../core/results.js';
import { APIResource } from '../core/resource.js';
import { checkRequestOptions, type RequestOptions } from '../core/config.js';
import { AbortError, NotFoundError, TimeoutError } from '../core/errors.js';
import { checkInput } from '../core/input.js';
import { param, path, toId, type Id, type PathSegment } from '../core/path.js';
import { model } from '../core/schema.js';

/** A data request ID: returned in `.id` of `create()` (the pages do not document its format). */
export type DataRequestId = number | string;

/** What to export: exactly one of `profile`, `subprofile` or `email`, plus an optional `report` target. */
export type DataRequestTarget = (
  | {
      /** Export everything about this profile (ID). */
      profile: Id;
    }
  | {
      /** Export everything about this subprofile (ID). */
      subprofile: Id;
    }
  | {
      /** Export everything stored about this e-mail address. */
      email: string;
    }
) & {
  /**
   * Where Copernica delivers the finished export: an e-mail address, or a URL that receives an
   * HTTP POST with the JSON. Sent in the JSON body (as the pages' samples do).
   */
  report?: string;
};

// Checked by param.id() below (a ValidationError naming the argument); typed as the caller's Id.
const idInput = z.union([z.number(), z.string()]) as unknown as z.ZodType<Id>;
const report = z.string().min(1).max(2048).optional();
const targetSchema = z.union([
  z.strictObject({ profile: idInput, report }),
  z.strictObject({ subprofile: idInput, report }),
  z.strictObject({ email: z.string(), report }),
]);

/** Progress of a data request (`GET /datarequest/{id}/status`). */
export const DataRequestStatusSchema = model(
  (obj) =>
    obj(
      {
        /** `available` (ready), `pending`, or `not available` (also for unknown IDs). */
        status: z.enum(['available', 'pending', 'not available']),
        /** Bytes gathered so far. */
        available: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
        /** Type of the export, currently always `application/json`. */
        'content-type': z.string().optional(),
      },
      ['status'],
    ), // waitUntilReady() decides on it: never degraded (an unusable status would poll until the timeout)
);
/**
 * Progress of a data request (`GET /datarequest/{id}/status`). Equal to the output of
 * `DataRequestStatusSchema` (test/types/schemas.test-d.ts).
 */
export interface DataRequestStatus {
  /** `available` (ready), `pending`, or `not available` (also for unknown IDs). Never degraded: `waitUntilReady()` decides on it. */
  status: 'available' | 'pending' | 'not available';
  /** Bytes gathered so far. */
  available?: number | undefined;
  /** Type of the export, currently always `application/json`. */
  'content-type'?: string | undefined;
}

/** What a data request exported: `info` of {@link DataRequestFile} and {@link DataRequestInfo}. */
export interface DataRequestExportInfo {
  /** What was exported: an e-mail address, a profile or a subprofile. */
  type: 'email' | 'profile' | 'subprofile';
  /** The profile or subprofile ID, or the e-mail address, as the server sends it. */
  id: number | string;
}

const infoShape = {
  type: z.enum(['email', 'profile', 'subprofile']),
  id: z.union([z.number(), z.string()]),
};
// Unknown properties are kept at run time; the type lists the known ones (as every entity's does).
const info = z.looseObject(infoShape) as unknown as z.ZodObject<typeof infoShape, z.core.$strip>;

/** The collected data (`GET /datarequest/{id}/data`): `data` is a list of rows (arrays) whose layout the pages do not specify. */
export const DataRequestFileSchema = model(
  (obj) =>
    obj(
      {
        /** What was exported: `type` (`email`, `profile` or `subprofile`) and `id`. */
        info,
        /** The rows of the export (arrays; the pages do not specify their layout). */
        data: z.array(z.array(z.unknown())),
      },
      ['data'],
    ), // the export itself: never degraded
);
/**
 * A finished export (`GET /datarequest/{id}/data`). Equal to the output of `DataRequestFileSchema`
 * (test/types/schemas.test-d.ts).
 */
export interface DataRequestFile {
  /** What was exported: `type` (`email`, `profile` or `subprofile`) and `id`; `undefined` when the reply's value was unusable. */
  info?: DataRequestExportInfo | undefined;
  /** The rows of the export (arrays; the pages do not specify their layout). Never degraded. */
  data: unknown[][];
}

/**
 * `GET /datarequest/{id}`: the export, or while it is not ready `data` holds the text
 * `Data not available (yet)`. `ready` tells which (added by the SDK).
 */
export const DataRequestSchema = model((obj) =>
  obj(
    {
      /** What was exported: `type` (`email`, `profile` or `subprofile`) and `id`. */
      info,
      /** The rows of the export, or the text `Data not available (yet)` while it is being gathered. */
      data: z.union([z.array(z.array(z.unknown())), z.string()]),
    },
    ['data'],
  ).transform((v) => ({
    ...v,
    /** True when `data` holds the rows (added by the SDK); false while it is still the text. */
    ready: Array.isArray(v.data),
  })),
);
/**
 * A data request as `GET /datarequest/{id}` shows it; `ready` is false while `data` is still a
 * text. Equal to the output of `DataRequestSchema` (test/types/schemas.test-d.ts).
 */
export interface DataRequestInfo {
  /** What was exported: `type` (`email`, `profile` or `subprofile`) and `id`; `undefined` when the reply's value was unusable. */
  info?: DataRequestExportInfo | undefined;
  /** The rows of the export, or the text `Data not available (yet)` while it is being gathered. */
  data: unknown[][] | string;
  /** True when `data` holds the rows (added by the SDK); false while it is still the text. */
  ready: boolean;
}

/**
 * Options of `client.dataRequests.waitUntilReady()`: how the whole wait goes. `timeout` and
 * `signal` cover the wait, not one poll; `maxRetries` and `maxResponseBytes` apply to each poll,
 * whose own deadline is the client's `timeout` (or what is left of the wait, if less).
 */
export interface WaitUntilReadyOptions extends RequestOptions {
  /** First pause between status polls in ms. Default 1000 (at least 10). */
  interval?: number;
  /** Pauses grow by half each poll up to this many ms. Default 30 000. */
  maxInterval?: number;
  /** Give up after this many ms with a `TimeoutError`. Default 600 000 (10 minutes). */
  timeout?: number;
  /** Stops waiting (and the poll in flight) with an `AbortError`. */
  signal?: AbortSignal;
}

const waitSchema = z.strictObject({
  interval: z.number().int().min(10).max(3_600_000).optional(),
  maxInterval: z.number().int().min(10).max(3_600_000).optional(),
  timeout: z
    .number()
    .int()
    .positive()
    .max(7 * 24 * 3_600_000)
    .optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'must be an AbortSignal').optional(),
  // Checked with the other request options (checkRequestOptions), before the first poll.
  maxRetries: z.unknown().optional(),
  maxResponseBytes: z.unknown().optional(),
});

function requestId(value: DataRequestId): PathSegment {
  return typeof value === 'number' ? param.id(value, 'dataRequestId') : param.text(value, 'dataRequestId');
}

/** Privacy exports. */
export class DataRequests extends APIResource {
  /**
   * Starts an export of everything stored about a profile, a subprofile or an e-mail address. The
   * new request's ID is in `.id` (from `X-Created`, else the `X-location` tail).
   *
   * @example
   * const { id } = await client.dataRequests.create({ profile: 4567 });
   * await client.dataRequests.waitUntilReady(id!);
   * const file = await client.dataRequests.data(id!);
   */
  async create(target: DataRequestTarget, options?: RequestOptions): Promise<CreateResult> {
    const t = checkInput(targetSchema, target, 'target');
    let p: string;
    if ('profile' in t) p = path`/profile/${param.id(t.profile, 'target.profile')}/datarequest`;
    else if ('subprofile' in t) p = path`/subprofile/${param.id(t.subprofile, 'target.subprofile')}/datarequest`;
    else p = path`/email/${param.email(t.email, 'target.email')}/datarequest`;
    return this._create(p, { body: t.report === undefined ? undefined : { report: t.report }, options });
  }

  /**
   * The progress of a data request: `available`, `pending` or `not available` (also for unknown IDs).
   *
   * @example const { status } = await client.dataRequests.status(9001);
   */
  async status(dataRequestId: DataRequestId, options?: RequestOptions): Promise<DataRequestStatus> {
    return this._json('GET', path`/datarequest/${requestId(dataRequestId)}/status`, DataRequestStatusSchema, { options });
  }

  /**
   * The collected data. Copernica answers 404 while the export is not ready: that rejects with a
   * `NotFoundError` (use `waitUntilReady` first).
   *
   * @example const file = await client.dataRequests.data(9001); // { info: { type, id }, data: [[…], …] }
   */
  async data(dataRequestId: DataRequestId, options?: RequestOptions): Promise<DataRequestFile> {
    return this._json('GET', path`/datarequest/${requestId(dataRequestId)}/data`, DataRequestFileSchema, { options });
  }

  /**
   * The data request as the POST pages describe it: the export, or `data: 'Data not available (yet)'`
   * with `ready: false` while it is being gathered. Never 404 while pending.
   *
   * @example const req = await client.dataRequests.get(9001); if (req.ready) console.log(req.data.length);
   */
  async get(dataRequestId: DataRequestId, options?: RequestOptions): Promise<DataRequestInfo> {
    return this._json('GET', path`/datarequest/${requestId(dataRequestId)}`, DataRequestSchema, { options });
  }

  /**
   * Polls the status politely until the export is `available` and returns that status. Pauses start
   * at `interval` (1 s) and grow by half up to `maxInterval` (30 s). Rejects with `TimeoutError` after
   * `timeout` (10 min), `AbortError` when `signal` fires, and `NotFoundError` when the server says
   * `not available` (unknown ID or expired export).
   *
   * @example
   * const ac = new AbortController();
   * await client.dataRequests.waitUntilReady(9001, { timeout: 120_000, signal: ac.signal });
   */
  async waitUntilReady(dataRequestId: DataRequestId, options?: WaitUntilReadyOptions): Promise<DataRequestStatus> {
    const w = checkInput(waitSchema, options ?? {}, 'options');
    // Each poll: the wait's signal and what is left of its deadline; retries and the size cap as given.
    const pollOptions: RequestOptions =
      checkRequestOptions(
        Object.fromEntries(
          Object.entries({ maxRetries: w.maxRetries, maxResponseBytes: w.maxResponseBytes }).filter(([, v]) => v !== undefined),
        ),
      ) ?? {};
    if (typeof dataRequestId === 'number') toId(dataRequestId, 'dataRequestId');
    const seg = requestId(dataRequestId);
    const timeout = w.timeout ?? 600_000;
    let pause = w.interval ?? 1_000;
    const maxPause = Math.max(pause, w.maxInterval ?? 30_000);
    const started = Date.now();
    const shown = `GET ${path`/datarequest/${seg}/status`}`;
    const deadline = AbortSignal.timeout(timeout);
    const signal = w.signal ? AbortSignal.any([w.signal, deadline]) : deadline;
    const fail = (cause?: unknown): never => {
      const overdue = deadline.aborted || Date.now() - started >= timeout;
      if (overdue && !w.signal?.aborted) {
        throw new TimeoutError(`data request ${String(dataRequestId)} was not ready within ${timeout} ms`, { request: shown, cause });
      }
      throw new AbortError(`waiting for data request ${String(dataRequestId)} was aborted`, { cause });
    };
    for (;;) {
      if (signal.aborted) fail();
      let st: DataRequestStatus;
      try {
        const left = timeout - (Date.now() - started);
        const callTimeout = Math.max(1, Math.min(left, this._core.config.timeout));
        st = await this.status(dataRequestId, { ...pollOptions, signal, timeout: callTimeout });
      } catch (error) {
        if (signal.aborted) fail(error);
        throw error;
      }
      if (st.status === 'available') return st;
      if (st.status === 'not available') {
        throw new NotFoundError({
          status: 200,
          headers: {},
          body: st,
          serverMessage: 'not available',
          request: shown,
          message: `data request ${String(dataRequestId)} is not available (unknown ID or expired export)`,
        });
      }
      const left = timeout - (Date.now() - started);
      if (left <= 0) fail();
      try {
        await sleep(Math.min(pause, left), undefined, { signal });
      } catch (error) {
        fail(error);
      }
      pause = Math.min(maxPause, Math.round(pause * 1.5));
    }
  }
}
