/**
 * Bad input, by property: every public method of every namespace of the client (found by walking
 * the client, not by a hand-written list) gets arguments from hostile generators: IDs that are
 * negative, fractional, huge or not numbers; names and e-mail addresses with `../`, `%2F`, `?`, `#`,
 * unicode, lone surrogates and control characters; tag lists, dates and filters likewise. Each call
 * must either send a request whose path is one of the API's endpoints with every parameter a single,
 * safely encoded segment (and the token once, last), or throw a ValidationError before any request.
 * nock intercepts the API host with net connect disabled: nothing leaves the process.
 */
import nock from 'nock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica, isCopernicaError, isValidationError, where } from '../../src/index.js';
import { APIResource } from '../../src/core/resource.js';
import { seen } from '../helpers/nock.js';
import { ENDPOINTS } from './endpoints.js';
import { SecretScanner } from './helpers.js';

const TOKEN = 'tok_property_5f0c1e2d3a4b5c6d7e8f';
const API = 'https://api.copernica.com';
const RUNS = 40;

/** Plausible argument values, to find for each method one argument list that it sends. */
const PLAUSIBLE: unknown[] = [
  1,
  'customers',
  {},
  { fields: { email: 'a@example.com' } },
  { name: 'x' },
  { name: 'x', type: 'text' },
  'a@example.com',
  '2024-01-01',
  'cdm-click.2024-03-01.log',
  ['tag'],
  { where: 'email==a@example.com', fields: { country: 'nl' } },
  { type: 'field' },
  { email: 'a@example.com' },
  'field',
  undefined,
  'html',
  { behavior: 'remove' },
];

const scanner = new SecretScanner();
scanner.addSecret(TOKEN);
let cases = 0;
const sent: { method: string; path: string }[] = [];
const unmatched: string[] = [];

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on('no match', (req: unknown) =>
    unmatched.push(String((req as { path?: string; url?: string })?.path ?? (req as { url?: string })?.url ?? req)),
  );
  for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
    nock(API)
      .persist()
      .intercept(() => true, method)
      .query(true)
      .reply(function (this: unknown, uri: unknown) {
        sent.push({ method, path: seen(uri, this as { req?: { headers?: Record<string, string> } }).path });
        return [200, '{}', { 'content-type': 'application/json' }] as const;
      });
  }
});

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  const { errors } = scanner.scan();
  console.log(`property: ${cases} cases`);
  console.log(`secrets: ${errors} serialised errors scanned (property suite)`);
});

// ---- the public surface -------------------------------------------------------------------

interface PublicMethod {
  name: string;
  /** Declared parameters, the last being `options`. */
  arity: number;
  call(args: unknown[]): unknown;
}

function publicMethods(client: Copernica): PublicMethod[] {
  const out: PublicMethod[] = [];
  const walk = (ns: APIResource, name: string) => {
    const names = new Set<string>();
    for (let proto = Object.getPrototypeOf(ns); proto && proto !== APIResource.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const k of Object.getOwnPropertyNames(proto)) if (k !== 'constructor' && !k.startsWith('_')) names.add(k);
    }
    for (const k of names) {
      const fn = (ns as unknown as Record<string, unknown>)[k];
      if (typeof fn !== 'function') continue;
      out.push({ name: `${name}.${k}`, arity: fn.length, call: (args) => (fn as (...a: unknown[]) => unknown).apply(ns, args) });
    }
    for (const [k, v] of Object.entries(ns)) if (v instanceof APIResource) walk(v, `${name}.${k}`);
  };
  for (const [k, v] of Object.entries(client)) if (v instanceof APIResource) walk(v, k);
  return out;
}

// ---- hostile generators ---------------------------------------------------------------------

const nasty = [
  '',
  ' ',
  '.',
  '..',
  '../',
  '../../identity',
  './x',
  '..%2F',
  '%2F',
  '%2f',
  '%2e%2e',
  '%2E%2E%2F',
  'a/b',
  '/',
  '//',
  '?',
  '#',
  'a?b=c',
  'a#b',
  '\\',
  'a\\b',
  '\u0000',
  'a\u0000b',
  '\n',
  '\r\n',
  '\t',
  '\u007f',
  '\u0085',
  '\u202e',
  '\ud800',
  'a\udfffb',
  'ü',
  'naïve',
  '名前',
  '👍',
  'a;b',
  'a&access_token=x',
  '&',
  '=',
  '%',
  '%zz',
  '12abc',
  '1e3',
  '0x1f',
  '-1',
  '+1',
  '1.5',
  ' 12',
  '12 ',
  '１２',
  '٣',
  'null',
  'undefined',
  'x'.repeat(300),
  'nl@example.com',
  'a/b@example.com',
  'a@b?c',
  'a@b#c',
  '@',
  'a@',
  '2024-02-30',
  '2024-01-01',
  '2024-1-1',
  '2024-01-01/..',
  '0000-00-00',
  'cdm-click.2024-03-01.log',
  '../cdm-click.2024-03-01.log',
  'cdm-click.2024-03-01.log?x',
  'email==a@b',
  'id>1',
  'id>1&x=y',
  'name=~%a%',
  '12/../13',
  '12%2F..%2F13',
  'Customers',
  'subscribers list',
];

