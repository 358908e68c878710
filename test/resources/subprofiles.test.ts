import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { where } from '../../src/core/filter.js';
import { isValidationError } from '../../src/core/errors.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';

const API = 'https://api.copernica.com';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function pathOf(uri: unknown): string {
  if (typeof uri === 'string') return uri;
  const u = new URL((uri as { url: string }).url);
  return u.pathname + u.search;
}

const client = new Copernica({ accessToken: 'tok', maxRetries: 0 });
const wireSub = {
  ID: '9001',
  profile: '4567',
  collection: '33',
  secret: 's',
  created: '2017-01-12 09:20:00',
  modified: '0000-00-00',
  fields: { ordernumber: 'A-1', amount: 19.95 },
};

describe('subprofiles: wire format (nock)', () => {
  it('list sends fields[], orderby and paging with the token last', async () => {
    let seen = '';
    const scope = nock(API)
      .get('/v1/collection/33/subprofiles')
      .query(true)
      .reply((uri: unknown) => {
        seen = pathOf(uri);
        return [200, { start: 0, limit: 100, count: 1, total: 1, data: [wireSub] }];
      });
    const page = await client.subprofiles.list<{ ordernumber: string; amount: string; status: string }>(33, {
      where: [where.gt('amount', 10), 'status==paid'],
      orderBy: 'amount',
    });
    expect(scope.isDone()).toBe(true);
    expect(seen).toBe(
      '/v1/collection/33/subprofiles?fields%5B%5D=amount%3E10&fields%5B%5D=status%3D%3Dpaid&orderby=amount&start=0&limit=100&total=true&access_token=tok',
    );
    expect(page.data[0]).toEqual({
      ...wireSub,
      ID: 9001,
      profile: 4567,
      collection: 33,
      modified: null,
      removed: null,
      fields: { ordernumber: 'A-1', amount: '19.95' },
    });
  });

  it('ids, get (ID or id), fields.get, update', async () => {
    const uris: string[] = [];
    let body: unknown;
    const scope = nock(API)
      .get('/v1/collection/33/subprofileids')
      .query(true)
      .reply((uri: unknown) => {
        uris.push(pathOf(uri));
        return [200, ['9001', 9002]];
      })
      .get('/v1/subprofile/9001')
      .query(true)
      .reply((uri: unknown) => {
        uris.push(pathOf(uri));
        const { ID: _drop, ...rest } = wireSub;
        return [200, { ...rest, id: '9001' }];
      })
      .get('/v1/subprofile/9001/fields')
      .query(true)
      .reply((uri: unknown) => {
        uris.push(pathOf(uri));
        return [200, { ordernumber: 'A-1' }];
      })
      .put('/v1/subprofile/9001/fields', (b: unknown) => {
        body = b;
        return true;
      })
      .query(true)
      .reply((uri: unknown) => {
        uris.push(pathOf(uri));
        return [303, '', { location: `${API}/v1/subprofile/9001?access_token=tok` }];
      });
    expect(await client.subprofiles.ids(33)).toEqual([9001, 9002]);
    const s = await client.subprofiles.get(9001);
    expect(s.ID).toBe(9001);
    expect(s).not.toHaveProperty('id');
    expect(await client.subprofiles.fields.get(9001)).toEqual({ ordernumber: 'A-1' });
    const r = await client.subprofiles.fields.update(9001, { status: 'paid', amount: 20 });
    expect(r).toMatchObject({ status: 303, id: 9001 });
    expect(body).toEqual({ status: 'paid', amount: 20 });
    expect(scope.isDone()).toBe(true);
    expect(uris).toEqual([
      '/v1/collection/33/subprofileids?access_token=tok',
      '/v1/subprofile/9001?access_token=tok',
      '/v1/subprofile/9001/fields?access_token=tok',
      '/v1/subprofile/9001/fields?access_token=tok',
    ]);
  });

  it('refuses bad input before any request', async () => {
    const err = await client.subprofiles.fields.update(9001, { status: null } as never).catch((e: unknown) => e);
    expect(isValidationError(err)).toBe(true);
    expect(isValidationError(await client.subprofiles.get('abc' as never).catch((e: unknown) => e))).toBe(true);
    await expect(client.subprofiles.list(33, { where: 'status = paid' })).rejects.toThrow(/white space|no operator/);
    await expect(client.subprofiles.list(33, { iterate: 'key', start: 10 })).rejects.toThrow(/where\.idAfter/);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('subprofiles against the fake server', () => {
  let fake: FakeCopernica;
  let c: Copernica;
  let db: number;
  let orders: number;
  type Order = { ordernumber: string; amount: string; status: string; orderdate: string };

  beforeAll(async () => {
    fake = await createFakeCopernica({ seed: 2, profiles: 120 });
    c = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
    const database = [...fake.account().databases.values()][0]!;
    db = database.id;
    orders = database.collections[0]!.id;
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('creates, gets, updates and lists subprofiles', async () => {
    const { id: profileId } = await c.profiles.create(db, { fields: { firstname: 'Sub' } });
    const { id } = await c.subprofiles.create<Order>(profileId!, orders, { ordernumber: 'T-1', amount: 12.5, status: 'new' });
    const s = await c.subprofiles.get<Order>(id!);
    expect(s).toMatchObject({
      ID: id,
      profile: profileId,
      collection: orders,
      removed: null,
      fields: { ordernumber: 'T-1', amount: '12.5', status: 'new' },
    });
    await c.subprofiles.fields.update<Order>(id!, { status: 'paid' });
    await c.subprofiles.fields.update<Order>(id!, { amount: '13' });
    expect(await c.subprofiles.fields.get<Order>(id!)).toMatchObject({ status: 'paid', amount: '13' });
    expect(await c.subprofiles.ids(orders)).toContain(id);
    const mine = await c.subprofiles.listInProfile<Order>(profileId!, orders);
    expect(mine.data.map((x) => x.ID)).toEqual([id]);
  });

  it('filters collection subprofiles with fields[] and pages them by offset and by key', async () => {
    const all: { ID: number; fields: Order }[] = [];
    for await (const s of c.subprofiles.list<Order>(orders, { limit: 17 })) all.push({ ID: s.ID, fields: s.fields as Order });
    expect(all.map((s) => s.ID)).toEqual(await c.subprofiles.ids(orders));
    const byKey: number[] = [];
    for await (const s of c.subprofiles.list<Order>(orders, { limit: 17, iterate: 'key' })) byKey.push(s.ID);
    expect(byKey).toEqual(all.map((s) => s.ID));

    const paid = await c.subprofiles.list<Order>(orders, { where: where.eq('status', 'paid') }).toArray({ limit: 1000 });
    expect(paid.map((s) => s.ID)).toEqual(all.filter((s) => s.fields.status === 'paid').map((s) => s.ID));
    expect(paid.length).toBeGreaterThan(0);
    const big = await c.subprofiles
      .list<Order>(orders, { where: [where.gt('amount', 100), where.ne('status', 'new')], iterate: 'key' })
      .toArray({ limit: 1000 });
    expect(big.map((s) => s.ID)).toEqual(all.filter((s) => Number(s.fields.amount) > 100 && s.fields.status !== 'new').map((s) => s.ID));
    const logged = fake.requests.filter((r) => r.route === '/collection/{collectionId}/subprofiles').at(-1)!;
    expect(logged.query.getAll('fields[]').slice(0, 2)).toEqual(['amount>100', 'status!=new']);
    expect(logged.query.get('orderby')).toBe('id');
  });
});
