/**
 * Deadlines, aborts, resets and retries against a real node:http server on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  ConnectionError,
  Copernica,
  InvalidResponseError,
  RateLimitError,
  ServerError,
  TimeoutError,
  isConnectionError,
} from '../../src/index.js';
import { html, json, reset, resetMidBody, scriptedServer, stall, stallBody, type ScriptedServer } from '../helpers/server.js';
import { rejection } from '../helpers/secrets.js';

const TOKEN = 'tok_resilience_0123456789abcdef0123';
const IDENTITY = { ID: '7', name: 'acme', description: '', company: 'Acme' };
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const client = (s: ScriptedServer, extra: Partial<ConstructorParameters<typeof Copernica>[0]> = {}) =>
  new Copernica({ accessToken: TOKEN, baseUrl: s.url, ...extra });

describe('deadline', () => {
  it('fails with TimeoutError when headers never come, within the deadline', async () => {
    server = await scriptedServer([stall]);
    const started = Date.now();
    const error = await rejection(() => client(server!, { timeout: 300, maxRetries: 0 }).identity.get(), [TOKEN]);
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isConnectionError(error)).toBe(true);
    expect(error.message).toBe('GET request timed out after 300 ms');
    expect(took).toBeLessThan(1_500);
  });

  it('covers the body too: a stalled body times out', async () => {
    server = await scriptedServer([stallBody]);
    const error = await rejection(() => client(server!, { timeout: 300, maxRetries: 0 }).identity.get(), [TOKEN]);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('is one deadline over all attempts, not one per attempt', async () => {
    server = await scriptedServer([stall]);
    const started = Date.now();
    const error = await rejection(() => client(server!, { timeout: 400, maxRetries: 5 }).identity.get(), [TOKEN]);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(server.received.length).toBe(1);
  });

  it('takes a per-call timeout', async () => {
    server = await scriptedServer([stall]);
    const error = await rejection(() => client(server!, { timeout: 60_000 }).identity.get({ timeout: 200 }), [TOKEN]);
    expect(error).toBeInstanceOf(TimeoutError);
  });
});

describe('abort', () => {
  it('rejects with AbortError when the caller aborts', async () => {
    server = await scriptedServer([stall]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(() => client(server!).identity.get({ signal: controller.signal }), [TOKEN]);
    expect(error).toBeInstanceOf(AbortError);
  });

  it('rejects at once for an already aborted signal, sending nothing', async () => {
    server = await scriptedServer([json(200, IDENTITY)]);
    const error = await rejection(() => client(server!).identity.get({ signal: AbortSignal.abort() }), [TOKEN]);
    expect(error).toBeInstanceOf(AbortError);
    expect(server.received.length).toBe(0);
  });
});

describe('retries', () => {
  it('retries a GET after 503 HTML pages and succeeds', async () => {
    server = await scriptedServer([html(503), html(502), json(200, IDENTITY)]);
    const me = await client(server).identity.get();
    expect(me.ID).toBe(7);
    expect(server.received.length).toBe(3);
  });

  it('gives up after maxRetries with ServerError', async () => {
    server = await scriptedServer([html(504)]);
    const error = await rejection(() => client(server!, { maxRetries: 1 }).identity.get(), [TOKEN]);
    expect(error).toBeInstanceOf(ServerError);
    expect(server.received.length).toBe(2);
  });

  it('honours Retry-After in seconds on 429', async () => {
    server = await scriptedServer([json(429, { error: { message: 'slow down' } }, { 'retry-after': '1' }), json(200, IDENTITY)]);
    const started = Date.now();
    await client(server).identity.get();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.received.length).toBe(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const when = new Date(Date.now() + 1_500).toUTCString();
    server = await scriptedServer([json(429, {}, { 'retry-after': when }), json(200, IDENTITY)]);
    const started = Date.now();
    await client(server).identity.get();
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('fails at once when Retry-After is beyond the deadline', async () => {
    server = await scriptedServer([json(429, {}, { 'retry-after': '120' })]);
    const started = Date.now();
    const error = await rejection(() => client(server!, { timeout: 5_000 }).identity.get(), [TOKEN]);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('retries a GET after a reset before headers and after a reset mid-body', async () => {
    server = await scriptedServer([reset, resetMidBody, json(200, IDENTITY)]);
    const me = await client(server).identity.get();
    expect(me.name).toBe('acme');
    expect(server.received.length).toBe(3);
  });

  it('retries a GET after malformed JSON, then reports InvalidResponseError', async () => {
    const bad = (_r: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ID":"1","name":');
    };
    server = await scriptedServer([bad]);
    const error = await rejection(() => client(server!, { maxRetries: 1 }).identity.get(), [TOKEN]);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(server.received.length).toBe(2);
  });

  it('does not retry a reply of the wrong shape: valid JSON the model refuses is not a transport failure', async () => {
    server = await scriptedServer([json(200, { ID: 'not-a-number', name: 'acme' }), json(200, IDENTITY)]);
    const error = await rejection(() => client(server!, { maxRetries: 2 }).identity.get(), [TOKEN]);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/did not have the expected shape/);
    expect(server.received.length).toBe(1);
  });

  it('retries PUT and DELETE, which are idempotent', async () => {
    server = await scriptedServer([
      html(503),
      (_q, res) => (res.writeHead(303, { location: `${server!.url}/profile/1?access_token=${TOKEN}` }), res.end()),
    ]);
    const res = await client(server).request({ method: 'PUT', path: '/profile/1/fields', body: { a: 1 } });
    expect(res.status).toBe(303);
    expect(res.location).toContain('access_token=***');
    expect(server.received.length).toBe(2);
  });

  it('never sends a POST twice after it may have reached the server', async () => {
    for (const step of [html(503), reset, resetMidBody, json(429, {}, { 'retry-after': '0' })]) {
      server = await scriptedServer([step, json(201, {})]);
      const error = await rejection(
        () => client(server!).request({ method: 'POST', path: '/database/1/profiles', body: { fields: {} } }),
        [TOKEN],
      );
      expect(error.name).toMatch(/ServerError|ConnectionError|RateLimitError/);
      expect(server.received.length).toBe(1);
      await server.close();
      server = undefined;
    }
  });

  it('retries a POST whose connection was refused (nothing was sent)', async () => {
    const s = await scriptedServer([json(200, {})]);
    const url = s.url;
    await s.close();
    const error = await rejection(
      () =>
        new Copernica({ accessToken: TOKEN, baseUrl: url, maxRetries: 1, timeout: 5_000 }).request({
          method: 'POST',
          path: '/databases',
          body: {},
        }),
      [TOKEN],
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError & { cause: { code?: string } }).cause.code).toBe('ECONNREFUSED');
    expect(error.message).toMatch(/^POST request to 127\.0\.0\.1:\d+ failed \(ECONNREFUSED\)/);
  });

  it('logs each retry as a warning', async () => {
    server = await scriptedServer([html(503), json(200, IDENTITY)]);
    const warnings: unknown[] = [];
    await client(server, { logger: { warn: (_m, meta) => warnings.push(meta) } }).identity.get();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ attempt: 1, reason: 'status 503' });
    expect(JSON.stringify(warnings)).not.toContain(TOKEN);
  });
});

describe('streamed replies', () => {
  const big = (_r: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/csv' });
    const line = 'a,b,c\n'.repeat(10_000);
    let n = 0;
    const write = () => {
      while (n < 200 && res.write(line)) n++;
      if (n < 200) res.once('drain', write);
      else res.end();
    };
    write();
  };

  it('lets the caller stop early with a plain destroy(), without an error', async () => {
    server = await scriptedServer([big]);
    const { data: stream } = await client(server).request<import('node:stream').Readable>({
      method: 'GET',
      path: '/logfiles/x.log',
      responseType: 'stream',
    });
    const errors: unknown[] = [];
    stream.on('error', (e) => errors.push(e));
    const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
    expect(first.length).toBeGreaterThan(0);
    stream.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toEqual([]);
  });

  it('reports a reset in the middle of a download as a ConnectionError', async () => {
    server = await scriptedServer([resetMidBody]);
    const { data: stream } = await client(server).request<import('node:stream').Readable>({
      method: 'GET',
      path: '/logfiles/x.log',
      responseType: 'stream',
    });
    const error = await rejection(async () => {
      for await (const _chunk of stream) {
        /* read */
      }
    }, [TOKEN]);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(/^GET download failed mid-body/);
  });

  it('reports the caller aborting a download as an AbortError', async () => {
    server = await scriptedServer([stallBody]);
    const controller = new AbortController();
    const { data: stream } = await client(server).request<import('node:stream').Readable>(
      { method: 'GET', path: '/logfiles/x.log', responseType: 'stream' },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(async () => {
      for await (const _chunk of stream) {
        /* read */
      }
    }, [TOKEN]);
    expect(error).toBeInstanceOf(AbortError);
  });
});
