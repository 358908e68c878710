/**
 * Client and per-call options are checked without zod when they plainly pass (making a client then
 * runs no schema). The fast path keeps its twin: over generated options, whatever the fast path
 * accepts the schema accepts with the same result, and what a user sees (the resolved settings or
 * the ValidationError's message) is the schema's in every case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import {
  checkRequestOptions,
  plainClientOptions,
  plainRequestOptions,
  requestOptionsWithSchema,
  resolveClientOptions,
  resolveWithSchema,
} from '../../src/core/config.js';

const outcome = (f: () => unknown): { ok: unknown } | { error: string } => {
  try {
    return { ok: f() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
};

const dispatcher = new Agent();
const logger = { debug: () => undefined, warn: () => undefined };

const value = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    true,
    false,
    0,
    -0,
    1,
    -1,
    1.5,
    10,
    11,
    1023,
    1024,
    60_000,
    86_400_000,
    86_400_001,
    524_288_000,
    524_288_001,
  ),
  fc.constantFrom(Number.NaN, Infinity, 2 ** 53, '', ' ', 'x', 'tok en', 'tok\u00e9n', 'a'.repeat(1024), 'a'.repeat(1025), '5000'),
  fc.constantFrom(
    'https://api.copernica.com/v1',
    'http://127.0.0.1:1/v1/',
    'http://H/api/../v1/',
    'ftp://x/v1',
    'https://u:p@x/v1',
    'https://x/v1?a',
    'https://x/v1#',
    'https://x/a b',
  ),
  fc.constantFrom(
    dispatcher,
    logger,
    { dispatch: 1 },
    { debug: 'no' },
    {},
    [],
    { name: 'my-app' },
    { name: 'bad name' },
    new AbortController().signal,
  ),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);
const token = fc.oneof(fc.constant('tok_0123456789abcdef'), fc.stringMatching(/^[\x21-\x7e]{1,40}$/), value);

const clientOptions = fc.record(
  {
    accessToken: token,
    baseUrl: value,
    timeout: value,
    maxRetries: value,
    dispatcher: value,
    logger: value,
    appInfo: value,
    strict: value,
    maxResponseBytes: value,
    extra: value,
  },
  { requiredKeys: ['accessToken'] },
);

describe('client options without zod', () => {
  it('the common options take the fast path', () => {
    for (const o of [
      { accessToken: 'tok_0123456789abcdef' },
      { accessToken: 't', baseUrl: 'http://127.0.0.1:8080/v1/', timeout: 5_000, maxRetries: 0 },
      { accessToken: 't', dispatcher, logger, strict: true, maxResponseBytes: 1024 },
    ]) {
      expect(plainClientOptions(o), JSON.stringify(Object.keys(o))).toEqual(resolveWithSchema(o));
    }
  });

  it('whatever the fast path accepts the schema accepts, with the same settings', () => {
    fc.assert(
      fc.property(clientOptions, (o) => {
        const fast = plainClientOptions(o);
        if (fast !== undefined) expect(fast).toEqual(resolveWithSchema(o));
      }),
      { numRuns: 3_000 },
    );
  });

  it('a user sees what the schema says: the same settings or the same ValidationError', () => {
    fc.assert(
      fc.property(clientOptions, (o) => {
        expect(outcome(() => resolveClientOptions(o))).toEqual(outcome(() => resolveWithSchema(o)));
      }),
      { numRuns: 3_000 },
    );
    // Not plain objects and symbol keys go to the schema.
    const withSymbol = { accessToken: 't', [Symbol('x')]: 1 };
    expect(plainClientOptions(withSymbol)).toBeUndefined();
    expect(plainClientOptions(Object.assign(Object.create({ timeout: 'inherited' }), { accessToken: 't' }))).toBeUndefined();
  });

  it('reads each option once: a getter cannot pass the check and then hand over another value', () => {
    let reads = 0;
    const o = {
      get accessToken() {
        reads++;
        return reads === 1 ? 'tok_valid' : 'tok with spaces';
      },
    };
    const r = resolveClientOptions(o);
    expect(r.token).toBe('tok_valid');
    expect(reads).toBe(1);
  });
});

describe('per-call options without zod', () => {
  const requestOptions = fc.record(
    { signal: value, timeout: value, maxRetries: value, maxResponseBytes: value, extra: value },
    { requiredKeys: [] },
  );

  it('{ signal } and { timeout } take the fast path and come back as a copy', () => {
    const signal = new AbortController().signal;
    const given = { signal, timeout: 5_000 };
    const fast = plainRequestOptions(given);
    expect(fast).toEqual({ signal, timeout: 5_000 });
    expect(fast).not.toBe(given);
  });

  it('whatever the fast path accepts the schema accepts, and users see the schema’s answer', () => {
    fc.assert(
      fc.property(requestOptions, (o) => {
        const fast = plainRequestOptions(o);
        if (fast !== undefined) expect(fast).toEqual(requestOptionsWithSchema(o));
        expect(outcome(() => checkRequestOptions(o))).toEqual(outcome(() => requestOptionsWithSchema(o)));
      }),
      { numRuns: 3_000 },
    );
    expect(outcome(() => checkRequestOptions(null))).toEqual(outcome(() => requestOptionsWithSchema(null)));
    expect(outcome(() => checkRequestOptions('x'))).toEqual(outcome(() => requestOptionsWithSchema('x')));
  });
});
