/**
 * spec/OBSERVED.md, "Recorded by a peer library's live-behaviour tests": one test per bullet of
 * "Paths and slashes", "Order of error checks and their messages", "Too-short and over-long paths"
 * and "IDs and names", each named after its bullet, over real HTTP against the fake.
 * Bullets the fake deliberately does not reproduce say so in their name and in src/testing/README.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { call, errorOf, get, type Reply } from './helpers.js';

let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 12, profiles: 40 });
});
afterAll(() => fake.close());

const MISSING = (n: number) => `Invalid request, element ${n} is missing in 'directory' path`;
const enc = encodeURIComponent;
const fail = (r: Reply, message: string, what: string) => {
  expect(r.status, what).toBe(400);
  expect(errorOf(r), what).toBe(message);
};
/** A fresh live profile in database 1. */
async function newProfile(fields: Record<string, unknown> = { firstname: 'P' }): Promise<string> {
  const r = await call(fake, 'POST', '/database/1/profiles', { body: fields });
  expect(r.status).toBe(201);
  return r.headers.get('x-created')!;
}
const total = async () => (await get(fake, '/database/1/profiles?limit=1')).json.total as number;

describe('OBSERVED: Paths and slashes', () => {
  it('OBSERVED: trailing slashes are dropped, however many (database, database/, database// ; PUT profile/{pid}/ updates)', async () => {
    const replies = await Promise.all(['/database', '/database/', '/database//'].map((p) => get(fake, p)));
    for (const r of replies) fail(r, MISSING(1), 'GET database[/]');
    expect(replies[1]!.json).toEqual(replies[0]!.json);
    const a = await get(fake, '/database/1');
    expect((await get(fake, '/database/1///')).json).toEqual(a.json);
    const id = await newProfile();
    const put = await call(fake, 'PUT', `/profile/${id}/`, { body: { fields: { firstname: 'Slash' } } });
    expect(put.status).toBe(303);
    expect((await get(fake, `/profile/${id}`)).json.fields.firstname).toBe('Slash');
  });

  it('OBSERVED: an empty segment inside a path counts as an empty value; it is not collapsed (profile//123)', async () => {
    fail(await get(fake, '/database//fields'), 'No database with supplied ID', 'database//fields');
    fail(await get(fake, '/profile//fields'), 'No entity with supplied ID', 'profile//fields');
    fail(await get(fake, '/database/1//0'), 'Invalid method', 'database/1//0');
    // The issue's reproduction: profile//{id} acted on that profile (it deleted it).
    const id = await newProfile();
    fail(await call(fake, 'DELETE', `/profile//${id}`), 'No entity with supplied ID', 'DELETE profile//id');
    expect((await get(fake, `/profile/${id}`)).json.fields.firstname).toBe('P');
    // Where a route ignores extra segments, empty ones go too.
    const before = await total();
    const r = await call(fake, 'POST', '/database/1/profiles//x/', { body: { firstname: 'Tail' } });
    expect(r.status).toBe(201);
    expect(await total()).toBe(before + 1);
  });
});

