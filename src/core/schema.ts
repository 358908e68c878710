/**
 * zod building blocks for replies. Entities keep Copernica's property names, but values get their
 * documented types: IDs and counts become numbers, booleans booleans, zero dates `null`.
 *
 * Every entity schema is a {@link Model}: a loose variant (the default) and a strict one, chosen by
 * the client's `strict` option. The reply policy (docs/replies.md):
 *
 * - **Required**, in both modes: what identifies the thing: `ID` (also read from `id`), `name`
 *   (entities are addressed by name too) and a discriminator (`event` of an event, `type` of a condition: any property whose schema is a
 *   literal). A reply without them, or with a value of the wrong type there, is refused.
 * - **Everything else is optional in the types** (`T | undefined`). In loose mode a value of the
 *   wrong type (or a missing property the model expects) *degrades* that property: it reads
 *   `undefined`, the raw value is kept in {@link degradedProperties}, and the client's logger gets
 *   one warning per endpoint and property (the expected type and the type that arrived, never the
 *   value). Unknown properties pass through. A change on Copernica's side degrades a field, not the call.
 * - Strict mode refuses all of it: a wrong type, a missing expected property, an unknown property.
 */
import { z } from 'zod';
import { InvalidResponseError } from './errors.js';
import type { Logger } from './config.js';

export type Mode = 'loose' | 'strict';

/**
 * The properties that identify an entity: its `ID`, and its `name` (Copernica addresses databases,
 * collections, fields, views, rules, minirules and interests by name as well as by ID). Required in
 * both modes, like literal discriminators (`event`, a condition's `type`).
 */
export type Identifying = 'ID' | 'name';
const IDENTIFYING: ReadonlySet<string> = new Set<Identifying>(['ID', 'name']);

/** A shape with every property but the identifying ones (`ID`, `name`, literal discriminators) optional. */
export type Degradable<S extends z.ZodRawShape, R extends keyof S = never> = {
  [K in keyof S]: K extends Identifying | R ? S[K] : S[K] extends z.ZodLiteral<infer _L> ? S[K] : z.ZodOptional<S[K]>;
};

/**
 * Makes an object schema in the model's mode. Unknown properties pass through (loose) or are
 * refused (strict); the output types every non-identifying property as optional, because loose mode
 * degrades a property it cannot use to `undefined` rather than refuse the reply.
 *
 * The output type lists the known properties only (typed as zod's `$strip`, while loose mode keeps
 * unknown ones at run time): an index signature would make a typo (`db.feilds`) compile.
 */
export type ObjectMaker = <S extends z.ZodRawShape, R extends keyof S & string = never>(
  shape: S,
  /** More properties a caller cannot do without (e.g. `status` of a data request's progress): required like `ID`. */
  required?: readonly R[],
) => z.ZodObject<Degradable<S, R>, z.core.$strip>;

/** A property value loose mode could not use: replaced by `undefined` by its object. */
class Degraded {
  constructor(
    readonly raw: unknown,
    readonly issues: readonly { path: string; expected: string; received: string }[],
  ) {}
}

const degradedOf = new WeakMap<object, Readonly<Record<string, unknown>>>();

/** Degradations found by the parse in progress (parsing is synchronous; parseReply and collectingDegraded set and clear it). */
let sink: { path: string; expected: string; received: string }[] | undefined;

/**
 * The raw values of the properties loose mode could not use in a parsed reply object (a database, a
 * field, an event, …): `{ created: 20170112 }` when `created` arrived as a number. `undefined` when
 * nothing was degraded. The typed property itself reads `undefined`.
 *
 * @example
 * const db = await client.databases.get(12);
 * if (db.created === undefined) console.log(degradedProperties(db)); // { created: 20170112 }
 */
export function degradedProperties(value: object): Readonly<Record<string, unknown>> | undefined {
  return degradedOf.get(value);
}

/** One unusable property, as a warning names it: its path, what was expected and the type that arrived. */
export interface DegradedIssue {
  path: string;
  expected: string;
  received: string;
}

/**
 * For hand-written converters ({@link convertedModel}): records that `target`'s properties in `raw`
 * were degraded (readable with {@link degradedProperties}) and hands the issues to the parse in
 * progress, which warns about them once per logger, endpoint and property (as the zod models do).
 */
