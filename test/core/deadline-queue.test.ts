/**
 * One deadline per call, served by one timer per distinct timeout (src/core/transport.ts,
 * startDeadline). What a user sees must be what a timer per call gave: each call times out at its
 * own deadline, whatever the calls around it did. Against a real node:http server on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Copernica, TimeoutError } from '../../src/index.js';
import { json, scriptedServer, stall, type ScriptedServer, type Step } from '../helpers/server.js';

const TOKEN = 'tok_deadline_queue_0123456789abcdef';
const IDENTITY = { ID: '7', name: 'acme', description: '', company: 'Acme' };
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers requests whose path ends in `/identity` at once, and never answers the others. */
const byPath: Step = (req, res, body) =>
  req.url?.startsWith('/v1/identity') ? json(200, IDENTITY)(req, res, body) : stall(req, res, body);

/** Resolves with how long the call took to fail and the error it failed with. */
async function timed(call: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await call();
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
  throw new Error('the call did not fail');
}

describe('deadlines of calls in flight together', () => {
  it('calls with the same timeout each time out at their own deadline, not at the first one', async () => {
    server = await scriptedServer([stall]);
    const client = new Copernica({ accessToken: TOKEN, baseUrl: server.url, timeout: 400, maxRetries: 0 });
    const first = timed(() => client.request({ method: 'GET', path: '/stalled/1' }));
    await sleep(250);
    const second = timed(() => client.request({ method: 'GET', path: '/stalled/2' }));
    const [a, b] = await Promise.all([first, second]);
    expect(a.error).toBeInstanceOf(TimeoutError);
    expect(b.error).toBeInstanceOf(TimeoutError);
    // Each waited its full 400 ms (timer granularity aside), measured from its own start.
    expect(a.ms).toBeGreaterThanOrEqual(395);
    expect(b.ms).toBeGreaterThanOrEqual(395);
    expect(a.ms).toBeLessThan(1_500);
    expect(b.ms).toBeLessThan(1_500);
  });

  it('a call that ends early changes nothing for the stalled call after it', async () => {
    server = await scriptedServer([byPath]);
    const client = new Copernica({ accessToken: TOKEN, baseUrl: server.url, timeout: 300, maxRetries: 0 });
    // The quick call arms the timeout's timer and ends; the stalled call is then the only one left.
    await expect(client.identity.get()).resolves.toMatchObject({ ID: 7 });
    await sleep(100);
    const stalled = await timed(() => client.request({ method: 'GET', path: '/stalled' }));
    expect(stalled.error).toBeInstanceOf(TimeoutError);
    expect((stalled.error as Error).message).toBe('GET request timed out after 300 ms');
    expect(stalled.ms).toBeGreaterThanOrEqual(295);
    expect(stalled.ms).toBeLessThan(1_500);
    // And a quick call after it still succeeds within the same timeout.
    await expect(client.identity.get()).resolves.toMatchObject({ ID: 7 });
  });

  it('a shorter timeout started later fires first; every quick call in between succeeds', async () => {
    server = await scriptedServer([byPath]);
    const client = new Copernica({ accessToken: TOKEN, baseUrl: server.url, maxRetries: 0 });
    const order: string[] = [];
    const long = timed(() => client.request({ method: 'GET', path: '/stalled/long' }, { timeout: 900 })).then(
      (r) => (order.push('long'), r),
    );
    await sleep(50);
    const short = timed(() => client.request({ method: 'GET', path: '/stalled/short' }, { timeout: 200 })).then(
      (r) => (order.push('short'), r),
    );
    const quick = await Promise.all(Array.from({ length: 20 }, () => client.identity.get({ timeout: 900 })));
    expect(quick).toHaveLength(20);
    const [l, s] = await Promise.all([long, short]);
    expect(order).toEqual(['short', 'long']);
    expect((s.error as Error).message).toBe('GET request timed out after 200 ms');
    expect((l.error as Error).message).toBe('GET request timed out after 900 ms');
    expect(s.ms).toBeGreaterThanOrEqual(195);
    expect(l.ms).toBeGreaterThanOrEqual(895);
  });

  it('many stalled calls started over time all time out, none early, none lost', async () => {
    server = await scriptedServer([stall]);
    const client = new Copernica({ accessToken: TOKEN, baseUrl: server.url, timeout: 300, maxRetries: 0 });
    const calls: Promise<{ ms: number; error: unknown }>[] = [];
    for (let i = 0; i < 12; i++) {
      calls.push(timed(() => client.request({ method: 'GET', path: `/stalled/${i}` })));
      await sleep(15);
    }
    const results = await Promise.all(calls);
    for (const r of results) {
      expect(r.error).toBeInstanceOf(TimeoutError);
      expect(r.ms).toBeGreaterThanOrEqual(295);
      expect(r.ms).toBeLessThan(2_000);
    }
  });
});
