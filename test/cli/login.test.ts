/**
 * `copernica login` end to end: the CLI runs as a child process with its callback server on
 * 127.0.0.1; the test plays the browser with fetch against the fake's authorize pages.
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { createCliHarness, type CliHarness, type LiveCli, unescapeHtml } from './harness.js';

let fake: FakeCopernica;
let cli: CliHarness;
/** Tokens minted by the logins of this suite; they may appear only on the stdout of `login --print`. */
const minted: string[] = [];
const secrets: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A registered app whose redirect URI is a free loopback port. */
async function app(): Promise<{ clientId: string; clientSecret: string; port: number }> {
  const port = await freePort();
  const { clientId, clientSecret } = fake.registerApp({ redirectUri: `http://127.0.0.1:${port}/callback` });
  secrets.push(clientSecret);
  return { clientId, clientSecret, port };
}

function hiddenFields(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(m[1]!, unescapeHtml(m[2]!));
  return form;
}

/** Acts as the browser: authorize page, login form, consent form; returns the redirect to the CLI's callback. */
async function browse(authorizeUrl: string, decision: 'approve' | 'deny', account?: number): Promise<string> {
  const loginPage = await fetch(authorizeUrl);
  expect(loginPage.status).toBe(200);
  const login = hiddenFields(await loginPage.text());
  login.set('username', fake.users[0]!.username);
  login.set('password', fake.users[0]!.password);
  const consentPage = await fetch(new URL(authorizeUrl).origin + new URL(authorizeUrl).pathname, { method: 'POST', body: login });
  const consentHtml = await consentPage.text();
  expect(consentHtml).toContain('Approve');
  const consent = hiddenFields(consentHtml);
  consent.set('account', String(account ?? fake.users[0]!.accounts[0]));
  consent.set('decision', decision);
  const redirect = await fetch(new URL(authorizeUrl).origin + new URL(authorizeUrl).pathname, {
    method: 'POST',
    body: consent,
    redirect: 'manual',
  });
  expect(redirect.status).toBe(302);
  return redirect.headers.get('location')!;
}

async function authorizeUrlOf(live: LiveCli): Promise<string> {
  const [, url] = await live.waitFor(/^(http:\/\/\S+\/en\/authorize\?\S+)$/m);
  return url!;
}

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 2, profiles: 5 });
  cli = await createCliHarness({ COPERNICA_BASE_URL: fake.apiUrl });
});

afterAll(async () => {
  try {
    const all = [...minted, ...secrets, ...fake.accounts.map((a) => a.token)];
    expect(minted.length).toBeGreaterThanOrEqual(3);
    for (const r of cli.outputs()) {
      const printed = r.args[0] === 'login' && r.args.includes('--print');
      for (const s of all) {
        if (!(printed && minted.includes(s))) expect(r.stdout, `stdout of copernica ${r.args.join(' ')}`).not.toContain(s);
        expect(r.stderr, `stderr of copernica ${r.args.join(' ')}`).not.toContain(s);
      }
    }
  } finally {
    await cli?.dispose();
    await fake?.close();
  }
});

