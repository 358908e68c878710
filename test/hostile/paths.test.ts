/**
 * Hostile input against paths: the token never leaves the API base. Every attack runs against a
 * real loopback server whose base URL has a path (`/api/copernica/v1`), so an escape would show up
 * as a request outside it; the assertion is that nothing at all is sent, and the caller gets a
 * ValidationError. Where a path is accepted, the URL the server saw is the URL the SDK reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Copernica, isValidationError, type CopernicaError } from '../../src/index.js';
import { checkRawPath, isExactPath, param, path } from '../../src/core/path.js';
import { Core } from '../../src/core/transport.js';
import { resolveClientOptions } from '../../src/core/config.js';
import { scriptedServer, json, type ScriptedServer } from '../helpers/server.js';
import { createCliHarness } from '../cli/harness.js';

const TOKEN = 'tok_hostile_paths_5c1e0f0d2b7a4e6f';
let server: ScriptedServer;
let base: string;
let cases = 0;
let refused = 0;
let generated = 0;

beforeAll(async () => {
  server = await scriptedServer([json(404, { error: { message: 'No entity with supplied ID' } })]);
  base = server.url.replace(/\/v1$/, '/api/copernica/v1');
});
afterAll(async () => {
  await server.close();
  console.log(
    `hostile paths: ${cases} cases (${refused} refused before sending), ${generated} generated paths checked against the URL parser`,
  );
});

const client = () => new Copernica({ accessToken: TOKEN, baseUrl: base, maxRetries: 0 });

/** Runs a call that must be refused before anything is sent. */
async function refusedBeforeSending(call: () => unknown): Promise<CopernicaError> {
  cases++;
  const before = server.received.length;
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  expect(isValidationError(caught), `expected a ValidationError, got ${String(caught)}`).toBe(true);
  expect(server.received.length, 'a request was sent').toBe(before);
  expect(JSON.stringify(caught)).not.toContain(TOKEN);
  refused++;
  return caught as CopernicaError;
}

const RAW_ATTACKS = [
  '/..\\..\\..\\admin\\users\\1', // the reproduction: `\` is `/` to the URL parser
  '/database\\1',
  '/a/../../admin',
  '/..',
  '/.',
  '/a/./b',
  '/%2e%2e/admin',
  '/%2E%2e/admin',
  '/%2e%2E/%2e%2e/admin',
  '/.%2e/admin',
  '/%2e./admin',
  '/%2e/admin',
  '/a/%2E',
  '/a%2f..%2fadmin',
  '/a%5c..%5cadmin',
  '/a%2F..',
  '//evil.example/v1/identity',
  '/a\t/../b',
  '/a\n/b',
  '/a\r/b',
  '/a\u0000b',
  '/a b',
  '/a\u00a0b',
  '/a\u2028b',
  '/databases?access_token=x',
  '/identity#frag',
  '/a"b',
  '/a<b>',
  '/a{b}',
  '/a|b',
  '/a^b',
  '/a`b',
  '/émoji',
  '/a%zz',
  '/a%',
  '/v1/identity',
  'identity',
  '',
  '/．．/admin',
];

describe('raw paths (client.request)', () => {
  it("refuses the issue's backslash escape and every spelling the URL parser would rewrite, before sending", async () => {
    for (const p of RAW_ATTACKS) {
      for (const method of ['GET', 'DELETE', 'PUT', 'POST'] as const) {
        await refusedBeforeSending(() =>
          client().request({ method, path: p, ...(method === 'PUT' || method === 'POST' ? { body: {} } : {}) }),
        );
      }
    }
  });

  it('sends an accepted raw path as written, and reports the URL it sent', async () => {
    for (const p of ['/identity', '/database/1/profiles', "/database/a-b_c.d~e!$&'()*+,;=:@/fields", '/database/%C3%A9/fields']) {
      cases++;
      const before = server.received.length;
      const error = await client()
        .request({ method: 'GET', path: p })
        .then(
          () => undefined,
          (e: { request: string }) => e,
        );
      expect(server.received.length).toBe(before + 1);
      const sent = server.received.at(-1)!.url;
      expect(sent).toBe(`/api/copernica/v1${p}?access_token=${TOKEN}`);
      expect(error?.request).toBe(`GET ${base}${p}?access_token=***`);
    }
  });

  it('copernica request refuses the same escape, and sends nothing', async () => {
    const cli = await createCliHarness({ COPERNICA_ACCESS_TOKEN: TOKEN, COPERNICA_BASE_URL: base });
    try {
      for (const p of ['/..\\..\\..\\admin\\users\\1', '/%2e%2e/admin', '..\\admin']) {
        cases++;
        const before = server.received.length;
        const run = await cli.run(['request', 'DELETE', p]);
        expect(run.code).not.toBe(0);
        expect(run.stderr).toMatch(/ValidationError|path/);
        expect(run.stderr + run.stdout).not.toContain(TOKEN);
        expect(server.received.length).toBe(before);
        refused++;
      }
    } finally {
      await cli.dispose();
    }
  }, 60_000);
});

