/**
 * spec/OBSERVED.md, "Recorded by a peer library's live-behaviour tests": one test per bullet of
 * "Writes", "Subprofiles", "Location / X-Created / X-location headers" and "DELETE of
 * never-existing vs removed entities", each named after its bullet, over real HTTP against the fake.
 * Bullets the fake deliberately does not reproduce say so in their name and in src/testing/README.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { call, errorOf, get, type Reply } from './helpers.js';

let fake: FakeCopernica;
let token: string;
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 21, profiles: 30 });
  token = fake.accounts[0]!.token;
  const f = await call(fake, 'POST', '/database/1/fields', { body: { name: 'minusone', type: 'integer', value: '-1' } });
  expect(f.status).toBe(201);
});
afterAll(() => fake.close());

const enc = encodeURIComponent;
const fail = (r: Reply, message: string, what: string) => {
  expect(r.status, what).toBe(400);
  expect(errorOf(r), what).toBe(message);
};
async function newProfile(body: unknown = { firstname: 'P' }): Promise<string> {
  const r = await call(fake, 'POST', '/database/1/profiles', { body });
  expect(r.status).toBe(201);
  return r.headers.get('x-created')!;
}
async function newSub(pid: string, body: unknown = { ordernumber: 'O' }, cid = '1'): Promise<string> {
  const r = await call(fake, 'POST', `/profile/${pid}/subprofiles/${cid}`, { body });
  expect(r.status).toBe(201);
  return r.headers.get('x-created')!;
}
const profile = async (id: string) => (await get(fake, `/profile/${id}`)).json;
const sub = async (id: string) => (await get(fake, `/subprofile/${id}`)).json;
const total = async () => (await get(fake, '/database/1/profiles?limit=1')).json.total as number;

describe('OBSERVED: Writes', () => {
  it('OBSERVED: the body shape differs by version: v1 flat field maps and the v2 {"fields":{…}} wrapper both create', async () => {
    expect((await profile(await newProfile({ firstname: 'Flat' }))).fields.firstname).toBe('Flat');
    expect((await profile(await newProfile({ fields: { firstname: 'Wrapped' } }))).fields.firstname).toBe('Wrapped');
  });

  it('OBSERVED: an empty body sent as [] is accepted; POST database/{db}/profiles with [] creates an all-defaults profile', async () => {
    const id = await newProfile([]);
    const f = (await profile(id)).fields;
    expect(f.minusone).toBe('-1');
    expect(f.firstname).toBe('');
    expect(f.email).toBe('');
  });

  it('OBSERVED: top-level keys are case-sensitive; field names are not; the later case-variant key wins, even when empty', async () => {
    const upper = (await profile(await newProfile({ FIELDS: { firstname: 'Lost' } }))).fields;
    expect(upper.firstname).toBe('');
    const mixed = (await profile(await newProfile({ fields: { laSTNAme: 'x' } }))).fields;
    expect(mixed.lastname).toBe('x');
    expect(mixed).not.toHaveProperty('laSTNAme');
    const later = (await profile(await newProfile({ fields: { Email: 'a@b.nl', email: '' } }))).fields;
    expect(later.email).toBe('');
  });

  it('OBSERVED: unknown top-level keys and unknown field names are dropped silently; posting the same data twice gives two profiles', async () => {
    const before = await total();
    const a = await newProfile({ fields: { firstname: 'Twice', nosuchfield: 'x' }, bogus: 1 });
    const b = await newProfile({ fields: { firstname: 'Twice', nosuchfield: 'x' }, bogus: 1 });
    expect(a).not.toBe(b);
    expect(await total()).toBe(before + 2);
    expect((await profile(a)).fields).not.toHaveProperty('nosuchfield');
  });

  it('OBSERVED: secret in a POST body is ignored; new (sub)profiles get a generated 28-hex secret, different for each', async () => {
    const a = await profile(await newProfile({ fields: { firstname: 'S' }, secret: 'chosen' }));
    const b = await profile(await newProfile({ fields: { firstname: 'S' }, secret: 'chosen' }));
    for (const p of [a, b]) expect(p.secret).toMatch(/^[0-9a-f]{28}$/);
    expect(a.secret).not.toBe(b.secret);
    const s1 = await sub(await newSub(a.ID, { ordernumber: '1', secret: 'chosen' }));
    const s2 = await sub(await newSub(a.ID, { ordernumber: '2' }));
    for (const s of [s1, s2]) expect(s.secret).toMatch(/^[0-9a-f]{28}$/);
    expect(s1.secret).not.toBe(s2.secret);
  });

  it('OBSERVED: a non-object fields (true, 0, "blah") in POST or PUT database/{db}/profiles → Invalid data provided, even with junk segments', async () => {
    for (const v of [true, 0, 'blah']) {
      fail(await call(fake, 'POST', '/database/1/profiles', { body: { fields: v } }), 'Invalid data provided', `POST ${String(v)}`);
      fail(
        await call(fake, 'POST', '/database/1/profiles/junk/x', { body: { fields: v } }),
        'Invalid data provided',
        `POST junk ${String(v)}`,
      );
      fail(
        await call(fake, 'PUT', `/database/1/profiles?fields[]=${enc('id>0')}`, { body: { fields: v } }),
        'Invalid data provided',
        `PUT ${String(v)}`,
      );
    }
  });

  it('OBSERVED: PUT profile/{pid} and PUT subprofile/{sid} ignore a non-object fields; secret still applies; {"fields":[]} and "create":true change nothing', async () => {
    const pid = await newProfile({ firstname: 'Keep' });
    const sid = await newSub(pid, { ordernumber: 'Keep' });
    for (const [path, read] of [
      [`/profile/${pid}`, profile],
      [`/subprofile/${sid}`, sub],
    ] as const) {
      const before = await read(path.split('/')[2]!);
      const r = await call(fake, 'PUT', path, { body: { fields: 'x', secret: 'newsecret' } });
      expect(r.status, path).toBe(303);
      const after = await read(path.split('/')[2]!);
      expect(after.fields).toEqual(before.fields);
      expect(after.secret).toBe('newsecret');
      expect((await call(fake, 'PUT', path, { body: { fields: [], create: true } })).status).toBe(303);
      expect((await read(path.split('/')[2]!)).fields).toEqual(before.fields);
    }
  });

  it('OBSERVED: emptying values: null into an integer stores "0", "" into text stores "", floats into integers are truncated', async () => {
    const id = await newProfile({ firstname: 'E', age: 40, minusone: 5 });
    await call(fake, 'PUT', `/profile/${id}`, { body: { fields: { age: null, firstname: '', minusone: -1.9 } } });
    const f = (await profile(id)).fields;
    expect(f.age).toBe('0');
    expect(f.firstname).toBe('');
    expect(f.minusone).toBe('-1');
  });

  it('OBSERVED: a PUT may set secret to any string; non-ASCII becomes ?, "" empties it; an array or object is stored as "1"', async () => {
    const id = await newProfile();
    const setSecret = async (secret: unknown) => {
      expect((await call(fake, 'PUT', `/profile/${id}`, { body: { secret } })).status).toBe(303);
      return (await profile(id)).secret;
    };
    expect(await setSecret('any string at all')).toBe('any string at all');
    expect(await setSecret('büro')).toBe('b?ro');
    expect(await setSecret('')).toBe('');
    expect(await setSecret(['a'])).toBe('1');
    expect(await setSecret({ a: 1 })).toBe('1');
  });

  it('OBSERVED: POST on a PUT-only path is handled as PUT (2xx, no X-Created); POST on a GET-only sub-path → Invalid method', async () => {
    for (const p of ['/database/1', '/collection/1']) {
      const r = await call(fake, 'POST', p, { body: [] });
      expect(r.status, p).toBeGreaterThanOrEqual(200);
      expect(r.status, p).toBeLessThan(300);
      expect(r.headers.get('x-created'), p).toBeNull();
    }
    const id = await newProfile();
    const r = await call(fake, 'POST', `/profile/${id}`, { body: { fields: { firstname: 'PostedAsPut' } } });
    expect(r.status).toBe(200);
    expect((await profile(id)).fields.firstname).toBe('PostedAsPut');
    const unsub = await call(fake, 'POST', '/database/1/unsubscribe', { body: { behavior: 'nothing' } });
    expect(unsub.status).toBe(200);
    fail(await call(fake, 'POST', '/database/1/profileids', { body: [] }), 'Invalid method', 'POST profileids');
    fail(await call(fake, 'POST', '/collection/1/subprofiles', { body: [] }), 'Invalid method', 'POST collection subprofiles');
  });

  it('OBSERVED: PUT on a removed (sub)profile is accepted; secret changes, the fields keep reading ""', async () => {
    const pid = await newProfile({ firstname: 'Removed' });
    const sid = await newSub(pid);
    expect((await call(fake, 'DELETE', `/profile/${pid}`)).status).toBe(200);
    for (const [path, read, id] of [
      [`/profile/${pid}`, profile, pid],
      [`/subprofile/${sid}`, sub, sid],
    ] as const) {
      const r = await call(fake, 'PUT', path, { body: { fields: { firstname: 'Back', ordernumber: 'Back' }, secret: 'after-removal' } });
      expect(r.status, path).toBe(303);
      const after = await read(id);
      expect(after.secret).toBe('after-removal');
      expect(Object.values(after.fields).every((v) => v === '')).toBe(true);
    }
    expect((await call(fake, 'PUT', `/profile/${pid}/fields`, { body: { firstname: 'x' } })).status).toBe(303);
    expect((await call(fake, 'PUT', `/subprofile/${sid}/fields`, { body: { ordernumber: 'x' } })).status).toBe(303);
    expect((await profile(pid)).fields.firstname).toBe('');
  });

  it('OBSERVED (noted, not reproduced): Failed to create profile for addresses the database refuses (…@126.com) — the fake accepts them', async () => {
    const r = await call(fake, 'POST', '/database/1/profiles', { body: { email: 'someone@126.com' } });
    expect(r.status).toBe(201);
  });
});

describe('OBSERVED: Subprofiles', () => {
  it('OBSERVED: create with POST profile/{pid}/subprofiles/{cid}: a flat map, no fields wrapper, no secret, unknown names dropped, later case-variant wins, X-Created; an unusable collection → Subprofile could not be created', async () => {
    const pid = await newProfile();
    const s = await sub(await newSub(pid, { ordernumber: 'A', ORDERNUMBER: 'B', bogus: 'x', secret: 'no' }));
    expect(s.fields.ordernumber).toBe('B');
    expect(s.fields).not.toHaveProperty('bogus');
    expect(s.secret).not.toBe('no');
    const wrapped = await sub(await newSub(pid, { fields: { ordernumber: 'W' } }));
    expect(wrapped.fields.ordernumber).toBe('');
    for (const c of ['99999', '-1', 'nosuch'])
      fail(await call(fake, 'POST', `/profile/${pid}/subprofiles/${c}`, { body: {} }), 'Subprofile could not be created', c);
    fail(await call(fake, 'POST', `/profile/${pid}/subprofiles//x`, { body: {} }), 'Subprofile could not be created', 'empty segment');
    // (noted) creating one under a removed profile works
    const gone = await newProfile();
    await call(fake, 'DELETE', `/profile/${gone}`);
    expect((await call(fake, 'POST', `/profile/${gone}/subprofiles/1`, { body: { ordernumber: 'late' } })).status).toBe(201);
  });

  it('OBSERVED: subprofile objects have ID, secret, fields, profile, collection, created, modified (and removed), but no interests; lists use ID too', async () => {
    const pid = await newProfile();
    const sid = await newSub(pid);
    const s = await sub(sid);
    for (const k of ['ID', 'secret', 'fields', 'profile', 'collection', 'created', 'modified']) expect(s, k).toHaveProperty(k);
    expect(s).not.toHaveProperty('interests');
    const mine = (await get(fake, `/profile/${pid}/subprofiles/1`)).json;
    expect(mine[0].ID).toBe(sid);
    expect(mine[0]).not.toHaveProperty('id');
    const list = (await get(fake, '/collection/1/subprofiles?limit=1')).json.data[0];
    expect(list).toHaveProperty('ID');
    expect(list).not.toHaveProperty('interests');
  });

  it('OBSERVED: PUT subprofile/{sid} takes {"fields":{…},"secret":"…"}; PUT subprofile/{sid}/fields takes a flat map; both answer 303', async () => {
    const sid = await newSub(await newProfile());
    const a = await call(fake, 'PUT', `/subprofile/${sid}`, { body: { fields: { status: 'paid' }, secret: 's3' } });
    expect(a.status).toBe(303);
    expect((await sub(sid)).fields.status).toBe('paid');
    expect((await sub(sid)).secret).toBe('s3');
    const b = await call(fake, 'PUT', `/subprofile/${sid}/fields`, { body: { status: 'shipped' } });
    expect(b.status).toBe(303);
    expect((await sub(sid)).fields.status).toBe('shipped');
  });

  it('OBSERVED: DELETE subprofile/{sid} works: 200, and a second call → This subprofile has already been removed', async () => {
    const sid = await newSub(await newProfile());
    const r = await call(fake, 'DELETE', `/subprofile/${sid}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-deleted')).toBe(`subprofile ${sid}`);
    fail(await call(fake, 'DELETE', `/subprofile/${sid}`), 'This subprofile has already been removed', 'second DELETE');
  });

  it("OBSERVED (noted): PUT profile/{pid}/subprofiles/{cid} bulk-edits one profile's subprofiles in one collection; create may add one, without X-Created or Location", async () => {
    const pid = await newProfile();
    const other = await newProfile();
    const s1 = await newSub(pid, { ordernumber: 'K1', status: 'new' });
    const s2 = await newSub(pid, { ordernumber: 'K2', status: 'new' });
    const foreign = await newSub(other, { ordernumber: 'K1', status: 'new' });
    const r = await call(fake, 'PUT', `/profile/${pid}/subprofiles/1?fields[]=${enc('ordernumber==K1')}`, { body: { status: 'paid' } });
    expect(r.status).toBe(200);
    expect((await sub(s1)).fields.status).toBe('paid');
    expect((await sub(s2)).fields.status).toBe('new');
    expect((await sub(foreign)).fields.status).toBe('new');
    const before = (await get(fake, `/profile/${pid}/subprofiles/1`)).json.length;
    const made = await call(fake, 'PUT', `/profile/${pid}/subprofiles/orders?fields[]=${enc('ordernumber==K9')}&create=true`, {
      body: { status: 'paid' },
    });
    expect(made.status).toBe(200);
    expect(made.headers.get('x-created')).toBeNull();
    expect(made.headers.get('location')).toBeNull();
    const after = (await get(fake, `/profile/${pid}/subprofiles/1`)).json;
    expect(after).toHaveLength(before + 1);
    expect(after.find((s: { fields: { ordernumber: string } }) => s.fields.ordernumber === 'K9').fields.status).toBe('paid');
  });
});

describe('OBSERVED: Location / X-Created / X-location headers', () => {
  it('OBSERVED: POSTs that create carry X-Created: <digits>; POSTs that create nothing succeed without it', async () => {
    const pid = await newProfile();
    expect(pid).toMatch(/^\d+$/);
    const s = await call(fake, 'POST', `/profile/${pid}/subprofiles/1`, { body: {} });
    expect(s.headers.get('x-created')).toMatch(/^\d+$/);
    for (const p of ['/database/1', '/collection/1', `/profile/${pid}`]) {
      const r = await call(fake, 'POST', p, { body: [] });
      expect(r.status, p).toBe(200);
      expect(r.headers.get('x-created'), p).toBeNull();
    }
  });

  it('OBSERVED: a successful PUT on one entity answers 303 with an empty body, even when nothing changed; Location repeats the query, without the version segment; for …/fields it names the entity', async () => {
    const pid = await newProfile();
    const sid = await newSub(pid);
    const cases: [string, string][] = [
      [`/profile/${pid}`, `/profile/${pid}`],
      [`/profile/${pid}/fields`, `/profile/${pid}`],
      [`/subprofile/${sid}`, `/subprofile/${sid}`],
      [`/subprofile/${sid}/fields`, `/subprofile/${sid}`],
    ];
    for (const [p, entity] of cases) {
      const r = await call(fake, 'PUT', `${p}?junk=1`, { body: {} });
      expect(r.status, p).toBe(303);
      expect(r.text, p).toBe('');
      expect(r.headers.get('location'), p).toBe(`${fake.url}${entity}?junk=1&access_token=${token}`);
    }
    // (noted) that version-less URL works too: following it reads the entity
    const followed = await fetch(`${fake.url}/profile/${pid}?access_token=${token}`);
    expect(followed.status).toBe(200);
    expect(((await followed.json()) as { ID: string }).ID).toBe(pid);
  });

  it('OBSERVED (noted): a bulk PUT that only updates answers 2xx without Location; one whose create adds a profile answers 303 with X-Created and a Location naming it', async () => {
    const id = await newProfile({ email: 'bulk-one@example.com' });
    const upd = await call(fake, 'PUT', `/database/1/profiles?fields[]=${enc(`id==${id}`)}`, { body: { lastname: 'U' } });
    expect(upd.status).toBe(200);
    expect(upd.headers.get('location')).toBeNull();
    const none = await call(fake, 'PUT', `/database/1/profiles?fields[]=${enc('email==nobody@example.com')}`, { body: { lastname: 'U' } });
    expect(none.status).toBe(200);
    expect(none.headers.get('location')).toBeNull();
    const made = await call(fake, 'PUT', `/database/1/profiles?fields[]=${enc('email==bulk-new@example.com')}&create=true`, {
      body: { lastname: 'N' },
    });
    expect(made.status).toBe(303);
    const newId = made.headers.get('x-created')!;
    expect(newId).toMatch(/^\d+$/);
    expect(made.headers.get('location')).toMatch(new RegExp(`^${fake.url}/profile/${newId}\\?`));
    expect((await profile(newId)).fields).toMatchObject({ lastname: 'N', email: 'bulk-new@example.com' });
  });

  it('OBSERVED (noted): PUT profile/{pid}/subprofiles/{cid} that creates sends neither X-Created nor a Location', async () => {
    const pid = await newProfile();
    const r = await call(fake, 'PUT', `/profile/${pid}/subprofiles/1?fields[]=${enc('ordernumber==NEW')}&create=true`, { body: {} });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-created')).toBeNull();
    expect(r.headers.get('location')).toBeNull();
  });

  it('OBSERVED: the record never mentions X-location; the fake adds it to creating POSTs as the pages promise, next to X-Created', async () => {
    const r = await call(fake, 'POST', '/database/1/profiles', { body: {} });
    expect(r.headers.get('x-created')).toMatch(/^\d+$/);
    expect(r.headers.get('x-location')).toBe(`${fake.apiUrl}/profile/${r.headers.get('x-created')}`);
  });

  it('OBSERVED: a successful DELETE answers 200 with X-deleted: <type> <id>', async () => {
    const pid = await newProfile();
    const r = await call(fake, 'DELETE', `/profile/${pid}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-deleted')).toBe(`profile ${pid}`);
  });
});

describe('OBSERVED: DELETE of never-existing vs removed entities', () => {
  it("OBSERVED: never existed → 400 No entity with supplied ID / No subprofile with supplied ID (the pages' 204 with deleteMissingStatus: 204)", async () => {
    fail(await call(fake, 'DELETE', '/profile/99984'), 'No entity with supplied ID', 'profile');
    fail(await call(fake, 'DELETE', '/subprofile/99984'), 'No subprofile with supplied ID', 'subprofile');
    const pages = await createFakeCopernica({ profiles: 3, deleteMissingStatus: 204 });
    try {
      for (const p of ['/profile/99984', '/subprofile/99984']) {
        const r = await call(pages, 'DELETE', p);
        expect(r.status, p).toBe(204);
        expect(r.text, p).toBe('');
      }
      // junk after a never-existing ID is still the ID error, and a repeat DELETE is still 400
      fail(await call(pages, 'DELETE', '/profile/99984/bogus'), 'No entity with supplied ID', 'junk');
      expect((await call(pages, 'DELETE', '/profile/2')).status).toBe(200);
      fail(await call(pages, 'DELETE', '/profile/2'), 'This profile has already been removed', 'repeat');
    } finally {
      await pages.close();
    }
  });

  it('OBSERVED: already removed → This profile has already been removed, also for DELETE profile/{pid}/bogus', async () => {
    const pid = await newProfile();
    expect((await call(fake, 'DELETE', `/profile/${pid}`)).status).toBe(200);
    fail(await call(fake, 'DELETE', `/profile/${pid}`), 'This profile has already been removed', 'repeat');
    fail(await call(fake, 'DELETE', `/profile/${pid}/bogus`), 'This profile has already been removed', 'bogus');
  });

  it('OBSERVED: a live profile with junk after its ID → Invalid method, and nothing is deleted', async () => {
    const pid = await newProfile({ firstname: 'Stays' });
    fail(await call(fake, 'DELETE', `/profile/${pid}/bogus`), 'Invalid method', 'junk');
    const p = await profile(pid);
    expect(p.fields.firstname).toBe('Stays');
    expect(p.removed === undefined || p.removed === false).toBe(true);
  });

  it("OBSERVED: ' has already been removed' (idempotent for a caller) is told apart from No entity with supplied ID", async () => {
    const pid = await newProfile();
    await call(fake, 'DELETE', `/profile/${pid}`);
    expect(errorOf(await call(fake, 'DELETE', `/profile/${pid}`))).toContain(' has already been removed');
    expect(errorOf(await call(fake, 'DELETE', '/profile/99985'))).not.toContain(' has already been removed');
  });
});
