import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { where, type FilterInput } from '../../src/core/filter.js';
import { isAlreadyRemovedError, isValidationError } from '../../src/core/errors.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';

const API = 'https://api.copernica.com';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** Intercepts one call, recording the exact path+query and the body. */
function intercept(
  method: 'get' | 'post' | 'put' | 'delete',
  pathname: string,
  status: number,
  reply?: unknown,
  headers?: Record<string, string>,
) {
  const seen: { uri: string; body: unknown }[] = [];
  let body: unknown;
  const interceptor =
    method === 'post' || method === 'put'
      ? nock(API)[method](pathname, (b: unknown) => {
          body = b;
          return true;
        })
      : nock(API)[method](pathname);
  const scope = interceptor.query(true).reply((uri: unknown) => {
    seen.push({ uri: pathOf(uri), body });
    return reply === undefined ? [status, '', headers ?? {}] : [status, reply as object, headers ?? {}];
  });
  return { scope, seen };
}

/** The path and query of an intercepted request (nock hands over a string or a fetch Request). */
function pathOf(uri: unknown): string {
  if (typeof uri === 'string') return uri;
  const u = new URL((uri as { url: string }).url);
  return u.pathname + u.search;
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(isValidationError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a ValidationError');
}

const client = new Copernica({ accessToken: 'tok', maxRetries: 0 });
const wireProfile = {
  ID: '4567',
  database: '12',
  secret: 'abc',
  created: '2017-01-12 09:15:00',
  modified: '0000-00-00 00:00:00',
  fields: { email: 'a@b.nl', age: 31 },
  interests: ['tennis'],
};

describe('profiles: wire format (nock)', () => {
  it('list sends fields[], orderby, order and paging, token last; parses values to their types', async () => {
    const { scope, seen } = intercept('get', '/v1/database/12/profiles', 200, {
      start: 0,
      limit: 10,
      count: 1,
      total: 1,
      data: [wireProfile],
    });
    const page = await client.profiles.list<{ email: string; age: string; country: string }>(12, {
      where: [where.eq('country', 'nl'), 'age>16'],
      orderBy: 'age',
      order: 'desc',
      limit: 10,
    });
    expect(scope.isDone()).toBe(true);
    expect(seen[0]!.uri).toBe(
      '/v1/database/12/profiles?fields%5B%5D=country%3D%3Dnl&fields%5B%5D=age%3E16&orderby=age&order=desc&start=0&limit=10&total=true&access_token=tok',
    );
    expect(page.total).toBe(1);
    expect(page.data[0]).toEqual({
      ...wireProfile,
      ID: 4567,
      database: 12,
      modified: null,
      removed: null,
      fields: { email: 'a@b.nl', age: '31' },
    });
  });

  it('key iteration asks id>LAST ordered by id and stops on a short page', async () => {
    const seen: string[] = [];
    const scope = nock(API)
      .get('/v1/database/12/profiles')
      .query(true)
      .times(2)
      .reply((uri: unknown) => {
        seen.push(pathOf(uri));
        const data =
          seen.length === 1
            ? [
                { ...wireProfile, ID: '5' },
                { ...wireProfile, ID: '9' },
              ]
            : [{ ...wireProfile, ID: '11' }];
        return [200, { start: 0, limit: 2, count: data.length, data }];
      });
    const ids: number[] = [];
    for await (const p of client.profiles.list(12, { where: where.eq('country', 'nl'), limit: 2, iterate: 'key' })) ids.push(p.ID);
    expect(scope.isDone()).toBe(true);
    expect(ids).toEqual([5, 9, 11]);
    expect(seen).toEqual([
      '/v1/database/12/profiles?fields%5B%5D=country%3D%3Dnl&orderby=id&order=asc&start=0&limit=2&total=false&access_token=tok',
      '/v1/database/12/profiles?fields%5B%5D=country%3D%3Dnl&fields%5B%5D=id%3E9&orderby=id&order=asc&start=0&limit=2&total=false&access_token=tok',
    ]);
  });

  it('list refuses bad parameters before any request', async () => {
    // A refusal is a rejection (awaited or iterated), never a synchronous throw.
    await expect(client.profiles.list(12, { where: 'country=nl' as never })).rejects.toThrow(/no operator/);
    await expect(client.profiles.list(12, { iterate: 'key', orderBy: 'age' })).rejects.toThrow(/orders by id/);
    await expect(client.profiles.list(12, { iterate: 'key', concurrency: 4 }).toArray({ limit: 1 })).rejects.toThrow(/cannot fetch ahead/);
    await expect(client.profiles.list(12, { limit: 500 })).rejects.toThrow(/limit/);
    await expect(client.profiles.list(12, { colour: 'red' } as never)).rejects.toThrow(/unknown option colour/);
    await expect(
      client.profiles
        .list('12abc' as never, {})
        .pages()
        .next(),
    ).rejects.toThrow(/databaseId/);
  });

  it('ids, get, fields.get', async () => {
    const a = intercept('get', '/v1/database/12/profileids', 200, ['1', '2', 3]);
    expect(await client.profiles.ids(12)).toEqual([1, 2, 3]);
    const b = intercept('get', '/v1/profile/4567', 200, { ...wireProfile, removed: '2024-01-01 10:00:00' });
    const p = await client.profiles.get(4567);
    expect(p.removed).toBe('2024-01-01 10:00:00');
    expect(p.created).toBe('2017-01-12 09:15:00');
    const c = intercept('get', '/v1/profile/4567/fields', 200, { email: 'a@b.nl', age: 31 });
    expect(await client.profiles.fields.get(4567)).toEqual({ email: 'a@b.nl', age: '31' });
    expect([a.scope.isDone(), b.scope.isDone(), c.scope.isDone()]).toEqual([true, true, true]);
    expect(a.seen[0]!.uri).toBe('/v1/database/12/profileids?access_token=tok');
  });

  it('create posts the flat field map and returns the new ID; interests go in a second call', async () => {
    const a = intercept('post', '/v1/database/12/profiles', 201, undefined, { 'x-created': '777', 'x-location': `${API}/v1/profile/777` });
    const b = intercept('post', '/v1/profile/777/interests', 201);
    const r = await client.profiles.create<{ email: string; age: string }>(12, {
      fields: { email: 'x@y.nl', age: 30 },
      interests: ['tennis'],
    });
    expect(r.id).toBe(777);
    expect(r.status).toBe(201);
    expect(a.seen[0]).toEqual({ uri: '/v1/database/12/profiles?access_token=tok', body: { email: 'x@y.nl', age: 30 } });
    expect(b.seen[0]).toEqual({ uri: '/v1/profile/777/interests?access_token=tok', body: ['tennis'] });
    expect(a.scope.isDone() && b.scope.isDone()).toBe(true);
  });

  it('update sends the nested body; fields.update the flat one', async () => {
    const a = intercept('put', '/v1/profile/4567', 303, undefined, { location: `${API}/v1/profile/4567?access_token=tok` });
    const r = await client.profiles.update(4567, { fields: { country: 'nl' }, interests: { tennis: true, hockey: false }, secret: 's3' });
    expect(a.seen[0]!.body).toEqual({ fields: { country: 'nl' }, interests: { tennis: true, hockey: false }, secret: 's3' });
    expect(r.status).toBe(303);
    expect(r.location).not.toContain('=tok');
    const b = intercept('put', '/v1/profile/4567/fields', 200);
    await client.profiles.fields.update(4567, { country: 'de' });
    expect(b.seen[0]).toEqual({ uri: '/v1/profile/4567/fields?access_token=tok', body: { country: 'de' } });
    expect(a.scope.isDone() && b.scope.isDone()).toBe(true);
  });

  it('fields.update takes (profileId, fields, options): a validateFields bag in the third place is refused before sending', async () => {
    // The 0.x rename removed the four-argument form; the old call must fail loudly, never drop the flag.
    const before = nock.pendingMocks().length;
    const error = await client.profiles.fields.update(4567, { country: 'de' }, { validateFields: true } as never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/validateFields/);
    expect(nock.pendingMocks().length).toBe(before);
  });

  it('updateMany and upsert put fields[] (and create=true) in the query', async () => {
    const a = intercept('put', '/v1/database/12/profiles', 200);
    await client.profiles.updateMany(12, { where: [where.eq('country', 'nl'), 'age>=18'], fields: { language: 'dutch' }, async: true });
    expect(a.seen[0]).toEqual({
      uri: '/v1/database/12/profiles?fields%5B%5D=country%3D%3Dnl&fields%5B%5D=age%3E%3D18&async=true&access_token=tok',
      body: { language: 'dutch' },
    });
    const b = intercept('put', '/v1/database/12/profiles', 201, undefined, { 'x-created': '900' });
    const r = await client.profiles.upsert(12, { where: where.eq('email', 'n@x.nl'), fields: { country: 'nl' } });
    expect(b.seen[0]!.uri).toBe('/v1/database/12/profiles?fields%5B%5D=email%3D%3Dn%40x.nl&create=true&access_token=tok');
    expect(r).toMatchObject({ created: true, id: 900 });
    // Live (spec/OBSERVED.md): a PUT may answer 303; a create is told by X-Created, an update has none.
    const c303 = intercept('put', '/v1/database/12/profiles', 303, undefined, {
      'x-created': '901',
      location: 'https://api.copernica.com/database/12/profiles',
    });
    expect(await client.profiles.upsert(12, { where: where.eq('email', 'o@x.nl'), fields: { country: 'nl' } })).toMatchObject({
      created: true,
      id: 901,
      status: 303,
    });
    const u303 = intercept('put', '/v1/database/12/profiles', 303, undefined, {
      location: 'https://api.copernica.com/database/12/profiles',
    });
    expect(await client.profiles.upsert(12, { where: where.eq('email', 'o@x.nl'), fields: { country: 'be' } })).toMatchObject({
      created: false,
      status: 303,
    });
    expect(a.scope.isDone() && b.scope.isDone() && c303.scope.isDone() && u303.scope.isDone()).toBe(true);
  });

  it('refuses bad bodies and a bulk update without a filter before any request', async () => {
    expect(await refusal(client.profiles.updateMany(12, { where: [], fields: { a: '1' } }))).toMatch(/at least one condition/);
    expect(await refusal(client.profiles.updateMany(12, { fields: { a: '1' } } as never))).toMatch(/at least one condition/);
    expect(await refusal(client.profiles.upsert(12, { where: '', fields: {} }))).toMatch(/no operator|empty/);
    expect(await refusal(client.profiles.create(12, { fields: { a: true } } as never))).toMatch(/strings or numbers/);
    expect(await refusal(client.profiles.create(12, { fields: { a: undefined } } as never))).toMatch(/fields\.a/);
    expect(await refusal(client.profiles.create(12, { fields: { ' a': 'x' } }))).toMatch(/white space/);
    expect(await refusal(client.profiles.update(12, { fields: {}, colour: 1 } as never))).toMatch(/colour/);
    expect(await refusal(client.profiles.interests.add(12, [''] as never))).toMatch(/empty/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('delete: 200 removed, 204 nothing to remove', async () => {
    const a = intercept('delete', '/v1/profile/4567', 200, undefined, { 'x-deleted': 'profile 4567' });
    expect(await client.profiles.delete(4567)).toEqual({ removed: true, status: 200, deleted: 'profile 4567' });
    const b = intercept('delete', '/v1/profile/4568', 204);
    expect(await client.profiles.delete(4568)).toMatchObject({ removed: false, status: 204 });
    expect(a.seen[0]!.uri).toBe('/v1/profile/4567?access_token=tok');
    expect(a.scope.isDone() && b.scope.isDone()).toBe(true);
  });

  it('interests: names, ids, objects; add posts, replace puts the bare body', async () => {
    const a = intercept('get', '/v1/profile/1/interests', 200, ['tennis']);
    expect(await client.profiles.interests.names(1)).toEqual(['tennis']);
    const b = intercept('get', '/v1/profile/1/interests', 200, ['7']);
    expect(await client.profiles.interests.ids(1)).toEqual([7]);
    expect(b.seen[0]!.uri).toBe('/v1/profile/1/interests?return=ids&access_token=tok');
    const c = intercept('get', '/v1/profile/1/interests', 200, [{ ID: '7', name: 'tennis', group: 'sport' }]);
    expect((await client.profiles.interests.list(1)).data).toEqual([{ ID: 7, name: 'tennis', group: 'sport' }]);
    const d = intercept('put', '/v1/profile/1/interests', 200);
    await client.profiles.interests.replace(1, { travel: true });
    expect(d.seen[0]!.body).toEqual({ travel: true });
    expect([a, b, c, d].every((x) => x.scope.isDone())).toBe(true);
  });

  it('profile subprofiles use the page form with the collection ID', async () => {
    const a = intercept('get', '/v1/profile/1/subprofiles/33', 200, [
      {
        id: '9001',
        profile: '1',
        collection: '33',
        secret: 's',
        created: '2017-01-12 09:20:00',
        modified: '2017-01-12 09:20:00',
        fields: { ordernumber: 'A-1' },
      },
    ]);
    const page = await client.subprofiles.listInProfile(1, 33);
    expect(page.data[0]).toMatchObject({ ID: 9001, profile: 1, collection: 33, fields: { ordernumber: 'A-1' } });
    expect(page.data[0]).not.toHaveProperty('id');
    const b = intercept('post', '/v1/profile/1/subprofiles/33', 201, undefined, { 'x-created': '9002' });
    expect((await client.subprofiles.create(1, 33, { ordernumber: 'A-2' })).id).toBe(9002);
    expect(b.seen[0]).toEqual({ uri: '/v1/profile/1/subprofiles/33?access_token=tok', body: { ordernumber: 'A-2' } });
    expect(a.scope.isDone() && b.scope.isDone()).toBe(true);
  });
});

describe('profiles against the fake server', () => {
  let fake: FakeCopernica;
  let c: Copernica;
  let db: number;
  type Fields = { firstname: string; lastname: string; email: string; age: string; country: string };

  beforeAll(async () => {
    fake = await createFakeCopernica({ seed: 1, profiles: 230 });
    c = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
    db = [...fake.account().databases.values()][0]!.id;
  });
  afterAll(async () => {
    await fake?.close();
  });

  const idsOf = async (req: AsyncIterable<{ ID: number }>) => {
    const out: number[] = [];
    for await (const p of req) out.push(p.ID);
    return out;
  };

  it('creates a profile with interests and reads it back typed', async () => {
    const r = await c.profiles.create<Fields>(db, {
      fields: { firstname: 'Zora', lastname: 'Test', email: 'zora@example.com', age: 44, country: 'germany' },
      interests: ['tennis', 'travel'],
    });
    expect(r.id).toBeGreaterThan(0);
    const p = await c.profiles.get<Fields>(r.id!);
    expect(p).toMatchObject({ ID: r.id, database: db, removed: null, fields: { firstname: 'Zora', age: '44', country: 'germany' } });
    expect(p.interests?.sort()).toEqual(['tennis', 'travel']);
    expect(await c.profiles.fields.get<Fields>(r.id!)).toMatchObject({ email: 'zora@example.com' });
  });

  it('filters with every operator as the server evaluates them', async () => {
    const all: { ID: number; fields: Fields }[] = [];
    for await (const p of c.profiles.list<Fields>(db)) all.push({ ID: p.ID, fields: p.fields as Fields });
    expect(all.length).toBeGreaterThan(200);
    const age = (p: { fields: Fields }) => Number(p.fields.age);
    const ids = (f: (p: { fields: Fields }) => boolean) => all.filter(f).map((p) => p.ID);
    const cases: [FilterInput<keyof Fields & string>, (p: { fields: Fields }) => boolean][] = [
      [where.eq('age', 40), (p) => age(p) === 40],
      [where.ne('country', 'netherlands'), (p) => p.fields.country.toLowerCase() !== 'netherlands'],
      [where.lt('age', 30), (p) => age(p) < 30],
      [where.gt('age', 60), (p) => age(p) > 60],
      [where.lte('age', 30), (p) => age(p) <= 30],
      [where.gte('age', 60), (p) => age(p) >= 60],
      [where.like('firstname', 'M%'), (p) => /^m/i.test(p.fields.firstname)],
      [where.notLike('firstname', 'M%'), (p) => !/^m/i.test(p.fields.firstname)],
      ['age<>40', (p) => age(p) !== 40],
    ];
    for (const [filter, expected] of cases) {
      const got = await idsOf(c.profiles.list<Fields>(db, { where: filter }));
      expect(got, String(filter)).toEqual(ids(expected));
      expect(got.length, String(filter)).toBeGreaterThan(0);
    }
    const two = await idsOf(c.profiles.list<Fields>(db, { where: [where.gte('age', 30), where.lt('age', 40)] }));
    expect(two).toEqual(ids((p) => age(p) >= 30 && age(p) < 40));
    const someId = all[5]!.ID;
    expect(await idsOf(c.profiles.list(db, { where: where.eq('id', someId) }))).toEqual([someId]);
  });

  it('pages by offset, by key and with concurrency to the same IDs as profileids', async () => {
    const expected = await c.profiles.ids(db);
    expect(await idsOf(c.profiles.list(db, { limit: 37 }))).toEqual(expected);
    expect(await idsOf(c.profiles.list(db, { limit: 37, iterate: 'key' }))).toEqual(expected);
    expect(await idsOf(c.profiles.list(db, { limit: 37, concurrency: 4 }))).toEqual(expected);
    const first = await c.profiles.list(db, { limit: 5, start: 10 });
    expect(first.data.map((p) => p.ID)).toEqual(expected.slice(10, 15));
    expect(first.total).toBe(expected.length);
  });

  it('key iteration neither skips nor repeats while profiles are deleted and inserted between pages', async () => {
    const before = await c.profiles.ids(db);
    const seen: number[] = [];
    const deleted: number[] = [];
    const inserted: number[] = [];
    let pages = 0;
    for await (const page of c.profiles.list(db, { limit: 20, iterate: 'key' }).pages()) {
      pages++;
      seen.push(...page.data.map((p) => p.ID));
      if (pages <= 3) {
        // delete two profiles already read and one not yet read; insert one.
        for (const id of [seen[seen.length - 1]!, seen[seen.length - 2]!, before[seen.length + 5]!]) {
          await c.profiles.delete(id);
          deleted.push(id);
        }
        inserted.push((await c.profiles.create(db, { fields: { firstname: `New${pages}` } })).id!);
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    const unaffected = before.filter((id) => !deleted.includes(id));
    for (const id of unaffected) expect(seen).toContain(id);
    for (const id of inserted) expect(seen).toContain(id);
    // the profiles deleted before they were reached are not in the export
    const unread = deleted.filter((id) => !seen.includes(id));
    expect(unread.length).toBe(3);

    // the same changes during offset iteration skip records: what key iteration prevents
    const now = await c.profiles.ids(db);
    const offsetSeen: number[] = [];
    let n = 0;
    for await (const page of c.profiles.list(db, { limit: 20, iterate: 'offset' }).pages()) {
      offsetSeen.push(...page.data.map((p) => p.ID));
      if (++n === 1) for (const id of offsetSeen.slice(0, 3)) await c.profiles.delete(id);
    }
    const missed = now.slice(3).filter((id) => !offsetSeen.includes(id));
    expect(missed.length).toBe(3);
  });

  it('updates one profile, bulk-updates by filter (refused without one), upserts', async () => {
    const { id } = await c.profiles.create<Fields>(db, { fields: { firstname: 'Bulk', lastname: 'Upd8', country: 'belgium', age: 20 } });
    await c.profiles.create<Fields>(db, { fields: { firstname: 'Bulk', lastname: 'Upd8', country: 'belgium', age: 21 } });
    const r = await c.profiles.update<Fields>(id!, { fields: { age: 22 }, secret: 'newsecret' });
    expect([200, 303]).toContain(r.status);
    expect(await c.profiles.get<Fields>(id!)).toMatchObject({ secret: 'newsecret', fields: { age: '22' } });

    const before = fake.requests.length;
    expect(await refusal(c.profiles.updateMany<Fields>(db, { where: [], fields: { country: 'france' } }))).toMatch(
      /at least one condition/,
    );
    expect(fake.requests.length).toBe(before);
    await c.profiles.updateMany<Fields>(db, { where: where.eq('lastname', 'Upd8'), fields: { country: 'france' } });
    const after = await c.profiles.list<Fields>(db, { where: where.eq('lastname', 'Upd8') });
    expect(after.data.map((p) => p.fields?.country)).toEqual(['france', 'france']);

    const made = await c.profiles.upsert<Fields>(db, { where: where.eq('email', 'upsert@example.com'), fields: { firstname: 'Ups' } });
    expect(made.created).toBe(true);
    expect(await c.profiles.get<Fields>(made.id!)).toMatchObject({ fields: { email: 'upsert@example.com', firstname: 'Ups' } });
    const again = await c.profiles.upsert<Fields>(db, { where: where.eq('email', 'upsert@example.com'), fields: { firstname: 'Upsy' } });
    expect(again.created).toBe(false);
    expect(await c.profiles.get<Fields>(made.id!)).toMatchObject({ fields: { firstname: 'Upsy' } });
    expect((await c.profiles.list(db, { where: where.eq('email', 'upsert@example.com') })).data).toHaveLength(1);
  });

  it('deletes: 200, then AlreadyRemovedError; the removed profile reads back empty with a removed date', async () => {
    const { id } = await c.profiles.create<Fields>(db, { fields: { firstname: 'Gone', email: 'gone@example.com' } });
    expect(await c.profiles.delete(id!)).toEqual({ removed: true, status: 200, deleted: `profile ${id}` });
    const second = await c.profiles.delete(id!).catch((e: unknown) => e);
    expect(isAlreadyRemovedError(second)).toBe(true);
    const p = await c.profiles.get<Fields>(id!);
    expect(p.removed).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(p.fields?.firstname).toBe('');
    expect(p.interests).toEqual([]);
    expect(await c.profiles.ids(db)).not.toContain(id);
  });

  it('adds and replaces interests', async () => {
    const { id } = await c.profiles.create(db, { fields: { firstname: 'Int' } });
    await c.profiles.interests.add(id!, ['tennis']);
    await c.profiles.interests.add(id!, { hockey: true });
    expect((await c.profiles.interests.names(id!)).sort()).toEqual(['hockey', 'tennis']);
    await c.profiles.interests.add(id!, { tennis: false });
    expect(await c.profiles.interests.names(id!)).toEqual(['hockey']);
    await c.profiles.interests.replace(id!, ['cooking', 'travel']);
    expect((await c.profiles.interests.names(id!)).sort()).toEqual(['cooking', 'travel']);
    const objects = (await c.profiles.interests.list(id!)).data;
    expect(objects.map((o) => o.name).sort()).toEqual(['cooking', 'travel']);
    expect(objects.every((o) => typeof o.ID === 'number' && o.group === 'hobby')).toBe(true);
    expect((await c.profiles.interests.ids(id!)).sort()).toEqual(objects.map((o) => o.ID).sort());
  });

  it('validateFields refuses unknown fields, bad select values, numbers and dates; definitions fetched once', async () => {
    const v = { validateFields: true };
    const fieldCalls = () => fake.requests.filter((r) => r.route === '/database/{databaseId}/fields').length;
    const start = fieldCalls();
    const count = fake.requests.length;
    expect(await refusal(c.profiles.create(db, { fields: { nosuchfield: 'x' }, ...v }))).toMatch(/no field "nosuchfield"/);
    expect(await refusal(c.profiles.create(db, { fields: { country: 'spain' }, ...v }))).toMatch(/country: must be one of "netherlands"/);
    expect(await refusal(c.profiles.create(db, { fields: { age: 'old' }, ...v }))).toMatch(/age: must be an integer/);
    expect(await refusal(c.profiles.create(db, { fields: { score: '1,5' }, ...v }))).toMatch(/score: must be a number/);
    expect(await refusal(c.profiles.create(db, { fields: { birthdate: '2001-02-30' }, ...v }))).toMatch(/birthdate: must be a date/);
    expect(await refusal(c.profiles.create(db, { fields: { signup: '2001-02-03' }, ...v }))).toMatch(/signup: must be a date and time/);
    expect(await refusal(c.profiles.updateMany(db, { where: where.eq('cuntry', 'nl'), fields: { age: 3 }, ...v }))).toMatch(
      /no field "cuntry".*every profile/,
    );
    expect(fake.requests.length - count).toBe(fieldCalls() - start); // only field definitions were read
    expect(fieldCalls() - start).toBe(1);
    const ok = await c.profiles.create(db, {
      fields: { Country: 'germany', age: 30, score: '2.5', birthdate: '2001-02-03', lastvisit: '', signup: '2001-02-03 04:05:06' },
      ...v,
    });
    expect(ok.id).toBeGreaterThan(0);
    await c.profiles.update(ok.id!, { fields: { age: 31 }, ...v });
    expect(await refusal(c.profiles.update(ok.id!, { fields: { age: 'x' }, ...v }))).toMatch(/age: must be an integer/);
    expect(fieldCalls() - start).toBe(1);
  });

  it('creates and lists the subprofiles of a profile (page form)', async () => {
    const collection = [...fake.account().databases.values()][0]!.collections[0]!.id;
    const { id } = await c.profiles.create(db, { fields: { firstname: 'Subs' } });
    const a = await c.subprofiles.create(id!, collection, { ordernumber: 'S-1', status: 'paid' });
    const b = await c.subprofiles.create(id!, collection, { ordernumber: 'S-2', status: 'new' });
    const page = await c.subprofiles.listInProfile(id!, collection);
    expect(page.data.map((s) => s.ID)).toEqual([a.id, b.id]);
    expect(page.data[0]).toMatchObject({ profile: id, collection, fields: { ordernumber: 'S-1', status: 'paid' }, removed: null });
    const routes = fake.requests.slice(-3).map((r) => `${r.method} ${r.route}`);
    expect(routes).toEqual([
      'POST /profile/{profileId}/subprofiles/{collectionId}',
      'POST /profile/{profileId}/subprofiles/{collectionId}',
      'GET /profile/{profileId}/subprofiles/{collectionId}',
    ]);
  });
});