describe('copernica login', () => {
  it('--print: the token is the only line on stdout and it works', async () => {
    const a = await app();
    const live = cli.start(['login', '--client-id', a.clientId, '--redirect-port', String(a.port), '--print'], {
      env: { COPERNICA_CLIENT_SECRET: a.clientSecret },
    });
    const url = await authorizeUrlOf(live);
    const u = new URL(url);
    expect(u.origin).toBe(fake.url); // the authorize host is the --base-url without /v1
    expect(u.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${a.port}/callback`);
    expect(u.searchParams.get('state')!.length).toBeGreaterThanOrEqual(43);
    fake.clearRequests();
    const callback = await browse(url, 'approve');
    expect(callback.startsWith(`http://127.0.0.1:${a.port}/callback?`)).toBe(true);
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Copernica CLI authorized');
    const done = await live.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(fake.requests.filter((r) => r.route === '/token')).toHaveLength(1);
    expect(done.stdout).toMatch(/^\S+\n$/);
    const token = done.stdout.trim();
    minted.push(token);
    const me = await fetch(`${fake.apiUrl}/identity?access_token=${token}`);
    expect(((await me.json()) as { ID: string }).ID).toBe(String(fake.users[0]!.accounts[0]));
    expect(done.stderr).toContain('Open this URL in a browser');
  });

  it('stores the token in a 0600 file in a 0700 directory; later commands use it; COPERNICA_ACCESS_TOKEN overrides it', async () => {
    const a = await app();
    const dir = join(cli.tempDir(), 'nested', 'copernica');
    const env = { COPERNICA_CONFIG: `${dir}/`, COPERNICA_CLIENT_SECRET: undefined };
    const live = cli.start(
      ['login', '--client-id', a.clientId, '--client-secret', a.clientSecret, '--redirect-uri', `http://127.0.0.1:${a.port}/callback`],
      { env },
    );
    const callback = await browse(await authorizeUrlOf(live), 'approve', fake.users[0]!.accounts[1]);
    expect((await fetch(callback)).status).toBe(200);
    const done = await live.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe('');
    const file = join(dir, 'config.json');
    expect(done.stderr).toContain(`Logged in to account 2 (acme-webshop); token stored in ${file} (mode 0600).`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { accessToken: string; baseUrl: string };
    expect(stored.baseUrl).toBe(fake.apiUrl);
    minted.push(stored.accessToken);

    // The stored token and base URL are used with no environment at all.
    const me = await cli.run(['identity', '--json'], { env: { ...env, COPERNICA_BASE_URL: undefined } });
    expect(me.code, me.stderr).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ ID: 2, name: 'acme-webshop' });
    // COPERNICA_ACCESS_TOKEN wins over the file.
    const other = await cli.run(['identity', '--json'], { env: { ...env, COPERNICA_ACCESS_TOKEN: fake.accounts[0]!.token } });
    expect(JSON.parse(other.stdout)).toMatchObject({ ID: 1 });

    // A second login replaces the token and keeps the file private.
    const again = cli.start(['login', '--client-id', a.clientId, '--redirect-port', String(a.port)], {
      env: { ...env, COPERNICA_CLIENT_SECRET: a.clientSecret },
    });
    expect((await fetch(await browse(await authorizeUrlOf(again), 'approve'))).status).toBe(200);
    expect((await again.exited).code).toBe(0);
    const replaced = JSON.parse(readFileSync(file, 'utf8')) as { accessToken: string };
    minted.push(replaced.accessToken);
    expect(replaced.accessToken).not.toBe(stored.accessToken);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('deny: the browser sees the failure, the CLI exits 1 with one line', async () => {
    const a = await app();
    const live = cli.start(['login', '--client-id', a.clientId, '--redirect-port', String(a.port), '--print'], {
      env: { COPERNICA_CLIENT_SECRET: a.clientSecret },
    });
    const page = await fetch(await browse(await authorizeUrlOf(live), 'deny'));
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('access_denied');
    const done = await live.exited;
    expect(done.code).toBe(1);
    expect(done.stdout).toBe('');
    expect(done.stderr.trimEnd().split('\n').at(-1)).toBe(
      'copernica: OAuthError: Copernica did not authorize the application: access_denied',
    );
  });

  it('stray requests to the callback (another state, no state, twice the state) get a 400 page; the wait goes on and the real callback completes', async () => {
    const a = await app();
    const live = cli.start(['login', '--client-id', a.clientId, '--redirect-port', String(a.port), '--print'], {
      env: { COPERNICA_CLIENT_SECRET: a.clientSecret },
    });
    const real = new URL(await browse(await authorizeUrlOf(live), 'approve'));
    fake.clearRequests();
    const other = new URL(real);
    other.searchParams.set('state', 'x'.repeat(43));
    const twice = new URL(real);
    twice.searchParams.append('state', real.searchParams.get('state')!);
    const bare = new URL(`http://127.0.0.1:${a.port}/callback?code=stolen`);
    for (const stray of [other, twice, bare, bare, bare, bare, bare]) {
      const r = await fetch(stray);
      expect(r.status, stray.toString()).toBe(400);
      expect(await r.text()).toContain('Not the login in progress');
    }
    expect((await fetch(`http://127.0.0.1:${a.port}/favicon.ico`)).status).toBe(404);
    expect(live.result.code).toBeNull(); // still waiting
    expect(fake.requests.filter((r) => r.route === '/token')).toEqual([]);
    const page = await fetch(real);
    expect(page.status).toBe(200);
    const done = await live.exited;
    expect(done.code, done.stderr).toBe(0);
    minted.push(done.stdout.trim());
    expect(fake.requests.filter((r) => r.route === '/token')).toHaveLength(1);
    // reported on stderr, the first five only (a scanner cannot flood the terminal)
    expect(done.stderr.match(/ignored a request to the callback without the state/g)).toHaveLength(5);
    expect(done.stderr).toContain('(further ignored requests are not reported)');
  });

  it('a wrong client secret: the exchange fails, exit 1, the secret is not shown', async () => {
    const a = await app();
    const wrong = 'wrong-secret-0123456789abcdef0123';
    secrets.push(wrong);
    const live = cli.start(['login', '--client-id', a.clientId, '--redirect-port', String(a.port), '--print'], {
      env: { COPERNICA_CLIENT_SECRET: wrong },
    });
    expect((await fetch(await browse(await authorizeUrlOf(live), 'approve'))).status).toBe(502);
    const done = await live.exited;
    expect(done.code).toBe(1);
    expect(done.stderr.trimEnd().split('\n').at(-1)).toBe(
      'copernica: OAuthError: Copernica refused the code exchange: Invalid client credentials',
    );
  });

  it('usage errors exit 2; a port in use exits 1', async () => {
    const [noId, noSecret, badUri] = await Promise.all([
      cli.run(['login']),
      cli.run(['login', '--client-id', 'x']),
      cli.run(['login', '--client-id', 'x', '--client-secret', 'y', '--redirect-uri', 'https://example.com/cb']),
    ]);
    expect([noId.code, noSecret.code, badUri.code]).toEqual([2, 2, 2]);
    expect(noId.stderr).toBe('copernica: UsageError: login needs --client-id (or COPERNICA_CLIENT_ID)\n');
    expect(noSecret.stderr).toBe('copernica: UsageError: login needs --client-secret or COPERNICA_CLIENT_SECRET\n');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const busy = await cli.run(['login', '--client-id', 'x', '--redirect-port', String(port)], {
      env: { COPERNICA_CLIENT_SECRET: 'some-secret-value' },
    });
    blocker.close();
    expect(busy.code).toBe(1);
    expect(busy.stderr).toBe(
      `copernica: CliError: port ${port} is in use; choose another with --redirect-port (and register that redirect URI)\n`,
    );
  });

  it('--timeout: no callback in time, exit 1', async () => {
    const a = await app();
    const r = await cli.run(['login', '--client-id', a.clientId, '--redirect-port', String(a.port), '--timeout', '1'], {
      env: { COPERNICA_CLIENT_SECRET: a.clientSecret },
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('copernica: CliError: no callback within 1 s; run `copernica login` again');
  });
});
