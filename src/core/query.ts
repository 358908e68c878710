/**
 * Query encoding, in one place. Values become strings; arrays become repeated `key[]` entries
 * (`fields[]=a&fields[]=b`); booleans become `true`/`false`; `undefined` and `null` are left out.
 * The access token is appended last, by the core, never here.
 */
import { ValidationError } from './errors.js';

/** One query value: a string, number, boolean (`true`/`false`) or `Date` (sent as its ISO 8601 string). */
export type QueryScalar = string | number | boolean | Date;
/** A query parameter's value: a scalar, an array (sent as repeated `key[]` entries), or `undefined`/`null` (left out). */
export type QueryValue = QueryScalar | readonly QueryScalar[] | undefined | null;
/** Query parameters of a call, by name; the access token is never one of them (the core adds it). */
export type QueryInput = Record<string, QueryValue>;

function scalar(key: string, value: QueryScalar): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(`query parameter ${key} must be a finite number`);
    return String(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ValidationError(`query parameter ${key} must be a valid date`);
    return value.toISOString();
  }
  throw new ValidationError(`query parameter ${key} has an unsupported type ${typeof value}`);
}

/**
 * True for a key that a PHP server reads as `access_token`: PHP turns `.` and spaces in a name into
 * `_` and `name[…]` into an array under `name` (`access.token`, `access_token[]`, `access token`).
 * Only the core sends the token.
 */
export function isTokenKey(key: string): boolean {
  const bracket = key.indexOf('[');
  return (bracket >= 0 ? key.slice(0, bracket) : key).replace(/[. ]/g, '_') === 'access_token';
}

/** Encodes a query object. Throws ValidationError for `access_token` in any spelling PHP reads as it (the core owns it) and bad values. */
export function encodeQuery(query: QueryInput | undefined): URLSearchParams {
  const params = new URLSearchParams();
  if (!query) return params;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (isTokenKey(key)) {
      throw new ValidationError('query must not contain access_token: the client adds the token itself');
    }
    if (Array.isArray(value)) {
      const name = key.endsWith('[]') ? key : `${key}[]`;
      for (const item of value as readonly QueryScalar[]) params.append(name, scalar(key, item));
    } else {
      params.append(key, scalar(key, value as QueryScalar));
    }
  }
  return params;
}