describe('typed parameters', () => {
  it("refuses '.' and '..' as names in every typed call the issue found, before sending", async () => {
    const c = client();
    await refusedBeforeSending(() => c.databases.fields.list('.'));
    await refusedBeforeSending(() => c.rules.conditions.list('.'));
    await refusedBeforeSending(() => c.events.byTags('.').toArray({ limit: 1 }));
    await refusedBeforeSending(() => c.events.byTags(['a', '.']).toArray({ limit: 1 }));
    for (const name of ['.', '..', '%2e', '%2e%2e', '．', '．．', 'a／b', 'a＼b', 'a？b', 'a＃b', '.\t', ' .']) {
      await refusedBeforeSending(() => c.databases.fields.list(name));
    }
  });

  it('param builders never make a dot segment or a separator, whatever the input (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('.', '..', '%2e', '．', '．．', '.%2E')),
        (value) => {
          generated++;
          for (const build of [param.text, param.idOrName, param.email, param.filename, param.tags]) {
            let encoded: string;
            try {
              encoded = path`/x/${build(value as never, 'name')}/y`;
            } catch (error) {
              expect(isValidationError(error)).toBe(true);
              continue;
            }
            expect(isExactPath(encoded)).toBe(true);
            const sent = new URL(`http://h/api/v1${encoded}`).pathname;
            expect(sent).toBe(`/api/v1${encoded}`);
            expect(sent.split('/').length).toBe(6);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('raw paths: accepted means the URL parser sends them as written, below the base (property)', () => {
    const piece = fc.constantFrom('/', '.', '..', '\\', '%', '2e', '2E', '2f', '5c', 'a', 'é', ' ', '\t', '?', '#', '%2e', '//', '"', '{');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.string({ maxLength: 8 }), (parts, tail) => {
        generated++;
        const p = `/${parts.join('')}${tail}`;
        let ok: string;
        try {
          ok = checkRawPath(p);
        } catch (error) {
          expect(isValidationError(error)).toBe(true);
          return;
        }
        const u = new URL(`http://h/api/copernica/v1${ok}?access_token=t`);
        expect(u.pathname).toBe(`/api/copernica/v1${ok}`);
        expect(u.host).toBe('h');
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('the token parameter', () => {
  it('no query key that PHP reads as access_token is sent (access_token[], access.token, access token)', async () => {
    for (const key of ['access_token', 'access_token[]', 'access_token[x]', 'access.token', 'access token', 'access.token[]']) {
      await refusedBeforeSending(() => client().request({ method: 'GET', path: '/identity', query: { [key]: 'evil' } }));
      const { config, token } = resolveClientOptions({ accessToken: TOKEN, baseUrl: base, maxRetries: 0 });
      await refusedBeforeSending(() =>
        new Core(config, token).call({ method: 'GET', path: '/identity', query: new URLSearchParams([[key, 'evil']]) }),
      );
    }
  });
});

describe("the transport's last guard", () => {
  it('refuses a path no builder made safe (a resource bug or a future endpoint), before sending', async () => {
    const { config, token } = resolveClientOptions({ accessToken: TOKEN, baseUrl: base, maxRetries: 0 });
    const core = new Core(config, token);
    for (const p of ['/a/../admin', '/a\\b', '/%2e%2e/x', '//h/x', 'relative', '/a b', '/é', '/a%2fb']) {
      await refusedBeforeSending(() => core.call({ method: 'GET', path: p }));
    }
  });

  it('a base URL is kept in the form the URL parser sends it, so what is shown is what is sent', async () => {
    cases++;
    const c = new Copernica({ accessToken: TOKEN, baseUrl: `${base}/../../v1/`, maxRetries: 0 });
    expect(c.baseUrl).toBe(base.replace('/copernica/v1', '/v1'));
    const before = server.received.length;
    const error = (await c.request({ method: 'GET', path: '/identity' }).catch((e: unknown) => e)) as { request: string };
    expect(server.received.at(-1)!.url).toBe(`/api/v1/identity?access_token=${TOKEN}`);
    expect(server.received.length).toBe(before + 1);
    expect(error.request).toBe(`GET ${c.baseUrl}/identity?access_token=***`);
  });
});
