import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from 'copernica-rest/testing';
import { createAcmeClient, main } from '../../examples/wrap-this-sdk.js';

let fake: FakeCopernica;

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 2, profiles: 12 });
});

afterAll(() => fake.close());

describe('examples/wrap-this-sdk', () => {
  it('sends every call through the custom dispatcher with appInfo in the User-Agent, and logs without the token', async () => {
    const token = fake.accounts[0]!.token;
    fake.clearRequests();
    const result = await main({ accessToken: token, baseUrl: fake.apiUrl });

    expect(result.account).toBe(fake.accounts[0]!.name);
    expect(result.databases).toEqual([...fake.account(fake.accounts[0]!.id).databases.values()].map((d) => d.name));
    expect(result.profileIds).toBe(12);

    // The interceptor saw exactly the requests the server received, in order, paths without query.
    expect(result.requests.map((r) => `${r.method} ${r.path}`)).toEqual(fake.requests.map((r) => `${r.method} /v1${r.path}`));
    expect(result.requests.map((r) => r.path)).toEqual([
      '/v1/identity',
      '/v1/databases',
      expect.stringMatching(/^\/v1\/database\/\d+\/profileids$/),
    ]);
    for (const r of result.requests) {
      expect(r.userAgent).toMatch(/^copernica-rest\/\S+ node\/\S+ acme-crm-sync\/1\.4\.0 \(https:\/\/acme\.example\/crm-sync\)$/);
      expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(result.requests.map((r) => r.requestId)).size).toBe(3);

    // The logger got a request and a response line per call (the derived client kept it), redacted.
    expect(result.log.filter((l) => l.startsWith('debug copernica-rest: request'))).toHaveLength(3);
    expect(result.log.filter((l) => l.startsWith('debug copernica-rest: response'))).toHaveLength(3);
    expect(result.log.join('\n')).not.toContain(token);
    expect(JSON.stringify(result.requests)).not.toContain(token);
  });

  it('retries through the wrapped dispatcher and logs the retry as a warning', async () => {
    const token = fake.accounts[0]!.token;
    fake.inject({ route: '/identity', kind: 'status', status: 503, times: 1 });
    const warnings: string[] = [];
    const seen: string[] = [];
    const { client, close } = createAcmeClient({
      accessToken: token,
      baseUrl: fake.apiUrl,
      logger: { warn: (m) => warnings.push(m) },
      onRequest: (r) => seen.push(r.path),
    });
    try {
      const me = await client.withOptions({ timeout: 10_000 }).identity.get();
      expect(me.name).toBe(fake.accounts[0]!.name);
    } finally {
      await close();
    }
    expect(seen).toEqual(['/v1/identity', '/v1/identity']);
    expect(warnings).toHaveLength(1);
    expect(warnings.join('\n')).not.toContain(token);
  });
});
