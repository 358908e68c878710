/**
 * The OAuth flow of examples/oauth-web-app in a real headless Chromium (Debian's `chromium`,
 * driven by playwright-core): connect, log in on the fake's consent page, choose an account,
 * approve, see the databases; and deny, a tampered state and a reused code being refused.
 * Screenshots of every step go to screenshots/oauth/ (gitignored).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from 'copernica-rest/testing';
import { startApp, type ExampleApp } from '../../examples/oauth-web-app/server.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../screenshots/oauth/', import.meta.url));
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Installs Debian's chromium when it is missing (fresh machines, CI); fails loudly if it cannot. */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    throw new Error(
      `${CHROMIUM} is missing and this test can install it only as root on Debian: run "apt-get update && apt-get install -y chromium"`,
    );
  }
  const r = spawnSync('sh', ['-c', 'apt-get update && apt-get install -y chromium'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 9 * 60_000,
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    const why = r.error ? r.error.message : `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`;
    throw new Error(`Could not install chromium with apt-get (${why}); install it by hand: apt-get install -y chromium`);
  }
}

let fake: FakeCopernica;
let app: ExampleApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const clientId = 'browser-test-app';
const clientSecret = randomBytes(20).toString('hex');

beforeAll(async () => {
  ensureChromium();
  mkdirSync(SHOTS, { recursive: true });
  fake = await createFakeCopernica({ seed: 1, profiles: 5 });
  app = await startApp({ port: 0, oauth: { clientId, clientSecret, authorizeBaseUrl: fake.url }, apiBaseUrl: fake.apiUrl });
  fake.registerApp({ clientId, clientSecret, redirectUri: app.redirectUri, name: 'Browser test app' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
}, 10 * 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await fake?.close();
});

beforeEach(async () => {
  // A fresh context per test: its own cookies, so every scenario starts as a new visitor.
  context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
});

/** Waits for the page's h1 to read `name` (fails after the context's timeout otherwise). */
const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true }).waitFor({ state: 'visible' });
/** The visible text of the first element the locator finds, once it is there. */
async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor({ state: 'visible' });
  return locator.first().innerText();
}
const shot = (name: string) => page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
const user = () => fake.users[0]!;
const databaseNames = (accountId: number) => [...fake.account(accountId).databases.values()].map((d) => d.name);

/** From the app's start page to the fake's consent page. */
async function connectAndLogIn(prefix: string): Promise<void> {
  await page.goto(app.url);
  await shot(`${prefix}-1-start`);
  await page.getByRole('button', { name: 'Connect Copernica' }).click();
  await page.waitForURL((u) => u.href.startsWith(`${fake.url}/en/authorize`));
  await heading('Log in to Copernica');
  await page.getByLabel('Username').fill(user().username);
  await page.getByLabel('Password').fill(user().password);
  await shot(`${prefix}-2-login`);
  await page.getByRole('button', { name: 'Log in' }).click();
  await heading('Grant access');
}

/**
 * Approves on the consent page but keeps the browser from following Copernica's redirect to the
 * app (Playwright does not route redirects, so the consent POST itself is fetched by the test);
 * returns the callback URL the browser would have opened.
 */
async function approveAndCatchCallback(prefix: string): Promise<URL> {
  let caught: string | undefined;
  await page.route(`${fake.url}/en/authorize`, async (route) => {
    const reply = await route.fetch({ maxRedirects: 0 });
    caught = reply.headers()['location'];
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>callback intercepted by the test</p>' });
  });
  await shot(`${prefix}-3-consent`);
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByText('callback intercepted by the test').waitFor({ state: 'visible' });
  await page.unrouteAll();
  expect(caught?.startsWith(`${app.redirectUri}?`)).toBe(true);
  return new URL(caught!);
}

/** Opens a callback URL in the browser; returns the HTTP status the app answered with. */
async function openCallback(url: URL): Promise<number> {
  const response = await page.goto(url.href);
  return response!.status();
}

function tokenExchanges(): number {
  return fake.requests.filter((r) => r.path === '/token').length;
}

