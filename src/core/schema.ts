/**
 * zod building blocks for replies. Entities keep Copernica's property names, but values get their
 * documented types: IDs and counts become numbers, booleans booleans, zero dates `null`.
 *
 * Every entity schema is a {@link Model}: a loose variant (unknown properties pass through, the
 * default, so a server-side addition never breaks users) and a strict one (unknown properties are
 * an error), chosen by the client's `strict` option.
 */
import { z } from 'zod';
import { InvalidResponseError } from './errors.js';
import { issuesOf } from './config.js';

export type Mode = 'loose' | 'strict';

/** Makes an object schema in the model's mode. Typed as loose: unknown properties pass through. */
export type ObjectMaker = typeof z.looseObject;

/** A reply schema in both modes. */
export interface Model<T> {
  readonly loose: z.ZodType<T>;
  readonly strict: z.ZodType<T>;
  /**
   * Optional direct converter for lists on the hot path: the same checks as the schemas, without
   * zod's per-item machinery. Returns the value, or the failure's path and message.
   */
  readonly convert?: (value: unknown, strict: boolean) => T | ConvertFailure;
}

/** A failed {@link Model.convert}. */
export class ConvertFailure {
  constructor(
    readonly path: string | undefined,
    readonly message: string,
  ) {}
}

/**
 * Defines a model. `build` receives the object maker for the mode, a `use()` to embed other
 * models in the same mode, and the mode itself (e.g. to let a loose model keep enum values the SDK
 * does not know yet, while strict refuses them).
 *
 * @example const identity = model((obj) => obj({ ID: id, name: z.string() }));
 */
export function model<S extends z.ZodType>(
  build: (obj: ObjectMaker, use: <U>(m: Model<U>) => z.ZodType<U>, mode: Mode) => S,
): Model<z.output<S>> {
  const make = (mode: Mode) =>
    build((mode === 'strict' ? z.strictObject : z.looseObject) as ObjectMaker, (m) => m[mode], mode) as unknown as z.ZodType<z.output<S>>;
  let loose: z.ZodType<z.output<S>> | undefined;
  let strict: z.ZodType<z.output<S>> | undefined;
  return {
    get loose() {
      return (loose ??= make('loose'));
    },
    get strict() {
      return (strict ??= make('strict'));
    },
  };
}

/** Parses a reply with the model in the given mode; a mismatch is an InvalidResponseError (no values echoed). */
export function parseReply<T>(m: Model<T> | z.ZodType<T>, data: unknown, strict: boolean, ctx: { status: number; request: string }): T {
  const schema = 'loose' in m && 'strict' in m ? (strict ? m.strict : m.loose) : (m as z.ZodType<T>);
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = issuesOf(result.error, 'reply');
  throw new InvalidResponseError(`The reply to ${ctx.request.split(' ')[0]} did not have the expected shape: ${issues.slice(0, 5).join('; ')}`, ctx);
}

const FAIL: unique symbol = Symbol('invalid');

/**
 * A value schema with one hand-written check-and-convert step. The value helpers below sit on the
 * hot path (every profile of every page), where zod unions of transforms cost several times more
 * than the HTTP call; one transform per value keeps validation at the speed of the wire.
 */
function scalar<T>(expected: string, convert: (v: unknown) => T | typeof FAIL) {
  return z.unknown().transform((v, ctx): T => {
    const out = convert(v);
    if (out === FAIL) {
      ctx.issues.push({ code: 'custom', message: `expected ${expected}`, input: v });
      return z.NEVER;
    }
    return out;
  });
}

const DIGITS = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const BOOL_TEXT = /^(0|1|true|false|yes|no)$/i;
const TRUE_TEXT = /^(1|true|yes)$/i;

/** An ID: `"12"` or `12` → `12`. */
export const id = scalar('an ID (integer or digits)', (v) =>
  typeof v === 'number' ? (Number.isInteger(v) ? v : FAIL) : typeof v === 'string' && DIGITS.test(v) ? Number(v) : FAIL,
);

