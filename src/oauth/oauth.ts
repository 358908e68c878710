/**
 * The OAuth 2.0 helper: authorize URL with a strong `state`, callback validation, and the code
 * exchange at `GET /v1/token`. Copernica tokens do not expire and there is no refresh token: store
 * the token you get until the account owner revokes it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RESPONSE_BYTES,
  baseUrlSchema,
  issuesOf,
  normaliseBaseUrl,
  timeoutSchema,
  tokenSchema,
} from '../core/config.js';
import { CopernicaError, OAuthError, ValidationError, isAPIError } from '../core/errors.js';
import { scrubError } from '../core/redact.js';
import { Core } from '../core/transport.js';

/** Options of `new CopernicaOAuth(...)`. */
export interface OAuthOptions {
  /** The application's client key from the Copernica dashboard (sent as `client_id`). */
  clientId: string;
  /** The application's secret key. Server side only; never shown in errors, logs or `inspect`. */
  clientSecret: string;
  /** Absolute URL of your callback page; must equal the one registered with the application. */
  redirectUri: string;
  /** Language of the authorize page: `en` (default) or `nl`. */
  language?: 'en' | 'nl';
  /** Web host of the authorize page. Default `https://www.copernica.com`. */
  authorizeBaseUrl?: string;
  /** API base URL for the token exchange. Default `https://api.copernica.com/v1`. */
  apiBaseUrl?: string;
  /** undici dispatcher for the token exchange (proxies, tests). */
  dispatcher?: Dispatcher;
  /** Deadline of the token exchange in ms. Default 30 000. */
  timeout?: number;
}

/** What `createAuthorizationUrl()` returns: send the user to `url`, keep `state` to check the callback. */
export interface AuthorizationUrl {
  /** Copernica's authorize page with `client_id`, `redirect_uri`, `state` and `response_type=code`: redirect the user here. */
  url: string;
  /** The state in `url`: keep it (session or {@link StateStore}) and pass it to `validateCallback()`. */
  state: string;
}

/**
 * The result of a code exchange: plain data, `{ accessToken }`, that copies like plain data. A
 * spread, `Object.assign`, `structuredClone` and a JSON round trip all keep the token, so storing
 * the result (in a session, a database, a file) stores the token: that is what it is for. It is
 * kept out of logs another way: `util.inspect` and `console.log` show `{ accessToken: '***' }`, for
 * the result, for its spreads and `Object.assign` copies (the redacting inspect hook is an own
 * enumerable symbol property, copied with them), and wherever it is nested. `JSON.stringify` writes
 * the token: it is a credential, so never hand the result (or the token) to a JSON logger.
 *
 * @example
 * const result = await oauth.exchangeCode(code);
 * session.copernica = { ...result };     // stored: { accessToken: '…' }
 * console.log(result);                    // { accessToken: '***' }
 * new Copernica({ accessToken: session.copernica.accessToken });
 */
export interface TokenResult {
  /** The access token for `new Copernica({ accessToken })`. It does not expire: store it until the account owner revokes it. */
  readonly accessToken: string;
}

/**
 * Where a server without sessions keeps the states it handed out. Single use, with a TTL. Back it
 * with Redis, a database or a session; {@link MemoryStateStore} serves one process.
 */
export interface StateStore {
  /** Remember `state` for `ttlMs` milliseconds. */
  save(state: string, ttlMs: number): void | Promise<void>;
  /** True if `state` was saved, has not expired and was not consumed before; consumes it. */
  consume(state: string): boolean | Promise<boolean>;
}

