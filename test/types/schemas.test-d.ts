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
  DataRequestFile,
  DataRequestInfo,
  DataRequestStatus,
  Database,
  DatabaseInterest,
  Field,
  Identity,
  Impression,
  Miniview,
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
import type { CollectionSchema } from '../../src/resources/collections.js';
import type { RuleSchema } from '../../src/resources/conditions.js';
import type { DatabaseInterestSchema, DatabaseSchema } from '../../src/resources/databases.js';
import type { DataRequestFileSchema, DataRequestSchema, DataRequestStatusSchema } from '../../src/resources/datarequests.js';
import type { FieldSchema, UnsubscribeBehaviorSchema } from '../../src/resources/fields.js';
import type { IdentitySchema } from '../../src/resources/identity.js';
import type { ImpressionSchema } from '../../src/resources/impressions.js';
import type { MiniviewSchema } from '../../src/resources/miniviews.js';
import type { ViewSchema } from '../../src/resources/views.js';

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
}