/** A number sent as a string or a number (`"50"` → 50). Empty string → null. */
export const num = scalar('a number', (v) =>
  typeof v === 'number' ? v : v === '' ? null : typeof v === 'string' && DECIMAL.test(v) ? Number(v) : FAIL,
);

/** A boolean in any of the spellings the API uses: true/false, 0/1, "0"/"1", "true"/"false"/"True". */
export const bool = scalar('a boolean (true/false, 0/1)', (v) =>
  typeof v === 'boolean' ? v : v === 0 || v === 1 ? v === 1 : typeof v === 'string' && BOOL_TEXT.test(v) ? TRUE_TEXT.test(v) : FAIL,
);

/** A timestamp `YYYY-MM-DD[ hh:mm:ss]`; the zero date (`0000-00-00…`) and `""` become `null`. */
export const timestamp = scalar('a timestamp string', (v) =>
  v === null || v === '' ? null : typeof v === 'string' ? (v.startsWith('0000-00-00') ? null : v) : FAIL,
);

/** A field value map: values as strings (numbers are stringified, null becomes ""). */
export const fieldValues = scalar('an object of field values', (v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return FAIL;
  const out: Record<string, string> = {};
  for (const key of Object.keys(v)) {
    if (key === UNSAFE_KEY) continue; // see UNSAFE_KEY
    const value = (v as Record<string, unknown>)[key];
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number') out[key] = String(value);
    else if (value === null) out[key] = '';
    else return FAIL;
  }
  return out;
});

/** A list that may arrive as a bare array or as a paging envelope. Returns the items. */
export function listOf<T>(item: z.ZodType<T>) {
  return z.union([z.array(item), z.object({ data: z.array(item) }).loose().transform((e) => e.data)]);
}

const RECORD_DATES = ['created', 'modified', 'removed'] as const;

/**
 * The one reply key no parsed object keeps. A reply is hostile input: assigning its `__proto__` key
 * (`out[key] = value`) would make the value the object's prototype (`profile.isAdmin === true` from
 * `"__proto__": {"isAdmin": true}`). The rule, the same in every parsed reply (zod's objects and
 * records skip `__proto__` too, so hand-written converters follow them): a `__proto__` key is
 * dropped, at every depth where the SDK builds an object; `constructor` and `prototype` are kept as
 * plain own data properties (assignment of those names creates an own property and changes no
 * prototype). Raw replies (`client.request()`'s `data`) are JSON.parse's own objects, where
 * `__proto__` is an own data property and no prototype is set either.
 */
export const UNSAFE_KEY = '__proto__';

/**
 * The reply model of a record (a profile or a subprofile): hand-written, because a page holds a
 * hundred of them and a zod object per record cost more than the HTTP call (BENCHMARKS.md). It
 * checks and converts exactly what the zod models did: `ID` (also read from `id`) and the `refs`
 * (e.g. `database`) as IDs, `secret` a string, dates with zero dates as null, `fields` as a map of
 * strings, `interests` (when asked) as strings; unknown properties pass through, or are refused in
 * strict mode.
 */