export function noteDegraded(target: object, raw: Readonly<Record<string, unknown>>, issues: readonly DegradedIssue[]): void {
  degradedOf.set(target, raw);
  if (sink) for (const i of issues) sink.push(i);
}

/**
 * Runs `parse` (synchronous) collecting the degradations noted meanwhile, then reports them to
 * `ctx.logger` (once per logger, endpoint and property). What {@link parseReply} does around a
 * schema, for callers of {@link Model.convert}.
 */
export function collectingDegraded<R>(ctx: ReplyContext, parse: () => R): R {
  const outer = sink;
  const found: DegradedIssue[] = [];
  sink = found;
  let result: R;
  try {
    result = parse();
  } finally {
    sink = outer;
  }
  if (found.length > 0) reportDegraded(found, ctx);
  return result;
}

/** The type of a raw value as a message may name it (never the value: it could be a secret). */
export function typeName(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return v === '' ? 'an empty string' : 'a string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

/** What a zod issue expected, in words. */
function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'one of several shapes';
    case 'unrecognized_keys':
      return `no property ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (strict mode)`;
    default:
      return issue.message.replace(/^expected /i, '');
  }
}

/** Follows an issue path into the input, to name the type that arrived there. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * The issues of a refused reply as `path: expected X, got Y` lines. A union's failure is opened up:
 * the branch that got furthest is shown (not zod's bare "Invalid input").
 */
export function describeIssues(error: { readonly issues: readonly z.core.$ZodIssue[] }, input: unknown, prefix = 'reply'): string[] {
  const out: string[] = [];
  const walk = (issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[]) => {
    for (const issue of issues) {
      const path = [...base, ...issue.path];
      if (issue.code === 'invalid_union' && issue.errors.length > 0) {
        // The branch whose issues reach deepest is the one the reply was meant to match.
        const depth = (list: readonly z.core.$ZodIssue[]) => Math.max(0, ...list.map((i) => i.path.length));
        const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0];
        if (best && depth(best) > 0) {
          walk(best, path);
          continue;
        }
      }
      const where = [prefix, ...path.map(String)].join('.');
      const expected = expectedOf(issue);
      const got = issue.code === 'unrecognized_keys' ? '' : `, got ${typeName(valueAt(input, path))}`;
      out.push(`${where}: expected ${expected}${got}`);
    }
  };
  walk(error.issues, []);
  return out;
}

/**
 * A property schema that, in loose mode, turns an unusable value into a {@link Degraded}: zod's own
 * `catch`, so a usable value costs nothing more than the plain schema. A missing key reaches it too
 * (a missing expected property degrades like a wrong one; a default still applies).
 */
function degradable(key: string, schema: z.ZodType): z.ZodType {
  return schema.catch((ctx: z.core.$ZodCatchCtx) => {
    const v = ctx.input;
    return new Degraded(
      v,
      describeIssues(ctx.error, v, key).map((line) => {
        const at = line.indexOf(': expected ');
        const rest = line.slice(at + ': expected '.length);
        const got = rest.lastIndexOf(', got ');
        return {
          path: line.slice(0, at),
          expected: got < 0 ? rest : rest.slice(0, got),
          received: got < 0 ? typeName(v) : rest.slice(got + ', got '.length),
        };
      }),
    ) as never;
  });
}

const isLiteral = (s: z.ZodType): boolean => s instanceof z.ZodLiteral;

