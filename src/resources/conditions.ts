/**
 * Conditions of rules and minirules (spec/API.md §3.14, §3.15, §3.18): one discriminated union over
 * every condition type of the catalogue, for replies ({@link Condition}) and for bodies
 * ({@link ConditionInput}). Shared by `rules.ts` and `minirules.ts`.
 *
 * Reading is forgiving where the pages disagree, and always yields one documented spelling:
 * - the type name in any case (`field`, `SMS`) becomes the catalogue spelling (`Field`, `Sms`);
 * - `ID` or `id` becomes `ID`;
 * - enum values written with other separators (`not_equals`, `is-email`,
 *   `match_profiles_with_interestgroup`, `"anything'`) become the catalogue spelling;
 * - the Email sample's `required-url` becomes `clicked-url`; ToDo's `match_type` becomes `match-type`.
 *
 * Writing always sends the catalogue spelling of the type and of every enum value.
 */
import { z } from 'zod';
import { bool, id, listOf, model, num, renameKeys, timestamp, type Model } from '../core/schema.js';
import { idInput, param, toId, type PathSegment } from '../core/path.js';
import { ValidationError } from '../core/errors.js';
import { checkInput } from '../core/input.js';

/**
 * @internal Every condition type of the catalogue, in the spelling the type pages send (`Sms`, not
 * `SMS`). Spelled out in {@link ConditionType}; test/types/enums.test-d.ts proves they list the same values.
 */
export const CONDITION_TYPES = [
  'Change',
  'Date',
  'DoubleField',
  'Email',
  'Export',
  'Fax',
  'Field',
  'Interest',
  'LastContact',
  'MiniView',
  'Part',
  'ReferView',
  'Sms',
  'Survey',
  'ToDo',
] as const satisfies readonly ConditionType[];

/** A condition type, in the catalogue spelling. */
export type ConditionType =
  | 'Change'
  | 'Date'
  | 'DoubleField'
  | 'Email'
  | 'Export'
  | 'Fax'
  | 'Field'
  | 'Interest'
  | 'LastContact'
  | 'MiniView'
  | 'Part'
  | 'ReferView'
  | 'Sms'
  | 'Survey'
  | 'ToDo';

/** The catalogue spelling of a type name in any case (`sms` → `Sms`), or undefined. */
export function conditionTypeOf(value: unknown): ConditionType | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  return CONDITION_TYPES.find((t) => t.toLowerCase() === lower);
}

/**
 * The path segment that addresses a condition in `PUT …/conditions/{type}`: a type name (any case,
 * sent in the catalogue spelling) or a numeric condition ID.
 * @internal
 */
export function conditionSegment(typeOrId: ConditionType | number, name: string): PathSegment {
  if (typeof typeOrId === 'number') return param.id(typeOrId, name);
  const type = conditionTypeOf(typeOrId);
  if (!type)
    throw new ValidationError(`${name} must be a condition type (${CONDITION_TYPES.join(', ')}) or a condition ID`, [
      `${name}: not a condition type`,
    ]);
  return param.text(type, name);
}

// ---- enum values, as documented in spec/API.md §3.15

/** @internal Spelled out in {@link ChangeConditionChangeType}; test/types/enums.test-d.ts proves they list the same values. */
export const CHANGE_TYPES = [
  'any',
  'none',
  'field',
  'nofield',
  'new',
  'notnew',
  'edit',
  'noedit',
  'newsubprofile',
  'nonewsubprofile',
  'editsubprofile',
  'noeditsubprofile',
  'removesubprofile',
  'noremovesubprofile',
  'interest',
  'gotinterest',
  'lostinterest',
] as const satisfies readonly ChangeConditionChangeType[];
const COMPARE_MODES = ['full', 'ignoreyear'] as const;
/** @internal Spelled out in {@link DoubleFieldConditionMatchMode}; test/types/enums.test-d.ts proves they list the same values. */
export const DOUBLE_FIELD_MODES = [
  'match_unique_profiles',
  'match_non_unique_profiles',
  'match_repeated_profiles',
  'match_non_repeated_profiles',
  'match_last_profiles',
  'match_toberepeated_profiles',
] as const satisfies readonly DoubleFieldConditionMatchMode[];
/** @internal Spelled out in {@link MailingConditionMatchMode}; test/types/enums.test-d.ts proves they list the same values. */
export const MAILING_MODES = [
  'match_profiles_that_received_something',
  'match_profiles_that_received_document',
  'match_profiles_that_received_nothing',
  'match_profiles_that_received_not_document',
] as const satisfies readonly MailingConditionMatchMode[];
const DESTINATIONS = ['profile', 'subprofile', 'anything'] as const;
const OPERATORS = ['=', '!=', '<>', '<', '>'] as const;
/** @internal Spelled out in {@link EmailConditionResult}; test/types/enums.test-d.ts proves they list the same values. */
export const EMAIL_RESULTS = [
  'nocheck',
  'view',
  'viewnoclick',
  'anyclick',
  'clickonurl',
  'noclick',
  'error',
  'noerror',
  'abuse',
  'noabuse',
  'nothing',
  'anything',
] as const satisfies readonly EmailConditionResult[];
/** @internal Spelled out in {@link FieldConditionComparison}; test/types/enums.test-d.ts proves they list the same values. */
export const FIELD_COMPARISONS = [
  'equals',
  'not equals',
  'contains',
  'not contains',
  'less',
  'more',
  'is_email',
  'regexp',
  'is-numeric',
] as const satisfies readonly FieldConditionComparison[];
/** @internal Spelled out in {@link InterestConditionMatchMode}; test/types/enums.test-d.ts proves they list the same values. */
export const INTEREST_MODES = [
  'match_profiles_with_interest',
  'match_profiles_without_interest',
  'match_profiles_with_interest_group',
  'match_profiles_without_interestgroup',
] as const satisfies readonly InterestConditionMatchMode[];
const MATCH_TYPES = ['match_intelligent', 'match_exact'] as const;
const CONTACT_MODES = ['match_contacted_profiles', 'match_not_contacted_profiles'] as const;
/** @internal Spelled out in {@link SurveyConditionSubmitter}; test/types/enums.test-d.ts proves they list the same values. */
export const SUBMITTERS = [
  'profile',
  'subprofile',
  'anything',
  'none',
  'noprofile',
  'nosubprofile',
] as const satisfies readonly SurveyConditionSubmitter[];

