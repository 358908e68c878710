/**
 * The wire format of the request core, with nock: URL, query, token placement, bodies, headers,
 * status handling, write results, error mapping and redaction.
 */
import { inspect } from 'node:util';
import { Readable } from 'node:stream';
import nock from 'nock';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import {
  AlreadyRemovedError,
  APIError,
  Copernica,
  InvalidTokenError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
  VERSION,
  isAPIError,
  isInvalidTokenError,
  isNotFoundError,
  isValidationError,
} from '../../src/index.js';
import { expectNoSecrets, rejection } from '../helpers/secrets.js';
import { seen } from '../helpers/nock.js';

const TOKEN = 'tok_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c';
const API = 'https://api.copernica.com';

const client = () => new Copernica({ accessToken: TOKEN, maxRetries: 0 });

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

describe('requests', () => {
  it('GET /identity sends the token in the query, last, and parses the reply', async () => {
    let seenPath = '';
    let ua = '';
    const scope = nock(API)
      .get('/v1/identity')
      .query({ access_token: TOKEN })
      .reply(function (this: unknown, uri: unknown) {
        const s = seen(uri, this);
        seenPath = s.path;
        ua = String(s.header('user-agent'));
        return [200, { ID: '18381', name: 'acme', description: 'Main', company: 'Acme Ltd' }];
      });
    const me = await client().identity.get();
    expect(me).toEqual({ ID: 18381, name: 'acme', description: 'Main', company: 'Acme Ltd' });
    expect(scope.isDone()).toBe(true);
    expect(seenPath).toBe(`/v1/identity?access_token=${TOKEN}`);
    expect(ua).toBe(`copernica-rest/${VERSION} node/${process.versions.node}`);
  });

  it('reads small and large JSON bodies alike, with or without a length, a leading BOM dropped', async () => {
    // Bodies up to 16 kB are read with undici's body.text(), larger or unsized ones by iteration.
    const big = { ID: '7', name: 'x'.repeat(40_000), description: 'é ✓', company: '' };
    nock(API)
      .get('/v1/identity')
      .query(true)
      .reply(200, '\ufeff' + JSON.stringify(big), { 'Content-Type': 'application/json' });
    expect(await client().identity.get()).toEqual({ ...big, ID: 7 });
    const small = { ID: '8', name: 'ü', description: '', company: '' };
    nock(API)
      .get('/v1/identity')
      .query(true)
      .reply(200, '\ufeff' + JSON.stringify(small), { 'Content-Type': 'application/json' });
    expect(await client().identity.get()).toEqual({ ...small, ID: 8 });
    nock(API)
      .get('/v1/identity')
      .query(true)
      .reply(200, () =>
        Readable.from([Buffer.from('{"ID":"9","name":"'), Buffer.from('a'.repeat(20_000) + '","description":"","company":""}')]),
      );
    expect((await client().identity.get()).ID).toBe(9);
  });

  it('keeps unknown reply properties by default and rejects them in strict mode', async () => {
    nock(API).get('/v1/identity').query(true).twice().reply(200, { ID: '1', name: 'a', description: '', company: '', extra: 'new' });
    const me = await client().identity.get();
    expect(({ ...me } as Record<string, unknown>).extra).toBe('new');
    await expect(client().withOptions({ strict: true }).identity.get()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('encodes arrays as repeated key[] entries and booleans as true/false, token last', async () => {
    let seenUrl = '';
    nock(API)
      .get('/v1/database/1/profiles')
      .query(true)
      .reply(function (this: unknown, uri: unknown) {
        seenUrl = seen(uri, this).path;
        return [200, { start: 0, limit: 100, count: 0, data: [] }];
      });
    const res = await client().request({
      method: 'GET',
      path: '/database/1/profiles',
      query: { fields: ['country==nl', 'age>16'], total: false, limit: 10 },
    });
    expect(res.status).toBe(200);
    expect(seenUrl).toBe(
      `/v1/database/1/profiles?fields%5B%5D=country%3D%3Dnl&fields%5B%5D=age%3E16&total=false&limit=10&access_token=${TOKEN}`,
    );
  });

  it('sends JSON bodies with content-type and returns the created ID from X-Created', async () => {
    let body: unknown;
    let type = '';
    nock(API)
      .post('/v1/database/1/profiles', (b) => ((body = b), true))
      .query({ access_token: TOKEN })
      .reply(function (this: unknown, uri: unknown) {
        type = String(seen(uri, this).header('content-type'));
        return [201, '', { 'X-Created': '4567', 'X-location': 'https://api.copernica.com/v1/profile/4567' }];
      });
    const res = await client().request({ method: 'POST', path: '/database/1/profiles', body: { fields: { email: 'a@b.nl' } } });
    expect(body).toEqual({ fields: { email: 'a@b.nl' } });
    expect(type).toBe('application/json');
    expect(res).toMatchObject({ status: 201, id: 4567, location: 'https://api.copernica.com/v1/profile/4567' });
  });

  it('falls back to the X-location tail when X-Created is missing', async () => {
    nock(API).post('/v1/databases').query(true).reply(201, '', { 'X-location': 'https://api.copernica.com/v1/database/77' });
    const res = await client().request({ method: 'POST', path: '/databases', body: { name: 'x' } });
    expect(res.id).toBe(77);
  });

  it('treats 303 after PUT as success, does not follow it, and redacts the token in Location', async () => {
    const scope = nock(API)
      .put('/v1/profile/12/fields')
      .query(true)
      .reply(303, '', { Location: `https://api.copernica.com/v1/profile/12/fields?access_token=${TOKEN}` });
    const res = await client().request({ method: 'PUT', path: '/profile/12/fields', body: { a: '1' } });
    expect(scope.isDone()).toBe(true);
    expect(res.status).toBe(303);
    expect(res.location).toBe('https://api.copernica.com/v1/profile/12/fields?access_token=***');
    expect(JSON.stringify(res)).not.toContain(TOKEN);
    // headers are redacted when read, and show up in JSON, spreads and inspect like a plain property
    expect(res.headers.location).toBe('https://api.copernica.com/v1/profile/12/fields?access_token=***');
    expect(JSON.parse(JSON.stringify(res)).headers.location).toBe(res.headers.location);
    expect({ ...res }.headers).toEqual(res.headers);
    expect(inspect(res)).not.toContain(TOKEN);
  });

  it('reports DELETE 200 with X-deleted and 204 as nothing to delete', async () => {
    nock(API).delete('/v1/profile/5').query(true).reply(200, '', { 'X-deleted': 'profile 5' });
    nock(API).delete('/v1/profile/6').query(true).reply(204);
    const a = await client().request({ method: 'DELETE', path: '/profile/5', responseType: 'none' });
    const b = await client().request({ method: 'DELETE', path: '/profile/6', responseType: 'none' });
    expect(a.status).toBe(200);
    expect(a.headers['x-deleted']).toBe('profile 5');
    expect(b.status).toBe(204);
  });

  it('adds appInfo to the user agent', async () => {
    let ua = '';
    nock(API)
      .get('/v1/identity')
      .query(true)
      .reply(function (this: unknown, uri: unknown) {
        ua = String(seen(uri, this).header('user-agent'));
        return [200, { ID: '1', name: 'a', description: '', company: '' }];
      });
    await new Copernica({
      accessToken: TOKEN,
      appInfo: { name: 'acme-sync', version: '2.1.0', url: 'https://acme.example' },
    }).identity.get();
    expect(ua).toBe(`copernica-rest/${VERSION} node/${process.versions.node} acme-sync/2.1.0 (https://acme.example)`);
  });

  it('targets a configured base URL', async () => {
    nock('http://127.0.0.1:9999').get('/v1/identity').query(true).reply(200, { ID: 1, name: 'a', description: '', company: '' });
    const c = new Copernica({ accessToken: TOKEN, baseUrl: 'http://127.0.0.1:9999/v1/' });
    expect(c.baseUrl).toBe('http://127.0.0.1:9999/v1');
    await expect(c.identity.get()).resolves.toMatchObject({ ID: 1 });
  });
});

describe('errors', () => {
  const cases: [string, number, unknown, new (...a: never[]) => Error, string][] = [
    ['Invalid access token', 400, { error: { message: 'Invalid access token' } }, InvalidTokenError, 'invalid_token'],
    ['No database with supplied ID', 400, { error: { message: 'No database with supplied ID' } }, NotFoundError, 'not_found'],
    ['No entity with supplied ID', 400, { error: { message: 'No entity with supplied ID' } }, NotFoundError, 'not_found'],
    ['already removed', 400, { error: { message: 'This profile has already been removed' } }, AlreadyRemovedError, 'already_removed'],
    ['404', 404, { error: { message: 'Data not available' } }, NotFoundError, 'not_found'],
    ['other 400', 400, { error: { message: 'Invalid data provided' } }, APIError, 'api_error'],
    ['429', 429, 'slow down', RateLimitError, 'rate_limited'],
    ['502 HTML', 502, '<html><body>Bad gateway</body></html>', ServerError, 'server_error'],
  ];
  for (const [name, status, body, cls, code] of cases) {
    it(`maps ${name} to ${cls.name}`, async () => {
      nock(API)
        .get('/v1/identity')
        .query(true)
        .reply(status, typeof body === 'string' ? body : JSON.stringify(body), {
          'content-type': typeof body === 'string' ? 'text/html' : 'application/json',
          'retry-after': '1',
        });
      const error = await rejection(() => client().identity.get(), [TOKEN]);
      expect(error).toBeInstanceOf(cls);
      expect(error).toMatchObject({ code, status });
      expect(isAPIError(error)).toBe(true);
      expect((error as APIError).request).toBe('GET https://api.copernica.com/v1/identity?access_token=***');
    });
  }

  it('keeps the server message and the parsed body', async () => {
    nock(API)
      .get('/v1/identity')
      .query(true)
      .reply(400, { error: { message: 'Invalid access token' } });
    const error = (await rejection(() => client().identity.get(), [TOKEN])) as InvalidTokenError;
    expect(isInvalidTokenError(error)).toBe(true);
    expect(error.serverMessage).toBe('Invalid access token');
    expect(error.message).toBe('400: Invalid access token');
    expect(error.body).toEqual({ error: { message: 'Invalid access token' } });
    expect(error.name).toBe('InvalidTokenError');
  });

  it('says an HTML 503 came from a load balancer and keeps the page as text', async () => {
    nock(API).get('/v1/identity').query(true).reply(503, '<html><h1>Too many requests</h1></html>', { 'content-type': 'text/html' });
    const error = (await rejection(() => client().identity.get(), [TOKEN])) as ServerError;
    expect(error.message).toBe('503: Copernica answered with an HTML page (a load balancer or proxy, not the API)');
    expect(error.body).toContain('Too many requests');
  });

  it('redacts the token from an error body that echoes the request', async () => {
    nock(API)
      .get('/v1/identity')
      .query(true)
      .reply(400, { error: { message: `Bad request /v1/identity?access_token=${TOKEN}` } });
    const error = await rejection(() => client().identity.get(), [TOKEN]);
    expect(inspect(error)).toContain('access_token=***');
  });

  it('treats a redirect other than 303 as an error and does not follow it', async () => {
    const scope = nock(API)
      .get('/v1/identity')
      .query(true)
      .reply(301, '', { Location: `https://elsewhere.example/v1/identity?access_token=${TOKEN}` });
    const error = await rejection(() => client().identity.get(), [TOKEN]);
    expect(scope.isDone()).toBe(true);
    expect(error.message).toContain('redirect to https://elsewhere.example/v1/identity?access_token=***');
  });
});

describe('bad input never reaches the wire', () => {
  it('refuses unknown and invalid client options', () => {
    expect(() => new Copernica({ accessToken: TOKEN, timout: 5 } as never)).toThrow(ValidationError);
    expect(() => new Copernica({ accessToken: TOKEN, timout: 5 } as never)).toThrow(/unknown option timout/);
    expect(() => new Copernica({ accessToken: '' })).toThrow(/accessToken/);
    expect(() => new Copernica({ accessToken: 'has space' })).toThrow(ValidationError);
    expect(() => new Copernica({ accessToken: TOKEN, baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
    expect(() => new Copernica({ accessToken: TOKEN, maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => new Copernica({ accessToken: TOKEN, timeout: 0 })).toThrow(/timeout/);
    expect(() => new Copernica(undefined as never)).toThrow(ValidationError);
    expect(() => client().withOptions({ accessToken: 'x' } as never)).toThrow(/accessToken/);
  });

  it('does not echo a rejected token in the validation message', () => {
    const bad = `${TOKEN} with a space`;
    let caught: unknown;
    try {
      new Copernica({ accessToken: bad });
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
    expectNoSecrets(caught, [bad, TOKEN]);
  });

  it('refuses bad raw paths, methods and an access_token in the query before sending', async () => {
    const c = client();
    for (const path of ['identity', '/a/../b', '/a?b=1', '/a#b', '/v1/identity', '/a/%2e%2e/b', '/a%2Fb', '/a b']) {
      await expect(c.request({ method: 'GET', path })).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(c.request({ method: 'PATCH' as never, path: '/identity' })).rejects.toBeInstanceOf(ValidationError);
    await expect(c.request({ method: 'GET', path: '/identity', query: { access_token: 'x' } })).rejects.toThrow(/access_token/);
    await expect(c.request({ method: 'GET', path: '/identity', body: {} })).rejects.toThrow(/no body/);
    await expect(c.identity.get({ timeout: -5 })).rejects.toBeInstanceOf(ValidationError);
    await expect(c.identity.get({ bogus: 1 } as never)).rejects.toThrow(/unknown option bogus/);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('secrets', () => {
  it('hides the token from util.inspect, JSON.stringify and String of a client', () => {
    const c = client();
    expect(inspect(c, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(c)).not.toContain(TOKEN);
    expect(String(c)).not.toContain(TOKEN);
    expect(inspect(c.identity, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(c.withOptions({ timeout: 1000 }))).toContain('"accessToken":"***"');
  });

  it('logs requests with the token redacted', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: string, meta?: unknown) => lines.push(`${m} ${JSON.stringify(meta)}`),
      warn: (m: string, meta?: unknown) => lines.push(`${m} ${JSON.stringify(meta)}`),
    };
    nock(API).get('/v1/identity').query(true).reply(200, { ID: '1', name: 'a', description: '', company: '' });
    await new Copernica({ accessToken: TOKEN, logger }).identity.get();
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.join('\n')).toContain('access_token=***');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});

describe('type guards', () => {
  it('recognise errors by brand, not by class identity', () => {
    const foreign = new NotFoundError({ status: 400, headers: {}, body: '', serverMessage: 'x', request: 'GET /' });
    expect(isNotFoundError(foreign)).toBe(true);
    expect(isNotFoundError(new Error('x'))).toBe(false);
    expect(isAPIError({ code: 'not_found' })).toBe(false);
    expect(JSON.parse(JSON.stringify(foreign))).toEqual({
      name: 'NotFoundError',
      code: 'not_found',
      message: '400: x',
      status: 400,
      serverMessage: 'x',
      request: 'GET /',
    });
  });
});