export function recordModel<T>(refs: readonly string[], options: { interests: boolean }): Model<T> {
  const known = new Set(['ID', 'id', ...refs, 'secret', 'fields', ...RECORD_DATES, ...(options.interests ? ['interests'] : [])]);
  // One object per record, copied from a template with every property already in place (a single
  // allocation of the final shape; adding properties one by one, or to the parsed object, grows a
  // property store per record, which kept more alive per young-generation collection and made a
  // long iteration's memory grow, measured). `fields` and `interests` of the parsed reply (the SDK's
  // own, fresh from JSON.parse) are shared unless a value needs converting.
  const template: Record<string, unknown> = { ID: 0 };
  for (const ref of refs) template[ref] = 0;
  template.secret = '';
  for (const key of RECORD_DATES) template[key] = null;
  template.fields = null;
  if (options.interests) template.interests = null;
  const convert = (v: unknown, strict: boolean): T | ConvertFailure => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return new ConvertFailure(undefined, 'expected an object');
    const o = v as Record<string, unknown>;
    const out = { ...template };
    const rawId = o.ID ?? o.id;
    const ID = typeof rawId === 'number' && Number.isInteger(rawId) ? rawId : typeof rawId === 'string' && DIGITS.test(rawId) ? Number(rawId) : FAIL;
    if (ID === FAIL) return new ConvertFailure('ID', 'expected an ID (integer or digits)');
    out.ID = ID;
    for (const ref of refs) {
      const r = o[ref];
      const n = typeof r === 'number' && Number.isInteger(r) ? r : typeof r === 'string' && DIGITS.test(r) ? Number(r) : FAIL;
      if (n === FAIL) return new ConvertFailure(ref, 'expected an ID (integer or digits)');
      out[ref] = n;
    }
    const secret = o.secret ?? '';
    if (typeof secret !== 'string') return new ConvertFailure('secret', 'expected a string');
    out.secret = secret;
    for (const key of RECORD_DATES) {
      const d = o[key];
      if (d === undefined || d === null || d === '') out[key] = null;
      else if (typeof d === 'string') out[key] = d.startsWith('0000-00-00') ? null : d;
      else return new ConvertFailure(key, 'expected a timestamp string');
    }
    const f = o.fields;
    if (f === undefined) out.fields = {};
    else {
      if (typeof f !== 'object' || f === null || Array.isArray(f)) return new ConvertFailure('fields', 'expected an object of field values');
      const values = f as Record<string, unknown>;
      let copy: Record<string, string> | undefined;
      for (const key in values) {
        if (key === UNSAFE_KEY) {
          // JSON.parse made it an own data property; dropped like everywhere else (UNSAFE_KEY).
          copy ??= { ...(values as Record<string, string>) };
          delete copy[UNSAFE_KEY];
          continue;
        }
        const value = values[key];
        if (typeof value === 'string') continue;
        if (typeof value !== 'number' && value !== null) return new ConvertFailure('fields', `expected a string for field ${JSON.stringify(key)}`);
        copy ??= { ...(values as Record<string, string>) };
        copy[key] = typeof value === 'number' ? String(value) : '';
      }
      out.fields = copy ?? values;
    }
    if (options.interests) {
      const list = o.interests ?? [];
      if (!Array.isArray(list)) return new ConvertFailure('interests', 'expected an array of interest names');
      let copy: string[] | undefined;
      for (let i = 0; i < list.length; i++) {
        const item: unknown = list[i];
        if (typeof item === 'string') continue;
        if (typeof item !== 'number') return new ConvertFailure('interests', 'expected an array of interest names');
        copy ??= [...(list as string[])];
        copy[i] = String(item);
      }
      out.interests = copy ?? list;
    }
    for (const key in o) {
      if (known.has(key)) continue;
      if (strict) return new ConvertFailure(key, `unknown property ${JSON.stringify(key)}`);
      if (key === UNSAFE_KEY) continue; // never `out.__proto__ = …` (see UNSAFE_KEY)
      out[key] = o[key];
    }
    return out as T;
  };
  const make = (mode: Mode) =>
    z.unknown().transform((v, ctx): T => {
      const out = convert(v, mode === 'strict');
      if (out instanceof ConvertFailure) {
        ctx.issues.push({ code: 'custom', message: out.message, input: v, ...(out.path === undefined ? {} : { path: [out.path] }) });
        return z.NEVER;
      }
      return out;
    }) as unknown as z.ZodType<T>;
  let loose: z.ZodType<T> | undefined;
  let strict: z.ZodType<T> | undefined;
  return {
    get loose() {
      return (loose ??= make('loose'));
    },
    get strict() {
      return (strict ??= make('strict'));
    },
    convert,
  };
}
