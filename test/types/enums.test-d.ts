/**
 * The public value unions are spelled out (so the API reference shows their values), and the
 * run-time lists the SDK validates with are kept beside them. This proves each pair lists the same
 * values: a value added to one and not the other fails `npm run typecheck`.
 */
import { expectTypeOf } from 'vitest';
import type {
  ChangeConditionChangeType,
  CollectionFieldType,
  ConditionType,
  DatabaseFieldType,
  DoubleFieldConditionMatchMode,
  EmailConditionResult,
  FieldConditionComparison,
  FieldType,
  InterestConditionMatchMode,
  LogfileColumns,
  LogfileTypeName,
  MailingConditionMatchMode,
  SurveyConditionSubmitter,
} from 'copernica-rest';
import type {
  CHANGE_TYPES,
  CONDITION_TYPES,
  DOUBLE_FIELD_MODES,
  EMAIL_RESULTS,
  FIELD_COMPARISONS,
  INTEREST_MODES,
  MAILING_MODES,
  SUBMITTERS,
} from '../../src/resources/conditions.js';
import type { COLLECTION_FIELD_TYPES, DATABASE_FIELD_TYPES, FIELD_TYPES } from '../../src/resources/fields.js';
import type { LOGFILE_COLUMN_ORDER } from '../../src/resources/logfile-types.js';

type Values<T extends readonly unknown[]> = T[number];

export function unionsEqualTheirLists(): void {
  expectTypeOf<Values<typeof CONDITION_TYPES>>().toEqualTypeOf<ConditionType>();
  expectTypeOf<Values<typeof CHANGE_TYPES>>().toEqualTypeOf<ChangeConditionChangeType>();
  expectTypeOf<Values<typeof DOUBLE_FIELD_MODES>>().toEqualTypeOf<DoubleFieldConditionMatchMode>();
  expectTypeOf<Values<typeof EMAIL_RESULTS>>().toEqualTypeOf<EmailConditionResult>();
  expectTypeOf<Values<typeof FIELD_COMPARISONS>>().toEqualTypeOf<FieldConditionComparison>();
  expectTypeOf<Values<typeof INTEREST_MODES>>().toEqualTypeOf<InterestConditionMatchMode>();
  expectTypeOf<Values<typeof MAILING_MODES>>().toEqualTypeOf<MailingConditionMatchMode>();
  expectTypeOf<Values<typeof SUBMITTERS>>().toEqualTypeOf<SurveyConditionSubmitter>();
  expectTypeOf<Values<typeof FIELD_TYPES>>().toEqualTypeOf<FieldType>();
  expectTypeOf<Values<typeof DATABASE_FIELD_TYPES>>().toEqualTypeOf<DatabaseFieldType>();
  expectTypeOf<Values<typeof COLLECTION_FIELD_TYPES>>().toEqualTypeOf<CollectionFieldType>();
  expectTypeOf<keyof typeof LOGFILE_COLUMN_ORDER>().toEqualTypeOf<LogfileTypeName>();
  expectTypeOf<{ [T in LogfileTypeName]: (typeof LOGFILE_COLUMN_ORDER)[T][number] }>().toEqualTypeOf<{
    [T in LogfileTypeName]: LogfileColumns[T];
  }>();
}