describe('OBSERVED: Order of error checks and their messages', () => {
  it('OBSERVED: 1. unknown or wrongly-cased first segment → Invalid method', async () => {
    const id = await newProfile();
    fail(await get(fake, `/PROFILE/${id}`), 'Invalid method', 'PROFILE');
    fail(await call(fake, 'DELETE', `/Profile/${id}/bogus`), 'Invalid method', 'Profile');
  });

  it('OBSERVED: 2. database, collection, profile or subprofile without an ID → element 1 is missing', async () => {
    for (const w of ['database', 'collection', 'profile', 'subprofile']) fail(await get(fake, `/${w}`), MISSING(1), w);
  });

  it('OBSERVED: 3. the ID slot is checked for every method and whatever follows it (number, 0, -1, empty, name, sub-resource word)', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/profile/fields', 'No entity with supplied ID'],
      ['DELETE', '/database/views', 'No database with supplied ID'],
      ['DELETE', '/database/0/views', 'No database with supplied ID'],
      ['PUT', '/database/nosuchdb/bogus/path', 'No database with supplied ID'],
      ['GET', '/collection/-1/fields', 'No collection with given ID'],
      ['POST', '/collection/99999/bogus', 'No collection with given ID'],
      ['GET', '/profile/0', 'No entity with supplied ID'],
      ['PUT', '/profile/-1/whatever', 'No entity with supplied ID'],
      ['GET', '/profile/99999999', 'No entity with supplied ID'],
      ['DELETE', '/subprofile/abc/fields', 'No subprofile with supplied ID'],
      ['GET', '/subprofile//fields', 'No subprofile with supplied ID'],
    ];
    for (const [m, p, msg] of cases) fail(await call(fake, m, p, { body: m === 'GET' ? undefined : 'not an object' }), msg, `${m} ${p}`);
  });

  it('OBSERVED: 4. DELETE only: a removed (sub)profile → already removed, even with junk after the ID', async () => {
    const id = await newProfile();
    expect((await call(fake, 'DELETE', `/profile/${id}`)).status).toBe(200);
    fail(await call(fake, 'DELETE', `/profile/${id}/bogus/junk`), 'This profile has already been removed', 'DELETE removed/junk');
    // other methods still see the removed profile
    expect((await get(fake, `/profile/${id}`)).status).toBe(200);
    const pid = await newProfile();
    const sid = (await call(fake, 'POST', `/profile/${pid}/subprofiles/1`, { body: { ordernumber: 'X' } })).headers.get('x-created')!;
    expect((await call(fake, 'DELETE', `/subprofile/${sid}`)).status).toBe(200);
    fail(await call(fake, 'DELETE', `/subprofile/${sid}/junk`), 'This subprofile has already been removed', 'DELETE removed sub/junk');
  });

  it('OBSERVED: 5. valid ID + a sub-path this method lacks → Invalid method; a route needing one more segment → element 3 is missing', async () => {
    const id = await newProfile();
    fail(await get(fake, `/profile/${id}/bogus`), 'Invalid method', 'profile/id/bogus');
    fail(await get(fake, `/profile/${id}/subprofiles`), MISSING(3), 'profile/id/subprofiles');
  });

  it('OBSERVED: 6. POST profile/{pid}/subprofiles/{x} with an unusable collection → Subprofile could not be created', async () => {
    const id = await newProfile();
    for (const x of ['99999', '-1', 'nosuchcollection', '', '3' /* a collection of another database */]) {
      const p = x === '' ? `/profile/${id}/subprofiles//tail` : `/profile/${id}/subprofiles/${x}`;
      fail(await call(fake, 'POST', p, { body: { ordernumber: 'n' } }), 'Subprofile could not be created', p);
    }
  });

  it('OBSERVED: 7. body shape → Invalid data provided, after the path checks (also before a missing fields[] on a bulk PUT)', async () => {
    fail(await call(fake, 'POST', '/database/1/profiles', { body: { fields: 'blah' } }), 'Invalid data provided', 'POST bad fields');
    fail(await call(fake, 'POST', '/database/999/profiles', { body: { fields: 'blah' } }), 'No database with supplied ID', 'ID first');
    fail(await call(fake, 'PUT', '/database/1/profiles', { body: { fields: true } }), 'Invalid data provided', 'bulk PUT, no fields[]');
    fail(
      await call(fake, 'PUT', '/database/1/profiles', { body: { fields: {} } }),
      'URL parameter fields is required',
      'bulk PUT, fine body',
    );
  });

  it("OBSERVED: Invalid access token is an ordinary 400; its place is not recorded (the fake checks it first, as the peer's fake)", async () => {
    const r = await call(fake, 'DELETE', '/PROFILE//x', { token: 'wrong' });
    fail(r, 'Invalid access token', 'bad token on a bad path');
  });

  it('OBSERVED (noted): POST collection/{cid}/field → No field id supplied for the field', async () => {
    fail(
      await call(fake, 'POST', '/collection/1/field', { body: { name: 'x' } }),
      'No field id supplied for the field',
      'POST collection/1/field',
    );
  });
});

