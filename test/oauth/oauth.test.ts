import { inspect } from 'node:util';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica, CopernicaOAuth, MemoryStateStore, OAuthError, ValidationError, isOAuthError } from '../../src/index.js';
import * as sub from '../../src/oauth/index.js';
import { expectNoSecrets, rejection } from '../helpers/secrets.js';
import { seen } from '../helpers/nock.js';

const SECRET = 'sec_9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f';
const CODE = 'code_a1b2c3d4e5f6a7b8c9d0';
const TOKEN = 'tok_from_exchange_0a9b8c7d6e5f4a3b';
const opts = { clientId: 'app-key-123', clientSecret: SECRET, redirectUri: 'https://app.example/callback' };

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('createAuthorizationUrl', () => {
  it('builds the authorize URL on www.copernica.com with a strong state', () => {
    const oauth = new CopernicaOAuth(opts);
    const { url, state } = oauth.createAuthorizationUrl();
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe('https://www.copernica.com/en/authorize');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      client_id: 'app-key-123',
      redirect_uri: 'https://app.example/callback',
      state,
      response_type: 'code',
    });
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(state, 'base64url')).toHaveLength(32);
    expect(oauth.createAuthorizationUrl().state).not.toBe(state);
  });

  it('uses the language and hosts given', () => {
    const oauth = new CopernicaOAuth({ ...opts, language: 'nl', authorizeBaseUrl: 'http://127.0.0.1:1234/' });
    expect(oauth.createAuthorizationUrl().url).toMatch(/^http:\/\/127\.0\.0\.1:1234\/nl\/authorize\?/);
  });

  it('refuses a caller state shorter than 32 characters, accepts a long one', () => {
    const oauth = new CopernicaOAuth(opts);
    expect(() => oauth.createAuthorizationUrl({ state: 'short' })).toThrow(ValidationError);
    expect(() => oauth.createAuthorizationUrl({ state: 'x'.repeat(31) })).toThrow(/at least 32/);
    expect(oauth.createAuthorizationUrl({ state: 'y'.repeat(32) }).state).toBe('y'.repeat(32));
  });

  it('validates options and never shows the secret', () => {
    expect(() => new CopernicaOAuth({ ...opts, redirectUri: 'not a url' })).toThrow(/redirectUri/);
    expect(() => new CopernicaOAuth({ ...opts, language: 'de' as never })).toThrow(/language/);
    expect(() => new CopernicaOAuth({ ...opts, extra: 1 } as never)).toThrow(/unknown option extra/);
    const oauth = new CopernicaOAuth(opts);
    expect(inspect(oauth, { showHidden: true, depth: 5 })).not.toContain(SECRET);
    expect(JSON.stringify(oauth)).not.toContain(SECRET);
    // The constructor must refuse the secret with white space, and say so without the secret.
    let refused: unknown;
    try {
      new CopernicaOAuth({ ...opts, clientSecret: `${SECRET} x` });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as Error).message).toMatch(/clientSecret/);
    expectNoSecrets(refused, [SECRET]);
  });
});

