/**
 * Models shared by databases and collections: the field model (spec/API.md §2 `Field`, §3.4, §3.7) with
 * the field-type unions and validated write bodies, and the unsubscribe behaviour (§3.8). The public
 * types are re-exported from databases.ts and collections.ts; the schemas here are internal.
 */
import { z } from 'zod';
import { bool, id, model, num, renameKeys } from '../core/schema.js';

/**
 * Every field type any page names. Replies are read against this list (the pages disagree on which
 * types exist where, spec/API.md §4.3 item 27); the collection page's typo `empty_data` is read as
 * `empty_date`.
 */
export const FIELD_TYPES = [
  'integer',
  'float',
  'date',
  'empty_date',
  'datetime',
  'empty_datetime',
  'text',
  'big',
  'email',
  'phone',
  'phone_fax',
  'phone_gsm',
  'select',
  'foreign_key',
] as const satisfies readonly FieldType[];

/**
 * The type of a database or collection field.
 *
 * - `integer`, `float`: numbers; `foreign_key`: a number pointing at another profile
 * - `date`, `datetime`: mandatory dates; `empty_date`, `empty_datetime`: dates that may stay empty
 * - `text`, `big` (long text)
 * - `email`, `phone_fax`, `phone_gsm`: at most one of each per database
 * - `phone`: plain phone number, documented for collections only
 * - `select`: multiple choice, the options newline-separated in `value` (parsed into `choices`)
 */
export type FieldType =
  | 'integer'
  | 'float'
  | 'date'
  | 'empty_date'
  | 'datetime'
  | 'empty_datetime'
  | 'text'
  | 'big'
  | 'email'
  | 'phone'
  | 'phone_fax'
  | 'phone_gsm'
  | 'select'
  | 'foreign_key';

/** The types `POST /database/{id}/fields` and `PUT /database/{id}/field/{id}` document (no `phone`). */
export const DATABASE_FIELD_TYPES = [
  'integer',
  'float',
  'date',
  'empty_date',
  'datetime',
  'empty_datetime',
  'text',
  'big',
  'email',
  'phone_fax',
  'phone_gsm',
  'select',
  'foreign_key',
] as const satisfies readonly DatabaseFieldType[];
/** A field type a database field may be created with or changed to: every {@link FieldType} but `phone`. */
export type DatabaseFieldType = Exclude<FieldType, 'phone'>;

/** The types the collection-field pages document: the database types plus `phone`. */
export const COLLECTION_FIELD_TYPES = FIELD_TYPES;
/** A field type a collection field may be created with or changed to: every {@link FieldType}. */
export type CollectionFieldType = FieldType;

