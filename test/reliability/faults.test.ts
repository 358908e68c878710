/**
 * Reliability: every fault kind of the fake (over real loopback sockets) against GET, POST, PUT and
 * DELETE calls and against long paginated exports. Assertions are on outcomes a user sees: an
 * idempotent call succeeds after a retry or fails with the right typed error within its deadline;
 * a POST is never sent twice (counted in the fake's request log and in its store); an export that
 * is interrupted and resumed yields every record exactly once; nothing hangs. Every error, returned
 * value and log line of this file is scanned for the access token, the client secret and an OAuth code.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  Copernica,
  ConnectionError,
  CopernicaOAuth,
  InvalidResponseError,
  OAuthError,
  RateLimitError,
  ServerError,
  TimeoutError,
  isCopernicaError,
  where,
  type Profile,
} from '../../src/index.js';
import { createFakeCopernica, type FakeCopernica, type FaultRule } from '../../src/testing/index.js';
import { hard, oauthCode, outcome, SecretScanner, type Outcome } from './helpers.js';

const scanner = new SecretScanner();
let faultCases = 0;

afterAll(() => {
  const { errors, texts, lines } = scanner.scan();
  console.log(`reliability: ${faultCases} fault cases`);
  console.log(`secrets: ${errors} serialised errors scanned (${texts} texts checked, plus ${lines} log lines; faults suite)`);
});

// ---- the fault kinds ----------------------------------------------------------------------

type Kind =
  | 'latency'
  | '502'
  | '503'
  | '504'
  | '429'
  | 'reset-before-headers'
  | 'reset-mid-body'
  | 'stall-body'
  | 'malformed-json'
  | 'truncated-json';

const KINDS: Kind[] = [
  'latency',
  '502',
  '503',
  '504',
  '429',
  'reset-before-headers',
  'reset-mid-body',
  'stall-body',
  'malformed-json',
  'truncated-json',
];

/** Deadline of one call: short where the fault eats it all, long enough for a 1 s Retry-After elsewhere. */
const deadlineOf = (k: Kind) => (k === 'latency' || k === 'stall-body' ? 500 : 3_000);
const LATENCY_MS = 1_500; // "latency beyond the deadline"

function ruleOf(kind: Kind, route: string, extra: Partial<FaultRule> = {}): FaultRule {
  switch (kind) {
    case 'latency':
      return { route, kind: 'latency', ms: LATENCY_MS, ...extra };
    case '502':
    case '503':
    case '504':
      return { route, kind: 'status', status: Number(kind) as 502 | 503 | 504, ...extra };
    case '429':
      return { route, kind: 'status', status: 429, retryAfter: 1, ...extra };
    default:
      return { route, kind, ...extra };
  }
}

/** Faults that stop the request before the fake's handler runs (nothing is written). */
const HANDLER_SKIPPED = new Set<Kind>(['502', '503', '504', '429', 'reset-before-headers']);

// ---- the calls -----------------------------------------------------------------------------

interface Ctx {
  fake: FakeCopernica;
  client: Copernica;
  databaseId: number;
  profileId: number;
  liveCount: () => number;
}

interface Op {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  route: string;
  run(ctx: Ctx, timeout: number): Promise<unknown>;
}

const OPS: Op[] = [
  { name: 'client.identity.get()', method: 'GET', route: '/identity', run: (c, timeout) => c.client.identity.get({ timeout }) },
  {
    name: 'client.profiles.get(id)',
    method: 'GET',
    route: '/profile/{profileId}',
    run: (c, timeout) => c.client.profiles.get(c.profileId, { timeout }),
  },
  {
    name: 'client.profiles.create()',
    method: 'POST',
    route: '/database/{databaseId}/profiles',
    run: (c, timeout) => c.client.profiles.create(c.databaseId, { fields: { email: 'new@example.com', firstname: 'New' } }, { timeout }),
  },
  {
    name: 'client.profiles.update()',
    method: 'PUT',
    route: '/profile/{profileId}',
    run: (c, timeout) => c.client.profiles.update(c.profileId, { fields: { firstname: 'Changed' } }, { timeout }),
  },
  {
    name: 'client.profiles.delete()',
    method: 'DELETE',
    route: '/profile/{profileId}',
    run: (c, timeout) => c.client.profiles.delete(c.profileId, { timeout }),
  },
];

type Expected = { ok: true } | { error: new (...args: never[]) => Error };

