import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { get } from './helpers.js';

let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ profiles: 5 });
});
afterAll(() => fake.close());

const STRONG = 'a'.repeat(20) + 'b1c2d3e4f5g6h7'; // 34 characters

/** The fields a browser would submit from the first form of a page, plus the clicked button. */
function formFields(html: string, button?: { name: string; value: string }): URLSearchParams {
  const form = /<form[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const out = new URLSearchParams();
  for (const m of form.matchAll(/<input ([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const type = /type="([^"]*)"/.exec(attrs)?.[1];
    if (!name) continue;
    if (type === 'radio' && !/ checked/.test(attrs)) continue;
    out.append(
      name,
      value
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>'),
    );
  }
  if (button) out.set(button.name, button.value);
  return out;
}

async function post(path: string, form: URLSearchParams): Promise<Response> {
  return fetch(`${fake.url}${path}`, { method: 'POST', body: form, redirect: 'manual' });
}

function authorizeUrl(params: Record<string, string>, lang = 'en'): string {
  return `${fake.url}/${lang}/authorize?${new URLSearchParams(params)}`;
}

/** Run the browser flow; returns the redirect Location. */
async function flow(
  opts: { state?: string; decision?: 'approve' | 'deny'; account?: number; lang?: string; password?: string } = {},
): Promise<URL> {
  const page = await fetch(
    authorizeUrl(
      { client_id: fake.app.clientId, redirect_uri: fake.app.redirectUri, state: opts.state ?? STRONG, response_type: 'code' },
      opts.lang,
    ),
  );
  expect(page.status).toBe(200);
  const loginHtml = await page.text();
  expect(loginHtml).toMatch(/<button type="submit">Log in<\/button>/);
  const login = formFields(loginHtml);
  login.set('username', fake.users[0]!.username);
  login.set('password', opts.password ?? fake.users[0]!.password);
  const consent = await post(`/${opts.lang ?? 'en'}/authorize`, login);
  const consentHtml = await consent.text();
  expect(consentHtml).toContain('name="account"');
  const form = formFields(consentHtml, { name: 'decision', value: opts.decision ?? 'approve' });
  if (opts.account !== undefined) form.set('account', String(opts.account));
  const done = await post(`/${opts.lang ?? 'en'}/authorize`, form);
  expect(done.status).toBe(302);
  return new URL(done.headers.get('location')!);
}

function exchange(params: Record<string, string>): Promise<Response> {
  return fetch(`${fake.apiUrl}/token?${new URLSearchParams(params)}`);
}

describe('authorize pages', () => {
  test('approve redirects with state and code; the code buys a token for the chosen account', async () => {
    const second = fake.accounts[1]!;
    const loc = await flow({ account: second.id });
    expect(`${loc.origin}${loc.pathname}`).toBe(fake.app.redirectUri);
    expect(loc.searchParams.get('state')).toBe(STRONG);
    const code = loc.searchParams.get('code')!;
    expect(code).toMatch(/^[\w-]{16,}$/); // an opaque code of some length, not an empty or echoed value
    const r = await exchange({
      client_id: fake.app.clientId,
      client_secret: fake.app.clientSecret,
      redirect_uri: fake.app.redirectUri,
      code,
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as any;
    expect(Object.keys(body)).toEqual(['access_token']);
    const id = await get(fake, '/identity', { token: body.access_token });
    expect(id.json.name).toBe(second.name);
  });

  test('the consent page offers every account of the user', async () => {
    const page = await fetch(
      authorizeUrl({ client_id: fake.app.clientId, redirect_uri: fake.app.redirectUri, state: STRONG, response_type: 'code' }, 'nl'),
    );
    const login = formFields(await page.text());
    login.set('username', fake.users[0]!.username);
    login.set('password', fake.users[0]!.password);
    const html = await (await post('/nl/authorize', login)).text();
    for (const id of fake.users[0]!.accounts) expect(html).toContain(`value="${id}"`);
    expect(html).toMatch(/>Approve<\/button>/);
    expect(html).toMatch(/>Deny<\/button>/);
  });

  test('deny redirects with error=access_denied and no code', async () => {
    const loc = await flow({ decision: 'deny' });
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('state')).toBe(STRONG);
    expect(loc.searchParams.has('code')).toBe(false);
  });

  test('a state shorter than 32 characters gives a redirect without code', async () => {
    const loc = await flow({ state: 'short-state' });
    expect(loc.searchParams.get('state')).toBe('short-state');
    expect(loc.searchParams.has('code')).toBe(false);
    expect(loc.searchParams.has('error')).toBe(false);
  });

  test('a wrong password shows the login form again', async () => {
    const page = await fetch(
      authorizeUrl({ client_id: fake.app.clientId, redirect_uri: fake.app.redirectUri, state: STRONG, response_type: 'code' }),
    );
    const login = formFields(await page.text());
    login.set('username', fake.users[0]!.username);
    login.set('password', 'wrong');
    const r = await post('/en/authorize', login);
    const html = await r.text();
    expect(html).toContain('name="password"');
    expect(html).not.toContain('name="account"');
  });

  test('unknown client, foreign redirect_uri or a missing parameter: HTML error page, no redirect', async () => {
    const base = { client_id: fake.app.clientId, redirect_uri: fake.app.redirectUri, state: STRONG, response_type: 'code' };
    for (const params of [
      { ...base, client_id: 'unknown' },
      { ...base, redirect_uri: 'https://evil.example/cb' },
      { client_id: base.client_id, redirect_uri: base.redirect_uri, response_type: 'code' },
      { ...base, response_type: 'token' },
    ]) {
      const r = await fetch(authorizeUrl(params), { redirect: 'manual' });
      expect(r.status).toBe(400);
      expect(r.headers.get('location')).toBeNull();
      expect(r.headers.get('content-type')).toMatch(/text\/html/);
    }
  });

  test('a tampered consent form is refused', async () => {
    const page = await fetch(
      authorizeUrl({ client_id: fake.app.clientId, redirect_uri: fake.app.redirectUri, state: STRONG, response_type: 'code' }),
    );
    const login = formFields(await page.text());
    login.set('username', fake.users[0]!.username);
    login.set('password', fake.users[0]!.password);
    const form = formFields(await (await post('/en/authorize', login)).text(), { name: 'decision', value: 'approve' });
    form.set('state', `${STRONG}x`);
    const r = await post('/en/authorize', form);
    expect(r.status).not.toBe(302);
  });
});

describe('token exchange', () => {
  test('a code works once', async () => {
    const code = (await flow()).searchParams.get('code')!;
    const params = { client_id: fake.app.clientId, client_secret: fake.app.clientSecret, redirect_uri: fake.app.redirectUri, code };
    expect((await exchange(params)).status).toBe(200);
    const again = await exchange(params);
    expect(again.status).toBe(400);
    expect(((await again.json()) as any).error.message).toMatch(/code/i);
  });

  test('wrong secret, wrong redirect_uri or a missing parameter fail without echoing secrets', async () => {
    const code = (await flow()).searchParams.get('code')!;
    const ok = { client_id: fake.app.clientId, client_secret: fake.app.clientSecret, redirect_uri: fake.app.redirectUri, code };
    for (const bad of [
      { ...ok, client_secret: 'nope-secret' },
      { ...ok, redirect_uri: 'http://localhost:3000/other' },
      { ...ok, code: '' },
    ]) {
      const r = await exchange(bad);
      expect(r.status).toBe(400);
      const text = await r.text();
      expect(JSON.parse(text).error.message).toEqual(expect.any(String));
      expect(text).not.toContain(code);
      expect(text).not.toContain('nope-secret');
      expect(text).not.toContain(fake.app.clientSecret);
    }
    const log = fake.requests.filter((r) => r.route === '/token');
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((r) => r.query.get('client_secret') === '***' || !r.query.get('client_secret'))).toBe(true);
    // the code survived the failed attempts (they were refused before it was used)
    expect((await exchange(ok)).status).toBe(200);
  });

  test('an expired code is refused', async () => {
    const f = await createFakeCopernica({ profiles: 1, codeTtlMs: 1 });
    try {
      const app = f.registerApp({ redirectUri: 'http://127.0.0.1:9/cb' });
      const page = await fetch(
        `${f.url}/en/authorize?${new URLSearchParams({ client_id: app.clientId, redirect_uri: 'http://127.0.0.1:9/cb', state: STRONG, response_type: 'code' })}`,
      );
      const login = formFields(await page.text());
      login.set('username', f.users[0]!.username);
      login.set('password', f.users[0]!.password);
      const consent = await fetch(`${f.url}/en/authorize`, { method: 'POST', body: login });
      const done = await fetch(`${f.url}/en/authorize`, {
        method: 'POST',
        body: formFields(await consent.text(), { name: 'decision', value: 'approve' }),
        redirect: 'manual',
      });
      const code = new URL(done.headers.get('location')!).searchParams.get('code')!;
      await new Promise((r) => setTimeout(r, 10));
      const r = await fetch(
        `${f.apiUrl}/token?${new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: 'http://127.0.0.1:9/cb', code })}`,
      );
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).error.message).toMatch(/expired/);
    } finally {
      await f.close();
    }
  });
});
