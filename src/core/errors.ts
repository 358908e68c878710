/**
 * The error hierarchy. Every error the SDK throws is a {@link CopernicaError}; each class has a
 * stable `name` and `code`, and a type guard that works across two copies of the package (it
 * checks a global brand, not `instanceof`).
 *
 * No message, `toJSON()` or `util.inspect` output of these errors contains the access token, the
 * client secret or an OAuth code: the core redacts every URL, header and body before it builds one.
 */

const BRAND = Symbol.for('copernica-rest.error');

/** Stable machine-readable error codes. */
export type CopernicaErrorCode =
  | 'api_error'
  | 'invalid_token'
  | 'not_found'
  | 'already_removed'
  | 'rate_limited'
  | 'server_error'
  | 'invalid_response'
  | 'connection_error'
  | 'timeout'
  | 'aborted'
  | 'validation_error'
  | 'oauth_error';

/** Base class of every error thrown by copernica-rest. */
export class CopernicaError extends Error {
  /** Stable code, safe to switch on. */
  readonly code: CopernicaErrorCode = 'api_error';
  /** The class name (`'CopernicaError'`, `'NotFoundError'`, …), stable across minification. */
  override name = 'CopernicaError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** A serialisable summary without headers or bodies. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** Headers as undici returns them, lower-case names. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** The server answered with a status that is not a success. */
export class APIError extends CopernicaError {
  override readonly code: CopernicaErrorCode = 'api_error';
  override name = 'APIError';
  /** HTTP status code. */
  readonly status: number;
  /** Response headers (secrets in `location` and the like redacted). */
  readonly headers: ResponseHeaders;
  /** Parsed JSON body when the body was JSON, else the raw text (redacted). */
  readonly body: unknown;
  /** The server's own message (`error.message` of the JSON body), when there was one. */
  readonly serverMessage: string | undefined;
  /** Method and redacted URL of the failed request, e.g. `GET https://…/v1/identity?access_token=***`. */
  readonly request: string;

  constructor(init: {
    status: number;
    headers: ResponseHeaders;
    body: unknown;
    serverMessage: string | undefined;
    request: string;
    message?: string;
  }) {
    super(init.message ?? APIError.describe(init.status, init.serverMessage));
    this.status = init.status;
    this.headers = init.headers;
    this.body = init.body;
    this.serverMessage = init.serverMessage;
    this.request = init.request;
  }

  /** The default message of an API error: `'<status>: <server message>'`, or a generic one when the server sent none. */
  static describe(status: number, serverMessage: string | undefined): string {
    return serverMessage ? `${status}: ${serverMessage}` : `${status}: Copernica answered with status ${status}`;
  }

  /**
   * The error of a reply that is not a success: the class by status and server message (429 →
   * RateLimitError, 5xx → ServerError, `Invalid access token` → InvalidTokenError, `… has already
   * been removed` → AlreadyRemovedError, 404 or `No … with supplied ID` → NotFoundError, else
   * APIError). `headers` and `body` must already be redacted (the transport reads them so).
   */
  static generate(init: { status: number; headers: ResponseHeaders; body: unknown; request: string }): APIError {
    const { status, headers, body } = init;
    const serverMessage = serverMessageOf(body);
    const all = { ...init, serverMessage };
    if (status >= 500) {
      const what = typeof body === 'string' && /^\s*</.test(body) ? 'an HTML page (a load balancer or proxy, not the API)' : 'an error';
      return new ServerError({
        ...all,
        message: serverMessage ? APIError.describe(status, serverMessage) : `${status}: Copernica answered with ${what}`,
      });
    }
    if (status === 429) {
      const after = parseRetryAfter(headers['retry-after']);
      return new RateLimitError({
        ...all,
        message: `429: too many requests${after !== undefined ? ` (retry after ${Math.ceil(after / 1000)} s)` : ''}`,
      });
    }
    if (serverMessage === 'Invalid access token') return new InvalidTokenError(all);
    if (serverMessage && /has already been removed/i.test(serverMessage)) return new AlreadyRemovedError(all);
    if (status === 404 || (serverMessage && /^No \w+ with (supplied|given) (ID|name)/i.test(serverMessage))) return new NotFoundError(all);
    if (status >= 300 && status < 400) {
      return new APIError({
        ...all,
        message: `${status}: the API answered with a redirect${headers.location ? ` to ${String(headers.location)}` : ''}, which the SDK does not follow`,
      });
    }
    return new APIError(all);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, serverMessage: this.serverMessage, request: this.request };
  }
}

