import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { call, get } from './helpers.js';

const N = 200_000;
let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 9, profiles: N });
});
afterAll(() => fake.close());

describe(`a database of ${N.toLocaleString('en')} profiles`, () => {
  test('counts and pages', async () => {
    const r = await get(fake, '/database/1/profiles?limit=100');
    expect(r.json).toMatchObject({ count: 100, total: N });
    expect((await get(fake, `/database/1/profiles?start=${N - 10}`)).json.count).toBe(10);
  });

  test('key paging near the end answers the right rows', async () => {
    const first = Number((await get(fake, '/database/1/profileids')).json[0]);
    const last = first + N - 1;
    const r = await get(fake, `/database/1/profiles?fields[]=${encodeURIComponent(`id>${last - 50}`)}&orderby=id&total=false`);
    expect(r.json.data.map((p: any) => Number(p.ID))).toEqual(Array.from({ length: 50 }, (_, i) => last - 49 + i));
    expect(r.json).not.toHaveProperty('total');
  });

  test('writes, deletes and a full-scan filter work at this size', async () => {
    const target = (await get(fake, '/profile/123456')).json;
    await call(fake, 'PUT', '/profile/123456/fields', { body: { email: 'needle@example.com' } });
    const hit = await get(fake, `/database/1/profiles?fields[]=${encodeURIComponent('email==needle@example.com')}`);
    expect(hit.json.data.map((p: any) => p.ID)).toEqual([target.ID]);
    await call(fake, 'DELETE', '/profile/123456');
    expect((await get(fake, '/database/1/profiles?limit=1')).json.total).toBe(N - 1);
    expect(fake.account().databases.get(1)!.ids.length).toBe(N - 1);
  });
});
