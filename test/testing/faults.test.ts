import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { request } from 'node:http';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { call, get } from './helpers.js';

let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ profiles: 20 });
});
afterAll(() => fake.close());
beforeEach(() => fake.clearFaults());

/** Raw HTTP GET that reports what arrived: status, headers, the body bytes received, and how it ended. */
function raw(
  url: string,
  timeoutMs = 1000,
): Promise<{ status?: number; headers?: Record<string, unknown>; body: string; outcome: 'end' | 'error' | 'timeout' }> {
  return new Promise((resolve) => {
    let body = '';
    let status: number | undefined;
    let headers: Record<string, unknown> | undefined;
    const req = request(url, { agent: false }, (res) => {
      status = res.statusCode;
      headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status, headers, body, outcome: 'end' }));
      res.on('error', () => resolve({ status, headers, body, outcome: 'error' }));
      res.on('aborted', () => resolve({ status, headers, body, outcome: 'error' }));
    });
    req.on('error', () => resolve({ status, headers, body, outcome: 'error' }));
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ status, headers, body, outcome: 'timeout' });
    });
    req.end();
  });
}
const url = (path: string) => `${fake.apiUrl}${path}${path.includes('?') ? '&' : '?'}access_token=${fake.accounts[0]!.token}`;

describe('status faults', () => {
  test('503 with an HTML load-balancer page, for the next N matching calls only', async () => {
    fake.inject({ route: '/database/{databaseId}/profiles', kind: 'status', status: 503, times: 2 });
    expect((await get(fake, '/identity')).status).toBe(200); // other route untouched
    for (let i = 0; i < 2; i++) {
      const r = await get(fake, '/database/1/profiles');
      expect(r.status).toBe(503);
      expect(r.headers.get('content-type')).toMatch(/text\/html/);
      expect(r.text).toMatch(/too many requests/i);
    }
    expect((await get(fake, '/database/1/profiles')).status).toBe(200);
  });

  test('429 carries Retry-After; method + pattern routes match only that method', async () => {
    fake.inject({ route: 'PUT /profile/{profileId}/fields', kind: 'status', status: 429, retryAfter: 3, times: 1 });
    expect((await get(fake, '/profile/1/fields')).status).toBe(200);
    const r = await call(fake, 'PUT', '/profile/1/fields', { body: { firstname: 'x' } });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    expect((await get(fake, '/profile/1/fields')).json.firstname).not.toBe('x'); // not applied
  });

  test('502 and 504, and a rule without route hits every API call', async () => {
    fake.inject({ kind: 'status', status: 502, times: 1 });
    fake.inject({ kind: 'status', status: 504, times: 1 });
    expect((await get(fake, '/identity')).status).toBe(502);
    expect((await get(fake, '/databases')).status).toBe(504);
    expect((await get(fake, '/databases')).status).toBe(200);
  });

  test('probability draws from the seeded PRNG: same seed, same pattern', async () => {
    const pattern = async (): Promise<number[]> => {
      const f = await createFakeCopernica({ seed: 42, profiles: 1, faults: [{ kind: 'status', status: 503, probability: 0.5 }] });
      try {
        const out: number[] = [];
        for (let i = 0; i < 20; i++) out.push((await get(f, '/identity')).status);
        return out;
      } finally {
        await f.close();
      }
    };
    const a = await pattern();
    expect(a).toEqual(await pattern());
    expect(a).toContain(503);
    expect(a).toContain(200);
  });
});

describe('latency', () => {
  test('a latency rule delays matching calls', async () => {
    fake.inject({ route: '/identity', kind: 'latency', ms: 150, times: 1 });
    const t0 = performance.now();
    await get(fake, '/identity');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    const t1 = performance.now();
    await get(fake, '/identity');
    expect(performance.now() - t1).toBeLessThan(140);
  });

  test('the latencyMs option delays every API call', async () => {
    const f = await createFakeCopernica({ profiles: 1, latencyMs: 60 });
    try {
      const t0 = performance.now();
      await get(f, '/identity');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    } finally {
      await f.close();
    }
  });
});

describe('connection faults', () => {
  test('reset-before-headers: the connection drops with no response', async () => {
    fake.inject({ route: '/identity', kind: 'reset-before-headers', times: 1 });
    const r = await raw(url('/identity'));
    expect(r.outcome).toBe('error');
    expect(r.status).toBeUndefined();
    await expect(fetch(url('/identity'))).resolves.toHaveProperty('status', 200);
  });

  test('reset-mid-body: headers and part of the body arrive, then the connection drops', async () => {
    fake.inject({ route: '/database/{databaseId}/profiles', kind: 'reset-mid-body', times: 1 });
    const r = await raw(url('/database/1/profiles'));
    expect(r.status).toBe(200);
    expect(r.outcome).toBe('error');
    expect(r.body.length).toBeGreaterThan(0);
    expect(r.body.length).toBeLessThan(Number(r.headers!['content-length']));
  });

  test('stall-body: part of the body, then nothing until the client gives up', async () => {
    fake.inject({ route: '/databases', kind: 'stall-body', times: 1 });
    const r = await raw(url('/databases'), 300);
    expect(r.status).toBe(200);
    expect(r.outcome).toBe('timeout');
    expect(r.body.length).toBeGreaterThan(0);
  });

  test('close() ends a stalled response instead of hanging', async () => {
    const f = await createFakeCopernica({ profiles: 1, faults: [{ kind: 'stall-body' }] });
    const pending = raw(`${f.apiUrl}/identity?access_token=${f.accounts[0]!.token}`, 5000);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await f.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect((await pending).outcome).toBe('error');
  });
});

describe('body faults', () => {
  test('malformed-json: a 200 whose JSON does not parse', async () => {
    fake.inject({ route: 'GET /identity', kind: 'malformed-json', times: 1 });
    const r = await get(fake, '/identity');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/json/);
    expect(() => JSON.parse(r.text)).toThrow();
  });

  test('truncated-json: a complete HTTP response carrying half a JSON document', async () => {
    fake.inject({ route: '/database/{databaseId}/profiles', kind: 'truncated-json', times: 1 });
    const r = await raw(url('/database/1/profiles?limit=3'));
    expect(r.outcome).toBe('end');
    expect(r.status).toBe(200);
    expect(r.body.startsWith('{"start":0')).toBe(true);
    expect(() => JSON.parse(r.body)).toThrow();
  });

  test('unknown fault kinds and statuses are rejected when injected', () => {
    expect(() => fake.inject({ kind: 'explode' as never })).toThrow(TypeError);
    expect(() => fake.inject({ kind: 'status', status: 500 as never })).toThrow(TypeError);
  });
});