/** Splits a select field's `value` into its options (one per line, blank lines left out). */
export function parseChoices(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const fieldAliases = renameKeys({
  id: 'ID',
  Id: 'ID',
  Name: 'name',
  Type: 'type',
  Value: 'value',
  Displayed: 'displayed',
  Ordered: 'ordered',
  Length: 'length',
  Textlines: 'textlines',
  Hidden: 'hidden',
  Index: 'index',
});

const fieldTypeRead = z.enum([...FIELD_TYPES, 'empty_data']).transform((t) => (t === 'empty_data' ? 'empty_date' : t));

/**
 * A database or collection field as Copernica returns it. `ID` is read from `ID` or `id`; the
 * capitalised keys of rest-collection-information.md (`Name`, `Type`, …) are read as well. The
 * type `empty_data` (a typo on the collection page) is read as `empty_date`.
 */
export const FieldSchema = model((obj) =>
  z
    .preprocess(
      fieldAliases,
      obj({
        /** Field ID (also read from `id`). */
        ID: id,
        /** Field name: the key of the field in profile or subprofile `fields`. */
        name: z.string(),
        /** Field type. */
        type: fieldTypeRead,
        /** Default value; for `select` fields the options, one per line. `""` when absent. */
        value: z
          .union([z.string(), z.number(), z.null()])
          .transform((v) => (v === null ? '' : String(v)))
          .default(''),
        /** Shown in lists and grids of the user interface. */
        displayed: bool.optional(),
        /** The default sort column of (sub)profile overviews in the user interface. */
        ordered: bool.optional(),
        /** Maximum length of a text value (`null` when the server sends `""`). */
        length: num.optional(),
        /** Lines of the edit box in forms (`null` when the server sends `""`). */
        textlines: num.optional(),
        /** Never shown in the user interface. */
        hidden: bool.optional(),
        /** The field has a database index. */
        index: bool.optional(),
      }),
    )
    .transform((f) => ({
      ...f,
      /** For `select` fields: the options parsed from `value` (one per line); `[]` for other types. */
      choices: f.type === 'select' ? parseChoices(f.value ?? '') : ([] as string[]),
    })),
);

/**
 * A database or collection field (`GET /database/{id}/fields`, `GET /collection/{id}/fields`, and
 * nested in databases and collections). Adds `choices`: the options of a `select` field, parsed from
 * its newline-separated `value` (`[]` for other types).
 *
 * As in every entity, the properties other than `ID` and `name` are optional: a value the SDK
 * cannot use reads `undefined` (the raw value is in `degradedProperties(field)`), and a strict
 * client refuses the reply instead. Equal to the output of `FieldSchema` (test/types/schemas.test-d.ts).
 */
export interface Field {
  /** Field ID (also read from `id`). */
  ID: number;
  /** Field name: the key of the field in profile or subprofile `fields`. */
  name: string;
  /** Field type (`empty_data`, a typo on the collection page, is read as `empty_date`). */
  type?: FieldType | undefined;
  /** Default value; for `select` fields the options, one per line. `""` when absent. */
  value?: string | undefined;
  /** Shown in lists and grids of the user interface. */
  displayed?: boolean | undefined;
  /** The default sort column of (sub)profile overviews in the user interface. */
  ordered?: boolean | undefined;
  /** Maximum length of a text value (`null` when the server sends `""`). */
  length?: number | null | undefined;
  /** Lines of the edit box in forms (`null` when the server sends `""`). */
  textlines?: number | null | undefined;
  /** Never shown in the user interface. */
  hidden?: boolean | undefined;
  /** The field has a database index. */
  index?: boolean | undefined;
  /** For `select` fields: the options parsed from `value` (one per line); `[]` for other types. */
  choices: string[];
}
/** A field of a database (same shape as {@link Field}). */
export type DatabaseField = Field;
/** A field of a collection (same shape as {@link Field}). */
export type CollectionField = Field;

/** The body of creating a field. `T` is the list of types the endpoint documents. */
export interface FieldCreateParams<T extends FieldType = FieldType> {
  /** Field name (required). Must be unique within the database or collection. */
  name: string;
  /** Field type; Copernica's default is `text`. */
  type?: T;
  /** Default value. For `select` fields: the options, one per line (or use `choices`). */
  value?: string;
  /** `select` fields only: the options, sent as `value` joined with newlines. Not together with `value`. */
  choices?: string[];
  /** Show the field in lists and grids of the user interface. */
  displayed?: boolean;
  /** Sort (sub)profile overviews on this field by default. */
  ordered?: boolean;
  /** Maximum length of a text value (a positive integer). */
  length?: number;
  /** How many lines the edit box in forms gets (a positive integer). */
  textlines?: number;
  /** Never show the field in the user interface. */
  hidden?: boolean;
  /** Create a database index on the field. */
  index?: boolean;
}

/** The body of changing a field: any of the create properties, at least one. */
export type FieldUpdateParams<T extends FieldType = FieldType> = Partial<FieldCreateParams<T>>;

/** Creating a database field (types without `phone`). */
export type DatabaseFieldCreateParams = FieldCreateParams<DatabaseFieldType>;
/** Changing a database field (types without `phone`). */
export type DatabaseFieldUpdateParams = FieldUpdateParams<DatabaseFieldType>;
/** Creating a collection field (types include `phone`). */
export type CollectionFieldCreateParams = FieldCreateParams<CollectionFieldType>;
/** Changing a collection field (types include `phone`). */
export type CollectionFieldUpdateParams = FieldUpdateParams<CollectionFieldType>;

/** A non-empty name without surrounding white space. Internal. */
export const entityName = z
  .string()
  .min(1, 'must not be empty')
  .max(255)
  .refine((s) => s.trim() === s, 'must not start or end with white space');

const choice = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => !/[\r\n]/.test(s), 'must not contain line breaks (options are sent newline-separated)')
  .refine((s) => s.trim() === s, 'must not start or end with white space');

/** The wire body of a field create or update. Internal. */
export type FieldBody = Omit<FieldCreateParams, 'choices' | 'name'> & { name?: string };

/**
 * @internal The caller's side of a field body, before `choices` becomes `value`: strict (unknown
 * properties refused). test/types/schemas.test-d.ts proves {@link FieldCreateParams} matches it.
 */
