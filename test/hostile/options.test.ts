/**
 * Options and hooks that could be turned against the caller: every numeric option is validated at
 * construction with a ValidationError naming it; a hostile `Retry-After` (400 digits, negative,
 * a bare number that `Date.parse` reads as a year) falls back to the backoff; a logger that throws
 * or rejects never changes the outcome of a call.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Copernica, CopernicaOAuth, MemoryStateStore, isRateLimitError, isValidationError } from '../../src/index.js';
import { parseRetryAfter } from '../../src/core/errors.js';
import { retryDelay } from '../../src/core/transport.js';
import { scriptedServer, json, type Step } from '../helpers/server.js';

const TOKEN = 'tok_hostile_options_5c1e0f0d2b7a4e';
let cases = 0;

afterAll(() => {
  console.log(`hostile options: ${cases} cases`);
});

function refused(make: () => unknown, option: string): void {
  cases++;
  let caught: unknown;
  try {
    make();
  } catch (error) {
    caught = error;
  }
  expect(isValidationError(caught), `${option}: expected a ValidationError`).toBe(true);
  expect(String((caught as Error).message)).toContain(option);
}

const BAD_NUMBERS = [0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 31, Number.MAX_SAFE_INTEGER + 2, '100', null, true];

describe('numeric options are validated at construction, naming the option', () => {
  it('client: timeout, maxRetries, maxResponseBytes (constructor, withOptions, per call)', async () => {
    const client = new Copernica({ accessToken: TOKEN });
    for (const bad of BAD_NUMBERS) {
      refused(() => new Copernica({ accessToken: TOKEN, timeout: bad as never }), 'timeout');
      refused(() => client.withOptions({ timeout: bad as never }), 'timeout');
      refused(() => new Copernica({ accessToken: TOKEN, maxResponseBytes: bad as never }), 'maxResponseBytes');
      if (bad !== 0) refused(() => new Copernica({ accessToken: TOKEN, maxRetries: bad as never }), 'maxRetries');
      cases++;
      await expect(client.request({ method: 'GET', path: '/identity' }, { timeout: bad as never })).rejects.toMatchObject({
        code: 'validation_error',
      });
    }
    refused(() => new Copernica({ accessToken: TOKEN, maxRetries: 11 }), 'maxRetries');
    refused(() => new Copernica({ accessToken: TOKEN, timeout: 86_400_001 }), 'timeout');
  });

  it('CopernicaOAuth: a timeout above 2^31-1 ms (which fired after 1 ms) and other bad timeouts', () => {
    const base = { clientId: 'app', clientSecret: 'secret-secret-secret', redirectUri: 'https://app.example/cb' };
    for (const bad of [2 ** 31, 2 ** 31 - 1, 86_400_001, ...BAD_NUMBERS])
      refused(() => new CopernicaOAuth({ ...base, timeout: bad as never }), 'timeout');
    cases++;
    expect(() => new CopernicaOAuth({ ...base, timeout: 86_400_000 })).not.toThrow();
  });

  it('MemoryStateStore: maxEntries 0, -1, NaN, Infinity, non-integers; ttlMs likewise', () => {
    for (const bad of [...BAD_NUMBERS, 10_000_001]) refused(() => new MemoryStateStore({ maxEntries: bad as never }), 'maxEntries');
    const store = new MemoryStateStore({ maxEntries: 1 });
    for (const bad of [...BAD_NUMBERS.filter((n) => n !== 2 ** 31), 31 * 24 * 3600 * 1000])
      refused(() => store.save('s'.repeat(43), bad as never), 'ttlMs');
    cases++;
    store.save('a'.repeat(43), 1000);
    store.save('b'.repeat(43), 1000);
    expect(store.size).toBe(1); // the cap holds (NaN used to remove it, 0 and -1 looped forever)
    expect(store.consume('b'.repeat(43))).toBe(true);
    expect(store.consume('a'.repeat(43))).toBe(false);
  });
});

describe('option keys in messages', () => {
  it('an unknown key is named cleaned (no control characters) and cut; many are summarised', () => {
    cases++;
    let caught: unknown;
    try {
      new Copernica({ accessToken: TOKEN, ['\u001b[2Jx\nforged']: 1, ['k'.repeat(5_000)]: 2 } as never);
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
    const message = (caught as Error).message;
    expect(message).toContain('unknown options ?[2Jx?forged, kkkk');
    expect(message).not.toMatch(/[\u0000-\u001f]/);
    expect(message.length).toBeLessThan(300);
    cases++;
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect(() => new Copernica({ accessToken: TOKEN, ...many } as never)).toThrow(/\(50 in all\)/);
  });
});

describe('Retry-After from a hostile server', () => {
  it('400 digits, negative, garbage or beyond a day are unreadable: backoff applies', () => {
    for (const v of ['9'.repeat(400), '-1', '-999999', '1e9', '0x10', 'Infinity', 'NaN', '86401', 'Thu, 01 Jan 1970 00:00:00 GMT junk']) {
      cases++;
      expect(parseRetryAfter(v), v.slice(0, 20)).toBeUndefined();
    }
    cases++;
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT')).toBe(0);
    for (let i = 0; i < 50; i++) {
      const d = retryDelay(0, undefined);
      expect(d).toBeGreaterThanOrEqual(375);
      expect(d).toBeLessThanOrEqual(500);
    }
  });

  it('a 429 with 400 digits reads no "Infinity"; the retry waits the backoff, not 0 and not the cap', async () => {
    for (const header of ['9'.repeat(400), '-5']) {
      cases++;
      const s = await scriptedServer([json(429, { error: { message: 'slow down' } }, { 'retry-after': header })]);
      try {
        const warnings: { delayMs: number }[] = [];
        const client = new Copernica({
          accessToken: TOKEN,
          baseUrl: s.url,
          maxRetries: 1,
          logger: { warn: (_m, meta) => warnings.push(meta as { delayMs: number }) },
        });
        const error = await client.identity.get().catch((e: unknown) => e);
        expect(isRateLimitError(error)).toBe(true);
        expect(String((error as Error).message)).toBe('429: too many requests');
        expect((error as { retryAfterMs?: number }).retryAfterMs).toBeUndefined();
        expect(warnings).toHaveLength(1);
        expect(warnings[0]!.delayMs).toBeGreaterThanOrEqual(375);
        expect(warnings[0]!.delayMs).toBeLessThanOrEqual(500);
        expect(s.received).toHaveLength(2);
      } finally {
        await s.close();
      }
    }
  });
});

describe('a logger never changes the outcome of a call', () => {
  const created: Step = (_req, res) => {
    res.writeHead(201, { 'x-created': '42', location: '/v1/profile/42' });
    res.end();
  };

  const hostileLoggers: [string, () => Record<string, unknown>][] = [
    [
      'debug throws',
      () => ({
        debug: () => {
          throw new Error('logger down');
        },
      }),
    ],
    [
      'debug and warn throw a string',
      () => ({
        debug: () => {
          throw 'boom';
        },
        warn: () => {
          throw 'boom';
        },
      }),
    ],
    [
      'async debug rejects',
      () => ({
        debug: async () => {
          throw new Error('async logger down');
        },
      }),
    ],
    [
      'debug is a throwing getter',
      () =>
        Object.defineProperty({}, 'debug', {
          get: () => {
            throw new Error('getter');
          },
          enumerable: true,
        }),
    ],
  ];

  it('a POST that created a profile is reported as created, sent once, whatever the logger does', async () => {
    const s = await scriptedServer([created]);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      for (const [name, make] of hostileLoggers) {
        cases++;
        let client: Copernica;
        try {
          client = new Copernica({ accessToken: TOKEN, baseUrl: s.url, logger: make() as never });
        } catch (error) {
          // A logger object whose methods cannot even be read is refused at construction: also fine, nothing sent.
          expect(isValidationError(error), name).toBe(true);
          continue;
        }
        const before = s.received.length;
        const res = await client.request({ method: 'POST', path: '/database/1/profiles', body: { fields: { email: 'a@b.nl' } } });
        expect(res.status, name).toBe(201);
        expect(res.id, name).toBe(42);
        expect(s.received.length, name).toBe(before + 1);
      }
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
      expect(warn.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      warn.mockRestore();
      process.off('unhandledRejection', onUnhandled);
      await s.close();
    }
  });
});