/** The loose object maker: identifying properties as given, every other one degradable. */
const looseMaker = ((shape: z.ZodRawShape, required: readonly string[] = []) => {
  const wrapped: Record<string, z.ZodType> = {};
  for (const [key, s] of Object.entries(shape))
    wrapped[key] =
      IDENTIFYING.has(key) || required.includes(key) || isLiteral(s as z.ZodType) ? (s as z.ZodType) : degradable(key, s as z.ZodType);
  return z.looseObject(wrapped).overwrite((o) => {
    let raw: Record<string, unknown> | undefined;
    for (const key of Object.keys(o)) {
      const v = (o as Record<string, unknown>)[key];
      if (v === undefined) {
        // An optional property the reply left out stays absent (as a plain zod object leaves it).
        delete (o as Record<string, unknown>)[key];
        continue;
      }
      if (!(v instanceof Degraded)) continue;
      delete (o as Record<string, unknown>)[key];
      raw ??= {};
      raw[key] = v.raw;
      if (sink) for (const i of v.issues) sink.push(i);
    }
    if (raw) degradedOf.set(o, raw);
    return o;
  });
}) as unknown as ObjectMaker;

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
    /** The message says all there is to say (it names the entry that failed): no `got …` is added. */
    readonly complete = false,
  ) {}

  /** The message with the type that arrived (never the value), as refused replies name it. */
  describe(item: unknown): string {
    if (this.complete) return this.message;
    const o = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : undefined;
    const value = this.path === undefined ? item : this.path === 'ID' ? (o?.ID ?? o?.id) : o?.[this.path];
    return `${this.message}, got ${typeName(value)}`;
  }
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
    build(
      (mode === 'strict' ? (shape: z.ZodRawShape) => z.strictObject(shape) : looseMaker) as ObjectMaker,
      (m) => m[mode],
      mode,
    ) as unknown as z.ZodType<z.output<S>>;
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

/** What {@link parseReply} needs to know about the call: for messages, and for the degraded-field warning. */
export interface ReplyContext {
  status: number;
  request: string;
  logger?: Logger | undefined;
}

/** Loggers that were told about a degraded property, per `endpoint property` (once each). */
const warned = new WeakMap<Logger, Set<string>>();

/** `GET /v1/database/12/profiles?…` → `GET /database/{id}/profiles`: the endpoint a warning is counted per. */
export function endpointOf(request: string): string {
  const [method = '', url = ''] = request.split(' ');
  let pathname = url;
  try {
    pathname = new URL(url, 'http://x').pathname;
  } catch {
    // keep the text as it is
  }
  const segs = pathname.split('/').filter(Boolean);
  if (segs[0] === 'v1') segs.shift();
  // The API's paths alternate a word and its parameter (`/database/customers/fields`,
  // `/email/a@b/events`, `/miniview/81/minirule/91`), after an optional `old` (the legacy API): true
  // of every endpoint in spec/endpoints.json. So the core needs no list of resource words: a segment
  // in a parameter's place is its ID or name, and so is anything in a word's place that is not one.
  const first = segs[0] === 'old' ? 1 : 0;
  const out = segs.map((seg, i) => (i >= first && ((i - first) % 2 === 1 || !/^[a-z]+$/.test(seg)) ? '{id}' : seg));
  return `${method} /${out.join('/')}`;
}

/**
 * Parses a reply with the model in the given mode; a mismatch is an InvalidResponseError naming the
 * property path, what was expected and the type that arrived (never the value). In loose mode the
 * properties the model degraded are reported to `ctx.logger.warn`, once per endpoint and property.
 */
export function parseReply<T>(m: Model<T> | z.ZodType<T>, data: unknown, strict: boolean, ctx: ReplyContext): T {
  const schema = 'loose' in m && 'strict' in m ? (strict ? m.strict : m.loose) : (m as z.ZodType<T>);
  const outer = sink;
  const found: NonNullable<typeof sink> = [];
  sink = found;
  let result: ReturnType<typeof schema.safeParse>;
  try {
    result = schema.safeParse(data);
  } finally {
    sink = outer;
  }
  if (!result.success) {
    const issues = describeIssues(result.error, data);
    throw new InvalidResponseError(
      `The reply to ${ctx.request.split(' ')[0]} did not have the expected shape: ${issues.slice(0, 5).join('; ')}`,
      ctx,
    );
  }
  if (found.length > 0) reportDegraded(found, ctx);
  return result.data;
}

/**
 * Distinct degraded-property warnings per logger before the SDK stops warning: a hostile server could
 * name a new field in every record (each a new property), which would flood the log and grow the
 * set of properties warned about without end.
 */
export const MAX_DEGRADED_WARNINGS = 1000;
const CAPPED = '\0capped';