describe('validateCallback', () => {
  const oauth = new CopernicaOAuth(opts);
  const { state } = oauth.createAuthorizationUrl();

  it('returns the code for a matching state, from a URL, a query string, URLSearchParams or an object', () => {
    const q = `state=${encodeURIComponent(state)}&code=${CODE}`;
    expect(oauth.validateCallback(`https://app.example/callback?${q}`, state)).toEqual({ code: CODE });
    expect(oauth.validateCallback(`/callback?${q}`, state)).toEqual({ code: CODE });
    expect(oauth.validateCallback(q, state)).toEqual({ code: CODE });
    expect(oauth.validateCallback(new URLSearchParams(q), state)).toEqual({ code: CODE });
    expect(oauth.validateCallback(new URL(`https://app.example/cb?${q}`), state)).toEqual({ code: CODE });
    expect(oauth.validateCallback({ state, code: CODE }, state)).toEqual({ code: CODE });
  });

  const refusals: [string, unknown, string][] = [
    ['an error parameter', { error: 'access_denied', state }, 'access_denied'],
    ['a missing state', { code: CODE }, 'invalid_request'],
    ['a missing code (weak state)', { state }, 'invalid_request'],
    ['a duplicated code', { state, code: [CODE, 'other'] }, 'invalid_request'],
    ['a duplicated state', `state=${state}&state=${state}&code=${CODE}`, 'invalid_request'],
    ['a different state', { state: 'Z'.repeat(43), code: CODE }, 'state_mismatch'],
    ['a state of another length', { state: `${state}x`, code: CODE }, 'state_mismatch'],
  ];
  for (const [what, input, oauthError] of refusals) {
    it(`refuses ${what}`, () => {
      let caught: unknown;
      try {
        oauth.validateCallback(input as never, state);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(OAuthError);
      expect(isOAuthError(caught)).toBe(true);
      expect(caught).toMatchObject({ oauthError, code: 'oauth_error' });
      expectNoSecrets(caught, [CODE, SECRET]);
    });
  }

  it('describes an access_denied callback clearly', () => {
    expect(() => oauth.validateCallback({ error: 'access_denied', state }, state)).toThrow(
      'Copernica did not authorize the application: access_denied',
    );
  });
});

describe('exchangeCode', () => {
  it('calls GET /v1/token with named parameters and no access_token', async () => {
    let path = '';
    const scope = nock('https://api.copernica.com')
      .get('/v1/token')
      .query({ client_id: 'app-key-123', client_secret: SECRET, redirect_uri: 'https://app.example/callback', code: CODE })
      .reply(function (this: unknown, uri: unknown) {
        path = seen(uri, this).path;
        return [200, { access_token: TOKEN }];
      });
    const result = await new CopernicaOAuth(opts).exchangeCode(CODE);
    expect(scope.isDone()).toBe(true);
    expect(path).not.toContain('access_token');
    expect(result.accessToken).toBe(TOKEN);
    const { accessToken } = result;
    expect(accessToken).toBe(TOKEN);
    expect(inspect(result)).not.toContain(TOKEN);
  });

  describe('the result copies like plain data and logs redacted (issue 14: copies lost the token)', () => {
    const exchanged = async () => {
      nock('https://api.copernica.com').get('/v1/token').query(true).reply(200, { access_token: TOKEN });
      return new CopernicaOAuth(opts).exchangeCode(CODE);
    };

    it('a spread, Object.assign, structuredClone and a JSON round trip keep the token', async () => {
      const result = await exchanged();
      expect({ ...result }.accessToken).toBe(TOKEN);
      expect(Object.assign({}, result).accessToken).toBe(TOKEN);
      expect(structuredClone(result)).toEqual({ accessToken: TOKEN });
      expect(JSON.parse(JSON.stringify(result))).toEqual({ accessToken: TOKEN });
      expect(Object.keys(result)).toEqual(['accessToken']);
      expect(Object.entries(result)).toEqual([['accessToken', TOKEN]]);
    });

    it('an app that stores it in a JSON session gets a token that works, not "***"', async () => {
      const session = JSON.stringify({ user: 7, copernica: await exchanged() });
      const stored = (JSON.parse(session) as { copernica: { accessToken: string } }).copernica.accessToken;
      expect(stored).toBe(TOKEN);
      nock('https://api.copernica.com')
        .get('/v1/identity')
        .query({ access_token: TOKEN })
        .reply(200, { ID: '1', name: 'Acme', description: '', company: 'Acme' });
      const me = await new Copernica({ accessToken: stored, maxRetries: 0 }).identity.get();
      expect(me.name).toBe('Acme');
    });

    it('util.inspect and console.log show no token: of the result, its spreads and assigns, and nested', async () => {
      const result = await exchanged();
      for (const shown of [result, { ...result }, Object.assign({}, result), { session: { copernica: result } }, [result]]) {
        const text = inspect(shown, { depth: 10 });
        expect(text).not.toContain(TOKEN);
        expect(text).toContain("accessToken: '***'");
      }
      expect(inspect(result, { showHidden: true })).not.toContain(TOKEN);
      expect(String(result)).not.toContain(TOKEN);
    });

    it('is frozen: the token of a result cannot be swapped', async () => {
      const result = await exchanged();
      expect(Object.isFrozen(result)).toBe(true);
      expect(() => {
        (result as { accessToken: string }).accessToken = 'other';
      }).toThrow(TypeError);
    });
  });

  it('raises an OAuthError without the secret or code when Copernica refuses', async () => {
    nock('https://api.copernica.com')
      .get('/v1/token')
      .query(true)
      .reply(400, { error: { message: `Invalid code ${CODE} for client_secret=${SECRET}` } });
    const error = await rejection(() => new CopernicaOAuth(opts).exchangeCode(CODE), [SECRET, CODE]);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ oauthError: 'invalid_grant' });
    expect(error.message).toMatch(/^Copernica refused the code exchange: Invalid code \*\*\* for client_secret=\*\*\*/);
  });

  it('refuses a reply without access_token', async () => {
    nock('https://api.copernica.com').get('/v1/token').query(true).reply(200, { token: 'x' });
    const error = await rejection(() => new CopernicaOAuth(opts).exchangeCode(CODE), [SECRET, CODE]);
    expect(error).toMatchObject({ oauthError: 'invalid_response' });
  });

  it('is never retried (a code is single use)', async () => {
    const scope = nock('https://api.copernica.com').get('/v1/token').query(true).reply(503, '<html>busy</html>');
    const error = await rejection(() => new CopernicaOAuth(opts).exchangeCode(CODE), [SECRET, CODE]);
    expect(error).toBeInstanceOf(OAuthError);
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('refuses an empty code before sending', async () => {
    await expect(new CopernicaOAuth(opts).exchangeCode('')).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('MemoryStateStore', () => {
  it('is single use and expires', async () => {
    const store = new MemoryStateStore();
    store.save('a'.repeat(43), 60_000);
    store.save('b'.repeat(43), 1);
    await new Promise((r) => setTimeout(r, 5));
    expect(store.consume('a'.repeat(43))).toBe(true);
    expect(store.consume('a'.repeat(43))).toBe(false);
    expect(store.consume('b'.repeat(43))).toBe(false);
    expect(store.consume('never')).toBe(false);
  });

  it('is bounded', () => {
    const store = new MemoryStateStore({ maxEntries: 2 });
    store.save('1', 1000);
    store.save('2', 1000);
    store.save('3', 1000);
    expect(store.size).toBe(2);
    expect(store.consume('1')).toBe(false);
  });
});

describe('subpath entry', () => {
  it('copernica-rest/oauth exports the same helper', () => {
    expect(sub.CopernicaOAuth).toBe(CopernicaOAuth);
    expect(sub.generateState()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