/** The server's message from an error body: `{"error":{"message"}}`, `{"error":"…"}` or `{"message":"…"}`. */
function serverMessageOf(parsed: unknown): string | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const o = parsed as Record<string, unknown>;
  const err = o.error;
  if (typeof err === 'object' && err !== null && typeof (err as Record<string, unknown>).message === 'string') {
    return (err as Record<string, string>).message;
  }
  if (typeof err === 'string') return err;
  if (typeof o.message === 'string') return o.message;
  return undefined;
}

/** 400 `Invalid access token`: the token is wrong or was revoked by the account owner. */
export class InvalidTokenError extends APIError {
  override readonly code = 'invalid_token';
  override name = 'InvalidTokenError';
}

/** The addressed entity does not exist (`No database with supplied ID`, `No entity with supplied ID`, 404, …). */
export class NotFoundError extends APIError {
  override readonly code = 'not_found';
  override name = 'NotFoundError';
}

/** A second DELETE of a profile or subprofile: `This profile has already been removed`. */
export class AlreadyRemovedError extends APIError {
  override readonly code = 'already_removed';
  override name = 'AlreadyRemovedError';
}

/** 429 Too Many Requests. `retryAfterMs` holds the server's `Retry-After`, when it sent one. */
export class RateLimitError extends APIError {
  override readonly code = 'rate_limited';
  override name = 'RateLimitError';
  /** The server's `Retry-After` in milliseconds (delta-seconds or an HTTP date), or `undefined` when absent or unreadable. */
  get retryAfterMs(): number | undefined {
    return parseRetryAfter(this.headers['retry-after']);
  }
}

/** 5xx, often an HTML page from a load balancer rather than JSON. */
export class ServerError extends APIError {
  override readonly code = 'server_error';
  override name = 'ServerError';
}

/** A success status whose body could not be read as what the endpoint returns (malformed or truncated JSON, unexpected shape). */
export class InvalidResponseError extends CopernicaError {
  override readonly code = 'invalid_response';
  override name = 'InvalidResponseError';
  /** HTTP status of the reply (a success status). */
  readonly status: number;
  /** Method and redacted URL of the request, e.g. `GET https://…/v1/identity?access_token=***`. */
  readonly request: string;
  constructor(message: string, init: { status: number; request: string; cause?: unknown }) {
    super(message, { cause: init.cause });
    this.status = init.status;
    this.request = init.request;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, request: this.request };
  }
}

/** The request could not be completed on the network (refused, reset, DNS, TLS, …). `cause` holds the underlying error. */
export class ConnectionError extends CopernicaError {
  override readonly code: CopernicaErrorCode = 'connection_error';
  override name = 'ConnectionError';
  /** Method and redacted URL of the failed request. */
  readonly request: string;
  constructor(message: string, init: { request: string; cause?: unknown }) {
    super(message, { cause: init.cause });
    this.request = init.request;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), request: this.request };
  }
}

/** The call's deadline (`timeout`) passed before the response was complete. */
export class TimeoutError extends ConnectionError {
  override readonly code = 'timeout';
  override name = 'TimeoutError';
}

/** The caller's `AbortSignal` fired. */
export class AbortError extends CopernicaError {
  override readonly code = 'aborted';
  override name = 'AbortError';
}

