import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { call, errorOf, get } from './helpers.js';

let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 11, profiles: 40 });
});
afterAll(() => fake.close());

const enc = encodeURIComponent;
async function create(body: Record<string, unknown>, db = '1'): Promise<string> {
  const r = await call(fake, 'POST', `/database/${db}/profiles`, { body });
  expect(r.status).toBe(201);
  return r.headers.get('x-created')!;
}

describe('entity shapes', () => {
  test('a profile: string IDs, 28-hex secret, dates, fields and interest names', async () => {
    const p = (await get(fake, '/profile/5')).json;
    expect(Object.keys(p)).toEqual(['ID', 'database', 'secret', 'created', 'modified', 'removed', 'fields', 'interests']);
    expect(p.removed).toBe(false); // live: a JSON boolean on a live profile
    expect(p.ID).toBe('5');
    expect(p.database).toBe('1');
    expect(p.secret).toMatch(/^[0-9a-f]{28}$/);
    expect(p.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(Object.values(p.fields).every((v) => typeof v === 'string')).toBe(true);
    expect(Array.isArray(p.interests)).toBe(true);
  });

  test('a database shows every field type, lengths as strings, booleans as booleans', async () => {
    const d = (await get(fake, '/database/1')).json;
    const types = d.fields.map((f: any) => f.type);
    for (const t of [
      'integer',
      'float',
      'date',
      'empty_date',
      'datetime',
      'empty_datetime',
      'text',
      'big',
      'email',
      'phone_fax',
      'phone_gsm',
      'select',
      'foreign_key',
    ]) {
      expect(types).toContain(t);
    }
    const email = d.fields.find((f: any) => f.type === 'email');
    expect(email).toMatchObject({ length: '255', textlines: '1', index: true, displayed: true });
    expect(d.fields.find((f: any) => f.type === 'select').value).toBe('netherlands\ngermany\nbelgium\nfrance');
    expect(d.collections[0]).toMatchObject({ ID: expect.any(String), name: 'orders', database: '1' });
    expect(d.interests[0]).toEqual({ ID: expect.any(String), name: 'tennis', group: 'sport' });
    expect(typeof d.archived).toBe('boolean');
  });

  test('an empty date reads back as 0000-00-00 in date fields and "" in empty_date fields', async () => {
    const id = await create({ firstname: 'NoDates' });
    const f = (await get(fake, `/profile/${id}/fields`)).json;
    expect(f.birthdate).toBe('0000-00-00');
    expect(f.signup).toBe('0000-00-00 00:00:00');
    expect(f.lastvisit).toBe('');
    expect(f.lastorder).toBe('');
  });
});

describe('names instead of IDs', () => {
  test('database name, case-insensitively', async () => {
    const byName = await get(fake, '/database/CUSTOMERS/fields');
    const byId = await get(fake, '/database/1/fields');
    expect(byName.json).toEqual(byId.json);
    expect((await get(fake, '/database/Customers/views')).json.total).toBeGreaterThan(0);
  });

  test('field name on DELETE, collection name', async () => {
    await call(fake, 'POST', '/database/1/fields', { body: { name: 'tmpfield', type: 'text' } });
    const del = await call(fake, 'DELETE', '/database/1/field/tmpfield');
    expect(del.status).toBe(200);
    expect(del.headers.get('x-deleted')).toMatch(/^field \d+$/);
    expect((await call(fake, 'DELETE', '/database/1/field/tmpfield')).status).toBe(204);
    expect((await get(fake, '/collection/orders')).json.name).toBe('orders');
  });

  test('unknown names give the service messages', async () => {
    expect(errorOf(await get(fake, '/database/nope/fields'))).toBe('No database with supplied ID');
    expect(errorOf(await get(fake, '/collection/9999/fields'))).toBe('No collection with given ID');
    expect(errorOf(await get(fake, '/profile/999999'))).toBe('No entity with supplied ID');
    expect(errorOf(await get(fake, '/subprofile/999999'))).toBe('No subprofile with supplied ID');
  });
});

describe('writes are coerced', () => {
  test('unknown fields dropped, names case-insensitive, bad select → "", integers cast loosely', async () => {
    const id = await create({ FirstName: 'Case', nosuch: 'x', country: 'narnia', age: '42abc', score: 'x', birthdate: '1990-1-2 10:00' });
    const f = (await get(fake, `/profile/${id}`)).json.fields;
    expect(f.firstname).toBe('Case');
    expect(f).not.toHaveProperty('nosuch');
    expect(f.country).toBe('');
    expect(f.age).toBe('42');
    expect(f.score).toBe('0');
    expect(f.birthdate).toBe('1990-01-02');
    await call(fake, 'PUT', `/profile/${id}/fields`, { body: { country: 'Germany', age: 7.9 } });
    const g = (await get(fake, `/profile/${id}/fields`)).json;
    expect(g.country).toBe('germany');
    expect(g.age).toBe('7');
  });

  test('PUT /profile ignores fields that are not an object (live); other keys still apply', async () => {
    const before = (await get(fake, '/profile/6')).json.fields;
    const r = await call(fake, 'PUT', '/profile/6', { body: { fields: 'x', secret: 'six' } });
    expect(r.status).toBe(303);
    const after = (await get(fake, '/profile/6')).json;
    expect(after.fields).toEqual(before);
    expect(after.secret).toBe('six');
  });

  test('PUT /profile sets fields, interests and secret', async () => {
    const r = await call(fake, 'PUT', '/profile/7', {
      body: { fields: { firstname: 'Seven' }, interests: { hockey: 1, tennis: 0 }, secret: 'mysecret' },
    });
    expect(r.status).toBe(303);
    const p = (await get(fake, '/profile/7')).json;
    expect(p.fields.firstname).toBe('Seven');
    expect(p.interests).toContain('hockey');
    expect(p.interests).not.toContain('tennis');
    expect(p.secret).toBe('mysecret');
  });
});

describe('interests of a profile', () => {
  test('POST merges, PUT replaces, return=ids|objects', async () => {
    const id = await create({ firstname: 'Int' });
    expect((await call(fake, 'POST', `/profile/${id}/interests`, { body: ['tennis'] })).status).toBe(201);
    await call(fake, 'POST', `/profile/${id}/interests`, { body: { cooking: true } });
    expect((await get(fake, `/profile/${id}/interests`)).json).toEqual(['tennis', 'cooking']);
    await call(fake, 'PUT', `/profile/${id}/interests`, { body: ['travel'] });
    expect((await get(fake, `/profile/${id}/interests`)).json).toEqual(['travel']);
    const idsR = (await get(fake, `/profile/${id}/interests?return=ids`)).json;
    expect(idsR).toEqual([expect.stringMatching(/^\d+$/)]);
    expect((await get(fake, `/profile/${id}/interests?return=objects`)).json).toEqual([{ ID: idsR[0], name: 'travel', group: 'hobby' }]);
  });
});

describe('soft deletes', () => {
  test('a removed profile reads back blank with a removed date, leaves lists, and cannot be deleted twice', async () => {
    const id = await create({ firstname: 'Gone', email: 'gone@example.com' });
    await call(fake, 'POST', `/profile/${id}/subprofiles/orders`, { body: { ordernumber: 'X-1' } });
    const subs = (await get(fake, `/profile/${id}/subprofiles/orders`)).json;
    expect(subs).toHaveLength(1);
    const del = await call(fake, 'DELETE', `/profile/${id}`);
    expect(del.status).toBe(200);
    expect(del.headers.get('x-deleted')).toBe(`profile ${id}`);
    const p = await get(fake, `/profile/${id}`);
    expect(p.status).toBe(200);
    expect(p.json.removed).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(Object.values(p.json.fields).every((v) => v === '')).toBe(true);
    expect((await get(fake, '/database/1/profileids')).json).not.toContain(id);
    expect((await get(fake, `/database/1/profiles?fields[]=${enc(`id==${id}`)}`)).json.total).toBe(0);
    const again = await call(fake, 'DELETE', `/profile/${id}`);
    expect(again.status).toBe(400);
    expect(errorOf(again)).toBe('This profile has already been removed');
    // its subprofile went with it
    const s = await get(fake, `/subprofile/${subs[0].ID}`);
    expect(s.json.removed).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/); // when it went (live: false while it lives)
    expect((await get(fake, '/collection/orders/subprofileids')).json).not.toContain(subs[0].ID);
    expect(errorOf(await call(fake, 'DELETE', `/subprofile/${subs[0].ID}`))).toBe('This subprofile has already been removed');
  });

  test('a seeded profile can be removed too, and a never-existing one answers 400 No entity with supplied ID (live)', async () => {
    expect((await call(fake, 'DELETE', '/profile/9')).status).toBe(200);
    expect((await get(fake, '/profile/9')).json.fields.firstname).toBe('');
    const never = await call(fake, 'DELETE', '/profile/987654');
    expect(never.status).toBe(400);
    expect(errorOf(never)).toBe('No entity with supplied ID');
  });
});

