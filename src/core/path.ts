/**
 * Safe paths. Every path parameter of every resource goes through {@link param} and {@link path};
 * nothing else builds a URL from user input. A value that is not what the endpoint takes throws a
 * {@link ValidationError} before any request is sent.
 */
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { hasControlCharacters } from './input.js';

const SEGMENT = Symbol('copernica-rest.path-segment');

/** An already validated and encoded path segment. Only {@link param} makes them. */
export interface PathSegment {
  readonly [SEGMENT]: string;
}

/**
 * An entity ID: a positive safe integer, as a number or a string of digits (`12` or `'12'`). A name
 * does not type-check where only an ID is accepted (`profiles.list('customers')` is a compile
 * error); a string of another kind (`'1.5'`, `'-3'`) still compiles and is refused at run time with
 * a ValidationError, before any request is sent.
 */
export type Id = number | `${number}`;
/** An entity ID, or (where Copernica accepts it) the entity's name: any string. */
export type IdOrName = number | string;

/** A dot segment in any spelling the WHATWG URL parser resolves: `.`, `..`, `%2e`, `.%2E`, `%2e%2e`, … */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * The one constructor of path segments: whatever a builder encoded, the result may not be empty, a
 * dot segment in any spelling, or hold a character that ends a segment or the path (`/`, `\`, `?`,
 * `#`) or that the URL parser would rewrite. The last guard before the transport's own.
 */
function segment(encoded: string): PathSegment {
  if (
    encoded.length === 0 ||
    DOT_SEGMENT.test(encoded) ||
    !SAFE_PATH_CHARS.test(encoded) ||
    encoded.includes('/') ||
    /%(?![0-9A-Fa-f]{2})/.test(encoded)
  ) {
    throw new ValidationError('a path parameter would change the path: refused', ['path parameter: would change the path']);
  }
  return { [SEGMENT]: encoded };
}

function fail(name: string, message: string): never {
  throw new ValidationError(`${name} ${message}`, [`${name}: ${message}`]);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : typeof value;
}

/** Validates an ID and returns it as a number. Exported for resources that put IDs in bodies or queries. */
export function toId(value: unknown, name: string): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 1) fail(name, `must be a positive integer ID, got ${describe(value)}`);
    return value;
  }
  if (typeof value === 'string') {
    if (!/^[0-9]{1,16}$/.test(value)) fail(name, `must be a positive integer ID, got ${describe(value)}`);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) fail(name, `must be a positive integer ID, got ${describe(value)}`);
    return n;
  }
  return fail(name, `must be a positive integer ID, got ${describe(value)}`);
}

/** {@link toId} as a schema, for IDs in bodies: a positive integer ID (number or digits) → the number. */
export const idInput = z.union([z.number(), z.string()]).transform((v, ctx) => {
  try {
    return toId(v, 'id');
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a positive integer ID' });
    return z.NEVER;
  }
});