export function fieldParamsSchema<const T extends readonly [FieldType, ...FieldType[]]>(types: T, mode: 'create' | 'update') {
  return z.strictObject({
    name: mode === 'create' ? entityName : entityName.optional(),
    type: z.enum(types).optional(),
    value: z.string().optional(),
    choices: z.array(choice).min(1, 'must list at least one option').optional(),
    displayed: z.boolean().optional(),
    ordered: z.boolean().optional(),
    length: z.number().int().min(1).optional(),
    textlines: z.number().int().min(1).optional(),
    hidden: z.boolean().optional(),
    index: z.boolean().optional(),
  });
}

/**
 * Builds the validated write schema of a field body. Internal: used by the database and collection
 * field resources. `choices` becomes `value`; unknown properties are refused.
 */
export function fieldWriteSchema(types: readonly [FieldType, ...FieldType[]], mode: 'create' | 'update'): z.ZodType<FieldBody> {
  const shape = fieldParamsSchema(types, mode);
  return shape
    .superRefine((b, ctx) => {
      if (mode === 'update' && Object.values(b).every((v) => v === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'must change at least one property' });
      }
      if (b.choices !== undefined && b.value !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['choices'], message: 'give either choices or value, not both' });
      }
      if (b.choices !== undefined && (mode === 'create' ? b.type !== 'select' : b.type !== undefined && b.type !== 'select')) {
        ctx.addIssue({ code: 'custom', path: ['choices'], message: 'only select fields have choices (set type: "select")' });
      }
    })
    .transform(({ choices, ...rest }): FieldBody => {
      const body: FieldBody = {};
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) (body as Record<string, unknown>)[k] = v;
      if (choices !== undefined) body.value = choices.join('\n');
      return body;
    }) as unknown as z.ZodType<FieldBody>;
}

// ---- unsubscribe behaviour (databases and collections) ---------------------------------------

/** What Copernica does when an unsubscribe comes in. */
export type UnsubscribeAction = 'nothing' | 'remove' | 'update';

/**
 * The unsubscribe behaviour of a database or collection as read. `behavior` is also read from
 * `behaviour` and in any letter case; `fields` is `{}` when the server sends `[]` or nothing.
 */
export const UnsubscribeBehaviorSchema = model((obj) =>
  z.preprocess(
    renameKeys({ behaviour: 'behavior' }),
    obj({
      /** `nothing` (ignore), `remove` (delete the (sub)profile) or `update` (write `fields`). */
      behavior: z
        .string()
        .transform((s) => s.toLowerCase())
        .pipe(z.enum(['nothing', 'remove', 'update'])),
      /** Field name → value written on unsubscribe (behavior `update`); `{}` otherwise. */
      fields: z
        .union([
          z.record(
            z.string(),
            z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v))),
          ),
          z.array(z.unknown()).max(0),
          z.null(),
        ])
        .optional()
        .transform((v): Record<string, string> => (v === undefined || v === null || Array.isArray(v) ? {} : v)),
    }),
  ),
);
/**
 * The unsubscribe behaviour of a database or collection (`GET …/unsubscribe`). Both properties are
 * optional: a value the SDK cannot use reads `undefined` (loose mode). Equal to the output of
 * `UnsubscribeBehaviorSchema` (test/types/schemas.test-d.ts).
 */
export interface UnsubscribeBehavior {
  /** `nothing` (ignore), `remove` (delete the (sub)profile) or `update` (write `fields`); read from `behaviour` too, in any letter case. */
  behavior?: UnsubscribeAction | undefined;
  /** Field name → value written on unsubscribe (behavior `update`); `{}` otherwise (also when the server sends `[]` or nothing). */
  fields?: Record<string, string> | undefined;
}

/**
 * A new unsubscribe behaviour (`PUT …/unsubscribe`): `nothing` and `remove` take no fields; `update`
 * needs the field values to write (at least one; numbers are sent as strings).
 */
export type UnsubscribeBehaviorUpdate =
  | {
      /** Ignore the unsubscribe (the (sub)profile stays as it is). */
      behavior: 'nothing';
    }
  | {
      /** Delete the (sub)profile. */
      behavior: 'remove';
    }
  | {
      /** Write `fields` into the (sub)profile. */
      behavior: 'update';
      /** Field name → value written on unsubscribe, e.g. `{ newsletter: 'no' }`. */
      fields: Record<string, string | number>;
    };

/** Internal: validated body of an unsubscribe write. */
export const unsubscribeWriteSchema = z.discriminatedUnion('behavior', [
  z.strictObject({ behavior: z.literal('nothing') }),
  z.strictObject({ behavior: z.literal('remove') }),
  z.strictObject({
    behavior: z.literal('update'),
    fields: z
      .record(entityName, z.union([z.string(), z.number().finite()]).transform(String))
      .refine((f) => Object.keys(f).length > 0, 'must name at least one field to update'),
  }),
]);