describe('bulk PUT /database/{id}/profiles', () => {
  test('without fields[] it is refused', async () => {
    const r = await call(fake, 'PUT', '/database/1/profiles', { body: { notes: 'x' } });
    expect(errorOf(r)).toBe('URL parameter fields is required');
  });

  test('updates every match; create=true creates when nothing matches', async () => {
    const r = await call(fake, 'PUT', `/database/customers/profiles?fields[]=${enc('country==france')}&fields[]=${enc('age>50')}`, {
      body: { notes: 'bulk' },
    });
    expect(r.status).toBe(200); // live: 2xx without Location when it only updates
    expect(r.headers.get('location')).toBeNull();
    const changed = (await get(fake, `/database/1/profiles?fields[]=${enc('notes==bulk')}`)).json;
    const expected = (await get(fake, `/database/1/profiles?fields[]=${enc('country==france')}&fields[]=${enc('age>50')}`)).json;
    expect(changed.total).toBe(expected.total);
    expect(changed.total).toBeGreaterThan(0);

    const none = await call(fake, 'PUT', `/database/1/profiles?fields[]=${enc('email==new@example.com')}`, { body: { firstname: 'New' } });
    expect(none.headers.get('x-created')).toBeNull();
    const made = await call(fake, 'PUT', `/database/1/profiles?fields[]=${enc('email==new@example.com')}&create=true`, {
      body: { firstname: 'New' },
    });
    const id = made.headers.get('x-created');
    expect(id).toMatch(/^\d+$/);
    expect((await get(fake, `/profile/${id}`)).json.fields).toMatchObject({ firstname: 'New', email: 'new@example.com' });
  });

  test('POST on the same path creates a single profile instead', async () => {
    const before = (await get(fake, '/database/1/profiles?limit=1')).json.total;
    await call(fake, 'POST', `/database/1/profiles?fields[]=${enc('age>0')}`, { body: { notes: 'single' } });
    expect((await get(fake, '/database/1/profiles?limit=1')).json.total).toBe(before + 1);
  });
});

