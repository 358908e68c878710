/**
 * Hostile servers that echo secrets back in every form a URL or JSON can carry them. A loopback
 * server answers each call with the token (or the client secret and the OAuth code) in the error
 * message, the body, a key, a header; the assertion is that no serialisation of what the caller
 * gets (message, stack, `toJSON()`, `util.inspect`, `body`, `headers`, every cause) holds the
 * secret in any decoding (test/helpers/secrets.ts `decodings`).
 */
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Copernica, CopernicaOAuth, OAuthError, isOAuthError, type APIError } from '../../src/index.js';
import { redact, scrubError } from '../../src/core/redact.js';
import { decodings, expectNoSecrets } from '../helpers/secrets.js';
import { scriptedServer, type Step } from '../helpers/server.js';

let cases = 0;
let scanned = 0;
let encodings = 0;

afterAll(() => {
  console.log(`hostile secrets: ${cases} cases, ${scanned} serialised texts scanned for secrets, ${encodings} encodings tried`);
});

/** The token of the issue: `/`, `+` and `=` change under every encoding. */
const TOKEN = 'abcDEF/ghi+jkl=mno5c1e0f0d2b7a4e';

const lowerPercent = (s: string) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const uEscape = (s: string, upper = false) =>
  [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`).join('');
const phpJson = (s: string) => JSON.stringify(s).slice(1, -1).replace(/\//g, '\\/');
/** One character in each form, in turn: a mixed spelling. */
const mixed = (s: string) =>
  [...s]
    .map(
      (c, i) =>
        [
          c,
          encodeURIComponent(c) === c ? `%${c.charCodeAt(0).toString(16)}` : lowerPercent(c),
          uEscape(c),
          c === '/' ? '\\/' : uEscape(c, true),
        ][i % 4],
    )
    .join('');

/** Every spelling a server may use in a JSON string body (already JSON-escaped where it must be). */
const JSON_SPELLINGS: [string, (s: string) => string][] = [
  ['plain', (s) => JSON.stringify(s).slice(1, -1)],
  ['php \\/', phpJson],
  ['\\u lower', (s) => uEscape(s)],
  ['\\u upper', (s) => uEscape(s, true)],
  ['percent upper', encodeURIComponent],
  ['percent lower', lowerPercent],
  ['double percent', (s) => encodeURIComponent(encodeURIComponent(s))],
  ['form +', (s) => new URLSearchParams({ x: s }).toString().slice(2)],
  ['json of percent', (s) => uEscape(encodeURIComponent(s))],
  ['mixed', mixed],
];

function scan(value: unknown, secrets: readonly string[]): void {
  scanned += expectNoSecrets(value, secrets);
  scanned += expectNoSecrets(
    { body: (value as APIError).body, headers: (value as APIError).headers, json: JSON.stringify(value) },
    secrets,
  );
}

async function caught(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('a server that echoes the token', () => {
  it('issue 11: the token JSON-escaped by PHP does not come back in clear (message, serverMessage, body, toJSON, stack)', async () => {
    const token = 'abcDEF/ghi+jkl=';
    const server = await scriptedServer([
      (_req, res) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(`{"error":{"message":"Invalid access token ${phpJson(token)}"}}`);
      },
    ]);
    try {
      cases++;
      const error = await caught(() => new Copernica({ accessToken: token, baseUrl: server.url, maxRetries: 0 }).identity.get());
      expect(error.message).toBe('400: Invalid access token ***');
      expect((error as APIError).serverMessage).toBe('Invalid access token ***');
      scan(error, [token]);
    } finally {
      await server.close();
    }
  });

  it('in every spelling, in the message, a key, a nested value, an HTML page and a Location header', async () => {
    let spelling = JSON_SPELLINGS[0]![1];
    const steps: Step[] = [
      (_req, res) => {
        const t = spelling(TOKEN);
        res.writeHead(400, {
          'content-type': 'application/json',
          location: `https://x/v1/identity?token=${encodeURIComponent(TOKEN)}&t=${lowerPercent(TOKEN)}`,
        });
        res.end(`{"error":{"message":"Bad token ${t}"},"${t}":{"echo":["${t}"]},"request":"GET /v1/identity?access_token=${t}"}`);
      },
      (_req, res) => {
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end(`<html><body>No backend for /v1/identity?access_token=${spelling(TOKEN)} (${lowerPercent(TOKEN)})</body></html>`);
      },
    ];
    const server = await scriptedServer([(req, res, body) => steps[cases % 2]!(req, res, body)]);
    try {
      const client = new Copernica({ accessToken: TOKEN, baseUrl: server.url, maxRetries: 0 });
      for (const [, s] of JSON_SPELLINGS) {
        spelling = s;
        for (let i = 0; i < 2; i++) {
          cases++;
          encodings++;
          scan(await caught(() => client.identity.get()), [TOKEN]);
        }
      }
    } finally {
      await server.close();
    }
  });

  it('strict mode does not echo a reply key equal to the token in its validation message', async () => {
    const server = await scriptedServer([
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ID: '1', name: 'a', description: '', company: '', [TOKEN]: 'x', nested: { [TOKEN]: 1 } }));
      },
    ]);
    try {
      cases++;
      const error = await caught(() =>
        new Copernica({ accessToken: TOKEN, baseUrl: server.url, maxRetries: 0, strict: true }).identity.get(),
      );
      expect((error as { code?: string }).code).toBe('invalid_response');
      scan(error, [TOKEN]);
    } finally {
      await server.close();
    }
  });

  it('strict mode shows reply keys cleaned: no raw terminal escapes or line breaks', async () => {
    const keys = ['\u001b[2J\u001b[31mFAKE ERROR', 'line\nforged: yes', `k${TOKEN}`];
    const server = await scriptedServer([
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ID: '1', name: 'a', description: '', company: '', ...Object.fromEntries(keys.map((k) => [k, 1])) }));
      },
    ]);
    try {
      cases++;
      const error = await caught(() =>
        new Copernica({ accessToken: TOKEN, baseUrl: server.url, maxRetries: 0, strict: true }).identity.get(),
      );
      expect((error as { code?: string }).code).toBe('invalid_response');
      expect(error.message).not.toMatch(/[\u0000-\u001f]/);
      scan(error, [TOKEN]);
    } finally {
      await server.close();
    }
  });

  it('secrets of any length are redacted where they stand (a 1- to 7-character token too)', async () => {
    for (const token of ['Z', 'q7', 'abc', 'tok_12']) {
      const server = await scriptedServer([
        (_req, res) => {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `Bad token ${token}; in a URL ?access_token=${token}&x=1; quoted "${token}"` } }));
        },
      ]);
      try {
        cases++;
        const error = await caught(() => new Copernica({ accessToken: token, baseUrl: server.url, maxRetries: 0 }).identity.get());
        expect(error.message).toBe('400: Bad token ***; in a URL ?access_token=***&x=1; quoted "***"');
        expect(JSON.stringify(error)).not.toMatch(new RegExp(`[^A-Za-z0-9]${token}[^A-Za-z0-9]`));
      } finally {
        await server.close();
      }
    }
  });

  it('log lines carry no secret in any spelling', async () => {
    const lines: unknown[] = [];
    const server = await scriptedServer([
      (_req, res) => {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end(`{"error":{"message":"${uEscape(TOKEN)}"}}`);
      },
    ]);
    try {
      cases++;
      const logger = { debug: (...a: unknown[]) => lines.push(a), warn: (...a: unknown[]) => lines.push(a) };
      const error = await caught(() => new Copernica({ accessToken: TOKEN, baseUrl: server.url, maxRetries: 1, logger }).identity.get());
      scan(error, [TOKEN]);
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) scanned += expectNoSecrets(line, [TOKEN]);
    } finally {
      await server.close();
    }
  });
});

