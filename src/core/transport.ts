/**
 * The request pipeline. Every call of every resource goes through {@link Core.call}: it builds the
 * URL (base + safe path + query + `access_token`, appended last), sends it with undici `request()`
 * on the configured or global dispatcher, never follows redirects, enforces one deadline per call,
 * retries what is safe to retry, maps failures to the error hierarchy, and redacts secrets from
 * everything it reports.
 */
import type { Dispatcher } from 'undici';
import type { EventEmitter } from 'node:events';
import { VERSION } from '../version.js';
import {
  AbortError,
  APIError,
  ConnectionError,
  CopernicaError,
  InvalidResponseError,
  TimeoutError,
  ValidationError,
  parseRetryAfter,
  type ResponseHeaders,
} from './errors.js';
import { encodeQuery, isTokenKey, type QueryInput } from './query.js';
import { redact, redactHeaders, safeCause, scrubError } from './redact.js';
import { bodyText, isTooLarge, ownedStream, parseJson, readErrorBody } from './body.js';
import { Cancel, DeadlineReached, sleep } from './cancel.js';
import { normaliseBaseUrl, type Logger, type ResolvedConfig, type RequestOptions } from './config.js';
import { isExactPath } from './path.js';

/** The HTTP methods of the Copernica REST API. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type ResponseType = 'json' | 'text' | 'stream' | 'none';

export interface CoreRequest {
  method: HttpMethod;
  /** Path below the base URL, made by `path```, or checked by `checkRawPath`. */
  path: string;
  query?: QueryInput | URLSearchParams;
  /** JSON request body (POST and PUT only). */
  body?: unknown;
  /** What to do with a success body. Default `json`. */
  responseType?: ResponseType;
  /** Send the access token (default true; false only for the OAuth token exchange). */
  auth?: boolean;
  /** Per-call options. */
  options?: RequestOptions | undefined;
  /** Extra secret values to redact from anything this call reports (client secret, OAuth code). */
  secrets?: readonly string[];
}

export interface CoreResponse<T = unknown> {
  status: number;
  /** Response headers, lower-case names, secrets redacted. */
  headers: ResponseHeaders;
  data: T;
  /** Method and redacted URL, for messages and logs. */
  request: string;
  /** One header's first value, secrets redacted (without redacting all the others). */
  header(name: string): string | undefined;
}

const RETRYABLE_STATUS = new Set([408, 429, 502, 503, 504]);
/** Connection failures that prove the request never left: safe to retry even for POST. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const SUCCESS = new Set([200, 201, 204, 303]);
const MAX_RETRY_DELAY_MS = 60_000;

/** Internal: the request engine behind a client. Holds the token in a private field. */
export class Core {
  readonly #token: string | undefined;
  readonly #secrets: readonly string[];
  readonly config: ResolvedConfig;
  readonly #userAgent: string;
  /** `access_token=…`, encoded once. */
  readonly #tokenParam: string;

  constructor(config: ResolvedConfig, token: string | undefined) {
    // What the core shows is what it sends: the base URL must already be in the parser's own form.
    if (normaliseBaseUrl(config.baseUrl) !== config.baseUrl) throw new ValidationError('baseUrl must be a normalised absolute http(s) URL');
    this.config = config;
    this.#token = token;
    this.#tokenParam = token ? `access_token=${encodeURIComponent(token)}` : '';
    this.#secrets = token ? [token] : [];
    const app = config.appInfo;
    this.#userAgent =
      `copernica-rest/${VERSION} node/${process.versions.node}` +
      (app ? ` ${app.name}${app.version ? `/${app.version}` : ''}${app.url ? ` (${app.url})` : ''}` : '');
  }