const hostileString = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...nasty) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 2, arbitrary: fc.stringMatching(/^[0-9]{1,20}$/) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...nasty), fc.constantFrom(...nasty)).map(([a, b]) => a + b) },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, -0, 0.5, 1.5, 1e21, 2 ** 53, 2 ** 53 + 2, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.integer({ min: -1_000, max: 1_000_000_000 }),
  fc.double(),
);

const hostileScalar = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 5, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, true, false, 12n, Symbol('x')) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
);

const hostileFilter = fc.oneof(
  hostileString,
  fc.array(hostileString, { maxLength: 3 }),
  fc.tuple(hostileString, hostileScalar).map(([f, v]) => {
    try {
      return where.eq(f, v as string);
    } catch {
      return `${String(f)}==${String(v)}`;
    }
  }),
);

const KEYS = [
  'where',
  'fields',
  'name',
  'description',
  'start',
  'limit',
  'total',
  'orderBy',
  'order',
  'iterate',
  'concurrency',
  'interests',
  'secret',
  'type',
  'value',
  'from',
  'to',
  'format',
  'create',
  'async',
  'length',
  'collection',
  'archived',
  'behavior',
  'inverted',
  'disabled',
  'email',
  'profile',
  'id',
  'ID',
  '__proto__',
  'constructor',
];

const hostileObject = fc.dictionary(
  fc.constantFrom(...KEYS),
  fc.oneof(hostileScalar, hostileFilter, fc.dictionary(hostileString, hostileScalar, { maxKeys: 3 })),
  { maxKeys: 4 },
);

/** One argument: an ID, a name, an e-mail address, a date, a tag list, a filter or params object, or nothing. */
const hostileArg = fc.oneof(
  { weight: 6, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
  { weight: 2, arbitrary: hostileObject },
  { weight: 1, arbitrary: hostileFilter.map((w) => ({ where: w })) },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 99_999 }) },
);

// ---- what a request may look like -------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/;
const PATTERNS = ENDPOINTS.map((e) => {
  const [method, pattern] = e.split(' ') as [string, string];
  return { method, parts: pattern.split('/').slice(1) };
});

/** Why a sent request is not single-segment safe, or undefined when it is. */
function unsafe(method: string, pathWithQuery: string): string | undefined {
  const q = pathWithQuery.indexOf('?');
  const pathname = q < 0 ? pathWithQuery : pathWithQuery.slice(0, q);
  const search = q < 0 ? '' : pathWithQuery.slice(q + 1);
  if (pathWithQuery.includes('#')) return 'a raw "#" in the URL';
  if (!pathname.startsWith('/v1/')) return 'not below /v1/';
  const segments = pathname.slice('/v1/'.length).split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') return `an empty or dot segment in ${pathname}`;
    if (!SEGMENT.test(s)) return `segment ${JSON.stringify(s)} is not percent-encoded`;
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      return `segment ${JSON.stringify(s)} does not decode`;
    }
    if (/[/\\?#]/.test(decoded) || CONTROL.test(decoded) || decoded === '.' || decoded === '..')
      return `segment ${JSON.stringify(s)} decodes to something unsafe`;
  }
  const match = PATTERNS.some(
    (p) =>
      p.method === method && p.parts.length === segments.length && p.parts.every((part, i) => part.startsWith('{') || part === segments[i]),
  );
  if (!match) return `${method} ${pathname} is not one of the API's endpoints`;
  const params = new URLSearchParams(search);
  const tokens = params.getAll('access_token');
  if (tokens.length !== 1 || tokens[0] !== TOKEN) return 'access_token missing, repeated or altered';
  if ([...params.keys()].at(-1) !== 'access_token') return 'access_token is not the last query parameter';
  return undefined;
}

/**
 * Runs a call to the end: one page of a list, the first item of a stream, a Readable read to its
 * end (nock's bodies are tiny; destroying an undici body mid-way under nock's interceptor trips an
 * undici assertion, a known limit of nock with undici, not of the SDK).
 */