/** Field comparison of a `Field` condition (the page's mixed separators kept as documented). */
export type FieldConditionComparison =
  | 'equals'
  | 'not equals'
  | 'contains'
  | 'not contains'
  | 'less'
  | 'more'
  | 'is_email'
  | 'regexp'
  | 'is-numeric';
/** `change-type` of a `Change` condition. */
export type ChangeConditionChangeType =
  | 'any'
  | 'none'
  | 'field'
  | 'nofield'
  | 'new'
  | 'notnew'
  | 'edit'
  | 'noedit'
  | 'newsubprofile'
  | 'nonewsubprofile'
  | 'editsubprofile'
  | 'noeditsubprofile'
  | 'removesubprofile'
  | 'noremovesubprofile'
  | 'interest'
  | 'gotinterest'
  | 'lostinterest';
/** `match-mode` of `Email`, `Fax` and `Sms` conditions. */
export type MailingConditionMatchMode =
  | 'match_profiles_that_received_something'
  | 'match_profiles_that_received_document'
  | 'match_profiles_that_received_nothing'
  | 'match_profiles_that_received_not_document';
/** `match-mode` of an `Interest` condition (catalogue spelling; `…_with_interestgroup` is read as `…_with_interest_group`). */
export type InterestConditionMatchMode =
  | 'match_profiles_with_interest'
  | 'match_profiles_without_interest'
  | 'match_profiles_with_interest_group'
  | 'match_profiles_without_interestgroup';
/** `required-result` of an `Email` condition. */
export type EmailConditionResult =
  | 'nocheck'
  | 'view'
  | 'viewnoclick'
  | 'anyclick'
  | 'clickonurl'
  | 'noclick'
  | 'error'
  | 'noerror'
  | 'abuse'
  | 'noabuse'
  | 'nothing'
  | 'anything';
/** `match-mode` of a `DoubleField` condition. */
export type DoubleFieldConditionMatchMode =
  | 'match_unique_profiles'
  | 'match_non_unique_profiles'
  | 'match_repeated_profiles'
  | 'match_non_repeated_profiles'
  | 'match_last_profiles'
  | 'match_toberepeated_profiles';
/** `submitter` of a `Survey` condition. */
export type SurveyConditionSubmitter = 'profile' | 'subprofile' | 'anything' | 'none' | 'noprofile' | 'nosubprofile';

/** Letters and digits only, lower case: `not_equals`, `Not-Equals` and `not equals` compare equal. */
const squash = (v: string) => v.toLowerCase().replace(/[\s_'"-]+/g, '');

/** An enum that accepts the documented values and their separator/case variants, and yields the documented one. */
function spelled<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<T[number], T[number]> {
  const byKey = new Map(values.map((v) => [squash(v), v]));
  // Typed with the documented values as input too: the compiler asks for the catalogue spelling,
  // while at run time the variants are accepted and normalised.
  return z
    .string()
    .transform((v) => (values.includes(v) ? v : (byKey.get(squash(v)) ?? v)))
    .pipe(z.enum(values as unknown as { [K in T[number]]: K })) as unknown as z.ZodType<T[number], T[number]>;
}

// ---- value schemas: one set for replies, one for bodies

/** `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD`), as the pages require for before-/after-time. */
const timeInput = z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/, 'must be "YYYY-MM-DD HH:MM:SS"');
const text = z.string();
const nonNegative = z.number().int().min(0);
/** Numbers or percentages (`54`, `"10%"`) as the Part condition takes them. */
const amountInput = z.union([z.number().int(), z.string().regex(/^-?\d+(\.\d+)?%$/, 'must be a number or a percentage like "10%"')]);
const amountReply = z.union([z.number(), z.string()]).transform((v) => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v));
/** `contact-type` / `user`: an ID, a name, or `false` for "any" (sent as the string `"false"`). */
const anyOrRefInput = z
  .union([z.literal(false), z.number().int().positive(), z.string().min(1)])
  .transform((v) => (v === false ? 'false' : v));
const anyOrRefReply = z
  .union([z.boolean(), z.number(), z.string()])
  .transform((v): number | string | false =>
    v === false || v === 'false' || v === '' ? false : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v === true ? 'true' : v,
  );