describe('OAuth web app in a real browser', () => {
  it('connects an account chosen on the consent page and lists its databases', async () => {
    await connectAndLogIn('ok');
    const second = fake.accounts[1]!;
    expect(user().accounts).toContain(second.id);
    await page.getByLabel(second.name, { exact: true }).check();
    await shot('ok-3-consent');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${app.url}/databases`);
    await shot('ok-4-databases');

    await heading('Your Copernica databases');
    expect(await textOf(page.locator('#account'))).toBe(second.name);
    const names = await page.locator('#databases td.name').allTextContents();
    expect(names).toEqual(databaseNames(second.id));
    expect(names.length).toBeGreaterThan(0);

    // The session cookie is HttpOnly and SameSite=Lax; the token itself never reaches the browser.
    const cookies = await context.cookies(app.url);
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['sid', true, 'Lax']]);
    expect(await page.evaluate('document.cookie')).toBe('');

    // Disconnect drops the session: back to the start page.
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.waitForURL(`${app.url}/`);
    await page.getByRole('button', { name: 'Connect Copernica' }).waitFor({ state: 'visible' });
  });

  it('shows a clear message when the user denies access', async () => {
    await connectAndLogIn('deny');
    await shot('deny-3-consent');
    const callback = page.waitForResponse((r) => r.url().startsWith(app.redirectUri));
    await page.getByRole('button', { name: 'Deny' }).click();
    const response = await callback;
    await shot('deny-4-message');

    expect(response.status()).toBe(400);
    expect(new URL(response.url()).searchParams.get('error')).toBe('access_denied');
    await heading('Connection cancelled');
    expect(await textOf(page.getByRole('alert'))).toContain('You chose not to give this app access to your Copernica account.');
    expect(await textOf(page.getByRole('alert'))).toContain('Copernica did not authorize the application: access_denied');
  });

  it('refuses a callback whose state was tampered with, before any code exchange', async () => {
    await connectAndLogIn('state');
    const genuine = await approveAndCatchCallback('state');
    const state = genuine.searchParams.get('state')!;
    const tampered = new URL(genuine);
    tampered.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
    const exchangesBefore = tokenExchanges();

    expect(await openCallback(tampered)).toBe(400);
    await shot('state-4-refused');
    await heading('Connection refused');
    expect(await textOf(page.getByRole('alert'))).toContain('The callback state does not match the state of this session');
    expect(tokenExchanges()).toBe(exchangesBefore);

    // The state is single use: even the genuine callback is refused now.
    expect(await openCallback(genuine)).toBe(400);
    expect(await textOf(page.getByRole('alert'))).toContain('There is no connection attempt in progress for this browser session');
    expect(tokenExchanges()).toBe(exchangesBefore);
    await page.goto(`${app.url}/databases`);
    await page.getByRole('button', { name: 'Connect Copernica' }).waitFor({ state: 'visible' });
  });

  it('refuses a code that was already exchanged', async () => {
    // First connection: the code is exchanged and the databases are shown.
    await connectAndLogIn('code');
    const first = await approveAndCatchCallback('code');
    expect(await openCallback(first)).toBe(200);
    expect(await textOf(page.locator('#account'))).toBe(fake.accounts[0]!.name);
    await page.getByRole('button', { name: 'Disconnect' }).click();

    // Second attempt in the same browser: a valid new state, but the old code.
    await page.getByRole('button', { name: 'Connect Copernica' }).click();
    await page.getByLabel('Username').fill(user().username);
    await page.getByLabel('Password').fill(user().password);
    await page.getByRole('button', { name: 'Log in' }).click();
    const second = await approveAndCatchCallback('code-again');
    const replay = new URL(second);
    replay.searchParams.set('code', first.searchParams.get('code')!);

    expect(await openCallback(replay)).toBe(400);
    await shot('code-4-refused');
    await heading('Connection refused');
    expect(await textOf(page.getByRole('alert'))).toContain(
      'Copernica refused the code exchange: Authorization code has already been used',
    );
    expect(await textOf(page.getByRole('alert'))).not.toContain(first.searchParams.get('code')!);
    await page.goto(`${app.url}/databases`);
    await page.getByRole('button', { name: 'Connect Copernica' }).waitFor({ state: 'visible' });
  });
});
