/**
 * `copernica-rest/oauth`: the OAuth 2.0 helper on its own (also exported from the package root).
 */
export { CopernicaOAuth, MemoryStateStore, generateState } from './oauth.js';
export type { OAuthOptions, AuthorizationUrl, TokenResult, StateStore, CallbackInput } from './oauth.js';
export { OAuthError, ValidationError, isOAuthError, isValidationError } from '../core/errors.js';
