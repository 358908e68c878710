/**
 * One source of truth per type (issue 14): every public entity type is a hand-written interface
 * (so the API reference lists its properties with their TSDoc, issue 13), and each one is proven
 * equal to the output of the schema that parses it. A property added to a schema and not to its
 * interface (or the other way round, or with another type or optionality) fails `npm run
 * typecheck`. Input types are proven to be accepted by their schema's input.
 *
 * Type-level only: `tsc --noEmit` (tsconfig includes test/) checks this file; vitest does not run it.
 */
import { expectTypeOf } from 'vitest';
import type { z } from 'zod';
import type {
  Collection,
  CollectionCreateParams,
  CollectionUpdateParams,
  DatabaseCreateParams,
  DatabaseInterestCreateParams,
  DatabaseUpdateParams,
  MiniruleCreateParams,
  MiniruleUpdateParams,
  RuleCreateParams,
  RuleUpdateParams,
  Condition,
  ConditionInput,
  ConditionInputOf,
  DataRequestFile,
  DataRequestInfo,
  DataRequestStatus,
  Database,
  DatabaseInterest,
  EmailingDocument,
  EventRecord,
  Field,
  FieldCreateParams,
  Identity,
  Impression,
  Miniview,
  Profile,
  ProfileInterest,
  Subprofile,
  MiniviewCreateParams,
  MiniviewUpdateParams,
  Rule,
  UnsubscribeBehavior,
  View,
  ViewCreateInViewParams,
  ViewCreateParams,
  ViewUpdateParams,
} from 'copernica-rest';
import type { Model } from '../../src/core/schema.js';
import type { collectionCreateSchema, CollectionSchema, collectionUpdateSchema } from '../../src/resources/collections.js';
import type {
  ConditionFromSchemas,
  ConditionInputFromSchemas,
  miniruleUpdateSchema,
  ruleCreateSchema,
  RuleSchema,
  ruleUpdateSchema,
} from '../../src/resources/conditions.js';
import type {
  databaseCreateSchema,
  DatabaseInterestSchema,
  DatabaseSchema,
  databaseUpdateSchema,
  interestCreateSchema,
} from '../../src/resources/databases.js';
import type { miniruleCreateSchema } from '../../src/resources/minirules.js';
import type { DataRequestFileSchema, DataRequestSchema, DataRequestStatusSchema } from '../../src/resources/datarequests.js';
import type { EmailingDocumentModel } from '../../src/resources/campaigns.js';
import type { EventRecordFromSchema } from '../../src/resources/events.js';
import type { fieldParamsSchema, FieldSchema, UnsubscribeBehaviorSchema } from '../../src/resources/fields.js';
import type { IdentitySchema } from '../../src/resources/identity.js';
import type { ImpressionSchema } from '../../src/resources/impressions.js';
import type { MiniviewSchema, miniviewCreateSchema, miniviewUpdateSchema } from '../../src/resources/miniviews.js';
import type { ProfileInterestModel } from '../../src/resources/profiles.js';
import type { RecordOf } from '../../src/resources/records.js';
import type { createInViewSchema, ViewSchema, viewCreateSchema, viewUpdateSchema } from '../../src/resources/views.js';

/** What a model parses to, in each mode (the client's `strict` option picks one). */
type Loose<M extends Model<unknown>> = z.output<M['loose']>;
type Strict<M extends Model<unknown>> = z.output<M['strict']>;

export function entitiesEqualTheirSchemas(): void {
  expectTypeOf<Loose<typeof DatabaseSchema>>().toEqualTypeOf<Database>();
  expectTypeOf<Strict<typeof DatabaseSchema>>().toEqualTypeOf<Database>();
  expectTypeOf<Loose<typeof DatabaseInterestSchema>>().toEqualTypeOf<DatabaseInterest>();
  expectTypeOf<Loose<typeof FieldSchema>>().toEqualTypeOf<Field>();
  expectTypeOf<Loose<typeof UnsubscribeBehaviorSchema>>().toEqualTypeOf<UnsubscribeBehavior>();
  expectTypeOf<Loose<typeof CollectionSchema>>().toEqualTypeOf<Collection>();
  expectTypeOf<Loose<typeof ViewSchema>>().toEqualTypeOf<View>();
  expectTypeOf<Loose<typeof RuleSchema>>().toEqualTypeOf<Rule>();
  expectTypeOf<Loose<typeof IdentitySchema>>().toEqualTypeOf<Identity>();
  expectTypeOf<Loose<typeof ImpressionSchema>>().toEqualTypeOf<Impression>();
  expectTypeOf<Loose<typeof MiniviewSchema>>().toEqualTypeOf<Miniview>();
  expectTypeOf<Loose<typeof DataRequestStatusSchema>>().toEqualTypeOf<DataRequestStatus>();
  expectTypeOf<Loose<typeof DataRequestFileSchema>>().toEqualTypeOf<DataRequestFile>();
  expectTypeOf<Loose<typeof DataRequestSchema>>().toEqualTypeOf<DataRequestInfo>();
  expectTypeOf<Loose<typeof ProfileInterestModel>>().toEqualTypeOf<ProfileInterest>();
  expectTypeOf<Loose<typeof EmailingDocumentModel>>().toEqualTypeOf<EmailingDocument>();
}

