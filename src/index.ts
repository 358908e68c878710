/**
 * copernica-rest: the typed SDK for the Copernica Marketing Software REST API v1.
 *
 * @packageDocumentation
 */
export { Copernica } from './client.js';
export type { RawRequest, RawResponse } from './client.js';
export type { ClientOptions, RequestOptions, Logger, AppInfo } from './core/config.js';
export type { Page, PageParams } from './core/pagination.js';
export { where, isFilter } from './core/filter.js';
export type { Filter, FilterInput, FilterOperator, FilterValue } from './core/filter.js';
export type { Id, IdOrName } from './core/path.js';
export { PageRequest } from './core/pagination.js';
export type { WriteResult } from './core/transport.js';
export type { DeleteResult } from './core/resource.js';
export type { Identity } from './resources/identity.js';
export type * from './resources/databases.js';
export type * from './resources/collections.js';
export type * from './resources/profiles.js';
export type * from './resources/subprofiles.js';
export type * from './resources/views.js';
export type * from './resources/rules.js';
export type * from './resources/miniviews.js';
export type * from './resources/minirules.js';
export type * from './resources/campaigns.js';
export type * from './resources/events.js';
export type * from './resources/logfiles.js';
export type * from './resources/impressions.js';
export type * from './resources/datarequests.js';
export * from './core/errors.js';
export { CopernicaOAuth, MemoryStateStore } from './oauth/oauth.js';
export type { OAuthOptions, AuthorizationUrl, StateStore, TokenResult } from './oauth/oauth.js';
export { VERSION } from './version.js';
