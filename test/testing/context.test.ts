import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFakeCopernica, FakeApiError, type FakeCopernica } from '../../src/testing/index.js';
import { call, get } from './helpers.js';
import { specEndpoints } from '../helpers/spec.js';

let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 2, profiles: 60 });
});
afterAll(() => fake.close());

describe('the account context the campaign part uses', () => {
  test('recipients of a database, a view (by name), a collection and a miniview', async () => {
    const acct = fake.account();
    expect(acct.campaignState === undefined || typeof acct.campaignState === 'object').toBe(true);
    expect(acct.recipients({ database: 'customers' })).toHaveLength(60);
    const dutch = (await get(fake, '/view/1/profileids')).json;
    const viaView = acct.recipients({ view: 'dutch' });
    expect(viaView.map((r) => String(r.profile))).toEqual(dutch);
    expect(viaView[0]).toMatchObject({
      database: 1,
      email: expect.stringContaining('@'),
      fields: expect.objectContaining({ country: 'netherlands' }),
    });
    const subs = acct.recipients({ collection: 1 });
    expect(subs.length).toBe((await get(fake, '/collection/1/subprofileids')).json.length);
    expect(subs[0]).toMatchObject({ subprofile: expect.any(Number), collection: 1, email: expect.stringContaining('@') });
    expect(acct.recipients({ miniview: 'big-orders' }).map((r) => String(r.subprofile))).toEqual(
      (await get(fake, '/miniview/1/subprofileids')).json,
    );
    expect(() => acct.recipients({ view: 'nope' })).toThrow(FakeApiError);
  });

  test('profile(), subprofile() and byEmail() see live records only', async () => {
    const acct = fake.account();
    const p = acct.profile(4)!;
    expect(p.profile).toBe(4);
    expect(acct.byEmail(p.email.toUpperCase()).map((r) => r.profile)).toContain(4);
    await call(fake, 'DELETE', '/profile/4');
    expect(acct.profile(4)).toBeUndefined();
    expect(acct.byEmail(p.email)).toEqual([]);
    expect(acct.subprofile(999999)).toBeUndefined();
  });

  test('sendMailing goes to the view members, and their events come back over HTTP', async () => {
    const dutch = (await get(fake, '/view/1/profileids')).json;
    const summary = fake.sendMailing({ target: { view: 1 }, seed: 3 });
    expect(summary.recipients).toBe(dutch.length);
    const events = await get(fake, `/message/${summary.messageId}/events`);
    expect(events.status).toBe(200);
    expect(Array.isArray(events.json)).toBe(true);
    expect(events.json.length).toBeGreaterThan(0);
  });

  test('the route table holds all 109 documented endpoints (plus the page forms)', async () => {
    // every endpoint of endpoints.json answers with something other than "Invalid method"
    const list = specEndpoints();
    expect(list).toHaveLength(109);
    for (const e of list) {
      if (e.path === '/token') continue;
      const path = e.path.replace(/\{[^}]+\}/g, (m) =>
        m === '{type}' ? 'Field' : m === '{email}' ? 'x@example.com' : m === '{date}' ? '2024-01-01' : '1',
      );
      const r = await call(fake, e.method, path, e.method === 'GET' || e.method === 'DELETE' ? {} : { body: {} });
      expect(r.json?.error?.message, `${e.method} ${e.path}`).not.toBe('Invalid method');
    }
  });
});
