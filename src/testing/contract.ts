/**
 * Internal contract between the parts of the fake Copernica server (`src/testing/`).
 *
 * The fake is written from the spec (`spec/API.md`, `spec/OBSERVED.md`), independently of the client:
 * nothing under `src/testing/` imports from `src/core`, `src/resources` or `src/oauth`.
 *
 * Route modules register handlers on a {@link RouteTable}; the HTTP layer (server.ts) does
 * authentication, path splitting (trailing slashes dropped, empty inner segments kept as live), body decoding (JSON and
 * form-encoded), fault injection, the request log, and turns a thrown {@link FakeApiError} into
 * `400 {"error":{"message":…}}`.
 */
import type { Readable } from 'node:stream';

export type FakeMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a route handler receives. */
export interface FakeRequest {
  method: FakeMethod;
  /** Path below `/v1`: leading slash, no trailing slashes; an empty inner segment stays (`/profile//fields`), e.g. `/profile/12/events`. */
  path: string;
  /** Path parameters from the route pattern, percent-decoded (`{email}` → `a@b.nl`). */
  params: Record<string, string>;
  /** The query string, with `access_token` still in it. */
  query: URLSearchParams;
  /** Decoded body: JSON value, a flat object for form-encoded bodies, `undefined` without a body. */
  body: unknown;
  /** The account that the request's access token belongs to. */
  account: FakeAccountContext;
  /** Absolute base of the API as the client addressed it, e.g. `http://127.0.0.1:4567/v1`. */
  apiUrl: string;
}

/** What a route handler returns. Exactly one of `json`, `text` or `stream` (or none for an empty body). */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  stream?: Readable;
  /** Defaults: `application/json` for json, `text/plain; charset=utf-8` for text. */
  contentType?: string;
}

export type FakeHandler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/** @internal Where route modules register their handlers (implemented by the router). */
export interface RouteTable {
  /**
   * Register a route. `pattern` is a path below `/v1` with `{name}` placeholders,
   * e.g. `/profile/{profileId}/events`. A placeholder matches one path segment.
   * When two patterns match (e.g. `/logfiles/{date}` and `/logfiles/{filename}`), register one
   * handler for the shared template and dispatch on the value's shape inside it.
   */
  add(method: FakeMethod, pattern: string, handler: FakeHandler): void;
}

/** Throw from a handler: becomes `400 {"error":{"message": message}}` (or the given status). */
export class FakeApiError extends Error {
  constructor(
    message: string,
    /** HTTP status of the error reply: 400 by default, as Copernica answers every API error. */
    readonly status = 400,
  ) {
    super(message);
    this.name = 'FakeApiError';
  }
}

/** One addressable recipient of a mailing, as the campaign part of the fake needs it. */
export interface FakeRecipient {
  /** Profile ID (for a subprofile: its profile). */
  profile: number;
  /** Database ID of the profile. */
  database: number;
  /** Subprofile ID, for a subprofile recipient. */
  subprofile?: number;
  /** Collection ID, for a subprofile recipient. */
  collection?: number;
  /** E-mail address: the record's email field (a subprofile without one falls back to its profile's); `''` when none. */
  email: string;
  /** The profile's or subprofile's field values, for data requests. */
  fields: Record<string, string>;
}

/** Who a fake mailing goes to. Exactly one key. IDs or (for database/view) names. */
export type FakeMailingTarget =
  | {
      /** Every live profile of this database (ID or name). */
      database: number | string;
    }
  | {
      /** The profiles of this view (ID or name), its rules evaluated. */
      view: number | string;
    }
  | {
      /** Every live subprofile of this collection (ID or name). */
      collection: number | string;
    }
  | {
      /** The subprofiles of this miniview (ID or name), its rules evaluated. */
      miniview: number | string;
    };

/**
 * What the data-model part of an account offers the campaign part (events, logfiles,
 * impressions, data requests). Implemented by the data-model store.
 */
export interface FakeAccountContext {
  /** Account ID. */
  readonly id: number;
  /** Account name. */
  readonly name: string;
  /** Resolve a mailing target to its recipients (views and miniviews evaluated). Throws FakeApiError when unknown. */
  recipients(target: FakeMailingTarget): FakeRecipient[];
  /** A live (not removed) profile, or undefined. */
  profile(id: number): FakeRecipient | undefined;
  /** A live (not removed) subprofile, or undefined. */
  subprofile(id: number): FakeRecipient | undefined;
  /** Live profiles and subprofiles whose e-mail field equals `email` (case-insensitive). */
  byEmail(email: string): FakeRecipient[];
  /** Storage slot for the campaign part's own per-account state. */
  campaignState: unknown;
}