describe('OAuth: the client secret and the code, through the whole cause chain', () => {
  const SECRET = 'sec+ret/5c1e0f0d2b7a4e6f9a3b=';
  const CODE = 'code/9a3b8c7d+6e5f=';

  it('an OAuthError and its cause (the APIError) hold neither, in any spelling the server used', async () => {
    let spelling = JSON_SPELLINGS[0]![1];
    const server = await scriptedServer([
      (_req, res) => {
        res.writeHead(400, {
          'content-type': 'application/json',
          location: `/v1/token?client_secret=${lowerPercent(SECRET)}&code=${CODE}`,
        });
        res.end(`{"error":{"message":"Invalid code ${spelling(CODE)} for ${spelling(SECRET)}"},"${spelling(SECRET)}":"${spelling(CODE)}"}`);
      },
    ]);
    try {
      const oauth = new CopernicaOAuth({
        clientId: 'app',
        clientSecret: SECRET,
        redirectUri: 'https://app.example/cb',
        apiBaseUrl: server.url,
      });
      for (const [, s] of JSON_SPELLINGS) {
        spelling = s;
        cases++;
        encodings++;
        const error = await caught(() => oauth.exchangeCode(CODE));
        expect(isOAuthError(error)).toBe(true);
        expect((error as OAuthError).oauthError).toBe('invalid_grant');
        const cause = (error as { cause?: APIError }).cause;
        expect(cause?.status).toBe(400);
        scan(error, [SECRET, CODE]);
        scan(cause, [SECRET, CODE]);
        expect(inspect(error, { depth: 20 })).not.toContain(SECRET);
      }
    } finally {
      await server.close();
    }
  });

  it('a connection failure during the exchange: the cause chain holds neither', async () => {
    const server = await scriptedServer([(req) => req.socket.destroy()]);
    try {
      cases++;
      const oauth = new CopernicaOAuth({
        clientId: 'app',
        clientSecret: SECRET,
        redirectUri: 'https://app.example/cb',
        apiBaseUrl: server.url,
      });
      const error = await caught(() => oauth.exchangeCode(CODE));
      expect((error as OAuthError).oauthError).toBe('exchange_failed');
      scan(error, [SECRET, CODE]);
    } finally {
      await server.close();
    }
  });
});