describe('subprofiles', () => {
  test('create under a profile (collection by ID or name), read, edit, list', async () => {
    const pid = await create({ firstname: 'Owner' });
    const a = await call(fake, 'POST', `/profile/${pid}/subprofiles/1`, { body: { ordernumber: 'A', amount: '12.5' } });
    expect(a.status).toBe(201);
    expect(a.headers.get('x-location')).toBe(`${fake.apiUrl}/subprofile/${a.headers.get('x-created')}`);
    const b = await call(fake, 'POST', `/profile/${pid}/subprofiles/contacts`, { body: { subject: 'hi' } });
    expect(b.status).toBe(201);
    const sid = a.headers.get('x-created')!;
    const s = (await get(fake, `/subprofile/${sid}`)).json;
    expect(s).toMatchObject({ ID: sid, profile: pid, collection: '1', fields: { ordernumber: 'A', amount: '12.5' } });
    expect(s.secret).toMatch(/^[0-9a-f]{28}$/);
    await call(fake, 'PUT', `/subprofile/${sid}/fields`, { body: { status: 'paid', bogus: 1 } });
    expect((await get(fake, `/subprofile/${sid}/fields`)).json.status).toBe('paid');
    await call(fake, 'PUT', `/subprofile/${sid}`, { body: { fields: { amount: '99' } } });
    expect((await get(fake, `/subprofile/${sid}/fields`)).json.amount).toBe('99');
    const mine = (await get(fake, `/profile/${pid}/subprofiles/1`)).json;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toHaveProperty('ID');
    expect((await get(fake, `/profile/${pid}/subprofiles/contacts`)).json).toHaveLength(1);
    expect((await get(fake, '/collection/1/subprofileids')).json).toContain(sid);
  });

  test('profile and subprofile IDs are unique across the databases of an account', async () => {
    const p1 = await create({ firstname: 'a' }, '1');
    const p2 = await create({ firstname: 'b' }, 'prospects');
    expect(p1).not.toBe(p2);
    const all = [...(await get(fake, '/database/1/profileids')).json, ...(await get(fake, '/database/prospects/profileids')).json];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('databases, fields, collections, unsubscribe', () => {
  test('create a database, a field, an interest and a collection with fields', async () => {
    const d = await call(fake, 'POST', '/databases', { body: { name: 'newdb', description: 'made' } });
    expect(d.status).toBe(201);
    const db = d.headers.get('x-created')!;
    const f = await call(fake, 'POST', `/database/${db}/fields`, { body: { name: 'size', type: 'select', value: 's\nm\nl', length: 10 } });
    expect(f.status).toBe(201);
    await call(fake, 'PUT', `/database/newdb/field/${f.headers.get('x-created')}`, { body: { hidden: 'true' } });
    const fields = (await get(fake, `/database/${db}/fields`)).json.data;
    expect(fields).toEqual([expect.objectContaining({ name: 'size', type: 'select', length: '10', hidden: true })]);
    await call(fake, 'POST', `/database/${db}/interests`, { body: { name: 'x', group: 'y' } });
    expect((await get(fake, `/database/${db}/interests`)).json.data[0]).toMatchObject({ name: 'x', group: 'y' });
    const c = await call(fake, 'POST', `/database/${db}/collections`, {
      body: { name: 'things', fields: [{ name: 'n', type: 'integer' }] },
    });
    const cid = c.headers.get('x-created');
    expect((await get(fake, `/collection/${cid}/fields`)).json.data[0]).toMatchObject({ name: 'n', type: 'integer' });
    await call(fake, 'PUT', `/collection/${cid}`, { body: { name: 'renamed' } });
    expect((await get(fake, `/database/${db}/collections`)).json.data[0].name).toBe('renamed');
    const p = await call(fake, 'POST', `/database/${db}/profiles`, { body: { size: 'M' } });
    expect((await get(fake, `/profile/${p.headers.get('x-created')}/fields`)).json).toEqual({ size: 'm' });
  });

  test('unsubscribe behaviour round-trips; a bad behaviour is refused', async () => {
    await call(fake, 'PUT', '/database/1/unsubscribe', { body: { behavior: 'update', fields: { country: 'germany' } } });
    expect((await get(fake, '/database/1/unsubscribe')).json).toEqual({ behavior: 'update', fields: { country: 'germany' } });
    await call(fake, 'PUT', '/collection/1/unsubscribe', { body: { behavior: 'remove' } });
    expect((await get(fake, '/collection/1/unsubscribe')).json).toEqual({ behavior: 'remove', fields: {} });
    expect(errorOf(await call(fake, 'PUT', '/database/1/unsubscribe', { body: { behavior: 'explode' } }))).toBe('Invalid data provided');
  });
});