/** An in-memory {@link StateStore} for one process: single use, expiring, bounded in size. */
export class MemoryStateStore implements StateStore {
  readonly #states = new Map<string, number>();
  readonly #max: number;
  /** `maxEntries` (default 10 000; an integer from 1 to 10 000 000) bounds the store: when full, the oldest state is dropped. */
  constructor(options: { maxEntries?: number } = {}) {
    if (typeof options !== 'object' || options === null) throw new ValidationError('MemoryStateStore options must be an object');
    const max = options.maxEntries === undefined ? 10_000 : options.maxEntries;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 10_000_000) {
      throw new ValidationError(
        `maxEntries must be an integer from 1 to 10000000, got ${typeof max === 'number' ? String(max) : typeof max}`,
        ['maxEntries: must be an integer from 1 to 10000000'],
      );
    }
    this.#max = max;
  }
  /** Remembers `state` for `ttlMs` (a positive integer, at most 30 days). */
  save(state: string, ttlMs: number): void {
    if (typeof state !== 'string' || state.length === 0 || state.length > 512)
      throw new ValidationError('state must be a non-empty string of at most 512 characters');
    if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_STATE_TTL) {
      throw new ValidationError(
        `ttlMs must be an integer from 1 to ${MAX_STATE_TTL} (30 days), got ${typeof ttlMs === 'number' ? String(ttlMs) : typeof ttlMs}`,
        ['ttlMs: must be an integer from 1 to 2592000000'],
      );
    }
    const now = Date.now();
    for (const [s, expires] of this.#states) if (expires <= now) this.#states.delete(s);
    while (this.#states.size >= this.#max) {
      const oldest = this.#states.keys().next().value as string;
      this.#states.delete(oldest);
    }
    this.#states.set(state, now + ttlMs);
  }
  consume(state: string): boolean {
    if (typeof state !== 'string') return false;
    const expires = this.#states.get(state);
    if (expires === undefined) return false;
    this.#states.delete(state);
    return expires > Date.now();
  }
  /** Number of states held (expired ones included until the next `save()`). */
  get size(): number {
    return this.#states.size;
  }
}

const MIN_STATE = 32;
const MAX_STATE_TTL = 30 * 24 * 60 * 60 * 1000;
/** The redirect URI: absolute http(s), no fragment (RFC 6749 3.1.2), no credentials; a query is allowed. */
const redirectUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.hash && !u.username && !u.password && !/[#\s]/.test(v);
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL without fragment or credentials (the registered redirect URI)');

const optionsSchema = z
  .object({
    clientId: z
      .string()
      .min(1)
      .max(256)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    clientSecret: tokenSchema,
    redirectUri: redirectUrl,
    language: z.enum(['en', 'nl']).optional(),
    authorizeBaseUrl: baseUrlSchema.optional(),
    apiBaseUrl: baseUrlSchema.optional(),
    dispatcher: z
      .custom<Dispatcher>(
        (v) => typeof v === 'object' && v !== null && typeof (v as { dispatch?: unknown }).dispatch === 'function',
        'must be an undici Dispatcher',
      )
      .optional(),
    timeout: timeoutSchema.optional(),
  })
  .strict();

/** The token endpoint's reply: a token that can travel in a query string as is (no space, CR/LF or control/escape character). */
const tokenReply = z.object({ access_token: tokenSchema }).loose();

/** Generates a state: 32 bytes from the CSPRNG, base64url (43 characters). */
export function generateState(): string {
  return randomBytes(32).toString('base64url');
}

function checkState(state: unknown, name: string): string {
  if (typeof state !== 'string') throw new ValidationError(`${name} must be a string`);
  if (state.length < MIN_STATE) {
    throw new ValidationError(
      `${name} must be at least ${MIN_STATE} characters: Copernica drops the code for weak states (omit it to get a generated one)`,
    );
  }
  if (state.length > 512 || !/^[\x21-\x7e]+$/.test(state))
    throw new ValidationError(`${name} must be at most 512 printable ASCII characters without spaces`);
  return state;
}

/** The OAuth callback as {@link CopernicaOAuth.validateCallback} takes it: the full URL, its query string, a `URLSearchParams` or a parsed query object. */
export type CallbackInput = string | URL | URLSearchParams | Record<string, string | string[] | undefined>;

function callbackParams(input: CallbackInput): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (k: string, v: string) => out.set(k, [...(out.get(k) ?? []), v]);
  if (typeof input === 'string') {
    // The fragment goes first: a `?` after the `#` is part of the fragment, never the query.
    const noFragment = input.split('#')[0] ?? '';
    const q = noFragment.includes('?')
      ? noFragment.slice(noFragment.indexOf('?') + 1)
      : /^[a-z][a-z0-9+.-]*:/i.test(noFragment) || noFragment.startsWith('/')
        ? ''
        : noFragment;
    for (const [k, v] of new URLSearchParams(q)) add(k, v);
  } else if (input instanceof URL) {
    for (const [k, v] of input.searchParams) add(k, v);
  } else if (input instanceof URLSearchParams) {
    for (const [k, v] of input) add(k, v);
  } else if (typeof input === 'object' && input !== null) {
    for (const [k, v] of Object.entries(input)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) {
        if (typeof item !== 'string') throw new ValidationError(`callback parameter ${k} must be a string`);
        add(k, item);
      }
    }
  } else {
    throw new ValidationError('validateCallback() takes the callback URL, its query string, a URLSearchParams or a query object');
  }
  return out;
}