/** One condition type of a union (expectTypeOf compares unions of objects poorly: compare each variant). */
type Of<U, T extends string> = Extract<U, { type: T }>;
/** The properties of an intersection as one object type (expectTypeOf tells `{a} & {b}` from `{a; b}`). */
type Flat<T> = { [K in keyof T]: T[K] };

export function conditionsEqualTheirSchemas(): void {
  // Read: each of the 15 interfaces equals what the reply shapes parse that type to.
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'Change'>>>().toEqualTypeOf<Of<Condition, 'Change'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'Date'>>>().toEqualTypeOf<Of<Condition, 'Date'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'DoubleField'>>>().toEqualTypeOf<Of<Condition, 'DoubleField'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'Email'>>>().toEqualTypeOf<Of<Condition, 'Email'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'Export'>>>().toEqualTypeOf<Of<Condition, 'Export'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'Fax'>>>().toEqualTypeOf<Of<Condition, 'Fax'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'Field'>>>().toEqualTypeOf<Of<Condition, 'Field'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'Interest'>>>().toEqualTypeOf<Of<Condition, 'Interest'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'LastContact'>>>().toEqualTypeOf<Of<Condition, 'LastContact'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'MiniView'>>>().toEqualTypeOf<Of<Condition, 'MiniView'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'Part'>>>().toEqualTypeOf<Of<Condition, 'Part'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'ReferView'>>>().toEqualTypeOf<Of<Condition, 'ReferView'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'Sms'>>>().toEqualTypeOf<Of<Condition, 'Sms'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'Survey'>>>().toEqualTypeOf<Of<Condition, 'Survey'>>();
  expectTypeOf<Flat<Of<ConditionFromSchemas, 'ToDo'>>>().toEqualTypeOf<Of<Condition, 'ToDo'>>();
  // Written: each of the 15 body interfaces equals what the body shapes accept for that type.
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'Change'>>>().toEqualTypeOf<ConditionInputOf<'Change'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'Date'>>>().toEqualTypeOf<ConditionInputOf<'Date'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'DoubleField'>>>().toEqualTypeOf<ConditionInputOf<'DoubleField'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'Email'>>>().toEqualTypeOf<ConditionInputOf<'Email'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'Export'>>>().toEqualTypeOf<ConditionInputOf<'Export'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'Fax'>>>().toEqualTypeOf<ConditionInputOf<'Fax'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'Field'>>>().toEqualTypeOf<ConditionInputOf<'Field'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'Interest'>>>().toEqualTypeOf<ConditionInputOf<'Interest'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'LastContact'>>>().toEqualTypeOf<ConditionInputOf<'LastContact'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'MiniView'>>>().toEqualTypeOf<ConditionInputOf<'MiniView'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'Part'>>>().toEqualTypeOf<ConditionInputOf<'Part'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'ReferView'>>>().toEqualTypeOf<ConditionInputOf<'ReferView'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'Sms'>>>().toEqualTypeOf<ConditionInputOf<'Sms'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'Survey'>>>().toEqualTypeOf<ConditionInputOf<'Survey'>>();
  expectTypeOf<Flat<Of<ConditionInputFromSchemas, 'ToDo'>>>().toEqualTypeOf<ConditionInputOf<'ToDo'>>();
  // And no type is missing from either union.
  expectTypeOf<Condition['type']>().toEqualTypeOf<ConditionFromSchemas['type']>();
  expectTypeOf<ConditionInput['type']>().toEqualTypeOf<ConditionInputFromSchemas['type']>();
}

/**
 * Input types: every value the interface allows is accepted by the schema's input type (IDs are
 * typed `Id`, narrower than the schema's `string | number`, and checked at run time), and both name
 * the same properties (the schemas are strict: an unknown key is refused).
 */