/** Bad input found before any request was sent. `issues` lists what is wrong, per argument. */
export class ValidationError extends CopernicaError {
  override readonly code = 'validation_error';
  override name = 'ValidationError';
  /** One line per problem, usually prefixed with the argument or property name (e.g. `limit: must be an integer from 1 to 100, got 0`). */
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [message]) {
    super(message);
    this.issues = issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** The OAuth flow failed: an `error` on the callback, a state mismatch, or a refused code exchange. */
export class OAuthError extends CopernicaError {
  override readonly code = 'oauth_error';
  override name = 'OAuthError';
  /** The OAuth error code (`access_denied`, `state_mismatch`, `invalid_grant`, …). */
  readonly oauthError: string;
  constructor(oauthError: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.oauthError = oauthError;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), oauthError: this.oauthError };
  }
}

function guard<T extends CopernicaError>(...codes: CopernicaErrorCode[]) {
  return (value: unknown): value is T => isCopernicaError(value) && (codes.length === 0 || codes.includes(value.code));
}

/** True for any error thrown by copernica-rest (any copy of the package). */
export function isCopernicaError(value: unknown): value is CopernicaError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
/** True for an error carrying an HTTP status from the server. */
export const isAPIError = guard<APIError>('api_error', 'invalid_token', 'not_found', 'already_removed', 'rate_limited', 'server_error');
/** True for an {@link InvalidTokenError} (the token is wrong or revoked). Works across copies of the package. */
export const isInvalidTokenError = guard<InvalidTokenError>('invalid_token');
/** True for a {@link NotFoundError} (the addressed entity does not exist). Works across copies of the package. */
export const isNotFoundError = guard<NotFoundError>('not_found');
/** True for an {@link AlreadyRemovedError} (a second DELETE of a profile or subprofile). Works across copies of the package. */
export const isAlreadyRemovedError = guard<AlreadyRemovedError>('already_removed');
/** True for a {@link RateLimitError} (429). Works across copies of the package. */
export const isRateLimitError = guard<RateLimitError>('rate_limited');
/** True for a {@link ServerError} (5xx). Works across copies of the package. */
export const isServerError = guard<ServerError>('server_error');
/** True for an {@link InvalidResponseError} (a success reply the SDK could not read). Works across copies of the package. */
export const isInvalidResponseError = guard<InvalidResponseError>('invalid_response');
/** True for a {@link ConnectionError}, including its subclass {@link TimeoutError}. Works across copies of the package. */
export const isConnectionError = guard<ConnectionError>('connection_error', 'timeout');
/** True for a {@link TimeoutError} (the call's deadline passed). Works across copies of the package. */
export const isTimeoutError = guard<TimeoutError>('timeout');
/** True for an {@link AbortError} (the caller's `AbortSignal` fired). Works across copies of the package. */
export const isAbortError = guard<AbortError>('aborted');
/** True for a {@link ValidationError} (bad input, nothing was sent). Works across copies of the package. */
export const isValidationError = guard<ValidationError>('validation_error');
/** True for an {@link OAuthError} (the OAuth flow failed). Works across copies of the package. */
export const isOAuthError = guard<OAuthError>('oauth_error');

/** Longest `Retry-After` the SDK reads: a day. A larger value is treated as unreadable (backoff applies). */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** The three date formats of RFC 9110 (IMF-fixdate, RFC 850, asctime): anything else is not a date here. */
const HTTP_DATE =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;

/**
 * `Retry-After` as milliseconds: delta-seconds (digits, at most 9 of them) or an HTTP date (RFC 9110
 * formats only; a date in the past is 0). Undefined when absent, unreadable, negative, or beyond
 * {@link MAX_RETRY_AFTER_MS}: the caller then falls back to its own backoff.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed.length > 64) return undefined;
  let ms: number;
  if (/^\d{1,9}(\.\d{1,3})?$/.test(trimmed)) ms = Math.round(Number(trimmed) * 1000);
  else if (HTTP_DATE.test(trimmed)) {
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return undefined;
    ms = Math.max(0, date - now);
  } else return undefined;
  return Number.isFinite(ms) && ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}
