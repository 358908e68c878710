/**
 * Redaction of secrets from everything that can leave the SDK as text: URLs in errors and logs,
 * `Location` headers, bodies that echo a request, decoded JSON values (keys included), and every
 * error of a cause chain. This is the one place every message, body, header and cause goes through.
 *
 * A secret is found in every form a URL or JSON can carry it, character by character and mixed
 * freely: as is, percent-encoded (either case, also double-encoded `%25XX`), `+` for a space,
 * JSON escapes (`\/`, `\\`, `\"`, `\uXXXX` in either case, surrogate pairs, `\u0025` for `%`).
 * Base64 and HTML entities are not forms a URL or JSON carries and are not searched for.
 *
 * Secrets of every length are redacted. One shorter than {@link SHORT_SECRET} characters is
 * redacted where it stands alone (not inside a longer run of letters and digits), so a 3-character
 * test token `tok` does not eat the `tok` of `access_token`; a longer one wherever it appears.
 */

const SECRET_PARAMS = /([?&](?:access_token|client_secret|code)=)[^&#\s"'<>]*/gi;

/** Secrets shorter than this are redacted only where they stand alone (see the module comment). */
export const SHORT_SECRET = 8;

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/;

function hexClass(digit: string): string {
  const lower = digit.toLowerCase();
  const upper = digit.toUpperCase();
  return lower === upper ? lower : `[${lower}${upper}]`;
}

function hexPattern(hex: string): string {
  return [...hex].map(hexClass).join('');
}

/** Every spelling of one code point that a URL or JSON can carry. */
function charPattern(ch: string): string {
  const forms: string[] = [REGEX_SPECIAL.test(ch) ? `\\${ch}` : ch];
  // Percent-encoded UTF-8 bytes; the `%` itself may be double-encoded (`%25`) or JSON-escaped (`\u0025`).
  const bytes = [...Buffer.from(ch, 'utf8')].map((b) => `(?:%|\\\\u0025)(?:25)?${hexPattern(b.toString(16).padStart(2, '0'))}`);
  forms.push(bytes.join(''));
  // JSON \uXXXX (a surrogate pair above the BMP).
  const units: string[] = [];
  for (let i = 0; i < ch.length; i++) units.push(`\\\\u${hexPattern(ch.charCodeAt(i).toString(16).padStart(4, '0'))}`);
  forms.push(units.join(''));
  if (ch === '/') forms.push('\\\\\\/');
  if (ch === '\\') forms.push('\\\\\\\\');
  if (ch === '"') forms.push('\\\\"');
  if (ch === ' ') forms.push('\\+');
  return `(?:${forms.join('|')})`;
}

const cache = new Map<string, RegExp>();

/** The pattern of one secret in all its spellings (cached; the cache is bounded). */
function secretPattern(secret: string): RegExp {
  let re = cache.get(secret);
  if (re) return re;
  const body = [...secret].map(charPattern).join('');
  re = secret.length < SHORT_SECRET ? new RegExp(`(?<![A-Za-z0-9])${body}(?![A-Za-z0-9])`, 'g') : new RegExp(body, 'g');
  if (cache.size >= 256) cache.clear();
  cache.set(secret, re);
  return re;
}

/** Characters whose presence means a secret may be spelled other than as is. */
const ENCODED = /[%\\+]/;

/** Redacts `access_token`, `client_secret` and `code` query values in any text, and every known secret value in any spelling. */
export function redact(text: string, secrets: readonly string[] = []): string {
  if (typeof text !== 'string') return text;
  // Fast path (every response header goes through here): no parameter assignment, no secret.
  let out = text.includes('=') ? text.replace(SECRET_PARAMS, '$1***') : text;
  const encoded = ENCODED.test(out);
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length === 0) continue;
    if (!encoded && !out.includes(secret)) continue;
    out = out.replace(secretPattern(secret), '***');
  }
  return out;
}

/** Redacts every header value. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  secrets: readonly string[],
): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    define(
      out,
      redact(name, secrets),
      Array.isArray(value) ? value.map((v) => redact(v, secrets)) : value === undefined ? undefined : redact(value, secrets),
    );
  }
  return out;
}

/** Sets an own data property, even `__proto__` (an assignment would set the prototype). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A decoded value (parsed JSON) with every string and every key redacted. Returns a copy; the
 * input is not changed. Depth beyond 64 levels is replaced by `'[too deep]'`.
 */
export function redactValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 64) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    define(out, redact(key, secrets), redactValue((value as Record<string, unknown>)[key], secrets, depth + 1));
  return out;
}

/** A copy of a foreign error (not one of ours) with its message and stack redacted, its cause chain too. */
function copyError(error: Error, secrets: readonly string[], seen: Set<unknown>): Error {
  const copy = new Error(redact(String(error.message), secrets));
  copy.name = redact(String(error.name), secrets);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.defineProperty(copy, 'code', { value: redact(code, secrets), enumerable: true });
  copy.stack = `${copy.name}: ${copy.message}`;
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined)
    Object.defineProperty(copy, 'cause', {
      value: scrubCause(cause, secrets, seen),
      enumerable: false,
      writable: true,
      configurable: true,
    });
  return copy;
}

function scrubCause(cause: unknown, secrets: readonly string[], seen: Set<unknown>): unknown {
  if (seen.has(cause)) return undefined; // a cycle: cut it
  seen.add(cause);
  if (isOurs(cause)) return scrubInPlace(cause as Error, secrets, seen);
  if (cause instanceof Error) return copyError(cause, secrets, seen);
  if (typeof cause === 'string') return redact(cause, secrets);
  if (typeof cause === 'object' && cause !== null) return redactValue(cause, secrets);
  return cause;
}

function isOurs(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[Symbol.for('copernica-rest.error')] === true;
}

function scrubInPlace(error: Error, secrets: readonly string[], seen: Set<unknown>): Error {
  const e = error as unknown as Record<string, unknown>;
  for (const key of Object.keys(e)) {
    const value = e[key];
    if (key === 'cause') continue;
    if (typeof value === 'string') e[key] = redact(value, secrets);
    else if (key === 'headers' && typeof value === 'object' && value !== null)
      e[key] = redactHeaders(value as Record<string, string | string[] | undefined>, secrets);
    else if (typeof value === 'object' && value !== null) e[key] = redactValue(value, secrets);
  }
  error.message = redact(error.message, secrets);
  if (typeof error.stack === 'string') error.stack = redact(error.stack, secrets);
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined) {
    Object.defineProperty(error, 'cause', {
      value: scrubCause(cause, secrets, seen),
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  return error;
}

/**
 * Redacts the secrets from an error and its whole cause chain: the SDK's own errors are scrubbed in
 * place (message, stack, every string property, `body`, `headers`, `issues`); foreign errors in the
 * chain are replaced by redacted copies. Returns the error (a redacted copy when it was foreign).
 */
export function scrubError<E>(error: E, secrets: readonly string[]): E {
  const seen = new Set<unknown>([error]);
  if (isOurs(error)) return scrubInPlace(error as unknown as Error, secrets, seen) as unknown as E;
  if (error instanceof Error) return copyError(error, secrets, seen) as unknown as E;
  return error;
}

/**
 * A copy of an underlying error (undici's, a caller's abort reason) with its message redacted: it
 * may mention the URL. Keeps the name and a string `code`; the stack is the message only.
 */
export function safeCause(error: unknown, secrets: readonly string[]): Error | undefined {
  if (error === undefined) return undefined;
  if (!(error instanceof Error)) return new Error(redact(String(error), secrets));
  const copy = new Error(redact(error.message, secrets));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}