function checkText(value: unknown, name: string, what: string): string {
  if (typeof value !== 'string') return fail(name, `must be ${what}, got ${describe(value)}`);
  if (value.length === 0) fail(name, 'must not be empty');
  if (value.length > 255) fail(name, `must be at most 255 characters, got ${value.length}`);
  if (value.trim() !== value) fail(name, 'must not start or end with white space');
  if (hasControlCharacters(value)) fail(name, 'must not contain control characters');
  if (/[/\\?#]/.test(value)) fail(name, `must not contain "/", "\\", "?" or "#", got ${describe(value)}`);
  if (value.includes('..')) fail(name, `must not contain "..", got ${describe(value)}`);
  if (value === '.') fail(name, 'must not be "." (a dot segment: the URL parser drops it)');
  // Nor a dot segment once percent-decoded (`%2e`, `.%2E`): a server that decodes twice would read one.
  if (DOT_SEGMENT.test(value)) fail(name, `must not spell "." or ".." percent-encoded, got ${describe(value)}`);
  if (!value.isWellFormed()) fail(name, 'must be well-formed Unicode');
  // A server that normalises Unicode (NFKC) would read a fullwidth "．．" or "／" as "..", "/".
  const folded = value.normalize('NFKC');
  if (folded !== value && (folded === '.' || folded.includes('..') || /[/\\?#]/.test(folded))) {
    fail(name, `must not contain characters that read as "/", "\\", "?", "#" or ".." once normalised, got ${describe(value)}`);
  }
  return value;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Validates a `YYYY-MM-DD` calendar date (or a Date, taken in UTC) and returns the string. */
export function toDate(value: unknown, name: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) fail(name, 'must be a valid date');
    return value.toISOString().slice(0, 10);
  }
  if (typeof value !== 'string') return fail(name, `must be a date YYYY-MM-DD, got ${describe(value)}`);
  const m = DATE.exec(value);
  if (!m) return fail(name, `must be a date YYYY-MM-DD, got ${describe(value)}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== value) fail(name, `is not a calendar date: ${describe(value)}`);
  return value;
}

/** Builders of validated path segments, one per kind of path parameter. */
export const param = {
  /** A positive integer ID. */
  id(value: Id, name: string): PathSegment {
    return segment(String(toId(value, name)));
  },
  /** An ID, or a name where Copernica accepts names (a string that is not all digits). */
  idOrName(value: IdOrName, name: string): PathSegment {
    if (typeof value === 'number' || (typeof value === 'string' && /^[0-9]+$/.test(value))) {
      return param.id(value as Id, name);
    }
    return segment(encodeURIComponent(checkText(value, name, 'an ID or a name')));
  },
  /** A free-form name or opaque identifier (message IDs, condition types). */
  text(value: string, name: string): PathSegment {
    return segment(encodeURIComponent(checkText(value, name, 'a non-empty string')));
  },
  /** An e-mail address (`email/{email}/events`). */
  email(value: string, name: string): PathSegment {
    const text = checkText(value, name, 'an e-mail address');
    if (!/^[^\s@]+@[^\s@]+$/.test(text)) fail(name, `must be an e-mail address, got ${describe(value)}`);
    return segment(encodeURIComponent(text));
  },
  /** One or more tags, joined with `;` (`tags/a;b/events`). */
  tags(value: string | readonly string[], name: string): PathSegment {
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.length === 0) fail(name, 'must be a tag or a non-empty list of tags');
    const encoded = list.map((tag, i) => {
      const text = checkText(tag, `${name}[${i}]`, 'a tag');
      if (text.includes(';')) fail(`${name}[${i}]`, 'must not contain ";" (the SDK joins tags with it)');
      return encodeURIComponent(text);
    });
    return segment(encoded.join(';'));
  },
  /** A `YYYY-MM-DD` date, or a Date (its UTC day). */
  date(value: string | Date, name: string): PathSegment {
    return segment(toDate(value, name));
  },
  /** A file name such as `cdm-click.2017-03-08.log`. */
  filename(value: string, name: string): PathSegment {
    const text = checkText(value, name, 'a file name');
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text))
      fail(name, `must be a file name like "cdm-click.2017-03-08.log", got ${describe(value)}`);
    return segment(text);
  },
};

/**
 * Tagged template for API paths: literal parts are trusted (they come from this package), every
 * interpolated value must be a {@link PathSegment} from {@link param}.
 *
 * @example path`/database/${param.id(databaseId, 'databaseId')}/profiles`
 */
export function path(strings: TemplateStringsArray, ...segments: PathSegment[]): string {
  let out = strings[0] ?? '';
  segments.forEach((s, i) => {
    if (typeof s !== 'object' || s === null || typeof s[SEGMENT] !== 'string') {
      throw new TypeError('path`` takes only segments made by param.*()');
    }
    out += s[SEGMENT] + (strings[i + 1] ?? '');
  });
  return out;
}

/**
 * Characters a path may hold so that the WHATWG URL parser (which undici uses) sends it exactly as
 * written: unreserved, sub-delimiters, `:`, `@`, `/` and `%` escapes. Anything else (`\\`, white space,
 * `"`, `<`, `>`, `` ` ``, `{`, `}`, `^`, `|`, non-ASCII) would be rewritten or end the path.
 */
const SAFE_PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
/** A dot segment in any spelling anywhere in a path, an encoded `/` or `\\`, or a `%` that starts no `%XX` escape. */
const UNSAFE_IN_PATH = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)|%2f|%5c|%(?![0-9A-Fa-f]{2})/i;

/**
 * True when `path` (starting with `/`) is sent byte for byte as written below a base URL: only
 * {@link SAFE_PATH_CHARS}, no dot segment in any spelling, no `//` at the start. The transport
 * refuses to send anything else, whoever built the path.
 */
export function isExactPath(path: string): boolean {
  return path.charCodeAt(0) === 0x2f && path.charCodeAt(1) !== 0x2f && SAFE_PATH_CHARS.test(path) && !UNSAFE_IN_PATH.test(path);
}

/**
 * Checks a caller-supplied path for the low-level `client.request()` (and `copernica request`): it
 * must start with `/`, be relative to the API base, and be sent exactly as written: no query or
 * fragment, no `\\`, white space or control characters, no dot segment in any spelling (`.`, `..`,
 * `%2e`, `.%2E`, …), no encoded `/` or `\\`, nothing the URL parser would rewrite (non-ASCII and
 * characters like `"`, `<`, `{` must be percent-encoded by the caller, e.g. with encodeURIComponent).
 */
export function checkRawPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/')) fail('path', `must be a string starting with "/", got ${describe(value)}`);
  if (value.length > 2048) fail('path', `must be at most 2048 characters, got ${value.length}`);
  if (/[?#]/.test(value)) fail('path', 'must not contain "?" or "#": pass query parameters in `query`');
  if (value.includes('\\')) fail('path', 'must not contain "\\" (the URL parser reads it as "/")');
  if (hasControlCharacters(value) || /\s/.test(value)) fail('path', 'must not contain white space or control characters');
  if (value.split('/').some((s) => DOT_SEGMENT.test(s))) fail('path', 'must not contain "." or ".." segments in any spelling (also %2e)');
  if (/%2f|%5c/i.test(value)) fail('path', 'must not contain encoded slashes');
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) fail('path', 'must not contain a "%" that does not start a %XX escape');
  if (/^\/\//.test(value) || /^\/v1(\/|$)/.test(value))
    fail('path', 'is relative to the API base URL (which ends in /v1): write "/identity", not "/v1/identity"');
  if (!isExactPath(value))
    fail(
      'path',
      "must hold only A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , ; = : @ / and %XX escapes (the URL parser would rewrite anything else): encode names with encodeURIComponent",
    );
  return value;
}
