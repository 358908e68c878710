/**
 * APIError.generate: the one function that turns a non-success reply into an error class (beside
 * the classes, core/errors.ts). The transport's wire tests cover it through real replies; these
 * cover the function a user may call directly, over every branch and over generated replies.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AlreadyRemovedError,
  APIError,
  InvalidTokenError,
  NotFoundError,
  RateLimitError,
  ServerError,
  isAPIError,
} from '../../src/core/errors.js';

const request = 'GET https://api.copernica.com/v1/database/1?access_token=***';
const make = (status: number, body: unknown, headers: Record<string, string> = {}) => APIError.generate({ status, headers, body, request });

describe('APIError.generate', () => {
  it('picks the class by status and server message', () => {
    expect(make(400, { error: { message: 'Invalid access token' } })).toBeInstanceOf(InvalidTokenError);
    expect(make(400, { error: 'This profile has already been removed' })).toBeInstanceOf(AlreadyRemovedError);
    expect(make(400, { message: 'No database with supplied ID' })).toBeInstanceOf(NotFoundError);
    expect(make(404, '')).toBeInstanceOf(NotFoundError);
    expect(make(429, '', { 'retry-after': '3' })).toBeInstanceOf(RateLimitError);
    expect(make(429, '', { 'retry-after': '3' }).message).toBe('429: too many requests (retry after 3 s)');
    expect(make(503, '<html>bad gateway</html>').message).toBe(
      '503: Copernica answered with an HTML page (a load balancer or proxy, not the API)',
    );
    expect(make(500, { error: { message: 'boom' } })).toBeInstanceOf(ServerError);
    expect(make(500, { error: { message: 'boom' } }).message).toBe('500: boom');
    expect(make(302, '', { location: 'https://elsewhere.example/' }).message).toBe(
      '302: the API answered with a redirect to https://elsewhere.example/, which the SDK does not follow',
    );
    const plain = make(400, { error: { message: 'Invalid field' } });
    expect(plain.constructor).toBe(APIError);
    expect(plain).toMatchObject({ status: 400, serverMessage: 'Invalid field', request, message: '400: Invalid field' });
  });

  it('always gives an APIError whose message holds no part of a body that carries no server message (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 599 }),
        fc.oneof(fc.string({ minLength: 12 }), fc.dictionary(fc.string(), fc.string({ minLength: 12 }))),
        (status, body) => {
          const e = make(status, body);
          expect(isAPIError(e)).toBe(true);
          expect(e.status).toBe(status);
          expect(e.body).toBe(body);
          // A body without `error`/`message` is not echoed into the message (it may hold anything).
          const hasMessage = typeof body === 'object' && ('error' in body || 'message' in body);
          if (!hasMessage && typeof body === 'string') expect(e.message.includes(body)).toBe(false);
          if (!hasMessage && typeof body === 'object') for (const v of Object.values(body)) expect(e.message.includes(v)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