/**
 * What a user must see for one fault (injected once) on one call.
 *
 * Writes (POST, PUT, DELETE) are answered by status and headers (`X-Created`, `X-location`,
 * `X-deleted`); their body is not read. A reply whose headers arrived but whose body then broke
 * off, stalled or is not JSON therefore reports the write that happened (with its ID), once.
 */
function expected(kind: Kind, op: Op): Expected {
  if (kind === 'latency') return { error: TimeoutError };
  if (kind === 'stall-body') return op.method === 'GET' ? { error: TimeoutError } : { ok: true };
  if (op.method === 'POST') {
    if (kind === '429') return { error: RateLimitError };
    if (kind === '502' || kind === '503' || kind === '504') return { error: ServerError };
    if (kind === 'reset-before-headers') return { error: ConnectionError };
    return { ok: true }; // the headers arrived: the profile exists and its ID is in X-Created
  }
  return { ok: true }; // idempotent: retried, or (writes) answered by headers
}

/** How many requests the fake receives for that call. */
function expectedRequests(kind: Kind, op: Op): number {
  if (op.method === 'POST') return 1; // never twice
  if (kind === 'latency' || kind === 'stall-body') return 1; // the deadline is gone, or (writes) the headers said it all
  if (op.method !== 'GET' && (kind === 'malformed-json' || kind === 'truncated-json' || kind === 'reset-mid-body')) return 1;
  return 2;
}

async function context(fake: FakeCopernica, options: { maxRetries?: number } = {}): Promise<Ctx> {
  const db = [...fake.account().databases.values()][0]!;
  scanner.addSecret(fake.accounts[0]!.token);
  const client = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, logger: scanner.logger, ...options });
  return { fake, client, databaseId: db.id, profileId: db.ids[1]!, liveCount: () => db.ids.length };
}

const requestsTo = (fake: FakeCopernica, method: string, route: string) =>
  fake.requests.filter((r) => r.method === method && r.route === route);

describe('every fault kind against GET, POST, PUT and DELETE', () => {
  for (const kind of KINDS) {
    for (const op of OPS) {
      const exp = expected(kind, op);
      const title = `${kind} on ${op.method} ${op.route} (${op.name}) → ${'ok' in exp ? 'succeeds' : exp.error.name}`;
      it.concurrent(title, async () => {
        faultCases++;
        const fake = await createFakeCopernica({ seed: 3, profiles: 5 });
        try {
          const ctx = await context(fake);
          const before = ctx.liveCount();
          fake.inject(ruleOf(kind, `${op.method} ${op.route}`, { times: 1 }));
          const deadline = deadlineOf(kind);
          const o = await outcome(() => op.run(ctx, deadline), deadline + 5_000, title);
          scanner.record(o);

          // The outcome the user sees, within the deadline (plus generous slack for a loaded machine).
          if ('ok' in exp) {
            if (!o.ok) throw o.error;
          } else {
            expect(o.ok, 'expected the call to fail').toBe(false);
            expect((o as { error: unknown }).error).toBeInstanceOf(exp.error);
            expect(isCopernicaError((o as { error: unknown }).error)).toBe(true);
          }
          expect(o.ms).toBeLessThan(deadline + 2_000);
          if (kind === '429' && op.method !== 'POST') expect(o.ms, 'Retry-After: 1 is honoured').toBeGreaterThanOrEqual(950);

          // How often it reached the server.
          expect(requestsTo(fake, op.method, op.route)).toHaveLength(expectedRequests(kind, op));
          // 303 after PUT is a success and is never followed.
          expect(fake.requests.filter((r) => r.method === 'GET' && r.route === '/profile/{profileId}')).toHaveLength(
            op.method === 'GET' && op.route === '/profile/{profileId}' ? expectedRequests(kind, op) : 0,
          );

          if (op.method === 'POST') {
            // Wait until a delayed handler (latency) has run, then count the store.
            if (kind === 'latency') await new Promise((r) => setTimeout(r, LATENCY_MS - o.ms + 300));
            expect(ctx.liveCount() - before, 'new profiles in the store').toBe(HANDLER_SKIPPED.has(kind) ? 0 : 1);
            if (o.ok) expect((o.value as { id?: number }).id).toBeTypeOf('number');
          }
          if (op.method === 'DELETE' && o.ok) expect((o.value as { removed: boolean }).removed).toBe(true);
          if (op.method === 'PUT' && o.ok) expect([200, 303]).toContain((o.value as { status: number }).status);
        } finally {
          await fake.close();
        }
      });
    }
  }

  it('303 after PUT (the live default) is a success, not followed, its Location redacted', async () => {
    faultCases++;
    const fake = await createFakeCopernica({ seed: 3, profiles: 5 });
    try {
      const ctx = await context(fake);
      const o = await outcome(() => ctx.client.profiles.update(ctx.profileId, { fields: { firstname: 'Again' } }), 10_000);
      scanner.record(o);
      if (!o.ok) throw o.error;
      expect(o.value.status).toBe(303);
      expect(o.value.id).toBe(ctx.profileId);
      expect(o.value.location).toBe(`${fake.apiUrl}/profile/${ctx.profileId}`);
      // The raw Location repeats the URL with the token: redacted in what the SDK hands out.
      const raw = await outcome(
        () => ctx.client.request({ method: 'PUT', path: `/profile/${ctx.profileId}`, body: { firstname: 'Raw' }, responseType: 'none' }),
        10_000,
      );
      scanner.record(raw);
      if (!raw.ok) throw raw.error;
      expect(raw.value.status).toBe(303);
      expect(String(raw.value.headers.location)).toMatch(/[?&]access_token=\*\*\*/);
      expect(fake.requests.map((r) => `${r.method} ${r.route}`)).toEqual(['PUT /profile/{profileId}', 'PUT /profile/{profileId}']);
    } finally {
      await fake.close();
    }
  });

  it('a persistent fault on an idempotent call fails with the typed error after maxRetries + 1 attempts', async () => {
    faultCases += 3;
    const fake = await createFakeCopernica({ seed: 3, profiles: 5 });
    try {
      const ctx = await context(fake, { maxRetries: 2 });
      for (const [kind, type] of [
        ['503', ServerError],
        ['reset-before-headers', ConnectionError],
        ['malformed-json', InvalidResponseError],
      ] as const) {
        fake.clearRequests();
        fake.clearFaults();
        fake.inject(ruleOf(kind, 'GET /identity'));
        const o = await outcome(() => ctx.client.identity.get({ timeout: 8_000 }), 15_000);
        scanner.record(o);
        expect(o.ok).toBe(false);
        expect((o as { error: unknown }).error).toBeInstanceOf(type);
        expect(requestsTo(fake, 'GET', '/identity')).toHaveLength(3);
      }
    } finally {
      await fake.close();
    }
  });
});