/** `check-type`: `yes`/`no` (also read from booleans and 0/1). */
const yesNoReply = z.union([z.boolean(), z.number(), z.string()]).transform((v, ctx) => {
  const s = String(v).toLowerCase();
  if (s === 'yes' || s === 'true' || s === '1') return 'yes' as const;
  if (s === 'no' || s === 'false' || s === '0') return 'no' as const;
  ctx.addIssue({ code: 'custom', message: 'must be yes or no' });
  return z.NEVER;
});
const yesNoInput = z.union([z.boolean(), z.enum(['yes', 'no'])]).transform((v) => (v === true ? 'yes' : v === false ? 'no' : v));
/** DoubleField `fields`: read as an array, also from the sample's string form `"[first_name, last_name]"`. */
const fieldListReply = z.union([z.array(z.string()), z.string()]).transform((v) =>
  Array.isArray(v)
    ? v
    : v
        .replace(/^\s*\[|\]\s*$/g, '')
        .split(',')
        .map((s) => s.trim().replace(/^["']|["']$/g, ''))
        .filter(Boolean),
);
const fieldListInput = z.array(z.string().min(1)).min(1);
const stringOrListReply = z.union([z.string(), z.array(z.string())]);
const stringOrListInput = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const mutationReply = z.union([z.string(), z.array(z.unknown())]);

type Dir = 'reply' | 'input';

/** The property groups and type-specific properties, for replies or for bodies. */
function shapes<D extends Dir>(dir: D) {
  const r = dir === 'reply';
  // The reply schema or the body schema of a property, typed for the direction (not a union of both).
  const ro = <R extends z.ZodType, I extends z.ZodType>(reply: R, input: I) =>
    (r ? reply.optional() : input.optional()) as D extends 'reply' ? z.ZodOptional<R> : z.ZodOptional<I>;
  const o = <T extends z.ZodType>(s: T) => s.optional();
  const window = {
    /** The event happened before this moment (`YYYY-MM-DD HH:MM:SS`; zero dates read as null). */
    'before-time': ro(timestamp, timeInput),
    /** The event happened after this moment. */
    'after-time': ro(timestamp, timeInput),
    /** Relative offset for the upper bound; replaces `before-time`. Format is an open question (the Date sample sends a JSON-encoded triple). */
    'before-mutation': ro(mutationReply, text),
    /** Relative offset for the lower bound; replaces `after-time`. */
    'after-mutation': ro(mutationReply, text),
  };
  const mailing = {
    'match-mode': o(spelled(MAILING_MODES)),
    /** Who the mailing must have been addressed to. */
    'required-destination': o(spelled(DESTINATIONS)),
    /** Document name (for the two `…_document` match modes). */
    document: o(text),
    /** Template name. */
    template: o(text),
    /** Number of received messages to compare against. */
    number: ro(num, nonNegative),
    /** How the received count compares with `number` (`<>` is labelled "between" on the pages). */
    operator: o(spelled(OPERATORS)),
  };
  const contact = {
    'match-type': o(spelled(MATCH_TYPES)),
    'match-mode': o(spelled(CONTACT_MODES)),
    /** A contact type (ID or name), or `false` for any. */
    'contact-type': ro(anyOrRefReply, anyOrRefInput),
    'min-closed': ro(num, nonNegative),
    'max-closed': ro(num, nonNegative),
    /** A user (ID or name), or `false` for any. */
    user: ro(anyOrRefReply, anyOrRefInput),
    priority: ro(num, z.number()),
    /** Text to search in the contact reports. */
    contains: o(text),
    ...window,
  };
  return {
    Change: { 'change-type': o(spelled(CHANGE_TYPES)), field: o(text), interest: o(text), ...window },
    Date: { field: o(text), 'compare-mode': o(spelled(COMPARE_MODES)), ...window },
    DoubleField: { 'match-mode': o(spelled(DOUBLE_FIELD_MODES)), fields: ro(fieldListReply, fieldListInput) },
    Email: {
      'required-result': o(spelled(EMAIL_RESULTS)),
      /** URL that must have been clicked (`required-result: clickonurl`). Read also from the sample's `required-url`. */
      'clicked-url': o(text),
      /** For `required-result: error`: an error code or one of mailmessage, unreachable, nocontent, nohost, nodata, privateiprange, other, temp, final. */
      'required-errors': ro(
        z.union([z.string(), z.number()]).transform(String),
        z.union([z.string().min(1), z.number().int()]).transform(String),
      ),
      ...mailing,
      ...window,
    },
    Export: { 'include-never-exported-profiles': ro(bool, z.boolean()), ...window },
    Fax: { ...mailing, ...window },
    Field: {
      field: o(text),
      comparison: o(spelled(FIELD_COMPARISONS)),
      /** The value to compare with (setting it clears `other-field`). */
      value: ro(
        z.union([z.string(), z.number(), z.null()]).transform((v) => (v === null ? '' : String(v))),
        z.union([z.string(), z.number()]).transform(String),
      ),
      /** Compare with this field instead of `value`. */
      'other-field': o(text),
      'numeric-comparison': ro(bool, z.boolean()),
    },
    Interest: { 'match-mode': o(spelled(INTEREST_MODES)), interest: o(text), 'interest-group': o(text) },
    LastContact: contact,
    MiniView: { 'mini-view': ro(id, idInput), 'min-subprofiles': ro(num, nonNegative), 'max-subprofiles': ro(num, nonNegative) },
    Part: { begin: ro(amountReply, amountInput), length: ro(amountReply, amountInput), fields: ro(stringOrListReply, stringOrListInput) },
    ReferView: { 'refer-view': ro(id, idInput), 'check-type': ro(yesNoReply, yesNoInput) },
    Sms: { ...mailing, ...window },
    Survey: { submitter: o(spelled(SUBMITTERS)), 'survey-name': o(text), ...window },
    ToDo: contact,
  } satisfies Record<ConditionType, z.ZodRawShape>;
}

const replyShapes = shapes('reply');
const inputShapes = shapes('input');

const upperId = renameKeys({ id: 'ID' });

/** Moves the pages' alternative spellings to the documented ones before the union sees the object. */
function normaliseReply(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = { ...(upperId(raw) as Record<string, unknown>) };
  out.type = conditionTypeOf(out.type) ?? out.type;
  if (out.type === 'Email' && out['clicked-url'] === undefined && out['required-url'] !== undefined) {
    out['clicked-url'] = out['required-url'];
    delete out['required-url'];
  }
  if ((out.type === 'ToDo' || out.type === 'LastContact') && out['match-type'] === undefined && out.match_type !== undefined) {
    out['match-type'] = out.match_type;
    delete out.match_type;
  }
  return out;
}

/**
 * A condition as read (`GET /rule/{id}/conditions`, inside rules). `ID` is normalised from `ID`/`id`,
 * `type` to the catalogue spelling. Unknown properties pass through unless the client is `strict`.
 */
export const ConditionSchema: Model<Condition> = model((obj) => {
  const common = { ID: id.optional(), rule: id.optional() };
  const variants = CONDITION_TYPES.map((t) => obj({ type: z.literal(t), ...common, ...replyShapes[t] }));
  return z.preprocess(normaliseReply, z.discriminatedUnion('type', variants as unknown as [z.ZodObject, ...z.ZodObject[]]));
}) as unknown as Model<Condition>;

/**
 * What every condition has, as read: its type (the discriminator), and for a stored condition its
 * ID and rule. The other properties of each type are optional: the pages disagree on them, and a
 * value the SDK cannot use reads `undefined` (loose mode).
 */
export interface ConditionBase<T extends ConditionType> {
  /** The condition type, in the catalogue spelling. */
  type: T;
  /** Condition ID (read from `ID` or `id`). */
  ID?: number | undefined;
  /** The owning rule or minirule. */
  rule?: number | undefined;
}

/** The time window of a condition: fixed moments or relative offsets. */
export interface ConditionTimeWindow {
  /** The event happened before this moment (`YYYY-MM-DD HH:MM:SS`; a zero date reads `null`). */
  'before-time'?: string | null | undefined;
  /** The event happened after this moment (`YYYY-MM-DD HH:MM:SS`; a zero date reads `null`). */
  'after-time'?: string | null | undefined;
  /** Relative offset for the upper bound; replaces `before-time`. Its format is an open question (the Date sample sends a JSON-encoded triple). */
  'before-mutation'?: string | unknown[] | undefined;
  /** Relative offset for the lower bound; replaces `after-time`. */
  'after-mutation'?: string | unknown[] | undefined;
}

/** What `Email`, `Fax` and `Sms` conditions share: which mailings count, and how many. */
export interface MailingConditionProperties {
  /** What the profile must have received: something, a given document, nothing, or not that document. */
  'match-mode'?: MailingConditionMatchMode | undefined;
  /** Who the mailing must have been addressed to. */
  'required-destination'?: 'anything' | 'profile' | 'subprofile' | undefined;
  /** Document name (for the two `…_document` match modes). */
  document?: string | undefined;
  /** Template name. */
  template?: string | undefined;
  /** Number of received messages to compare against. */
  number?: number | null | undefined;
  /** How the received count compares with `number` (`<>` is labelled "between" on the pages). */
  operator?: '=' | '!=' | '<>' | '<' | '>' | undefined;
}

/** What `LastContact` and `ToDo` conditions share: which CRM items count. */
export interface ContactConditionProperties extends ConditionTimeWindow {
  /** `match_intelligent` (tolerates typos and spelling variants in `contains`) or `match_exact`. */
  'match-type'?: 'match_intelligent' | 'match_exact' | undefined;
  /** Profiles with (`match_contacted_profiles`) or without (`match_not_contacted_profiles`) matching items. */
  'match-mode'?: 'match_contacted_profiles' | 'match_not_contacted_profiles' | undefined;
  /** A contact type (ID or name), or `false` for any. */
  'contact-type'?: string | number | false | undefined;
  /** Lower bound on the number of items on the contact list. */
  'min-closed'?: number | null | undefined;
  /** Upper bound on the number of items on the contact list. */
  'max-closed'?: number | null | undefined;
  /** A user (ID or name), or `false` for any. */
  user?: string | number | false | undefined;
  /** Priority of the contacts. */
  priority?: number | null | undefined;
  /** Text to search in the contact reports. */
  contains?: string | undefined;
}

/** A `Change` condition: matches by what changed in the profile (a field, an interest, the profile or a subprofile created, edited or removed; see `change-type`) within the time window. */
export interface ChangeCondition extends ConditionBase<'Change'>, ConditionTimeWindow {
  /** What must have changed: a field, an interest, the profile or a subprofile created, edited or removed (or not). */
  'change-type'?: ChangeConditionChangeType | undefined;
  /** The field that must have changed (`change-type` `field` or `nofield`). */
  field?: string | undefined;
  /** The interest that must have changed (`change-type` `interest`, `gotinterest` or `lostinterest`). */
  interest?: string | undefined;
}

/** A `Date` condition: compares a date `field` with the time window (`compare-mode` `ignoreyear`: the year may differ). */
export interface DateCondition extends ConditionBase<'Date'>, ConditionTimeWindow {
  /** The date field compared with the time window. */
  field?: string | undefined;
  /** `full` compares the whole date; `ignoreyear` lets the year differ (birthdays). */
  'compare-mode'?: 'full' | 'ignoreyear' | undefined;
}

/** A `DoubleField` condition: finds unique or duplicate profiles by the combination of `fields` (see `match-mode`). */
export interface DoubleFieldCondition extends ConditionBase<'DoubleField'> {
  /** Which profiles match: unique, duplicate, repeated, … by the combination of `fields`. */
  'match-mode'?: DoubleFieldConditionMatchMode | undefined;
  /** The field names whose combined values are compared. */
  fields?: string[] | undefined;
}

/** An `Email` condition: selects on what happened with email mailings (sent, opened, clicked, error, abuse; see `required-result`). */
export interface EmailCondition extends ConditionBase<'Email'>, MailingConditionProperties, ConditionTimeWindow {
  /** What must have happened with the mail (opened, clicked, an error, abuse, …). */
  'required-result'?: EmailConditionResult | undefined;
  /** URL that must have been clicked (`required-result: clickonurl`). Read also from the sample's `required-url`. */
  'clicked-url'?: string | undefined;
  /** For `required-result: error`: an error code or one of mailmessage, unreachable, nocontent, nohost, nodata, privateiprange, other, temp, final. */
  'required-errors'?: string | undefined;
}

/** An `Export` condition: selects on earlier exports in the time window (`include-never-exported-profiles` adds profiles never exported). */
export interface ExportCondition extends ConditionBase<'Export'>, ConditionTimeWindow {
  /** Also match profiles that were never exported. */
  'include-never-exported-profiles'?: boolean | undefined;
}

/** A `Fax` condition: selects on fax mailings received (or not), with the mailing properties and the time window. */
export interface FaxCondition extends ConditionBase<'Fax'>, MailingConditionProperties, ConditionTimeWindow {}

/** A `Field` condition: compares a `field` with a `value` or with `other-field` (see `comparison`). */
export interface FieldCondition extends ConditionBase<'Field'> {
  /** The field to compare. */
  field?: string | undefined;
  /** How `field` is compared with `value` or `other-field`. */
  comparison?: FieldConditionComparison | undefined;
  /** The value to compare with (setting it clears `other-field`). */
  value?: string | undefined;
  /** Compare with this field instead of `value`. */
  'other-field'?: string | undefined;
  /** Compare as numbers rather than as text. */
  'numeric-comparison'?: boolean | undefined;
}

/** An `Interest` condition: the profile has (or lacks) an `interest`, or an interest of `interest-group` (see `match-mode`). */
export interface InterestCondition extends ConditionBase<'Interest'> {
  /** Profiles with or without `interest`, or with or without an interest of `interest-group`. */
  'match-mode'?: InterestConditionMatchMode | undefined;
  /** The interest name (with the two interest modes). */
  interest?: string | undefined;
  /** The interest group (with the two group modes). */
  'interest-group'?: string | undefined;
}

/** A `LastContact` condition: selects on contact moments recorded in the CRM (contact type, user, priority, text, time window). */
export interface LastContactCondition extends ConditionBase<'LastContact'>, ContactConditionProperties {}

/** A `MiniView` condition: the profile has between `min-subprofiles` and `max-subprofiles` subprofiles in a miniview. */
export interface MiniViewCondition extends ConditionBase<'MiniView'> {
  /** The miniview whose subprofiles are counted (its ID). */
  'mini-view'?: number | undefined;
  /** At least this many subprofiles in the miniview. */
  'min-subprofiles'?: number | null | undefined;
  /** At most this many subprofiles in the miniview. */
  'max-subprofiles'?: number | null | undefined;
}

/** A `Part` condition: a slice of the selection, from `begin` for `length` profiles (numbers or percentages like `"10%"`; a negative `begin` counts from the end). */
export interface PartCondition extends ConditionBase<'Part'> {
  /** Where the slice starts: a number of profiles or a percentage like `"10%"`; a negative one counts from the end. */
  begin?: string | number | undefined;
  /** How many profiles: a number or a percentage like `"10%"`. */
  length?: string | number | undefined;
  /** Field or fields of the slice (the pages do not explain this property). */
  fields?: string | string[] | undefined;
}

/** A `ReferView` condition: the profile must (`check-type` `yes`) or must not (`no`) be in the selection `refer-view`. */
export interface ReferViewCondition extends ConditionBase<'ReferView'> {
  /** The selection (view ID) the profile must or must not be in. */
  'refer-view'?: number | undefined;
  /** `yes`: the profile must be in `refer-view`; `no`: it must not be. */
  'check-type'?: 'yes' | 'no' | undefined;
}

/** An `Sms` condition: selects on SMS mailings received (or not), with the mailing properties and the time window. */
export interface SmsCondition extends ConditionBase<'Sms'>, MailingConditionProperties, ConditionTimeWindow {}

/** A `Survey` condition: selects on submissions of survey `survey-name` (by whom, or not at all: see `submitter`) within the time window. */
export interface SurveyCondition extends ConditionBase<'Survey'>, ConditionTimeWindow {
  /** Who must have submitted the survey (or nobody: see the values). */
  submitter?: SurveyConditionSubmitter | undefined;
  /** The survey's name. */
  'survey-name'?: string | undefined;
}

/** A `ToDo` condition: the same properties as `LastContact`, applied to to-do items in the CRM. */
export interface ToDoCondition extends ConditionBase<'ToDo'>, ContactConditionProperties {}

/** A condition of a rule or minirule, as read. Narrow on `type`. */
export type Condition =
  | ChangeCondition
  | DateCondition
  | DoubleFieldCondition
  | EmailCondition
  | ExportCondition
  | FaxCondition
  | FieldCondition
  | InterestCondition
  | LastContactCondition
  | MiniViewCondition
  | PartCondition
  | ReferViewCondition
  | SmsCondition
  | SurveyCondition
  | ToDoCondition;

/**
 * @internal A condition as the reply schemas read it (the shapes `ConditionSchema` is built from);
 * test/types/schemas.test-d.ts proves it equal to {@link Condition}.
 */
export type ConditionFromSchemas = {
  [T in ConditionType]: { type: T; ID?: number; rule?: number } & z.output<z.ZodObject<(typeof replyShapes)[T]>>;
}[ConditionType];

/** The list of conditions: a bare array (or, leniently, a paging envelope). */
export const ConditionListSchema = model((_obj, use) => {
  return listOf(use(ConditionSchema));
});

// ---- bodies

const inputVariants = CONDITION_TYPES.map((t) => z.strictObject({ type: z.literal(t), ...inputShapes[t] }));
const inputUnion = z.discriminatedUnion('type', inputVariants as unknown as [z.ZodObject, ...z.ZodObject[]]);

/** What every condition body has: its type. */
export interface ConditionInputBase<T extends ConditionType> {
  /** The condition type (catalogue spelling; any case is accepted and sent in the catalogue spelling). */
  type: T;
}

/** The time window of a condition body: fixed moments or relative offsets. */
export interface ConditionTimeWindowInput {
  /** The event happened before this moment: `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`. */
  'before-time'?: string;
  /** The event happened after this moment: `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`. */
  'after-time'?: string;
  /** Relative offset for the upper bound; replaces `before-time`. Its format is an open question (the Date sample sends a JSON-encoded triple). */
  'before-mutation'?: string;
  /** Relative offset for the lower bound; replaces `after-time`. */
  'after-mutation'?: string;
}

/** What `Email`, `Fax` and `Sms` conditions (bodies) share: which mailings count, and how many. */
export interface MailingConditionPropertiesInput {
  /** What the profile must have received: something, a given document, nothing, or not that document. */
  'match-mode'?: MailingConditionMatchMode;
  /** Who the mailing must have been addressed to. */
  'required-destination'?: 'anything' | 'profile' | 'subprofile';
  /** Document name (for the two `…_document` match modes). */
  document?: string;
  /** Template name. */
  template?: string;
  /** Number of received messages to compare against. */
  number?: number;
  /** How the received count compares with `number` (`<>` is labelled "between" on the pages). */
  operator?: '=' | '!=' | '<>' | '<' | '>';
}

/** What `LastContact` and `ToDo` conditions (bodies) share: which CRM items count. */
export interface ContactConditionPropertiesInput extends ConditionTimeWindowInput {
  /** `match_intelligent` (tolerates typos and spelling variants in `contains`) or `match_exact`. */
  'match-type'?: 'match_intelligent' | 'match_exact';
  /** Profiles with (`match_contacted_profiles`) or without (`match_not_contacted_profiles`) matching items. */
  'match-mode'?: 'match_contacted_profiles' | 'match_not_contacted_profiles';
  /** A contact type (ID or name), or `false` for any (sent as `"false"`). */
  'contact-type'?: string | number | false;
  /** Lower bound on the number of items on the contact list. */
  'min-closed'?: number;
  /** Upper bound on the number of items on the contact list. */
  'max-closed'?: number;
  /** A user (ID or name), or `false` for any (sent as `"false"`). */
  user?: string | number | false;
  /** Priority of the contacts. */
  priority?: number;
  /** Text to search in the contact reports. */
  contains?: string;
}

/** The body of a `Change` condition (`rules.conditions.create()`, `minirules.conditions.create()`): matches by what changed in the profile (a field, an interest, the profile or a subprofile created, edited or removed; see `change-type`) within the time window. */
export interface ChangeConditionInput extends ConditionInputBase<'Change'>, ConditionTimeWindowInput {
  /** What must have changed: a field, an interest, the profile or a subprofile created, edited or removed (or not). */
  'change-type'?: ChangeConditionChangeType;
  /** The field that must have changed (`change-type` `field` or `nofield`). */
  field?: string;
  /** The interest that must have changed (`change-type` `interest`, `gotinterest` or `lostinterest`). */
  interest?: string;
}

/** The body of a `Date` condition (`rules.conditions.create()`, `minirules.conditions.create()`): compares a date `field` with the time window (`compare-mode` `ignoreyear`: the year may differ). */
export interface DateConditionInput extends ConditionInputBase<'Date'>, ConditionTimeWindowInput {
  /** The date field compared with the time window. */
  field?: string;
  /** `full` compares the whole date; `ignoreyear` lets the year differ (birthdays). */
  'compare-mode'?: 'full' | 'ignoreyear';
}

/** The body of a `DoubleField` condition (`rules.conditions.create()`, `minirules.conditions.create()`): finds unique or duplicate profiles by the combination of `fields` (see `match-mode`). */
export interface DoubleFieldConditionInput extends ConditionInputBase<'DoubleField'> {
  /** Which profiles match: unique, duplicate, repeated, … by the combination of `fields`. */
  'match-mode'?: DoubleFieldConditionMatchMode;
  /** The field names whose combined values are compared. */
  fields?: string[];
}

/** The body of a `Email` condition (`rules.conditions.create()`, `minirules.conditions.create()`): selects on what happened with email mailings (sent, opened, clicked, error, abuse; see `required-result`). */
export interface EmailConditionInput extends ConditionInputBase<'Email'>, MailingConditionPropertiesInput, ConditionTimeWindowInput {
  /** What must have happened with the mail (opened, clicked, an error, abuse, …). */
  'required-result'?: EmailConditionResult;
  /** URL that must have been clicked (`required-result: clickonurl`). Read also from the sample's `required-url`. */
  'clicked-url'?: string;
  /** For `required-result: error`: an error code or one of mailmessage, unreachable, nocontent, nohost, nodata, privateiprange, other, temp, final. */
  'required-errors'?: string | number;
}

/** The body of a `Export` condition (`rules.conditions.create()`, `minirules.conditions.create()`): selects on earlier exports in the time window (`include-never-exported-profiles` adds profiles never exported). */
export interface ExportConditionInput extends ConditionInputBase<'Export'>, ConditionTimeWindowInput {
  /** Also match profiles that were never exported. */
  'include-never-exported-profiles'?: boolean;
}

/** The body of a `Fax` condition (`rules.conditions.create()`, `minirules.conditions.create()`): selects on fax mailings received (or not), with the mailing properties and the time window. */
export interface FaxConditionInput extends ConditionInputBase<'Fax'>, MailingConditionPropertiesInput, ConditionTimeWindowInput {}

/** The body of a `Field` condition (`rules.conditions.create()`, `minirules.conditions.create()`): compares a `field` with a `value` or with `other-field` (see `comparison`). */
export interface FieldConditionInput extends ConditionInputBase<'Field'> {
  /** The field to compare. */
  field?: string;
  /** How `field` is compared with `value` or `other-field`. */
  comparison?: FieldConditionComparison;
  /** The value to compare with (a number is sent as text; setting it clears `other-field`). */
  value?: string | number;
  /** Compare with this field instead of `value`. */
  'other-field'?: string;
  /** Compare as numbers rather than as text. */
  'numeric-comparison'?: boolean;
}

/** The body of a `Interest` condition (`rules.conditions.create()`, `minirules.conditions.create()`): the profile has (or lacks) an `interest`, or an interest of `interest-group` (see `match-mode`). */
export interface InterestConditionInput extends ConditionInputBase<'Interest'> {
  /** Profiles with or without `interest`, or with or without an interest of `interest-group`. */
  'match-mode'?: InterestConditionMatchMode;
  /** The interest name (with the two interest modes). */
  interest?: string;
  /** The interest group (with the two group modes). */
  'interest-group'?: string;
}

/** The body of a `LastContact` condition (`rules.conditions.create()`, `minirules.conditions.create()`): selects on contact moments recorded in the CRM (contact type, user, priority, text, time window). */
export interface LastContactConditionInput extends ConditionInputBase<'LastContact'>, ContactConditionPropertiesInput {}

/** The body of a `MiniView` condition (`rules.conditions.create()`, `minirules.conditions.create()`): the profile has between `min-subprofiles` and `max-subprofiles` subprofiles in a miniview. */
export interface MiniViewConditionInput extends ConditionInputBase<'MiniView'> {
  /** The miniview whose subprofiles are counted (its ID). */
  'mini-view'?: string | number;
  /** At least this many subprofiles in the miniview. */
  'min-subprofiles'?: number;
  /** At most this many subprofiles in the miniview. */
  'max-subprofiles'?: number;
}

/** The body of a `Part` condition (`rules.conditions.create()`, `minirules.conditions.create()`): a slice of the selection, from `begin` for `length` profiles (numbers or percentages like `"10%"`; a negative `begin` counts from the end). */
export interface PartConditionInput extends ConditionInputBase<'Part'> {
  /** Where the slice starts: a number of profiles or a percentage like `"10%"`; a negative one counts from the end. */
  begin?: string | number;
  /** How many profiles: a number or a percentage like `"10%"`. */
  length?: string | number;
  /** Field or fields of the slice (the pages do not explain this property). */
  fields?: string | string[];
}

/** The body of a `ReferView` condition (`rules.conditions.create()`, `minirules.conditions.create()`): the profile must (`check-type` `yes`) or must not (`no`) be in the selection `refer-view`. */
export interface ReferViewConditionInput extends ConditionInputBase<'ReferView'> {
  /** The selection (view ID) the profile must or must not be in. */
  'refer-view'?: string | number;
  /** `yes` (or `true`): the profile must be in `refer-view`; `no` (or `false`): it must not be. */
  'check-type'?: boolean | 'yes' | 'no';
}

/** The body of a `Sms` condition (`rules.conditions.create()`, `minirules.conditions.create()`): selects on SMS mailings received (or not), with the mailing properties and the time window. */
export interface SmsConditionInput extends ConditionInputBase<'Sms'>, MailingConditionPropertiesInput, ConditionTimeWindowInput {}

/** The body of a `Survey` condition (`rules.conditions.create()`, `minirules.conditions.create()`): selects on submissions of survey `survey-name` (by whom, or not at all: see `submitter`) within the time window. */
export interface SurveyConditionInput extends ConditionInputBase<'Survey'>, ConditionTimeWindowInput {
  /** Who must have submitted the survey (or nobody: see the values). */
  submitter?: SurveyConditionSubmitter;
  /** The survey's name. */
  'survey-name'?: string;
}

/** The body of a `ToDo` condition (`rules.conditions.create()`, `minirules.conditions.create()`): the same properties as `LastContact`, applied to to-do items in the CRM. */
export interface ToDoConditionInput extends ConditionInputBase<'ToDo'>, ContactConditionPropertiesInput {}

/** A condition to create or edit: `type` in the catalogue spelling plus that type's properties (hyphenated keys quoted). */
export type ConditionInput =
  | ChangeConditionInput
  | DateConditionInput
  | DoubleFieldConditionInput
  | EmailConditionInput
  | ExportConditionInput
  | FaxConditionInput
  | FieldConditionInput
  | InterestConditionInput
  | LastContactConditionInput
  | MiniViewConditionInput
  | PartConditionInput
  | ReferViewConditionInput
  | SmsConditionInput
  | SurveyConditionInput
  | ToDoConditionInput;

/**
 * @internal A condition body as the body schemas accept it (the shapes `conditionInputSchema` is
 * built from); test/types/schemas.test-d.ts proves it equal to {@link ConditionInput}.
 */
export type ConditionInputFromSchemas = {
  [T in ConditionType]: { type: T } & z.input<z.ZodObject<(typeof inputShapes)[T], z.core.$strict>>;
}[ConditionType];
/** The body of a condition of one type. */
export type ConditionInputOf<T extends ConditionType> = Extract<
  ConditionInput,
  {
    /** The condition type. */
    type: T;
  }
>;

/**
 * The checked body of a condition: the type name in any case is accepted and sent in the catalogue
 * spelling; unknown properties, wrong enum values and wrong value types are a ValidationError.
 */
export const conditionInputSchema = z.preprocess((raw) => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const o = raw as Record<string, unknown>;
  return { ...o, type: conditionTypeOf(o.type) ?? o.type };
}, inputUnion);

/** Validates one condition body (throws ValidationError naming `name`). */
export function conditionBody(value: unknown, name = 'condition'): Record<string, unknown> {
  return checkInput(conditionInputSchema, value, name) as Record<string, unknown>;
}

/** The rule flags of a reply, `inverted` read from `inverted` or `inversed`, `ID` from `ID` or `id`. */
export const normaliseRuleReply = renameKeys({ id: 'ID', inversed: 'inverted' });

/**
 * A rule of a view or a minirule of a miniview, as read. `ID` is read from `ID` or `id`, `inverted`
 * from `inverted` or `inversed` (the pages use both spellings).
 */
export const RuleSchema = model((obj, use) =>
  z.preprocess(
    normaliseRuleReply,
    obj({
      /** Rule ID (read from `ID` or `id`). */
      ID: id,
      /** Name, unique among the rules of the view. */
      name: z.string(),
      /** Free text description; `''` when the server sends none. */
      description: z.string().default(''),
      /** The owning view (or miniview, for minirules). */
      view: id,
      /** True: the rule selects what does NOT match its conditions (read from `inverted` or `inversed`). */
      inverted: bool.default(false),
      /** True: the rule is ignored. */
      disabled: bool.default(false),
      /** Conditions: all must hold for the rule to match. */
      conditions: listOf(use(ConditionSchema)).default([]),
    }),
  ),
);

/**
 * A rule (of a view) or minirule (of a miniview), as read. Properties other than `ID` and `name`
 * read `undefined` when the reply's value was unusable (loose mode). Equal to the output of
 * `RuleSchema` (test/types/schemas.test-d.ts).
 */
export interface Rule {
  /** Rule ID (read from `ID` or `id`). */
  ID: number;
  /** Name, unique among the rules of the view. */
  name: string;
  /** Free text description; `''` when the server sends none. */
  description?: string | undefined;
  /** The owning view (or miniview, for minirules). */
  view?: number | undefined;
  /** True: the rule selects what does NOT match its conditions (read from `inverted` or `inversed`). */
  inverted?: boolean | undefined;
  /** True: the rule is ignored. */
  disabled?: boolean | undefined;
  /** Conditions: all must hold for the rule to match. */
  conditions?: Condition[] | undefined;
}

const ruleBodyShape = {
  /** Name, unique among the rules of the view or miniview. */
  name: z.string().trim().min(1),
  /** The owning view or miniview (redundant with the path on create). */
  view: idInput.optional(),
  /** The conditions (each validated like a condition body). */
  conditions: z.array(conditionInputSchema).optional(),
  /** Select what does NOT match. */
  inverted: z.boolean().optional(),
  /** Ignore the rule. */
  disabled: z.boolean().optional(),
};

/** Body of a rule or minirule create. */
export const ruleCreateSchema = z.strictObject(ruleBodyShape);
/** Body of a rule update (PUT /rule/{id} also takes `description`). */
export const ruleUpdateSchema = z
  .strictObject({ ...ruleBodyShape, name: ruleBodyShape.name.optional(), description: z.string().optional() })
  .refine((b) => Object.keys(b).length > 0, 'must change at least one property');
/** Body of a minirule update (PUT /minirule/{id} lists no `description`). */
export const miniruleUpdateSchema = z
  .strictObject({ ...ruleBodyShape, name: ruleBodyShape.name.optional() })
  .refine((b) => Object.keys(b).length > 0, 'must change at least one property');

/** Fields of a new rule or minirule. */
export interface RuleCreateParams {
  /** Name, unique among the rules of the view or miniview. Required. */
  name: string;
  /** The owning view or miniview; redundant with the path. */
  view?: number | string;
  /** Conditions, all of which must hold. */
  conditions?: ConditionInput[];
  /** Select what does NOT match the conditions. */
  inverted?: boolean;
  /** Ignore the rule. */
  disabled?: boolean;
}

/** Changes to a rule; at least one property. */
export interface RuleUpdateParams extends Partial<RuleCreateParams> {
  /** New description (rules only: `PUT /minirule/{id}` lists no `description`). */
  description?: string;
}

/** The wire body of a rule write, with `inverted` spelled as the endpoint's page spells it. */
export function ruleWireBody(
  body: { inverted?: boolean | undefined } & Record<string, unknown>,
  flag: 'inverted' | 'inversed',
): Record<string, unknown> {
  const { inverted, ...rest } = body;
  return inverted === undefined ? rest : { ...rest, [flag]: inverted };
}