async function settle(result: unknown): Promise<void> {
  let value = result;
  if (value && typeof (value as PromiseLike<unknown>).then === 'function') value = await value;
  if (value && typeof (value as { destroy?: unknown }).destroy === 'function' && typeof (value as { pipe?: unknown }).pipe === 'function') {
    for await (const _chunk of value as AsyncIterable<unknown>) {
      /* drain */
    }
    return;
  }
  if (value && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const it = (value as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    try {
      await it.next();
    } finally {
      await it.return?.();
    }
  }
}

// ---- the property ---------------------------------------------------------------------------

const client = new Copernica({ accessToken: TOKEN, maxRetries: 0, timeout: 2_000 });
/**
 * Methods that never send a request, by design (they act on the client's own state): the property
 * below is about what reaches the wire. Their refusals are checked by test/contract-of-failure.test.ts
 * (every method) and their own tests (test/resources/field-definitions.test.ts).
 */
const SENDS_NOTHING = new Set(['profiles.clearFieldCache']);
const methods = publicMethods(client).filter((m) => !SENDS_NOTHING.has(m.name));
const stats = { sent: 0, refused: 0 };

/** The first argument list (from PLAUSIBLE) with which the method sends a request, if any. */
async function sendingArgs(m: PublicMethod): Promise<unknown[] | undefined> {
  const n = Math.max(0, m.arity - 1);
  const total = PLAUSIBLE.length ** n;
  for (let i = 0; i < total; i++) {
    const args: unknown[] = [];
    for (let k = 0, x = i; k < n; k++, x = Math.floor(x / PLAUSIBLE.length)) args.push(structuredClone(PLAUSIBLE[x % PLAUSIBLE.length]));
    sent.length = 0;
    try {
      await settle(m.call(args));
    } catch {
      /* refused or a reply the SDK did not like: only whether it sent counts here */
    }
    if (sent.length > 0) return args;
  }
  return undefined;
}

describe('hostile input to every public method', () => {
  it('finds the whole public surface', () => {
    expect(methods.length).toBeGreaterThan(90);
    const withPathParams = methods.filter((m) => m.arity >= 2);
    expect(withPathParams.length).toBeGreaterThan(80);
  });

  const unsendable: string[] = [];
  afterAll(() => {
    // Most methods were reached with a request, and a good share of the hostile cases got onto the wire.
    expect(unsendable.length).toBeLessThanOrEqual(5);
    expect(stats.sent / (stats.sent + stats.refused)).toBeGreaterThan(0.1);
    console.log(
      `property: ${stats.sent} cases sent a request, ${stats.refused} were refused before sending; methods never sent: ${unsendable.join(', ') || 'none'}`,
    );
  });

  for (const m of methods) {
    it(`${m.name}(${m.arity - 1} argument${m.arity === 2 ? '' : 's'} + options): a safely encoded request or a ValidationError before any`, async () => {
      const n = Math.max(0, m.arity - 1);
      const valid = await sendingArgs(m);
      if (!valid) unsendable.push(m.name);
      // Half the runs: every argument hostile. Half: a sending argument list with one argument replaced.
      const allHostile = fc.array(hostileArg, { minLength: n, maxLength: n });
      const oneHostile =
        valid && n > 0
          ? fc.tuple(fc.nat({ max: n - 1 }), hostileArg).map(([i, h]) => valid.map((v, k) => (k === i ? h : structuredClone(v))))
          : allHostile;
      let sentHere = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(allHostile, oneHostile), async (args) => {
          cases++;
          sent.length = 0;
          unmatched.length = 0;
          let error: unknown;
          // One failure contract: a refusal is a rejection (or a stream's failed first read), never a synchronous throw.
          let returned: unknown;
          try {
            returned = m.call(args);
          } catch (e) {
            throw new Error(`${m.name} threw synchronously (${(e as Error)?.name}): its failure must be a rejection`);
          }
          try {
            await settle(returned);
          } catch (e) {
            error = e;
          }
          if (error !== undefined) scanner.record({ error });
          expect(unmatched, 'a request nock did not intercept').toEqual([]);
          if (sent.length === 0) stats.refused++;
          else {
            stats.sent++;
            sentHere++;
          }
          if (sent.length === 0) {
            // Nothing left the process: then it must be the validation error.
            if (error === undefined) throw new Error(`${m.name} returned without sending anything and without an error`);
            if (!isValidationError(error)) throw error;
          } else {
            for (const r of sent) {
              const why = unsafe(r.method, r.path);
              if (why)
                throw new Error(
                  `${m.name}(${args.map((a) => String(typeof a === 'symbol' ? 'Symbol' : a)).join(', ')}) sent ${r.method} ${r.path}: ${why}`,
                );
            }
            if (error !== undefined && !isCopernicaError(error)) throw error;
          }
        }),
        // The sending argument list itself is always one of the runs, so the property is not vacuous.
        { numRuns: RUNS, seed: 20240607 + m.name.length, examples: valid ? [[valid]] : [] },
      );
      if (valid) expect(sentHere, 'runs that sent a request').toBeGreaterThan(0);
    });
  }
});