// ---- long exports ------------------------------------------------------------------------

const EXPORT_SIZE = 1_234; // 13 pages of 100, the last one short

/**
 * A resumable export as a user writes it: iterate with `for await`; on an error, continue from
 * where it stopped (the offset of the next record, or the last seen ID with key iteration).
 */
async function resumableExport(client: Copernica, databaseId: number, mode: 'offset' | 'key' | 'concurrent', timeout: number) {
  const seen: number[] = [];
  const errors: unknown[] = [];
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const last = seen.at(-1);
      const list =
        mode === 'key'
          ? client.profiles.list(databaseId, { iterate: 'key', where: last === undefined ? undefined : where.idAfter(last) }, { timeout })
          : client.profiles.list(
              databaseId,
              { start: seen.length, concurrency: mode === 'concurrent' ? 4 : 1, orderBy: 'id' },
              { timeout },
            );
      for await (const p of list as AsyncIterable<Profile>) seen.push(p.ID);
      return { seen, errors };
    } catch (error) {
      errors.push(error);
      scanner.record({ error });
      // Honour the server's Retry-After before resuming, as a user should.
      if (error instanceof RateLimitError) await new Promise((r) => setTimeout(r, Math.min(error.retryAfterMs ?? 1_000, 2_000)));
    }
  }
  throw new Error('the export did not finish after 200 resumptions');
}

describe('a long paginated export under faults', () => {
  for (const kind of KINDS) {
    for (const mode of ['offset', 'key', 'concurrent'] as const) {
      it.concurrent(`${kind} on every page with probability 0.3, ${mode} iteration, resumed after each error: every profile exactly once`, async () => {
        faultCases++;
        const fake = await createFakeCopernica({ seed: 11, profiles: EXPORT_SIZE });
        try {
          // No SDK retries: every fault interrupts the export, and the loop above resumes it.
          const ctx = await context(fake, { maxRetries: 0 });
          const db = [...fake.account().databases.values()][0]!;
          const expectedIds = [...db.ids];
          // Seeded: the same pages fail on every run. Retry-After 0 on 429 keeps the run short.
          fake.inject(
            ruleOf(kind, 'GET /database/{databaseId}/profiles', { probability: 0.3, ...(kind === '429' ? { retryAfter: 0 } : {}) }),
          );
          const timeout = kind === 'latency' || kind === 'stall-body' ? 300 : 4_000;
          const { seen, errors } = await hard(resumableExport(ctx.client, ctx.databaseId, mode, timeout), 40_000, `${kind} export`);
          expect(seen).toEqual(expectedIds); // every record, once, in order
          for (const e of errors) expect(isCopernicaError(e), String(e)).toBe(true);
          expect(errors.length, 'the faults did interrupt the export').toBeGreaterThan(0);
        } finally {
          await fake.close();
        }
      });
    }
  }
});

