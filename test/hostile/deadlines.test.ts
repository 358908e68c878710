/**
 * A method that sends several requests gets one deadline for all of them (issue 11: `timeout: 500`
 * took 710–1,063 ms and succeeded, because each request got its own 500 ms). A slow loopback server
 * answers every request after a delay; each multi-request method is called with a timeout shorter
 * than the sum of its requests and must fail with a TimeoutError that says the call's timeout was
 * spent, after about that timeout, without sending what no longer fits. The caller's signal covers
 * every request too. With a timeout that fits, the same calls succeed. Prints its counts at the end.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { isAbortError, isTimeoutError } from '../../src/core/errors.js';
import { scriptedServer, type ScriptedServer } from '../helpers/server.js';

const counts = { cases: 0, requests: 0 };
const DELAY = 250;
const TIMEOUT = 450; // fits one request of DELAY and part of a second: the third is never sent
/** The slack allowed after the deadline for timers and loopback (generous: this is not a benchmark). */
const SLACK = 400;

beforeAll(() => nock.enableNetConnect());
afterAll(() => console.log(`hostile deadlines: ${counts.cases} cases, ${counts.requests} slow requests served`));

/** Answers like Copernica, after DELAY ms: field definitions, a profile, and 201/200 writes. */
function slow(req: IncomingMessage, res: ServerResponse): void {
  counts.requests++;
  const url = new URL(req.url ?? '/', 'http://x');
  const timer = setTimeout(() => {
    if (req.method === 'GET' && url.pathname.endsWith('/fields')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          start: 0,
          limit: 100,
          count: 1,
          total: 1,
          data: [
            {
              ID: 1,
              name: 'email',
              type: 'text',
              value: '',
              displayed: true,
              ordered: false,
              length: 100,
              textlines: 1,
              hidden: false,
              index: false,
            },
          ],
        }),
      );
    } else if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ID: 7, database: 1, secret: 's', fields: { email: 'a@example.com' }, interests: [] }));
    } else if (req.method === 'POST' && url.pathname.endsWith('/profiles')) {
      res.writeHead(201, { 'x-created': '7', location: 'http://x/v1/profile/7' });
      res.end();
    } else {
      res.writeHead(200);
      res.end();
    }
  }, DELAY);
  res.on('close', () => clearTimeout(timer));
}

let server: ScriptedServer;
beforeAll(async () => {
  server = await scriptedServer([slow]);
});
afterAll(() => server?.close());

let clients = 0;
/** A fresh client (the field definitions are cached per client) with a token of its own, to count its requests. */
const client = (token = `tok-deadline-${String(++clients).padStart(4, '0')}-0123456789`) =>
  new Copernica({ accessToken: token, baseUrl: server.url, maxRetries: 0 });
const sentWith = (token: string) =>
  server.received.filter((r) => r.url.includes(`access_token=${token}`)).map((r) => `${r.method} ${r.url.split('?')[0]}`);

/** The multi-request calls (each sends three requests of DELAY ms), by name. */
const calls: [string, (c: Copernica, options: { timeout?: number; signal?: AbortSignal }) => Promise<unknown>][] = [
  [
    'profiles.create with validateFields and interests',
    (c, o) => c.profiles.create(1, { fields: { email: 'a@example.com' }, interests: { tennis: true }, validateFields: true }, o),
  ],
  [
    'profiles.update with validateFields (profile, definitions, PUT)',
    (c, o) => c.profiles.update(7, { fields: { email: 'b@example.com' }, interests: { tennis: true }, validateFields: true }, o),
  ],
];

async function timed(fn: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await fn();
    return { ms: performance.now() - started, error: undefined };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

describe('the timeout of a method call covers every request it sends', () => {
  for (const [name, call] of calls) {
    it(`${name}: TimeoutError after about the call's timeout (each request had its own)`, async () => {
      counts.cases++;
      const token = `tok-deadline-${name.length}-${counts.cases}-0123456789`;
      const outcome = await timed(() => call(client(token), { timeout: TIMEOUT }));
      expect(isTimeoutError(outcome.error), String(outcome.error)).toBe(true);
      expect((outcome.error as Error).message).toContain(`the call's timeout of ${TIMEOUT} ms was spent`);
      expect((outcome.error as Error).message).not.toContain('tok-deadline');
      expect(outcome.ms).toBeLessThan(TIMEOUT + SLACK);
      // The third request does not fit: it is not sent at all (before: all three were, and the call succeeded).
      expect(sentWith(token).length, JSON.stringify(sentWith(token))).toBeLessThanOrEqual(2);
    });
  }

  it('the client-wide timeout is one deadline per call too', async () => {
    counts.cases++;
    const c = new Copernica({ accessToken: 'tok-deadline-0123456789', baseUrl: server.url, maxRetries: 0, timeout: TIMEOUT });
    const outcome = await timed(() => calls[0]![1](c, {}));
    expect(isTimeoutError(outcome.error), String(outcome.error)).toBe(true);
    expect(outcome.ms).toBeLessThan(TIMEOUT + SLACK);
  });

  it("the caller's signal aborts whichever request is in flight (the second one here)", async () => {
    counts.cases++;
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('user gave up')), DELAY + 100);
    const outcome = await timed(() => calls[0]![1](client(), { signal: ac.signal }));
    expect(isAbortError(outcome.error), String(outcome.error)).toBe(true);
    expect(outcome.ms).toBeLessThan(DELAY + 100 + SLACK);
  });

  it('a timeout that fits every request: the same calls succeed', async () => {
    for (const [name, call] of calls) {
      counts.cases++;
      const outcome = await timed(() => call(client(), { timeout: 3 * DELAY + 2_000 }));
      expect(outcome.error, name).toBeUndefined();
      expect(outcome.ms).toBeGreaterThanOrEqual(3 * DELAY - 50); // three requests were really sent
    }
  });

  it('a call waiting on definitions another call is fetching waits no longer than its own deadline', async () => {
    counts.cases++;
    const c = client();
    const first = timed(() => c.profiles.create(1, { fields: { email: 'a@example.com' }, validateFields: true }, { timeout: 5_000 }));
    await new Promise((r) => setTimeout(r, 20));
    const second = await timed(() => c.profiles.create(1, { fields: { email: 'a@example.com' }, validateFields: true }, { timeout: 100 }));
    expect(isTimeoutError(second.error), String(second.error)).toBe(true);
    expect(second.ms).toBeLessThan(100 + SLACK);
    expect((await first).error).toBeUndefined();
  });

  it("one caller's abort of the shared definitions fetch is not another caller's failure", async () => {
    counts.cases++;
    const c = client();
    const ac = new AbortController();
    const first = timed(() => c.profiles.create(1, { fields: { email: 'a@example.com' }, validateFields: true }, { signal: ac.signal }));
    await new Promise((r) => setTimeout(r, 20));
    const second = timed(() => c.profiles.create(1, { fields: { email: 'a@example.com' }, validateFields: true }, { timeout: 5_000 }));
    setTimeout(() => ac.abort(new Error('the first caller gave up')), DELAY / 2);
    expect(isAbortError((await first).error), String((await first).error)).toBe(true);
    expect((await second).error).toBeUndefined(); // it fetched the definitions again, within its own time
  });
});
