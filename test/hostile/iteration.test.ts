/**
 * Servers that make list iteration run forever (issue 11, "Offset iteration never ends when a
 * server ignores `start`": 295,000 repeated items in 3 s). Hostile loopback servers ignore the
 * offset, the key filter, or send a negative count; every iteration must stop with a typed
 * InvalidResponseError after at most one repeated page, sequential or fetched ahead. An honest
 * server is iterated to the end. Prints its counts at the end.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { isInvalidResponseError } from '../../src/core/errors.js';
import { scriptedServer, type ScriptedServer } from '../helpers/server.js';

const counts = { cases: 0, requests: 0, items: 0 };
/** Stops a loop that the SDK does not stop (the bug): far more items than any case serves. */
const RUNAWAY = 20_000;

beforeAll(() => nock.enableNetConnect());
afterAll(() =>
  console.log(`hostile iteration: ${counts.cases} cases, ${counts.requests} pages served, ${counts.items} items taken before the stop`),
);

function query(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://x').searchParams;
}

function send(res: ServerResponse, body: unknown): void {
  counts.requests++;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const databases = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ ID: from + i, name: `db${from + i}` }));
const profiles = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ ID: from + i, database: 1, secret: 's', fields: { email: `p${from + i}@example.com` } }));

/** Drains an iteration; the outcome and how many items it handed out before. */
async function drain(iterable: AsyncIterable<unknown>): Promise<{ items: number; error: unknown }> {
  let items = 0;
  try {
    for await (const _ of iterable) {
      items++;
      counts.items++;
      if (items > RUNAWAY) return { items, error: new Error(`still iterating after ${RUNAWAY} items`) };
    }
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

async function withServer(step: (req: IncomingMessage, res: ServerResponse) => void, run: (c: Copernica) => Promise<void>): Promise<void> {
  const server: ScriptedServer = await scriptedServer([step]);
  try {
    await run(new Copernica({ accessToken: 'tok-iteration-0123456789', baseUrl: server.url, maxRetries: 0 }));
  } finally {
    await server.close();
  }
}

function expectStopped(outcome: { items: number; error: unknown }, maxItems: number): void {
  expect(isInvalidResponseError(outcome.error), String(outcome.error)).toBe(true);
  expect((outcome.error as Error).message).toMatch(/stopped making progress/);
  expect(outcome.items).toBeLessThanOrEqual(maxItems);
}

describe('offset iteration against a server that ignores start', () => {
  it('envelope with a total: stops at the first repeated page (it yielded 295,000 repeated items)', async () => {
    counts.cases++;
    await withServer(
      (_req, res) => send(res, { start: 0, limit: 100, count: 100, total: 1_000_000, data: databases(1, 100) }),
      async (c) => {
        const outcome = await drain(c.databases.list());
        expectStopped(outcome, 100);
        expect((outcome.error as Error).message).toContain('start=100');
        expect((outcome.error as { request: string }).request).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/v1\/databases\?start=100/);
        expect((outcome.error as { request: string }).request).not.toContain('tok-iteration');
      },
    );
  });

  it('envelope without a total (iteration asks total=false): stops too', async () => {
    counts.cases++;
    await withServer(
      (_req, res) => send(res, { start: 0, limit: 100, count: 100, data: databases(1, 100) }),
      async (c) => expectStopped(await drain(c.databases.list()), 100),
    );
  });

  it('pages fetched ahead (concurrency 4): stops at the first repeated page, in order', async () => {
    counts.cases++;
    await withServer(
      (_req, res) => send(res, { start: 0, limit: 100, count: 100, total: 1_000_000, data: databases(1, 100) }),
      async (c) => expectStopped(await drain(c.databases.list({ concurrency: 4 })), 100),
    );
  });

  it('profiles with iterate: offset (records have their own converter): stops', async () => {
    counts.cases++;
    await withServer(
      (_req, res) => send(res, { start: 0, limit: 10, count: 10, total: 500, data: profiles(1, 10) }),
      async (c) => expectStopped(await drain(c.profiles.list(1, { limit: 10, iterate: 'offset' })), 10),
    );
  });

  it('a negative count (start would move backwards, forever): refused at once', async () => {
    counts.cases++;
    await withServer(
      (_req, res) => send(res, { start: 0, limit: 100, count: -100, total: 1_000_000, data: databases(1, 100) }),
      async (c) => {
        const outcome = await drain(c.databases.list());
        expectStopped(outcome, 0);
        expect((outcome.error as Error).message).toContain('count=-100');
      },
    );
  });

  it('an honest server is read to the end, every item once', async () => {
    counts.cases++;
    await withServer(
      (req, res) => {
        const q = query(req);
        const start = Number(q.get('start') ?? 0);
        const limit = Number(q.get('limit') ?? 100);
        const n = Math.max(0, Math.min(limit, 250 - start));
        send(res, { start, limit, count: n, total: 250, data: databases(start + 1, n) });
      },
      async (c) => {
        const outcome = await drain(c.databases.list());
        expect(outcome).toEqual({ items: 250, error: undefined });
      },
    );
  });
});

describe('key iteration against a server that ignores the id> filter', () => {
  it('a full page with no ID above the cursor is an error (it ended silently: a truncated export passed as complete)', async () => {
    counts.cases++;
    await withServer(
      (_req, res) => send(res, { start: 0, limit: 10, count: 10, data: profiles(1, 10) }),
      async (c) => {
        const outcome = await drain(c.profiles.list(1, { limit: 10 }));
        expectStopped(outcome, 10);
        expect((outcome.error as Error).message).toContain('id>10');
      },
    );
  });

  it('a server that honours the filter is read to the end; a short last page ends it', async () => {
    counts.cases++;
    await withServer(
      (req, res) => {
        const filter = query(req)
          .getAll('fields[]')
          .find((f) => f.startsWith('id>'));
        const after = filter ? Number(filter.slice(3)) : 0;
        const n = Math.max(0, Math.min(10, 35 - after));
        send(res, { start: 0, limit: 10, count: n, data: profiles(after + 1, n) });
      },
      async (c) => expect(await drain(c.profiles.list(1, { limit: 10 }))).toEqual({ items: 35, error: undefined }),
    );
  });
});
