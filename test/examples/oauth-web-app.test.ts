/**
 * The OAuth example app over plain HTTP (no browser): cookies, redirects and refusals. The whole
 * flow in a real browser is in test/browser/oauth.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from 'copernica-rest/testing';
import { startApp, type ExampleApp } from '../../examples/oauth-web-app/server.js';

let fake: FakeCopernica;
let app: ExampleApp;

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 1, profiles: 3 });
  const clientSecret = randomBytes(20).toString('hex');
  app = await startApp({ oauth: { clientId: 'http-test-app', clientSecret, authorizeBaseUrl: fake.url }, apiBaseUrl: fake.apiUrl });
  fake.registerApp({ clientId: 'http-test-app', clientSecret, redirectUri: app.redirectUri });
});

afterAll(async () => {
  await app.close();
  await fake.close();
});

const get = (path: string, cookie?: string, method = 'GET') =>
  fetch(`${app.url}${path}`, { method, redirect: 'manual', headers: cookie ? { cookie } : {} });

async function startFlow(): Promise<{ cookie: string; state: string; authorize: URL }> {
  const res = await get('/connect', undefined, 'POST');
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const authorize = new URL(res.headers.get('location')!);
  return { cookie, state: authorize.searchParams.get('state')!, authorize };
}

describe('examples/oauth-web-app over HTTP', () => {
  it('serves the start page with an HttpOnly, SameSite=Lax session cookie and safe headers', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<button type="submit">Connect Copernica</button>');
    expect(res.headers.get('set-cookie')).toMatch(/^sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain(`form-action 'self' ${fake.url}`);
  });

  it('sends the visitor to the authorize page with a fresh strong state and the registered redirect URI', async () => {
    const a = await startFlow();
    const b = await startFlow();
    expect(`${a.authorize.origin}${a.authorize.pathname}`).toBe(`${fake.url}/en/authorize`);
    expect(Object.fromEntries(a.authorize.searchParams)).toEqual({
      client_id: 'http-test-app',
      redirect_uri: app.redirectUri,
      state: a.state,
      response_type: 'code',
    });
    expect(a.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.state).not.toBe(a.state);
    expect(b.cookie).not.toBe(a.cookie);
  });

  it('refuses a callback from a browser without a pending attempt, and one with a repeated parameter', async () => {
    const { cookie, state } = await startFlow();
    const stranger = await get(`/callback?state=${state}&code=abc`);
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain('There is no connection attempt in progress for this browser session');

    const doubled = await get(`/callback?state=${state}&code=abc&code=def`, cookie);
    expect(doubled.status).toBe(400);
    expect(await doubled.text()).toContain('The callback carries code 2 times; refusing it');
    expect(fake.requests.filter((r) => r.path === '/token')).toEqual([]);
  });

  it('shows the deny message with status 400, HTML-escaped', async () => {
    const { cookie, state } = await startFlow();
    const res = await get(`/callback?error=access_denied&error_description=${encodeURIComponent('<b>no</b>')}&state=${state}`, cookie);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Connection cancelled');
    expect(html).toContain('Copernica did not authorize the application: access_denied (&#60;b&#62;no&#60;/b&#62;)');
    expect(html).not.toContain('<b>no</b>');
  });

  it('keeps visitors without a token away from /databases and answers 404 elsewhere', async () => {
    const res = await get('/databases');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect((await get('/nope')).status).toBe(404);
  });
});