// ---- OAuth: the client secret and a real code under faults ------------------------------------

describe('the OAuth code exchange under faults', () => {
  it.concurrent('fails with OAuthError, never retried, and the code and client secret appear nowhere', async () => {
    const fake = await createFakeCopernica({ seed: 5, profiles: 1 });
    try {
      const oauth = new CopernicaOAuth({
        clientId: fake.app.clientId,
        clientSecret: fake.app.clientSecret,
        redirectUri: fake.app.redirectUri,
        apiBaseUrl: fake.apiUrl,
        authorizeBaseUrl: fake.url,
        timeout: 500,
      });
      scanner.addSecret(fake.app.clientSecret);
      for (const kind of KINDS) {
        faultCases++;
        const code = await oauthCode(fake, 'S'.repeat(40));
        scanner.addSecret(code);
        fake.clearRequests();
        fake.inject(ruleOf(kind, 'GET /token', { times: 1 }));
        const o: Outcome<unknown> = await outcome(() => oauth.exchangeCode(code), 6_000, `token exchange under ${kind}`);
        scanner.record(o);
        expect(o.ok, `${kind}: the exchange should fail`).toBe(false);
        expect((o as { error: unknown }).error).toBeInstanceOf(OAuthError);
        expect(
          fake.requests.filter((r) => r.route === '/token'),
          'a code is single use: never retried',
        ).toHaveLength(1);
      }
      // A used or made-up code: refused by the server, message without the code.
      const used = await oauthCode(fake, 'T'.repeat(40));
      scanner.addSecret(used);
      await oauth.exchangeCode(used).then((r) => scanner.record({ ok: true, value: r, ms: 0 }));
      const again = await outcome(() => oauth.exchangeCode(used), 6_000);
      scanner.record(again);
      expect((again as { error: unknown }).error).toBeInstanceOf(OAuthError);
    } finally {
      await fake.close();
    }
  });
});

// ---- the token itself ---------------------------------------------------------------------

describe('the access token', () => {
  it('is a secret of every scan, and a revoked token fails typed without showing it', async () => {
    const fake = await createFakeCopernica({ seed: 3, profiles: 2 });
    try {
      for (const a of fake.accounts) scanner.addSecret(a.token);
      const token = fake.issueToken();
      scanner.addSecret(token);
      const client = new Copernica({ accessToken: token, baseUrl: fake.apiUrl, logger: scanner.logger });
      scanner.record({ ok: true, value: client, ms: 0 });
      fake.revokeToken(token);
      const o = await outcome(() => client.identity.get(), 10_000);
      scanner.record(o);
      expect(o.ok).toBe(false);
      expect((o as { error: { code?: string } }).error.code).toBe('invalid_token');
    } finally {
      await fake.close();
    }
  });
});

// ---- fetch-ahead must not leak rejections ---------------------------------------------------

describe('an interrupted concurrent export', () => {
  it('leaves no unhandled promise rejection behind (a user process would crash on one)', async () => {
    faultCases++;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const fake = await createFakeCopernica({ seed: 11, profiles: EXPORT_SIZE });
    try {
      const ctx = await context(fake, { maxRetries: 0 });
      // Pages fetched ahead are slow or fail at random (seeded): a later page then fails while the
      // iterator still waits for an earlier one. Its failure must be held until the iterator gets
      // there (or dropped when the iteration ends), never reported as an unhandled rejection.
      fake.inject({ route: 'GET /database/{databaseId}/profiles', kind: 'latency', ms: 150, probability: 0.5 });
      fake.inject({ route: 'GET /database/{databaseId}/profiles', kind: 'status', status: 503, probability: 0.3 });
      const { seen, errors } = await hard(resumableExport(ctx.client, ctx.databaseId, 'concurrent', 5_000), 30_000);
      expect(seen).toEqual([...[...fake.account().databases.values()][0]!.ids]);
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e).toBeInstanceOf(ServerError);
      await new Promise((r) => setTimeout(r, 100));
      expect(
        unhandled.map(String),
        'PageRequest#concurrentPages must attach a handler to each fetched-ahead page when it starts it (src/core/pagination.ts)',
      ).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await fake.close();
    }
  });
});