describe('OBSERVED: Too-short and over-long paths', () => {
  it('OBSERVED: too short (also with a trailing / or //) → element 1 is missing, for all four methods on the four entities', async () => {
    for (const w of ['database', 'collection', 'profile', 'subprofile']) {
      for (const m of ['GET', 'POST', 'PUT', 'DELETE']) {
        for (const tail of ['', '/', '//']) fail(await call(fake, m, `/${w}${tail}`), MISSING(1), `${m} ${w}${tail}`);
      }
    }
  });

  it('OBSERVED: GET, POST and PUT profile/{pid}/subprofiles → element 3 is missing; DELETE there → Invalid method', async () => {
    const id = await newProfile();
    for (const m of ['GET', 'POST', 'PUT'])
      fail(await call(fake, m, `/profile/${id}/subprofiles`, { body: m === 'GET' ? undefined : {} }), MISSING(3), m);
    fail(await call(fake, 'DELETE', `/profile/${id}/subprofiles`), 'Invalid method', 'DELETE');
    fail(await call(fake, 'DELETE', `/profile/${id}/subprofiles/1`), 'Invalid method', 'DELETE with cid');
  });

  it('OBSERVED: extra segments after a list or create route are ignored', async () => {
    const list = (await get(fake, '/database/1/profiles?limit=5')).json;
    for (const p of ['/database/1/profiles/3', '/database/1/profiles/bogus/path'])
      expect((await get(fake, `${p}?limit=5`)).json, p).toEqual(list);
    const subs = (await get(fake, '/collection/1/subprofiles?limit=5')).json;
    expect((await get(fake, `/collection/1/subprofiles/${subs.data[0].ID}?limit=5`)).json).toEqual(subs);
    const before = await total();
    expect((await call(fake, 'POST', '/database/1/profiles/bogus', { body: { firstname: 'Bogus' } })).status).toBe(201);
    expect(await total()).toBe(before + 1);
    const pid = await newProfile();
    const s = await call(fake, 'POST', `/profile/${pid}/subprofiles/1/bogus/path`, { body: { ordernumber: 'T' } });
    expect(s.status).toBe(201);
    const bulk = await call(fake, 'PUT', `/database/1/profiles/x?fields[]=${enc(`id==${pid}`)}`, { body: { lastname: 'ViaX' } });
    expect(bulk.status).toBe(200);
    expect((await get(fake, `/profile/${pid}`)).json.fields.lastname).toBe('ViaX');
    // (noted) GET and PUT on profile/{pid}/subprofiles/{cid}/… ignore the tail too
    expect((await get(fake, `/profile/${pid}/subprofiles/1/x/y`)).json).toEqual((await get(fake, `/profile/${pid}/subprofiles/1`)).json);
  });

  it("OBSERVED: extra segments after an entity's fields are ignored as well", async () => {
    const plain = (await get(fake, '/profile/2/fields')).json;
    for (const t of ['/1', '/bogus/path']) expect((await get(fake, `/profile/2/fields${t}`)).json, t).toEqual(plain);
    const sid = (await get(fake, '/collection/1/subprofiles?limit=1')).json.data[0].ID;
    expect((await get(fake, `/subprofile/${sid}/fields//x`)).json).toEqual((await get(fake, `/subprofile/${sid}/fields`)).json);
  });

  it('OBSERVED: extra segments directly after an entity ID, or a sub-path the method lacks, give Invalid method (the table)', async () => {
    const pid = await newProfile();
    const sid = (await call(fake, 'POST', `/profile/${pid}/subprofiles/1`, { body: { ordernumber: 'Z' } })).headers.get('x-created')!;
    const table: Record<string, { GET: string[]; POSTPUT: string[]; DELETE: string[] }> = {
      'database/1': {
        GET: ['copy', 'field/1', 'intentions'],
        POSTPUT: ['profileids', 'profile', 'subprofiles'],
        DELETE: ['copy', 'fields', 'interests', 'profileids', 'profiles', 'unsubscribe', 'views'],
      },
      'collection/1': {
        GET: ['field', 'intentions'],
        POSTPUT: ['subprofileids', 'subprofiles'],
        DELETE: ['fields', 'intentions', 'miniviews', 'subprofileids', 'subprofiles', 'unsubscribe'],
      },
      [`profile/${pid}`]: {
        GET: ['datarequest', 'subprofile'],
        POSTPUT: ['files', 'ms', 'publisher'],
        DELETE: ['datarequest', 'fields', 'files', 'interests', 'ms', 'publisher', 'subprofiles'],
      },
      [`subprofile/${sid}`]: { GET: ['datarequest'], POSTPUT: ['ms', 'publisher'], DELETE: ['datarequest', 'fields', 'ms', 'publisher'] },
    };
    let n = 0;
    for (const [prefix, row] of Object.entries(table)) {
      const id = prefix.split('/')[1]!;
      for (const tail of ['0', '/0', id]) {
        fail(await get(fake, `/${prefix}/${tail}`), 'Invalid method', `GET ${prefix}/${tail}`);
        n++;
      }
      for (const s of row.GET) fail(await get(fake, `/${prefix}/${s}`), 'Invalid method', `GET ${prefix}/${s}`), n++;
      for (const s of row.POSTPUT) {
        for (const m of ['POST', 'PUT'])
          fail(await call(fake, m, `/${prefix}/${s}`, { body: {} }), 'Invalid method', `${m} ${prefix}/${s}`), n++;
      }
      for (const s of row.DELETE) fail(await call(fake, 'DELETE', `/${prefix}/${s}`), 'Invalid method', `DELETE ${prefix}/${s}`), n++;
    }
    // nothing was deleted on the way
    expect((await get(fake, `/profile/${pid}`)).json.fields.firstname).toBe('P');
    expect(n).toBeGreaterThan(60);
  });
});