describe('redaction, the one place', () => {
  it('walks every cause chain, of any error class, cycles included', () => {
    cases++;
    const secret = 'sEcReT/+=_0123456789';
    const inner = new TypeError(`fetch failed for ?access_token=${encodeURIComponent(secret)}`);
    (inner as { code?: string }).code = 'ECONNRESET';
    const middle = new RangeError(`bad ${uEscape(secret)}`, { cause: inner });
    const outer = new OAuthError('exchange_failed', `failed ${secret}`, { cause: middle });
    (inner as { cause?: unknown }).cause = outer; // a cycle
    const clean = scrubError(outer, [secret]);
    scan(clean, [secret]);
    const c1 = (clean as { cause?: Error }).cause!;
    expect(c1.name).toBe('RangeError');
    expect((c1 as { cause?: { code?: string } }).cause?.code).toBe('ECONNRESET');
  });

  it('finds a secret in every per-character mix of spellings (property)', () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 8,
      maxLength: 40,
    });
    const forms = (c: string) => [
      c,
      encodeURIComponent(c),
      lowerPercent(c),
      `%${c.charCodeAt(0).toString(16)}`,
      `%25${c.charCodeAt(0).toString(16).toUpperCase()}`,
      uEscape(c),
      uEscape(c, true),
      c === '/' ? '\\/' : c,
      c === '\\' ? '\\\\' : c,
      c === '"' ? '\\"' : c,
    ];
    fc.assert(
      fc.property(
        printable,
        fc.array(fc.nat(9), { minLength: 40, maxLength: 40 }),
        fc.string(),
        fc.string(),
        (secret, choice, before, after) => {
          const spelled = [...secret].map((c, i) => forms(c)[choice[i]!]!).join('');
          const text = `${before}|${spelled}|${after}`;
          encodings++;
          const out = redact(text, [secret]);
          if (!decodings(`${before}|${after}`).some((d) => d.includes(secret))) {
            for (const d of decodings(out)) expect(d).not.toContain(secret);
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
