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

const digits = /^-?\d+$/;

/** An ID: `"12"` or `12` → `12`. */
export const id = z.union([z.number().int(), z.string().regex(digits)]).transform((v) => Number(v));

/** A number sent as a string or a number (`"50"` → 50). Empty string → null. */
export const num = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/), z.literal('')])
  .transform((v) => (v === '' ? null : Number(v)));

/** A boolean in any of the spellings the API uses: true/false, 0/1, "0"/"1", "true"/"false"/"True". */
export const bool = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.string().regex(/^(0|1|true|false|yes|no)$/i)])
  .transform((v) => v === true || v === 1 || (typeof v === 'string' && /^(1|true|yes)$/i.test(v)));

/** A timestamp `YYYY-MM-DD[ hh:mm:ss]`; the zero date (`0000-00-00…`) and `""` become `null`. */
export const timestamp = z
  .union([z.string(), z.null()])
  .transform((v) => (v === null || v === '' || /^0000-00-00/.test(v) ? null : v));

/** A field value map: values as strings (numbers are stringified). */
export const fieldValues = z.record(z.string(), z.union([z.string(), z.number(), z.null()]).transform((v) => (v === null ? '' : String(v))));

/** A list that may arrive as a bare array or as a paging envelope. Returns the items. */
export function listOf<T>(item: z.ZodType<T>) {
  return z.union([z.array(item), z.object({ data: z.array(item) }).loose().transform((e) => e.data)]);
}
