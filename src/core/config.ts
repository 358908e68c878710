/**
 * Client configuration: validated once at construction (unknown keys throw), with documented
 * defaults. Clients are immutable; `withOptions()` makes a new one.
 */
import { z } from 'zod';
import type { Dispatcher } from 'undici';
import { ValidationError } from './errors.js';

/** A logger hook. Any object with these optional methods works (`console`, pino, winston). */
export interface Logger {
  /** One call per attempt (`meta`: redacted `request`, `attempt`) and per response (`request`, `status`, `ms`). */
  debug?(message: string, meta?: Record<string, unknown>): void;
  /** Accepted so a console-like logger fits; the SDK does not call it at present. */
  info?(message: string, meta?: Record<string, unknown>): void;
  /** One call per retry (`meta`: `request`, `attempt`, `reason`, `delayMs`). */
  warn?(message: string, meta?: Record<string, unknown>): void;
  /** Accepted so a console-like logger fits; the SDK does not call it at present (errors are thrown). */
  error?(message: string, meta?: Record<string, unknown>): void;
}

/** Identifies an SDK or app that wraps this one; appended to the User-Agent. */
export interface AppInfo {
  /** Name of the wrapping app: 1 to 64 characters of `A-Z a-z 0-9 . _ @ / -`. */
  name: string;
  /** Its version, appended as `name/version` (up to 32 characters of `A-Z a-z 0-9 . + _ -`). */
  version?: string;
  /** A URL about the app (at most 200 characters), appended in parentheses. */
  url?: string;
}

/** Options of `new Copernica(...)`. */
export interface ClientOptions {
  /** The access token: from the OAuth flow or the Copernica dashboard. Required. */
  accessToken: string;
  /** API base URL. Default `https://api.copernica.com/v1`. */
  baseUrl?: string;
  /** Deadline per call in milliseconds, over every attempt, headers and body. Default 60 000. */
  timeout?: number;
  /** Retries of idempotent calls on connection failures and 408/429/502/503/504. Default 2. */
  maxRetries?: number;
  /** An undici dispatcher (Agent, ProxyAgent, EnvHttpProxyAgent, MockAgent). Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** Receives debug lines (requests, responses) and warnings (retries). Secrets are redacted. */
  logger?: Logger;
  /** Appended to the User-Agent, for SDKs that wrap this one. */
  appInfo?: AppInfo;
  /** Reject replies with properties the SDK does not know (default false: unknown properties pass through). */
  strict?: boolean;
  /**
   * Largest reply body the SDK reads into memory, in bytes (JSON and text replies; streamed logfile
   * downloads are not buffered and not limited by it). A larger reply fails with an
   * `InvalidResponseError` as soon as it is known (Content-Length, or while reading), is not
   * retried, and its download is stopped. Default 64 MiB; at most 500 MiB.
   */
  maxResponseBytes?: number;
}

/** Options of one call: every method takes them as its last argument. */
export interface RequestOptions {
  /** Aborts the call; the method then rejects with an `AbortError`. */
  signal?: AbortSignal;
  /** Deadline of this call in milliseconds. */
  timeout?: number;
  /** Retries for this call. */
  maxRetries?: number;
  /** Largest reply body this call reads into memory, in bytes (see `ClientOptions.maxResponseBytes`). */
  maxResponseBytes?: number;
}

export interface ResolvedConfig {
  baseUrl: string;
  timeout: number;
  maxRetries: number;
  dispatcher: Dispatcher | undefined;
  logger: Logger | undefined;
  appInfo: AppInfo | undefined;
  strict: boolean;
  maxResponseBytes: number;
}

export const DEFAULT_BASE_URL = 'https://api.copernica.com/v1';
export const DEFAULT_TIMEOUT = 60_000;
export const DEFAULT_MAX_RETRIES = 2;
/** Default of `maxResponseBytes`: 64 MiB, about 130,000 profiles in one reply, far above any page. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Upper bound of `maxResponseBytes`: below V8's longest string (2^29 - 24 characters). */
export const MAX_RESPONSE_BYTES_LIMIT = 500 * 1024 * 1024;

