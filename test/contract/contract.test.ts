/**
 * The read-only contract: the same checks against the fake (always) and against the live
 * Copernica service (opt-in: set COPERNICA_ACCESS_TOKEN, and COPERNICA_BASE_URL for another host).
 * Nothing here writes. Without a token the output says plainly that the live contract was not run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica, isInvalidTokenError, isNotFoundError } from '../../src/index.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';

const LIVE_TOKEN = process.env.COPERNICA_ACCESS_TOKEN;

function contract(target: string, make: () => { client: Copernica; baseUrl: string }) {
  describe(`read-only contract: ${target}`, () => {
    it('identity: the account of the token', async () => {
      const me = await make().client.identity.get();
      expect(Number.isSafeInteger(me.ID)).toBe(true);
      expect(typeof me.name).toBe('string');
    });

    it('databases and what they own, typed', async () => {
      const { client } = make();
      const page = await client.databases.list({ limit: 10 });
      expect(page.count).toBe(page.data.length);
      expect(page.limit).toBeLessThanOrEqual(100);
      const db = page.data[0];
      if (!db) return; // an empty account has nothing more to read
      expect(await client.databases.get(db.ID)).toMatchObject({ ID: db.ID, name: db.name });
      const fields = await client.databases.fields.list(db.ID);
      for (const f of fields.data) expect(typeof f.type).toBe('string');
      await client.databases.interests.list(db.ID);
      await client.databases.collections.list(db.ID);
      expect(['nothing', 'remove', 'update']).toContain((await client.databases.unsubscribe.get(db.ID)).behavior);
      const views = await client.views.list(db.ID, { limit: 5 });
      const view = views.data[0];
      if (view) {
        await client.rules.list(view.ID);
        const members = await client.views.profiles(view.ID, { limit: 5 });
        expect(members.data.length).toBeLessThanOrEqual(5);
      }
      const profiles = await client.profiles.list(db.ID, { limit: 5 });
      expect(profiles.data.length).toBeLessThanOrEqual(5);
      const p = profiles.data[0];
      if (p) {
        expect((await client.profiles.get(p.ID)).ID).toBe(p.ID);
        expect(typeof (await client.profiles.fields.get(p.ID))).toBe('object');
        expect(Array.isArray(await client.profiles.interests.get(p.ID))).toBe(true);
        const filtered = await client.profiles.list(db.ID, { where: `id==${p.ID}`, limit: 5 });
        expect(filtered.data.map((x) => x.ID)).toEqual([p.ID]);
      }
    });

    it('logfiles: the list of days', async () => {
      const days = await make().client.logfiles.list();
      for (const d of days) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it('a missing database is a NotFoundError, a wrong token an InvalidTokenError', async () => {
      const { client, baseUrl } = make();
      const missing = await client.databases.get(2_000_000_000).catch((e: unknown) => e);
      expect(isNotFoundError(missing)).toBe(true);
      const wrong = await new Copernica({ accessToken: 'not-a-real-token-0000000000000000', baseUrl, maxRetries: 0 }).identity.get().catch((e: unknown) => e);
      expect(isInvalidTokenError(wrong)).toBe(true);
    });
  });
}

let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 9, profiles: 30 });
});
afterAll(() => fake?.close());
contract('the fake server', () => ({ client: new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl }), baseUrl: fake.apiUrl }));

if (LIVE_TOKEN) {
  const baseUrl = process.env.COPERNICA_BASE_URL ?? 'https://api.copernica.com/v1';
  console.log(`live contract: running the read-only contract against ${baseUrl}`);
  contract(`live service (${baseUrl})`, () => ({ client: new Copernica({ accessToken: LIVE_TOKEN, baseUrl }), baseUrl }));
} else {
  console.log('live contract: NOT RUN (no COPERNICA_ACCESS_TOKEN); only the fake server was checked. Set COPERNICA_ACCESS_TOKEN to run the read-only contract against the live service.');
}
