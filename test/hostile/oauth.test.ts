/**
 * Hostile input against the OAuth helper: a callback URL that hides a query in its fragment, a
 * token endpoint that answers with a token carrying CR/LF, spaces or escape characters (it would
 * be sent in every later URL, or split a header), and base URLs with credentials, a query or a
 * fragment. Each is refused with a typed error; nothing is exchanged on a refused callback.
 */
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CopernicaOAuth, type OAuthError, isOAuthError, isValidationError } from '../../src/index.js';
import { scriptedServer, json } from '../helpers/server.js';
import { expectNoSecrets } from '../helpers/secrets.js';

const STATE = 'S'.repeat(43);
const SECRET = 'sec_5c1e0f0d2b7a4e6f9a3b8c7d';
const base = { clientId: 'app', clientSecret: SECRET, redirectUri: 'https://app.example/cb' };
let cases = 0;
let scanned = 0;

afterAll(() => {
  console.log(`hostile oauth: ${cases} cases, ${scanned} serialised texts scanned for secrets`);
});

function oauthFails(fn: () => unknown, oauthError: string): OAuthError {
  cases++;
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isOAuthError(caught), 'expected an OAuthError').toBe(true);
  expect((caught as OAuthError).oauthError).toBe(oauthError);
  return caught as OAuthError;
}

describe('validateCallback never reads the query from the fragment', () => {
  const oauth = new CopernicaOAuth(base);

  it("issue 11: 'https://app/cb#x?state=…&code=…' has no query: refused", () => {
    oauthFails(() => oauth.validateCallback(`https://app/cb#x?state=${STATE}&code=evil`, STATE), 'invalid_request');
    oauthFails(() => oauth.validateCallback(`/cb#?state=${STATE}&code=evil`, STATE), 'invalid_request');
    oauthFails(() => oauth.validateCallback(`https://app/cb#state=${STATE}&code=evil`, STATE), 'invalid_request');
    oauthFails(() => oauth.validateCallback(`#?state=${STATE}&code=evil`, STATE), 'invalid_request');
  });

  it('a fragment after the real query is ignored: its parameters neither win nor count as repeats', () => {
    cases++;
    expect(oauth.validateCallback(`https://app/cb?state=${STATE}&code=real#code=evil&state=x`, STATE)).toEqual({ code: 'real' });
    expect(oauth.validateCallback(`/cb?state=${STATE}&code=real#?code=evil`, STATE)).toEqual({ code: 'real' });
    expect(oauth.validateCallback(`?state=${STATE}&code=real#code=evil`, STATE)).toEqual({ code: 'real' });
    oauthFails(() => oauth.validateCallback(`https://app/cb?state=${STATE}#&code=evil`, STATE), 'invalid_request');
  });
});

describe('exchangeCode refuses a token that cannot travel as is', () => {
  const BAD_TOKENS = [
    'tok\r\nX-Evil: 1',
    'tok\nline',
    'tok en',
    ' tok',
    'tok\t',
    'tok\u001b[31m',
    'tok\u0000',
    'tok\u007f',
    'tök',
    'tok\u2028',
    '',
    'x'.repeat(1025),
    42,
    null,
    ['tok'],
    { t: 1 },
  ];

  it('CR/LF, spaces, control and escape characters, non-ASCII, empty, too long or not a string: OAuthError invalid_response', async () => {
    for (const token of BAD_TOKENS) {
      cases++;
      const s = await scriptedServer([json(200, { access_token: token })]);
      try {
        const oauth = new CopernicaOAuth({ ...base, apiBaseUrl: s.url });
        const error = await oauth.exchangeCode('the-code-1234').catch((e: unknown) => e);
        expect(isOAuthError(error), JSON.stringify(token)).toBe(true);
        expect((error as OAuthError).oauthError).toBe('invalid_response');
        expect(s.received).toHaveLength(1);
        scanned += expectNoSecrets(error, [SECRET, 'the-code-1234', ...(typeof token === 'string' && token.length >= 8 ? [token] : [])]);
      } finally {
        await s.close();
      }
    }
  });

  it('a plausible token is returned: kept by JSON (stored), hidden from inspect (logged)', async () => {
    cases++;
    const s = await scriptedServer([json(200, { access_token: '5c1e0f0d2b7a4e6f9a3b8c7d6e5f4a3b' })]);
    try {
      const result = await new CopernicaOAuth({ ...base, apiBaseUrl: s.url }).exchangeCode('the-code-1234');
      expect(result.accessToken).toBe('5c1e0f0d2b7a4e6f9a3b8c7d6e5f4a3b');
      expect(JSON.parse(JSON.stringify(result))).toEqual({ accessToken: '5c1e0f0d2b7a4e6f9a3b8c7d6e5f4a3b' });
      expect(inspect(result)).not.toContain('5c1e0f');
    } finally {
      await s.close();
    }
  });
});

describe('base URLs with credentials, a query or a fragment are refused at construction', () => {
  const BAD_BASES = [
    'https://user:pw@www.copernica.com',
    'https://user@www.copernica.com',
    'https://@www.copernica.com',
    'https://www.copernica.com?x=1',
    'https://www.copernica.com/?',
    'https://www.copernica.com#frag',
    'https://www.copernica.com/#',
    'https://www.copernica.com/a b',
    'https://www.copernica.com\\evil',
    'javascript:alert(1)',
    'ftp://www.copernica.com',
    '//www.copernica.com',
  ];

  it('authorizeBaseUrl and apiBaseUrl', () => {
    for (const bad of BAD_BASES) {
      for (const option of ['authorizeBaseUrl', 'apiBaseUrl'] as const) {
        cases++;
        let caught: unknown;
        try {
          new CopernicaOAuth({ ...base, [option]: bad });
        } catch (error) {
          caught = error;
        }
        expect(isValidationError(caught), `${option} ${bad}`).toBe(true);
        expect(String((caught as Error).message)).toContain(option);
        scanned += expectNoSecrets(caught, [SECRET]);
      }
    }
  });

  it('a redirectUri with a fragment or credentials (RFC 6749 3.1.2); a query stays allowed', () => {
    for (const bad of ['https://app.example/cb#x', 'https://u:p@app.example/cb', 'https://app.example/cb#']) {
      cases++;
      expect(() => new CopernicaOAuth({ ...base, redirectUri: bad })).toThrow(/redirectUri/);
    }
    cases++;
    expect(() => new CopernicaOAuth({ ...base, redirectUri: 'https://app.example/cb?tenant=1' })).not.toThrow();
  });

  it('the authorize URL stays on the normalised authorize base', () => {
    cases++;
    const oauth = new CopernicaOAuth({ ...base, authorizeBaseUrl: 'https://WWW.copernica.com/a/../' });
    expect(oauth.authorizeBaseUrl).toBe('https://www.copernica.com');
    const { url } = oauth.createAuthorizationUrl();
    expect(new URL(url).origin).toBe('https://www.copernica.com');
    expect(new URL(url).pathname).toBe('/en/authorize');
  });
});