/** A deadline in ms: a positive integer up to 24 h (timers above 2^31-1 ms fire at once). */
const MAX_TIMEOUT = 24 * 60 * 60 * 1000;
export const timeoutSchema = z
  .number()
  .int('must be an integer number of milliseconds')
  .positive('must be positive')
  .max(24 * 60 * 60 * 1000, 'must be at most 86400000 (24 h)');
const retriesSchema = z.number().int('must be an integer').min(0, 'must be 0 or more').max(10, 'must be at most 10');
const maxBytesSchema = z
  .number()
  .int('must be an integer number of bytes')
  .min(1024, 'must be at least 1024 bytes')
  .max(MAX_RESPONSE_BYTES_LIMIT, `must be at most ${MAX_RESPONSE_BYTES_LIMIT} (500 MiB)`);

/** An absolute http(s) URL without query, fragment or credentials (base URLs of the API and of the authorize page). */
export const baseUrlSchema = z
  .string()
  .refine(isBaseUrl, 'must be an absolute http(s) URL without query, fragment, credentials, white space or "\\"');

function isBaseUrl(v: string): boolean {
  try {
    const u = new URL(v);
    // `v.includes` also catches an empty `?` or `#` and an `@` with empty credentials, which URL drops.
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash && !u.username && !u.password && !/[?#@\s\\]/.test(v)
    );
  } catch {
    return false;
  }
}
const urlSchema = baseUrlSchema;

/**
 * A base URL in the form the URL parser sends it (`http://H/api/../v1/` → `http://h/v1`), without a
 * trailing slash: what the core shows in errors and logs is then what it sends.
 */
