/**
 * copernica-rest: the typed SDK for the Copernica Marketing Software REST API v1.
 *
 * @packageDocumentation
 */
export { Copernica } from './client.js';
export type { RawRequest, RawResponse } from './client.js';
export type { HttpMethod } from './core/transport.js';
export type { QueryInput, QueryValue, QueryScalar } from './core/query.js';
export type { ClientOptions, RequestOptions, Logger, AppInfo } from './core/config.js';
export type { Page, ListPage, PageParams } from './core/pagination.js';
export { where, isFilter } from './core/filter.js';
export type { Filter, FilterInput, FilterOperator, FilterValue, RawFilter } from './core/filter.js';
export type { Id, IdOrName } from './core/path.js';
export { PageRequest } from './core/pagination.js';
export type { CreateResult, DeleteResult, WriteResult } from './core/results.js';
export type { Identity } from './resources/identity.js';
// Resource types: entities, parameters, and the namespace classes (types only; the client makes them).
export type { IdentityResource } from './resources/identity.js';
export type {
  Databases,
  DatabaseFields,
  DatabaseInterests,
  DatabaseUnsubscribe,
  Database,
  DatabaseInterest,
  DatabaseCreateParams,
  DatabaseUpdateParams,
  DatabaseInterestCreateParams,
  Field,
  DatabaseField,
  CollectionField,
  FieldType,
  DatabaseFieldType,
  CollectionFieldType,
  FieldCreateParams,
  FieldUpdateParams,
  DatabaseFieldCreateParams,
  DatabaseFieldUpdateParams,
  CollectionFieldCreateParams,
  CollectionFieldUpdateParams,
  UnsubscribeAction,
  UnsubscribeBehavior,
  UnsubscribeBehaviorUpdate,
} from './resources/databases.js';
export type {
  Collections,
  CollectionFields,
  CollectionUnsubscribe,
  Collection,
  CollectionCreateParams,
  CollectionUpdateParams,
} from './resources/collections.js';
export type {
  Profiles,
  ProfileFields,
  ProfileInterests,
  Profile,
  ProfileInterest,
  ProfileInterestsInput,
  ProfileListParams,
  ProfileValidateParams,
  ProfileCreateParams,
  ProfileUpdateParams,
  ProfileUpdateManyParams,
  ProfileUpsertParams,
  ProfileUpsertResult,
  ProfileUpdateManyResult,
} from './resources/profiles.js';
export type { IterationMode } from './core/keyset.js';
export type {
  Subprofiles,
  SubprofileFields,
  Subprofile,
  SubprofileListParams,
  SubprofileListInMiniviewParams,
} from './resources/subprofiles.js';
export type { RecordFieldValues, RecordFieldInput, FieldMap, RecordFilterField, RecordListParams } from './resources/records.js';
export type { Views, View, ViewCreateParams, ViewUpdateParams, ViewCreateInViewParams } from './resources/views.js';
export type {
  Rules,
  RuleConditions,
  Rule,
  RuleCreateParams,
  RuleUpdateParams,
  Condition,
  ConditionInput,
  ConditionInputOf,
  ConditionType,
  ConditionBase,
  ConditionInputBase,
  ConditionTimeWindow,
  ConditionTimeWindowInput,
  MailingConditionProperties,
  MailingConditionPropertiesInput,
  ContactConditionProperties,
  ContactConditionPropertiesInput,
  ChangeConditionInput,
  DateConditionInput,
  DoubleFieldConditionInput,
  EmailConditionInput,
  ExportConditionInput,
  FaxConditionInput,
  FieldConditionInput,
  InterestConditionInput,
  LastContactConditionInput,
  MiniViewConditionInput,
  PartConditionInput,
  ReferViewConditionInput,
  SmsConditionInput,
  SurveyConditionInput,
  ToDoConditionInput,
  ChangeCondition,
  DateCondition,
  DoubleFieldCondition,
  EmailCondition,
  ExportCondition,
  FaxCondition,
  FieldCondition,
  InterestCondition,
  LastContactCondition,
  MiniViewCondition,
  PartCondition,
  ReferViewCondition,
  SmsCondition,
  SurveyCondition,
  ToDoCondition,
  FieldConditionComparison,
  ChangeConditionChangeType,
  MailingConditionMatchMode,
  InterestConditionMatchMode,
  EmailConditionResult,
  DoubleFieldConditionMatchMode,
  SurveyConditionSubmitter,
} from './resources/rules.js';
export type { Miniviews, Miniview, MiniviewCreateParams, MiniviewUpdateParams } from './resources/miniviews.js';
export type {
  Minirules,
  MiniruleConditions,
  Minirule,
  MiniruleCreateParams,
  MiniruleUpdateParams,
  MiniruleGetInMiniviewParams,
  MinirulePathForm,
} from './resources/minirules.js';
export type {
  Campaigns,
  EmailingDocuments,
  Messages,
  Publisher,
  PublisherMessages,
  EmailingDocument,
  MessageInfo,
  MessageBodyFormat,
} from './resources/campaigns.js';
export type {
  Events,
  EventStream,
  EventRecord,
  EventRecordBase,
  KnownEventType,
  EventDate,
  EventWindowParams,
  EventFilterParams,
  EventRequestWindow,
  AttemptEventRecord,
  RetryEventRecord,
  DeliveryEventRecord,
  FailureEventRecord,
  OpenEventRecord,
  ClickEventRecord,
  UnsubscribeEventRecord,
  AbuseEventRecord,
  OtherEventRecord,
} from './resources/events.js';
export type {
  Logfiles,
  LogfileRecordStream,
  LogfileDownloadFormat,
  LogfileRecordFormat,
  LogfileDownloadParams,
  LogfileRecordParams,
  LogfileRow,
  LogfileRowOf,
  LogfileTypeName,
  LogfileColumns,
  NumericLogfileColumn,
  UntypedLogfileRow,
} from './resources/logfiles.js';
export { isLogfileName } from './resources/logfile-types.js';
export type { Impressions, Impression, ImpressionListParams } from './resources/impressions.js';
export type {
  DataRequests,
  DataRequestId,
  DataRequestTarget,
  DataRequestStatus,
  DataRequestFile,
  DataRequestInfo,
  DataRequestExportInfo,
  WaitUntilReadyOptions,
} from './resources/datarequests.js';
export { MemoryCheckpoint, FileCheckpoint } from './resources/sync.js';
export type {
  SyncRun,
  SyncRecord,
  SyncParams,
  SyncSubprofileParams,
  SubprofileFieldMaps,
  SyncOutcome,
  SyncOutcomeBase,
  SyncCounts,
  SyncSubprofileOutcome,
  SyncChange,
  SyncSummary,
  SyncProgress,
  SyncCheckpoint,
  SyncCheckpointState,
} from './resources/sync.js';
export type { ProfileChanges, ProfileChangesParams } from './resources/changes.js';
export * from './core/errors.js';
export { degradedProperties } from './core/schema.js';
export { CopernicaOAuth, MemoryStateStore } from './oauth/oauth.js';
export type { OAuthOptions, AuthorizationUrl, StateStore, TokenResult, CallbackInput } from './oauth/oauth.js';
export { VERSION } from './version.js';