  /** A new core with other settings and the same token. */
  with(config: ResolvedConfig): Core {
    return new Core(config, this.#token);
  }

  /** Secrets this core knows, for redaction. */
  get secrets(): readonly string[] {
    return this.#secrets;
  }

  /** Redacts this core's secrets (and the given ones) from a text. */
  redact(text: string, extra: readonly string[] = []): string {
    return redact(text, [...this.secrets, ...extra]);
  }

  /** Sends a request; resolves with the reply (status, headers, data, shown request). */
  call<T = unknown>(req: CoreRequest): Promise<CoreResponse<T>> {
    return this.#run<T, CoreResponse<T>>(req, asIs);
  }

  /**
   * Sends a request and hands the reply to `finish` in the same async step (typed methods parse
   * their reply there: one async layer less per call than awaiting `call()`). `finish` runs once,
   * after the last attempt: a failure in it is not retried.
   */
  callWith<T, R>(req: CoreRequest, finish: (res: CoreResponse<T>) => R): Promise<R> {
    return this.#run(req, finish);
  }

  /**
   * What a request sends and shows: the URL (token appended last), the URL as errors and logs show
   * it (built without the token, not redacted afterwards), the JSON body and the headers. Refuses a
   * path or query that would not be sent as written, a body on GET/DELETE, a call without a token.
   */
  #prepare(
    req: CoreRequest,
    secrets: readonly string[],
  ): { url: string; shown: string; body: string | undefined; headers: Record<string, string> } {
    // The last guard: whoever built the path, it is sent exactly as written, below the base URL's
    // path (no dot segment, `\`, encoded slash or character the URL parser would rewrite), so the
    // token goes nowhere else and the URL in errors and logs is the one sent.
    if (typeof req.path !== 'string' || !isExactPath(req.path)) {
      throw new ValidationError('path would not be sent as written below the base URL: refused before sending', [
        'path: would leave the API base or be rewritten by the URL parser',
      ]);
    }

    let visible = '';
    if (req.query !== undefined) {
      const query = req.query instanceof URLSearchParams ? new URLSearchParams(req.query) : encodeQuery(req.query);
      if (req.query instanceof URLSearchParams) {
        // (encodeQuery checked a query object's keys already)
        for (const key of query.keys()) {
          if (isTokenKey(key)) throw new ValidationError('query must not contain access_token: the client adds the token itself');
        }
      }
      visible = query.toString();
    }
    const auth = req.auth ?? true;
    if (auth && !this.#token) throw new ValidationError('this client has no accessToken');
    // The URL shown in errors and logs is built without the token rather than redacted afterwards.
    const base = `${this.config.baseUrl}${req.path}`;
    const sep = visible ? '&' : '';
    const url = auth ? `${base}?${visible}${sep}${this.#tokenParam}` : visible ? `${base}?${visible}` : base;
    const shownQuery = auth ? `?${visible}${sep}access_token=***` : visible ? `?${visible}` : '';
    const shown = `${req.method} ${req.secrets ? redact(base + shownQuery, secrets) : base + shownQuery}`;

    let body: string | undefined;
    if (req.body !== undefined) {
      if (req.method !== 'POST' && req.method !== 'PUT') throw new ValidationError(`${req.method} requests take no body`);
      body = JSON.stringify(req.body);
    }
    const headers: Record<string, string> = { 'user-agent': this.#userAgent };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return { url, shown, body, headers };
  }

  async #run<T, R>(req: CoreRequest, finish: (res: CoreResponse<T>) => R): Promise<R> {
    const secrets = req.secrets ? [...this.#secrets, ...req.secrets] : this.#secrets;
    const opts = req.options ?? {};
    const timeout = opts.timeout ?? this.config.timeout;
    const maxRetries = opts.maxRetries ?? this.config.maxRetries;
    const maxBytes = opts.maxResponseBytes ?? this.config.maxResponseBytes;
    const { url, shown, body, headers } = this.#prepare(req, secrets);

    // One deadline per call, over every attempt, headers and body, combined with the caller's signal.
    const deadline = new Cancel();
    const timer = setTimeout(() => deadline.abort(new DeadlineReached(`deadline of ${timeout} ms reached`)), timeout);
    timer.unref?.();
    const userSignal = opts.signal;
    const onUserAbort = () => deadline.abort(userSignal?.reason);
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    const signal = deadline;
    const started = Date.now();
    const log = this.config.logger;
    const idempotent = req.method !== 'POST';
    let keepTimer = false;

    try {
      for (let attempt = 0; ; attempt++) {
        if (opts.signal?.aborted)
          throw new AbortError(`${req.method} request aborted by the caller`, { cause: safeCause(opts.signal.reason, secrets) });
        if (log) logTo(log, 'debug', 'copernica-rest: request', { request: shown, attempt });
        let retryReason: string | undefined;
        let retryAfter: number | undefined;
        let failure!: CopernicaError; // set on every path that does not return
        try {
          // undici loads with the first call (~80 ms and ~25 MB at import otherwise); later calls take it as it is.
          const res = await (undiciRequest ?? (await loadUndici()))(url, {
            method: req.method,
            headers,
            body,
            // undici's types name AbortSignal and EventEmitter; at run time it takes any object with
            // addEventListener/removeEventListener (see Cancel).
            signal: signal as unknown as EventEmitter,
            dispatcher: this.config.dispatcher,
            // undici's own timers are a backstop behind our deadline (they may fire up to a second late).
            headersTimeout: timeout + 1_000,
            bodyTimeout: timeout + 1_000,
          } as Parameters<UndiciRequest>[1]);
          const status = res.statusCode;
          if (log) logTo(log, 'debug', 'copernica-rest: response', { request: shown, status, ms: Date.now() - started });

          if (SUCCESS.has(status)) {
            const type = status === 204 || status === 303 ? 'none' : (req.responseType ?? 'json');
            if (type === 'stream') {
              keepTimer = true;
              clearTimeout(timer); // the caller now owns the body; its signal still applies
              return finish(
                new Reply(status, res.headers, secrets, ownedStream(res.body, shown, secrets, opts.signal) as unknown as T, shown),
              );
            }
            let reply: Reply<T> | undefined;
            try {
              // JSON and text read here rather than in a helper: one await less on every call.
              let data: unknown;
              if (type === 'json') data = parseJson(await bodyText(res, maxBytes, shown), shown, status);
              else if (type === 'text') data = await bodyText(res, maxBytes, shown);
              else data = await res.body.dump();
              reply = new Reply(status, res.headers, secrets, data as T, shown);
            } catch (error) {
              if (!(error instanceof InvalidResponseError)) throw error;
              failure = error;
              // A reply over maxResponseBytes would be as large the next time: never retried.
              if (idempotent && !isTooLarge(error)) retryReason = 'invalid response body';
            }
            if (reply !== undefined) return finish(reply);
          } else {
            const resHeaders = redactHeaders(res.headers as ResponseHeaders, secrets);
            failure = APIError.generate({ status, headers: resHeaders, body: await readErrorBody(res.body, secrets), request: shown });
            if (idempotent && RETRYABLE_STATUS.has(status)) {
              retryReason = `status ${status}`;
              retryAfter = parseRetryAfter(resHeaders['retry-after']);
            }
          }
        } catch (error) {
          if (deadline.timedOut || opts.signal?.aborted) throw stopped(req.method, timeout, shown, deadline, opts.signal, secrets);
          if (error instanceof CopernicaError) throw error;
          failure = connectionError(error, shown, secrets, timeout);
          const code = errorCode(error);
          // A POST is retried only when the request provably never left this process.
          if (idempotent || (code !== undefined && NOT_SENT_CODES.has(code))) retryReason = failure.message;
        }

        const canRetry = retryReason !== undefined && attempt < maxRetries;
        if (!canRetry) throw failure;
        const wait = retryDelay(attempt, retryAfter);
        if (Date.now() - started + wait >= timeout) throw failure; // waiting would overrun the deadline
        logTo(log, 'warn', 'copernica-rest: retrying', { request: shown, attempt: attempt + 1, reason: retryReason, delayMs: wait });
        await sleep(wait, signal).catch(() => {
          throw stopped(req.method, timeout, shown, deadline, opts.signal, secrets);
        });
      }
    } catch (error) {
      // Every error of every attempt, whoever made it (parsers and validators in `finish`
      // included), and its whole cause chain leave through the same redaction.
      throw scrubError(error, secrets);
    } finally {
      // A streamed body stays tied to the caller's signal (through `deadline`) until it is read.
      if (!keepTimer) {
        clearTimeout(timer);
        userSignal?.removeEventListener('abort', onUserAbort);
      }
    }
  }
}

type UndiciRequest = typeof import('undici').request;
/** undici's `request()`, once the first call has loaded it. */
let undiciRequest: UndiciRequest | undefined;

/**
 * Loads undici on the first call: a script that only imports the SDK (or a CLI printing `--help`)
 * never pays for its module graph. `import()` in both builds (undici is CommonJS: the same module
 * instance as a user's `require('undici')`, so a global dispatcher they set applies).
 */
async function loadUndici(): Promise<UndiciRequest> {
  return (undiciRequest = (await import('undici')).request);
}

const asIs = <T>(res: CoreResponse<T>): CoreResponse<T> => res;

let loggerFailureReported = false;

/**
 * Calls a logger method. A user's logger can never change the outcome of a call: whatever it
 * throws (or an async logger rejects with) is caught and dropped; the first such failure in the
 * process is reported once as a process warning, without its details (they may hold meta values).
 */
function logTo(log: Logger | undefined, level: 'debug' | 'warn', message: string, meta: Record<string, unknown>): void {
  if (log === undefined) return;
  try {
    const fn = log[level];
    if (typeof fn !== 'function') return;
    const result: unknown = fn.call(log, message, meta);
    if (typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function') {
      (result as Promise<unknown>).then(undefined, loggerFailed);
    }
  } catch {
    loggerFailed();
  }
}

function loggerFailed(): void {
  if (loggerFailureReported) return;
  loggerFailureReported = true;
  try {
    process.emitWarning('copernica-rest: the logger threw; its failures are ignored and do not change any call', {
      code: 'COPERNICA_LOGGER_FAILED',
    });
  } catch {
    /* nothing left to tell */
  }
}

/** Exponential backoff with jitter, or the server's Retry-After (capped). */
export function retryDelay(attempt: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), MAX_RETRY_DELAY_MS);
  const base = Math.min(500 * 2 ** attempt, 8_000);
  return Math.round(base * (1 - Math.random() * 0.25));
}