export function normaliseBaseUrl(value: string): string {
  const u = new URL(value);
  return `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, '');
}

function isLogger(v: unknown): v is Logger {
  try {
    return (
      typeof v === 'object' &&
      v !== null &&
      (['debug', 'info', 'warn', 'error'] as const).every(
        (k) => (v as Record<string, unknown>)[k] === undefined || typeof (v as Record<string, unknown>)[k] === 'function',
      )
    );
  } catch {
    return false; // a getter that throws: not a logger the SDK can call
  }
}
const isDispatcher = (v: unknown): v is Dispatcher =>
  typeof v === 'object' && v !== null && typeof (v as { dispatch?: unknown }).dispatch === 'function';
const loggerSchema = z.custom<Logger>(isLogger, 'must be an object with optional debug/info/warn/error functions');
const dispatcherSchema = z.custom<Dispatcher>(isDispatcher, 'must be an undici Dispatcher');
const appInfoSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._@/-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 . _ @ / -'),
    version: z
      .string()
      .regex(/^[A-Za-z0-9.+_-]{1,32}$/)
      .optional(),
    url: z.string().url().max(200).optional(),
  })
  .strict();

export const tokenSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(1024)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const sharedShape = {
  baseUrl: urlSchema.optional(),
  timeout: timeoutSchema.optional(),
  maxRetries: retriesSchema.optional(),
  dispatcher: dispatcherSchema.optional(),
  logger: loggerSchema.optional(),
  appInfo: appInfoSchema.optional(),
  strict: z.boolean().optional(),
  maxResponseBytes: maxBytesSchema.optional(),
};

const clientOptionsSchema = z.object({ accessToken: tokenSchema, ...sharedShape }).strict();
const overrideSchema = z.object(sharedShape).strict();
const requestOptionsSchema = z
  .object({
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'must be an AbortSignal').optional(),
    timeout: timeoutSchema.optional(),
    maxRetries: retriesSchema.optional(),
    maxResponseBytes: maxBytesSchema.optional(),
  })
  .strict();

/**
 * A key as it may appear in a message: keys come from callers and from replies (a hostile server
 * chooses them), so control and non-ASCII characters become `?` (no terminal escapes, no forged
 * lines) and a long key is cut. Secrets among them are redacted by the core (redact.ts).
 */
function shownKey(key: PropertyKey): string {
  const text = String(key).replace(/[^\x20-\x7e]/g, '?');
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

/** Formats zod issues without echoing input values (which may be secrets); keys are shown cleaned and cut. */
export function issuesOf(error: z.ZodError, prefix = ''): string[] {
  return error.issues.slice(0, 20).map((i) => {
    const where = [prefix, ...i.path.map(shownKey)].filter(Boolean).join('.');
    const message =
      i.code === 'unrecognized_keys'
        ? `unknown ${prefix === 'reply' ? 'propert' : 'option'}${i.keys.length > 1 ? (prefix === 'reply' ? 'ies' : 's') : prefix === 'reply' ? 'y' : ''} ${i.keys.slice(0, 10).map(shownKey).join(', ')}${i.keys.length > 10 ? `, … (${i.keys.length} in all)` : ''}`
        : i.message;
    return where ? `${where}: ${message}` : message;
  });
}

function invalid(what: string, error: z.ZodError, prefix = ''): never {
  const issues = issuesOf(error, prefix);
  throw new ValidationError(`Invalid ${what}: ${issues.join('; ')}`, issues);
}

const CLIENT_KEYS = new Set([
  'accessToken',
  'baseUrl',
  'timeout',
  'maxRetries',
  'dispatcher',
  'logger',
  'appInfo',
  'strict',
  'maxResponseBytes',
]);
const TOKEN = /^[\x21-\x7e]{1,1024}$/;
const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * Client options that plainly pass {@link clientOptionsSchema}, resolved without zod: making a client
 * then costs no schema run (the first parse of a zod schema in a process compiles zod's code, a few
 * ms). Each property is read once. Anything this does not accept outright (an unknown key, a value
 * out of range, `appInfo`, an object that is not plain) goes through the schema, which decides and
 * words the error. test/core/config-fast-path.test.ts runs both over generated options.
 *
 * @internal
 */
export function plainClientOptions(options: object): { config: ResolvedConfig; token: string } | undefined {
  const proto = Object.getPrototypeOf(options);
  if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(options).length > 0) return undefined;
  for (const key of Object.keys(options)) if (!CLIENT_KEYS.has(key)) return undefined;
  const { accessToken, baseUrl, timeout, maxRetries, dispatcher, logger, appInfo, strict, maxResponseBytes } = options as Record<
    string,
    unknown
  >;
  if (typeof accessToken !== 'string' || !TOKEN.test(accessToken)) return undefined;
  if (baseUrl !== undefined && (typeof baseUrl !== 'string' || !isBaseUrl(baseUrl))) return undefined;
  if (timeout !== undefined && !isInt(timeout, 1, MAX_TIMEOUT)) return undefined;
  if (maxRetries !== undefined && !isInt(maxRetries, 0, 10)) return undefined;
  if (dispatcher !== undefined && !isDispatcher(dispatcher)) return undefined;
  if (logger !== undefined && !isLogger(logger)) return undefined;
  if (appInfo !== undefined) return undefined;
  if (strict !== undefined && typeof strict !== 'boolean') return undefined;
  if (maxResponseBytes !== undefined && !isInt(maxResponseBytes, 1024, MAX_RESPONSE_BYTES_LIMIT)) return undefined;
  return {
    token: accessToken,
    config: {
      baseUrl: normaliseBaseUrl(baseUrl ?? DEFAULT_BASE_URL),
      timeout: timeout ?? DEFAULT_TIMEOUT,
      maxRetries: maxRetries ?? DEFAULT_MAX_RETRIES,
      dispatcher,
      logger,
      appInfo: undefined,
      strict: strict ?? false,
      maxResponseBytes: maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    },
  };
}

export function resolveClientOptions(options: unknown): { config: ResolvedConfig; token: string } {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('Invalid client options: pass an object with at least { accessToken }');
  }
  return plainClientOptions(options) ?? resolveWithSchema(options);
}

/** The schema path of {@link resolveClientOptions}: every option, and the wording of every refusal. @internal */
export function resolveWithSchema(options: object): { config: ResolvedConfig; token: string } {
  const parsed = clientOptionsSchema.safeParse(options);
  if (!parsed.success) invalid('client options', parsed.error);
  const o = parsed.data;
  return {
    token: o.accessToken,
    config: {
      baseUrl: normaliseBaseUrl(o.baseUrl ?? DEFAULT_BASE_URL),
      timeout: o.timeout ?? DEFAULT_TIMEOUT,
      maxRetries: o.maxRetries ?? DEFAULT_MAX_RETRIES,
      dispatcher: o.dispatcher,
      logger: o.logger,
      appInfo: o.appInfo,
      strict: o.strict ?? false,
      maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    },
  };
}

export function mergeOptions(config: ResolvedConfig, overrides: unknown): ResolvedConfig {
  const parsed = overrideSchema.safeParse(overrides ?? {});
  if (!parsed.success) invalid('options', parsed.error);
  const o = parsed.data;
  return {
    baseUrl: o.baseUrl !== undefined ? normaliseBaseUrl(o.baseUrl) : config.baseUrl,
    timeout: o.timeout ?? config.timeout,
    maxRetries: o.maxRetries ?? config.maxRetries,
    dispatcher: o.dispatcher ?? config.dispatcher,
    logger: o.logger ?? config.logger,
    appInfo: o.appInfo ?? config.appInfo,
    strict: o.strict ?? config.strict,
    maxResponseBytes: o.maxResponseBytes ?? config.maxResponseBytes,
  };
}

/** Validates per-call options; returns them unchanged. */
export function checkRequestOptions(options: unknown): RequestOptions | undefined {
  if (options === undefined) return undefined;
  return (typeof options === 'object' && options !== null ? plainRequestOptions(options) : undefined) ?? requestOptionsWithSchema(options);
}

const REQUEST_KEYS = new Set(['signal', 'timeout', 'maxRetries', 'maxResponseBytes']);

/**
 * Per-call options that plainly pass {@link requestOptionsSchema}, copied without zod (a call with
 * `{ signal }` or `{ timeout }` runs no schema); anything else goes through the schema. Each
 * property is read once. @internal
 */
export function plainRequestOptions(options: object): RequestOptions | undefined {
  const proto = Object.getPrototypeOf(options);
  if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(options).length > 0) return undefined;
  for (const key of Object.keys(options)) if (!REQUEST_KEYS.has(key)) return undefined;
  const { signal, timeout, maxRetries, maxResponseBytes } = options as Record<string, unknown>;
  if (signal !== undefined && !(signal instanceof AbortSignal)) return undefined;
  if (timeout !== undefined && !isInt(timeout, 1, MAX_TIMEOUT)) return undefined;
  if (maxRetries !== undefined && !isInt(maxRetries, 0, 10)) return undefined;
  if (maxResponseBytes !== undefined && !isInt(maxResponseBytes, 1024, MAX_RESPONSE_BYTES_LIMIT)) return undefined;
  const out: RequestOptions = {};
  if (signal !== undefined) out.signal = signal;
  if (timeout !== undefined) out.timeout = timeout;
  if (maxRetries !== undefined) out.maxRetries = maxRetries;
  if (maxResponseBytes !== undefined) out.maxResponseBytes = maxResponseBytes;
  return out;
}

/** The schema path of {@link checkRequestOptions}. @internal */
export function requestOptionsWithSchema(options: unknown): RequestOptions | undefined {
  const parsed = requestOptionsSchema.safeParse(options);
  if (!parsed.success) invalid('request options', parsed.error);
  return parsed.data as RequestOptions;
}