/** Shortens and cleans a value that came from the callback URL before it goes into a message. */
function shown(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}

/**
 * The OAuth 2.0 authorization-code flow for Copernica.
 *
 * @example
 * const oauth = new CopernicaOAuth({ clientId, clientSecret, redirectUri: 'https://app.example/callback' });
 * const { url, state } = oauth.createAuthorizationUrl();      // store state in the user's session
 * // … user approves, Copernica redirects to the callback …
 * const { code } = oauth.validateCallback(req.url, session.state);
 * const { accessToken } = await oauth.exchangeCode(code);
 */
export class CopernicaOAuth {
  /** The application's client key (`client_id`). */
  readonly clientId: string;
  /** The registered callback URL (`redirect_uri`). */
  readonly redirectUri: string;
  /** Language of the authorize page: `en` (default) or `nl`. */
  readonly language: 'en' | 'nl';
  /** Web host of the authorize page, without a trailing slash. Default `https://www.copernica.com`. */
  readonly authorizeBaseUrl: string;
  /** API base URL of the token exchange, without a trailing slash. Default `https://api.copernica.com/v1`. */
  readonly apiBaseUrl: string;
  readonly #secret: string;
  readonly #core: Core;

  constructor(options: OAuthOptions) {
    const parsed = optionsSchema.safeParse(options ?? {});
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      throw new ValidationError(`Invalid OAuth options: ${issues.join('; ')}`, issues);
    }
    const o = parsed.data;
    this.clientId = o.clientId;
    this.#secret = o.clientSecret;
    this.redirectUri = o.redirectUri;
    this.language = o.language ?? 'en';
    this.authorizeBaseUrl = normaliseBaseUrl(o.authorizeBaseUrl ?? 'https://www.copernica.com');
    this.apiBaseUrl = normaliseBaseUrl(o.apiBaseUrl ?? DEFAULT_BASE_URL);
    this.#core = new Core(
      {
        baseUrl: this.apiBaseUrl,
        timeout: o.timeout ?? 30_000,
        maxRetries: 0,
        dispatcher: o.dispatcher,
        logger: undefined,
        appInfo: undefined,
        strict: false,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      },
      undefined,
    );
  }

  /**
   * The URL of Copernica's authorize page, with a fresh state (32 CSPRNG bytes, base64url) unless
   * you pass one of at least 32 characters. Store the returned `state` with the user's session.
   */
  createAuthorizationUrl(options: { state?: string } = {}): AuthorizationUrl {
    const state = options.state === undefined ? generateState() : checkState(options.state, 'state');
    const url = new URL(`${this.authorizeBaseUrl}/${this.language}/authorize`);
    url.searchParams.set('client_id', this.clientId);
    url.searchParams.set('redirect_uri', this.redirectUri);
    url.searchParams.set('state', state);
    url.searchParams.set('response_type', 'code');
    return { url: url.toString(), state };
  }

  /**
   * Checks the callback before any exchange: an `error` parameter, a missing or repeated `code` or
   * `state`, or a state that differs from `expectedState` (compared in constant time) throws an
   * {@link OAuthError}. Returns the code.
   */
  validateCallback(
    callback: CallbackInput,
    expectedState: string,
  ): {
    /** The authorization code, for {@link CopernicaOAuth.exchangeCode}. Single use. */
    code: string;
  } {
    const expected = checkState(expectedState, 'expectedState');
    const params = callbackParams(callback);
    const one = (name: string): string | undefined => {
      const values = params.get(name);
      if (values && values.length > 1)
        throw new OAuthError('invalid_request', `The callback carries ${name} ${values.length} times; refusing it`);
      return values?.[0];
    };
    const error = one('error');
    const state = one('state');
    const code = one('code');
    if (error !== undefined) {
      const description = one('error_description');
      throw new OAuthError(
        shown(error),
        `Copernica did not authorize the application: ${shown(error)}${description ? ` (${shown(description)})` : ''}`,
      );
    }
    if (state === undefined || state === '') throw new OAuthError('invalid_request', 'The callback has no state parameter');
    const a = Buffer.from(state);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new OAuthError('state_mismatch', 'The callback state does not match the state of this session; refusing it (possible CSRF)');
    }
    if (code === undefined || code === '') {
      throw new OAuthError('invalid_request', 'The callback has no code parameter (Copernica leaves it out when the state is too weak)');
    }
    return { code };
  }

  /**
   * Trades the code from the callback for an access token at `GET /v1/token`, with named
   * parameters. Never retried: a code is single use. Failures raise an {@link OAuthError} without
   * the secret or the code in it. The result is plain data that keeps its token when copied or
   * stored as JSON, and shows `accessToken: '***'` when logged with `console.log` ({@link TokenResult}).
   */
  async exchangeCode(code: string, options: { signal?: AbortSignal } = {}): Promise<TokenResult> {
    if (typeof code !== 'string' || code.length === 0 || code.length > 1024 || !/^[\x21-\x7e]+$/.test(code)) {
      throw new ValidationError('code must be the non-empty code from the callback');
    }
    const secrets = [this.#secret, code];
    try {
      return await this.#exchange(code, options);
    } catch (error) {
      // The OAuthError, and every error of its cause chain (the APIError, undici's error), without
      // the client secret or the code in any spelling.
      throw scrubError(error, secrets);
    }
  }

  async #exchange(code: string, options: { signal?: AbortSignal }): Promise<TokenResult> {
    let data: unknown;
    try {
      const res = await this.#core.call({
        method: 'GET',
        path: '/token',
        auth: false,
        query: { client_id: this.clientId, client_secret: this.#secret, redirect_uri: this.redirectUri, code },
        secrets: [this.#secret, code],
        options: { maxRetries: 0, ...(options.signal ? { signal: options.signal } : {}) },
      });
      data = res.data;
    } catch (error) {
      if (isAPIError(error)) {
        const why = error.serverMessage ? `: ${this.#core.redact(error.serverMessage, [this.#secret, code])}` : ` (status ${error.status})`;
        throw new OAuthError('invalid_grant', `Copernica refused the code exchange${why}`, { cause: error });
      }
      if (error instanceof CopernicaError && error.code === 'validation_error') throw error;
      throw new OAuthError(
        'exchange_failed',
        `The code exchange failed: ${error instanceof Error ? this.#core.redact(error.message, [this.#secret, code]) : 'unknown error'}`,
        { cause: error },
      );
    }
    const parsed = tokenReply.safeParse(data);
    if (!parsed.success) {
      throw new OAuthError(
        'invalid_response',
        'The token endpoint did not return {"access_token": "…"} with a token of 1 to 1024 printable ASCII characters (no space, CR/LF or control character)',
      );
    }
    return tokenResult(parsed.data.access_token);
  }

  /** The settings without the secret (`clientSecret: '***'`). */
  toJSON(): Record<string, unknown> {
    return { clientId: this.clientId, redirectUri: this.redirectUri, language: this.language, clientSecret: '***' };
  }

  /** What `console.log` and `util.inspect` show: {@link CopernicaOAuth.toJSON}, so never the secret. */
  [inspect.custom](): string {
    return `CopernicaOAuth ${inspect(this.toJSON())}`;
  }
}

/** What `util.inspect` shows of a token result (and of its spreads and `Object.assign` copies). */
const showTokenResult = (): string => "{ accessToken: '***' }";

/**
 * A {@link TokenResult}: the token as an own enumerable property (every copy keeps it), and the
 * redacting inspect hook as an own enumerable symbol property (spreads and `Object.assign` copy
 * it; `JSON.stringify`, `structuredClone` and `Object.keys` do not see it).
 */
function tokenResult(token: string): TokenResult {
  return Object.freeze({ accessToken: token, [inspect.custom]: showTokenResult });
}