describe('OBSERVED: IDs and names', () => {
  it('OBSERVED: a database name may replace its ID, case-insensitively (GET and POST database/tEst/profiles)', async () => {
    expect((await get(fake, '/database/cUsToMeRs/profiles?limit=3')).json).toEqual((await get(fake, '/database/1/profiles?limit=3')).json);
    const before = await total();
    expect((await call(fake, 'POST', '/database/cUSTOMERS/profiles', { body: { firstname: 'ByName' } })).status).toBe(201);
    expect(await total()).toBe(before + 1);
  });

  it('OBSERVED: a collection name may replace {cid} in profile/{pid}/subprofiles/{cid}, case-insensitively', async () => {
    const pid = await newProfile();
    const r = await call(fake, 'POST', `/profile/${pid}/subprofiles/oRdErS`, { body: { ordernumber: 'named' } });
    expect(r.status).toBe(201);
    expect((await get(fake, `/subprofile/${r.headers.get('x-created')}`)).json.collection).toBe('1');
    expect((await get(fake, `/profile/${pid}/subprofiles/ORDERS`)).json).toHaveLength(1);
  });

  it("OBSERVED: IDs are JSON strings; a new entity's ID in a list equals the X-Created of its POST", async () => {
    const id = await newProfile({ firstname: 'Listed' });
    const list = (await get(fake, `/database/1/profiles?fields[]=${enc(`id==${id}`)}`)).json;
    expect(list.data).toHaveLength(1);
    const p = list.data[0];
    for (const k of ['ID', 'database']) expect(typeof p[k], k).toBe('string');
    expect(p.ID).toBe(id);
    const c = (await get(fake, '/collection/1')).json;
    expect(typeof c.ID).toBe('string');
    expect(typeof c.database).toBe('string');
  });

  it('OBSERVED (noted): collection IDs come from one sequence shared by all databases; names are unique per database only', async () => {
    const a = await call(fake, 'POST', '/database/1/collections', { body: { name: 'shared-name' } });
    const b = await call(fake, 'POST', '/database/2/collections', { body: { name: 'shared-name' } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.headers.get('x-created')).not.toBe(b.headers.get('x-created'));
    const ids = [...(await get(fake, '/database/1/collections')).json.data, ...(await get(fake, '/database/2/collections')).json.data].map(
      (c: { ID: string }) => c.ID,
    );
    expect(new Set(ids).size).toBe(ids.length);
  });
});