/** Warns about degraded properties, once per logger, endpoint and property (at most {@link MAX_DEGRADED_WARNINGS}). */
export function reportDegraded(found: readonly { path: string; expected: string; received: string }[], ctx: ReplyContext): void {
  const log = ctx.logger;
  if (!log?.warn) return;
  let seen = warned.get(log);
  if (!seen) {
    seen = new Set();
    warned.set(log, seen);
  }
  const endpoint = endpointOf(ctx.request);
  for (const d of found) {
    // Array indexes are not part of "the property": `fields.3.name` and `fields.7.name` are one.
    const property = d.path.replace(/\.\d+(?=\.|$)/g, '.*');
    const key = `${endpoint} ${property}`;
    if (seen.has(key)) continue;
    if (seen.size >= MAX_DEGRADED_WARNINGS) {
      if (seen.has(CAPPED)) return;
      seen.add(CAPPED);
      log.warn(
        `copernica-rest: more than ${MAX_DEGRADED_WARNINGS} different unusable reply properties; no further warnings (degradedProperties() still has each raw value)`,
        {
          limit: MAX_DEGRADED_WARNINGS,
        },
      );
      return;
    }
    seen.add(key);
    log.warn(
      `copernica-rest: the reply to ${endpoint} had an unusable ${property} (expected ${d.expected}, got ${d.received}); it reads undefined`,
      {
        endpoint,
        property,
        expected: d.expected,
        received: d.received,
      },
    );
  }
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

/** An ID of a reply as a number (`"12"` or `12` → `12`), or undefined when it is neither an integer nor digits. */
export function integerId(v: unknown): number | undefined {
  return typeof v === 'number' ? (Number.isInteger(v) ? v : undefined) : typeof v === 'string' && DIGITS.test(v) ? Number(v) : undefined;
}

/** An ID: `"12"` or `12` → `12`. */
export const id = scalar('an ID (integer or digits)', (v) => integerId(v) ?? FAIL);

/** A number sent as a string or a number (`"50"` → 50). Empty string → null. */
export const num = scalar('a number', (v) =>
  typeof v === 'number' ? v : v === '' ? null : typeof v === 'string' && DECIMAL.test(v) ? Number(v) : FAIL,
);

/** A boolean in any of the spellings the API uses: true/false, 0/1, "0"/"1", "true"/"false"/"True". */
export const bool = scalar('a boolean (true/false, 0/1)', (v) =>
  typeof v === 'boolean' ? v : v === 0 || v === 1 ? v === 1 : typeof v === 'string' && BOOL_TEXT.test(v) ? TRUE_TEXT.test(v) : FAIL,
);

/** A timestamp `YYYY-MM-DD[ hh:mm:ss]`; the zero date (`0000-00-00…`), `""` and `false` (live `removed` of a live entity) become `null`. */
export const timestamp = scalar('a timestamp string', (v) =>
  v === null || v === '' || v === false ? null : typeof v === 'string' ? (v.startsWith('0000-00-00') ? null : v) : FAIL,
);

/**
 * A preprocess step that renames alternative spellings of keys to the documented one (`id` → `ID`,
 * `Name` → `name`, `collection` → `collections`, …). A key is only renamed when the documented
 * spelling is absent (when both are there, both are kept). The one renamer of every reply model.
 */
export function renameKeys(aliases: Readonly<Record<string, string>>): (value: unknown) => unknown {
  const pairs = Object.entries(aliases);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const source = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const [alias, canonical] of pairs) {
      if (alias in source && !(canonical in source)) {
        out ??= { ...source };
        out[canonical] = out[alias];
        delete out[alias];
      }
    }
    return out ?? value;
  };
}

/** A list that may arrive as a bare array or as a paging envelope. Returns the items. */
export function listOf<T>(item: z.ZodType<T>) {
  return z.union([
    z.array(item),
    z
      .object({ data: z.array(item) })
      .loose()
      .transform((e) => e.data),
  ]);
}

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
 * A model from a hand-written converter (a fast path for items a page holds many of, e.g. the
 * records of src/resources/records.ts): the schemas run the converter, and lists call it directly
 * ({@link Model.convert}). Its twin, the plain zod schema it replaces, is kept in a parity test.
 */
export function convertedModel<T>(convert: (value: unknown, strict: boolean) => T | ConvertFailure): Model<T> {
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