/**
 * A reply. Its headers are redacted when first read: most calls never look at them, and redacting
 * every header of every reply was a measurable part of a small call.
 */
class Reply<T> implements CoreResponse<T> {
  readonly #raw: Dispatcher.ResponseData['headers'];
  readonly #secrets: readonly string[];
  #headers: ResponseHeaders | undefined;

  constructor(
    readonly status: number,
    raw: Dispatcher.ResponseData['headers'],
    secrets: readonly string[],
    public data: T,
    readonly request: string,
  ) {
    this.#raw = raw;
    this.#secrets = secrets;
  }

  get headers(): ResponseHeaders {
    return (this.#headers ??= redactHeaders(this.#raw as ResponseHeaders, this.#secrets) as ResponseHeaders);
  }

  header(name: string): string | undefined {
    const v = this.#raw[name];
    const first = Array.isArray(v) ? v[0] : v;
    return first === undefined ? undefined : redact(first, this.#secrets);
  }
}

/** Why a call stopped once its signal fired: its deadline (TimeoutError) or the caller (AbortError). */
function stopped(
  method: string,
  timeout: number,
  shown: string,
  deadline: Cancel,
  signal: AbortSignal | undefined,
  secrets: readonly string[],
): CopernicaError {
  if (deadline.timedOut) return new TimeoutError(`${method} request timed out after ${timeout} ms`, { request: shown });
  return new AbortError(`${method} request aborted by the caller`, { cause: safeCause(signal?.reason, secrets) });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && e.code !== 'UND_ERR_SOCKET') return e.code;
  const inner = errorCode(e.cause);
  return inner ?? (typeof e.code === 'string' ? e.code : undefined);
}

function connectionError(error: unknown, shown: string, secrets: readonly string[], timeout: number): ConnectionError {
  const code = errorCode(error);
  const method = shown.split(' ')[0];
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new TimeoutError(`${method} request timed out after ${timeout} ms`, { request: shown, cause: safeCause(error, secrets) });
  }
  const what = code ? ` (${code})` : '';
  const host = (() => {
    try {
      return new URL(shown.slice(shown.indexOf(' ') + 1)).host;
    } catch {
      return 'the server';
    }
  })();
  return new ConnectionError(
    `${method} request to ${host} failed${what}: ${redact(error instanceof Error ? error.message : String(error), secrets)}`,
    {
      request: shown,
      cause: safeCause(error, secrets),
    },
  );
}