export function inputsMatchTheirSchemas(): void {
  expectTypeOf<ViewCreateParams>().toExtend<z.input<typeof viewCreateSchema>>();
  expectTypeOf<keyof ViewCreateParams>().toEqualTypeOf<keyof z.input<typeof viewCreateSchema>>();
  expectTypeOf<ViewUpdateParams>().toExtend<z.input<typeof viewUpdateSchema>>();
  expectTypeOf<keyof ViewUpdateParams>().toEqualTypeOf<keyof z.input<typeof viewUpdateSchema>>();
  expectTypeOf<ViewCreateInViewParams>().toExtend<z.input<typeof createInViewSchema>>();
  expectTypeOf<keyof ViewCreateInViewParams>().toEqualTypeOf<keyof z.input<typeof createInViewSchema>>();
  expectTypeOf<MiniviewCreateParams>().toExtend<z.input<typeof miniviewCreateSchema>>();
  expectTypeOf<keyof MiniviewCreateParams>().toEqualTypeOf<keyof z.input<typeof miniviewCreateSchema>>();
  expectTypeOf<MiniviewUpdateParams>().toExtend<z.input<typeof miniviewUpdateSchema>>();
  expectTypeOf<keyof MiniviewUpdateParams>().toEqualTypeOf<keyof z.input<typeof miniviewUpdateSchema>>();
  expectTypeOf<DatabaseCreateParams>().toExtend<z.input<typeof databaseCreateSchema>>();
  expectTypeOf<keyof DatabaseCreateParams>().toEqualTypeOf<keyof z.input<typeof databaseCreateSchema>>();
  expectTypeOf<DatabaseUpdateParams>().toExtend<z.input<typeof databaseUpdateSchema>>();
  expectTypeOf<keyof DatabaseUpdateParams>().toEqualTypeOf<keyof z.input<typeof databaseUpdateSchema>>();
  expectTypeOf<DatabaseInterestCreateParams>().toExtend<z.input<typeof interestCreateSchema>>();
  expectTypeOf<keyof DatabaseInterestCreateParams>().toEqualTypeOf<keyof z.input<typeof interestCreateSchema>>();
  expectTypeOf<CollectionCreateParams>().toExtend<z.input<typeof collectionCreateSchema>>();
  expectTypeOf<keyof CollectionCreateParams>().toEqualTypeOf<keyof z.input<typeof collectionCreateSchema>>();
  expectTypeOf<CollectionUpdateParams>().toExtend<z.input<typeof collectionUpdateSchema>>();
  expectTypeOf<keyof CollectionUpdateParams>().toEqualTypeOf<keyof z.input<typeof collectionUpdateSchema>>();
  expectTypeOf<RuleCreateParams>().toExtend<z.input<typeof ruleCreateSchema>>();
  expectTypeOf<keyof RuleCreateParams>().toEqualTypeOf<keyof z.input<typeof ruleCreateSchema>>();
  expectTypeOf<RuleUpdateParams>().toExtend<z.input<typeof ruleUpdateSchema>>();
  expectTypeOf<keyof RuleUpdateParams>().toEqualTypeOf<keyof z.input<typeof ruleUpdateSchema>>();
  expectTypeOf<MiniruleCreateParams>().toExtend<z.input<typeof miniruleCreateSchema>>();
  expectTypeOf<keyof MiniruleCreateParams>().toEqualTypeOf<keyof z.input<typeof miniruleCreateSchema>>();
  expectTypeOf<MiniruleUpdateParams>().toExtend<z.input<typeof miniruleUpdateSchema>>();
  expectTypeOf<keyof MiniruleUpdateParams>().toEqualTypeOf<keyof z.input<typeof miniruleUpdateSchema>>();
  // Field bodies: the public parameters against the caller's side of the field write schema.
  type FieldParamsInput = z.input<ReturnType<typeof fieldParamsSchema<readonly ['integer', 'text', 'select']>>>;
  expectTypeOf<FieldCreateParams<'integer' | 'text' | 'select'>>().toExtend<FieldParamsInput>();
  expectTypeOf<keyof FieldCreateParams>().toEqualTypeOf<keyof FieldParamsInput>();
}

/** Event records: each of the 9 interfaces equals what the event schema parses that type to. */
export function eventsEqualTheirSchema(): void {
  type E<T extends string> = Extract<EventRecord, { event: T }>;
  // Strict mode reads an unknown event type with a loose object (its properties are unknown): the
  // schema's `other` branch has an index signature there, which the type leaves out on purpose.
  type Known<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
  type S<T extends string> = Known<Extract<EventRecordFromSchema, { event: T }>>;
  expectTypeOf<S<'attempt'>>().toEqualTypeOf<Flat<E<'attempt'>>>();
  expectTypeOf<S<'retry'>>().toEqualTypeOf<Flat<E<'retry'>>>();
  expectTypeOf<S<'delivery'>>().toEqualTypeOf<Flat<E<'delivery'>>>();
  expectTypeOf<S<'failure'>>().toEqualTypeOf<Flat<E<'failure'>>>();
  expectTypeOf<S<'open'>>().toEqualTypeOf<Flat<E<'open'>>>();
  expectTypeOf<S<'click'>>().toEqualTypeOf<Flat<E<'click'>>>();
  expectTypeOf<S<'unsubscribe'>>().toEqualTypeOf<Flat<E<'unsubscribe'>>>();
  expectTypeOf<S<'abuse'>>().toEqualTypeOf<Flat<E<'abuse'>>>();
  expectTypeOf<S<'other'>>().toEqualTypeOf<Flat<E<'other'>>>();
  expectTypeOf<EventRecord['event']>().toEqualTypeOf<EventRecordFromSchema['event']>();
}

/**
 * Profiles and subprofiles: the hand-written converter (src/resources/records.ts) declares what it
 * yields (RecordOf; its values are checked against a zod twin in test/core/parity.test.ts), and the
 * public interfaces equal that declaration.
 */
export function recordsEqualTheirConverter(): void {
  expectTypeOf<Flat<RecordOf<'database', true>>>().toEqualTypeOf<Profile>();
  expectTypeOf<Flat<RecordOf<'profile' | 'collection', false>>>().toEqualTypeOf<Subprofile>();
}
