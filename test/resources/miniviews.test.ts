/**
 * Miniviews, minirules and minirule conditions: the wire format (nock; page vs index path forms)
 * and behaviour against the fake Copernica server (which subprofiles a minirule selects).
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { ValidationError } from '../../src/core/errors.js';
import { where } from '../../src/core/filter.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { specEndpoints } from '../helpers/spec.js';

const BASE = 'https://api.copernica.com';
const TOKEN = 'tok-789';
const Q = `access_token=${TOKEN}`;

/** One expected request: exact path and query (token last), recording the JSON body. */
function expectCall(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  uri: string,
  status: number,
  reply?: nock.Body,
  headers?: Record<string, string>,
): unknown[] {
  const bodies: unknown[] = [];
  const scope = nock(BASE);
  const bodyMatch = (body: unknown) => (bodies.push(body), true);
  (method === 'GET' || method === 'DELETE'
    ? scope.intercept((u) => u === uri, method)
    : scope.intercept((u) => u === uri, method, bodyMatch)
  ).reply(status, reply ?? '', headers);
  return bodies;
}

const MINIRULE = {
  id: '91',
  name: 'amount-over-100',
  description: '',
  view: '81',
  inversed: '0',
  disabled: '0',
  conditions: [{ id: '601', type: 'field', rule: '91', field: 'amount', comparison: 'more', value: '100', 'numeric-comparison': '1' }],
};
const MINIRULE_READ = {
  ID: 91,
  name: 'amount-over-100',
  description: '',
  view: 81,
  inverted: false,
  disabled: false,
  conditions: [{ ID: 601, type: 'Field', rule: 91, field: 'amount', comparison: 'more', value: '100', 'numeric-comparison': true }],
};

describe('miniviews and minirules: wire format', () => {
  const client = new Copernica({ accessToken: TOKEN, maxRetries: 0 });
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('miniviews.list and get: IDs as numbers, parent-type normalised', async () => {
    expectCall('GET', `/v1/collection/33/miniviews?start=0&limit=100&total=true&${Q}`, 200, {
      start: 0,
      limit: 100,
      count: 2,
      total: 2,
      data: [
        { ID: '81', name: 'big-orders', description: 'Orders above 100', 'parent-type': 'collection', 'parent-id': '33', collection: '33' },
        { ID: '82', name: 'nested', description: '', 'parent-type': 'view', 'parent-id': '81', collection: '33' },
      ],
    });
    const page = await client.miniviews.list(33);
    expect(page.data).toEqual([
      { ID: 81, name: 'big-orders', description: 'Orders above 100', 'parent-type': 'collection', 'parent-id': 33, collection: 33 },
      { ID: 82, name: 'nested', description: '', 'parent-type': 'miniview', 'parent-id': 81, collection: 33 },
    ]);
    expectCall('GET', `/v1/miniview/81?${Q}`, 200, {
      ID: '81',
      name: 'big-orders',
      description: '',
      'parent-type': 'collection',
      'parent-id': '33',
      collection: '33',
    });
    expect((await client.miniviews.get(81)).collection).toBe(33);
    expect(nock.isDone()).toBe(true);
  });

  it('miniviews.create, update, delete', async () => {
    const created = expectCall('POST', `/v1/collection/33/miniviews?${Q}`, 201, '', { 'X-Created': '83' });
    expect((await client.miniviews.create(33, { name: 'nested', 'parent-type': 'miniview', 'parent-id': '81' })).id).toBe(83);
    expect(created).toEqual([{ name: 'nested', 'parent-type': 'miniview', 'parent-id': 81 }]);
    const updated = expectCall('PUT', `/v1/miniview/83?${Q}`, 200, '', { 'X-location': 'https://api.copernica.com/v1/miniview/83' });
    expect((await client.miniviews.update(83, { description: 'changed' })).status).toBe(200);
    expect(updated).toEqual([{ description: 'changed' }]);
    expectCall('DELETE', `/v1/miniview/83?${Q}`, 200, '', { 'X-deleted': 'miniview 83' });
    expect(await client.miniviews.delete(83)).toEqual({ removed: true, status: 200, deleted: 'miniview 83' });
    expectCall('DELETE', `/v1/miniview/83?${Q}`, 204);
    expect((await client.miniviews.delete(83)).removed).toBe(false);
    expect(nock.isDone()).toBe(true);
    await expect(client.miniviews.create(33, { name: 'x', 'parent-type': 'view' } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(client.miniviews.create(33, { title: 'x' } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(client.miniviews.update(83, {})).rejects.toBeInstanceOf(ValidationError);
  });

  it('subprofiles.listInMiniview: fields[] filters and no paging parameters; lower-case id read as ID', async () => {
    expectCall('GET', `/v1/miniview/81/subprofiles?fields%5B%5D=amount%3E100&fields%5B%5D=status%3D%3Dpaid&${Q}`, 200, [
      {
        id: '9001',
        profile: '4567',
        collection: '33',
        secret: 'f0e1',
        created: '2017-01-12 09:20:00',
        modified: '2017-01-30 11:02:44',
        fields: { ordernumber: 'A-1001', amount: 119.95, status: 'paid' },
      },
    ]);
    const page = await client.subprofiles.listInMiniview<{ ordernumber: string; amount: string; status: string }>(81, {
      where: ['amount>100', where.eq('status', 'paid')],
    });
    expect(page.data).toEqual([
      {
        ID: 9001,
        profile: 4567,
        collection: 33,
        secret: 'f0e1',
        created: '2017-01-12 09:20:00',
        modified: '2017-01-30 11:02:44',
        fields: { ordernumber: 'A-1001', amount: '119.95', status: 'paid' },
        removed: null,
      },
    ]);
    expect(page.total).toBe(1);
    expectCall('GET', `/v1/miniview/81/subprofileids?${Q}`, 200, ['9001', '9010']);
    expect(await client.subprofiles.idsInMiniview(81)).toEqual([9001, 9010]);
    expect(nock.isDone()).toBe(true);
    await expect(client.subprofiles.listInMiniview(81, { where: 'amount = 100' })).rejects.toThrow(ValidationError);
    await expect(client.subprofiles.listInMiniview(81, { limit: 10 } as never)).rejects.toThrow(ValidationError);
  });

  it('minirules.list, get (by ID or name) normalise id/inversed', async () => {
    expectCall('GET', `/v1/miniview/81/rules?start=0&limit=100&total=true&${Q}`, 200, {
      start: 0,
      limit: 100,
      count: 1,
      total: 1,
      data: [MINIRULE],
    });
    expect((await client.minirules.list(81)).data).toEqual([MINIRULE_READ]);
    expectCall('GET', `/v1/minirule/91?${Q}`, 200, MINIRULE);
    expect(await client.minirules.get(91)).toEqual(MINIRULE_READ);
    expectCall('GET', `/v1/minirule/amount-over-100?${Q}`, 200, MINIRULE);
    expect((await client.minirules.get('amount-over-100')).ID).toBe(91);
    expect(nock.isDone()).toBe(true);
  });

  it('getInMiniview and create send the page form by default, the index form on request', async () => {
    const { id: _id, inversed: _inv, ...rest } = MINIRULE;
    expectCall('GET', `/v1/miniview/81/minirule/91?${Q}`, 200, { ...rest, ID: '91', inverted: false });
    expect(await client.minirules.getInMiniview(81, 91)).toEqual(MINIRULE_READ);
    expectCall('GET', `/v1/miniview/81/rule/91?${Q}`, 200, MINIRULE);
    expect(await client.minirules.getInMiniview(81, 91, { pathForm: 'index' }, { timeout: 5000 })).toEqual(MINIRULE_READ);

    const page = expectCall('POST', `/v1/miniview/81/minirules?${Q}`, 201, '', { 'X-Created': '92' });
    expect(
      (
        await client.minirules.create(81, {
          name: 'big',
          inverted: true,
          conditions: [{ type: 'Field', field: 'amount', comparison: 'more', value: 100 }],
        })
      ).id,
    ).toBe(92);
    const index = expectCall('POST', `/v1/miniview/81/rules?${Q}`, 201, '', { 'X-Created': '93' });
    expect((await client.minirules.create(81, { name: 'small', pathForm: 'index' })).id).toBe(93);
    expect(page).toEqual([
      { name: 'big', inverted: true, conditions: [{ type: 'Field', field: 'amount', comparison: 'more', value: '100' }] },
    ]);
    expect(index).toEqual([{ name: 'small' }]);
    expect(nock.isDone()).toBe(true);
    await expect(client.minirules.create(81, { name: 'x', pathForm: 'other' } as never)).rejects.toBeInstanceOf(ValidationError);
    // pathForm moved from the request options to the params (0.x rename): the old place is refused, never ignored.
    await expect(client.minirules.create(81, { name: 'x' }, { pathForm: 'index' } as never)).rejects.toThrow(/pathForm/);
    await expect(client.minirules.getInMiniview(81, 91, {}, { pathForm: 'index' } as never)).rejects.toThrow(/pathForm/);
    await expect(client.minirules.getInMiniview(81, 91, { retries: 1 } as never)).rejects.toBeInstanceOf(ValidationError);
  });

  it('minirules.update sends inverted (PUT minirule page spelling); delete', async () => {
    const bodies = expectCall('PUT', `/v1/minirule/91?${Q}`, 303, '', {
      Location: `https://api.copernica.com/v1/minirule/91?access_token=${TOKEN}`,
    });
    const res = await client.minirules.update(91, { inverted: true, name: 'renamed' });
    expect(res).toMatchObject({ status: 303, id: 91 });
    expect(bodies).toEqual([{ inverted: true, name: 'renamed' }]);
    await expect(client.minirules.update(91, { description: 'x' } as never)).rejects.toBeInstanceOf(ValidationError);
    expectCall('DELETE', `/v1/minirule/91?${Q}`, 200, '', { 'X-deleted': 'minirule 91' });
    expect((await client.minirules.delete(91)).removed).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('minirule conditions: list, create, update by type and by ID', async () => {
    expectCall('GET', `/v1/minirule/91/conditions?${Q}`, 200, [
      { id: '501', type: 'Field', rule: '91', field: 'country', comparison: 'equals', value: 'netherlands' },
      { id: '502', type: 'Interest', rule: '91', 'match-mode': 'match_profiles_with_interest', interest: 'tennis' },
    ]);
    expect((await client.minirules.conditions.list(91)).data.map((c) => [c.ID, c.type])).toEqual([
      [501, 'Field'],
      [502, 'Interest'],
    ]);
    const created = expectCall('POST', `/v1/minirule/91/conditions?${Q}`, 201, '', { 'X-Created': '503' });
    expect(
      (
        await client.minirules.conditions.create(91, {
          type: 'Date',
          field: 'orderdate',
          'compare-mode': 'full',
          'after-time': '2017-01-01 00:00:00',
        })
      ).id,
    ).toBe(503);
    expect(created).toEqual([{ type: 'Date', field: 'orderdate', 'compare-mode': 'full', 'after-time': '2017-01-01 00:00:00' }]);
    const byType = expectCall('PUT', `/v1/minirule/91/conditions/Date?${Q}`, 200);
    await client.minirules.conditions.update(91, 'date' as 'Date', { type: 'Date', 'compare-mode': 'ignoreyear' });
    const byId = expectCall('PUT', `/v1/minirule/91/conditions/503?${Q}`, 200);
    await client.minirules.conditions.update(91, 503, { type: 'Date', field: 'created' });
    expect(byType).toEqual([{ type: 'Date', 'compare-mode': 'ignoreyear' }]);
    expect(byId).toEqual([{ type: 'Date', field: 'created' }]);
    expect(nock.isDone()).toBe(true);
    await expect(client.minirules.conditions.create(91, { type: 'Date', 'compare-mode': 'sometimes' } as never)).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

// ---------------------------------------------------------------- integration (fake server)

interface RawSubprofile {
  ID: string;
  fields: Record<string, string>;
}

describe('miniviews and minirules: against the fake server', () => {
  let fake: FakeCopernica;
  let client: Copernica;
  let collectionId: number;
  let all: RawSubprofile[];

  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    fake = await createFakeCopernica({ seed: 3, profiles: 60 });
    client = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
    const dbs = await client.request<{ data: { ID: string; name: string }[] }>({ method: 'GET', path: '/databases' });
    const databaseId = Number(dbs.data.data.find((d) => d.name === 'customers')!.ID);
    const cols = await client.request<{ data: { ID: string; name: string }[] }>({
      method: 'GET',
      path: `/database/${databaseId}/collections`,
    });
    collectionId = Number(cols.data.data.find((c) => c.name === 'orders')!.ID);
    all = (
      await client.request<{ data: RawSubprofile[] }>({
        method: 'GET',
        path: `/collection/${collectionId}/subprofiles`,
        query: { limit: 100 },
      })
    ).data.data;
  });
  afterAll(async () => {
    await fake.close();
    nock.disableNetConnect();
  });

  const idsWhere = (pred: (s: RawSubprofile) => boolean) =>
    all
      .filter(pred)
      .map((s) => Number(s.ID))
      .sort((a, b) => a - b);
  const members = async (miniviewId: number) =>
    (await client.subprofiles.listInMiniview(miniviewId).toArray({ limit: 1000 })).map((s) => s.ID).sort((a, b) => a - b);

  it('a miniview with a minirule selects the matching subprofiles', async () => {
    const { id: mv, status } = await client.miniviews.create(collectionId, { name: 'paid-it', description: 'paid orders' });
    expect(status).toBe(201);
    expect(await client.miniviews.get(mv!)).toMatchObject({
      ID: mv,
      name: 'paid-it',
      description: 'paid orders',
      'parent-type': 'collection',
      'parent-id': collectionId,
      collection: collectionId,
    });
    const { id: ruleId } = await client.minirules.create(mv!, {
      name: 'paid',
      conditions: [{ type: 'Field', field: 'status', comparison: 'equals', value: 'paid' }],
    });
    expect(ruleId).toBeTypeOf('number');
    expect(fake.requests.some((r) => r.route === '/miniview/{miniviewId}/minirules' && r.status === 201)).toBe(true);

    const paid = idsWhere((s) => s.fields.status === 'paid');
    expect(paid.length).toBeGreaterThan(0);
    expect(paid.length).toBeLessThan(all.length);
    expect(await members(mv!)).toEqual(paid);
    expect((await client.subprofiles.idsInMiniview(mv!)).sort((a, b) => a - b)).toEqual(paid);

    // fields[] narrows further
    const big = await client.subprofiles.listInMiniview(mv!, { where: [where.gt('amount', 100)] });
    const paidOver100 = idsWhere((s) => s.fields.status === 'paid' && Number(s.fields.amount) > 100);
    expect(paidOver100.length).toBeGreaterThan(0);
    expect(paidOver100.length).toBeLessThan(paid.length);
    expect(big.data.map((s) => s.ID).sort((a, b) => a - b)).toEqual(paidOver100);

    // inverting the minirule selects the rest
    await client.minirules.update(ruleId!, { inverted: true });
    expect(await client.minirules.get(ruleId!)).toMatchObject({ inverted: true });
    expect(await members(mv!)).toEqual(idsWhere((s) => s.fields.status !== 'paid'));
  });

  it('minirules: read in every form, list, delete 200 then 204', async () => {
    const { id: mv } = await client.miniviews.create(collectionId, { name: 'forms-it' });
    const { id: ruleId } = await client.minirules.create(mv!, {
      name: 'shipped',
      conditions: [{ type: 'Field', field: 'status', comparison: 'equals', value: 'shipped' }],
    });
    const { id: indexRuleId } = await client.minirules.create(mv!, { name: 'new', disabled: true, pathForm: 'index' });
    expect(fake.requests.some((r) => r.route === '/miniview/{miniviewId}/rules' && r.method === 'POST' && r.status === 201)).toBe(true);

    const forms = [
      await client.minirules.get(ruleId!),
      await client.minirules.get('shipped'),
      await client.minirules.getInMiniview(mv!, ruleId!),
      await client.minirules.getInMiniview(mv!, ruleId!, { pathForm: 'index' }),
    ];
    for (const r of forms)
      expect(r).toMatchObject({
        ID: ruleId,
        name: 'shipped',
        view: mv,
        inverted: false,
        disabled: false,
        conditions: [expect.objectContaining({ type: 'Field', value: 'shipped' })],
      });
    expect((await client.minirules.list(mv!)).data.map((r) => [r.ID, r.disabled])).toEqual([
      [ruleId, false],
      [indexRuleId, true],
    ]);

    expect(await client.minirules.delete(indexRuleId!)).toMatchObject({ removed: true, status: 200 });
    expect(await client.minirules.delete(indexRuleId!)).toMatchObject({ removed: false, status: 204 });
    expect((await client.minirules.list(mv!)).data.map((r) => r.ID)).toEqual([ruleId]);
    const strict = client.withOptions({ strict: true });
    expect(await strict.minirules.getInMiniview(mv!, ruleId!)).toEqual(forms[0]);
    expect((await strict.miniviews.get(mv!)).ID).toBe(mv);
    expect((await strict.miniviews.list(collectionId)).data.length).toBeGreaterThan(0);
  });

  it('minirule conditions: create several types, list, update by type and by ID', async () => {
    const { id: mv } = await client.miniviews.create(collectionId, { name: 'conds-it' });
    const { id: ruleId } = await client.minirules.create(mv!, { name: 'r' });
    await client.minirules.conditions.create(ruleId!, {
      type: 'Field',
      field: 'amount',
      comparison: 'more',
      value: 50,
      'numeric-comparison': true,
    });
    await client.minirules.conditions.create(ruleId!, {
      type: 'date',
      field: 'orderdate',
      'compare-mode': 'full',
      'after-time': '2017-01-01 00:00:00',
    } as never);
    await client.minirules.conditions.create(ruleId!, {
      type: 'Change',
      'change-type': 'editsubprofile',
      'after-mutation': '["plus","2016-01-01", "7:34:23"]',
    });
    const listed = (await client.minirules.conditions.list(ruleId!)).data;
    expect(listed.map((c) => c.type)).toEqual(['Field', 'Date', 'Change']);
    expect(listed[0]).toMatchObject({ field: 'amount', comparison: 'more', value: '50', 'numeric-comparison': true, rule: ruleId });

    await client.minirules.conditions.update(ruleId!, 'Field', { type: 'Field', value: 150 });
    await client.minirules.conditions.update(ruleId!, listed[2]!.ID!, { type: 'Change', 'change-type': 'noeditsubprofile' });
    const after = (await client.minirules.conditions.list(ruleId!)).data;
    expect(after[0]).toMatchObject({ type: 'Field', value: '150' });
    expect(after[2]).toMatchObject({
      type: 'Change',
      'change-type': 'noeditsubprofile',
      'after-mutation': '["plus","2016-01-01", "7:34:23"]',
    });
    const over150 = idsWhere((s) => Number(s.fields.amount) > 150);
    expect(over150.length).toBeGreaterThan(0);
    expect(over150.length).toBeLessThan(all.length);
    expect(await members(mv!)).toEqual(over150);
  });

  it('miniview update and delete (200 then 204); nested miniview', async () => {
    const { id: mv } = await client.miniviews.create(collectionId, { name: 'edit-it' });
    const { id: child } = await client.miniviews.create(collectionId, { name: 'child-it', 'parent-type': 'miniview', 'parent-id': mv! });
    expect(await client.miniviews.get(child!)).toMatchObject({ 'parent-type': 'miniview', 'parent-id': mv });
    const res = await client.miniviews.update(mv!, { name: 'edited-it', description: 'd' });
    expect([200, 303]).toContain(res.status);
    expect(await client.miniviews.get(mv!)).toMatchObject({ name: 'edited-it', description: 'd' });
    expect(await client.miniviews.delete(mv!)).toMatchObject({ removed: true, status: 200 });
    expect(await client.miniviews.delete(mv!)).toMatchObject({ removed: false, status: 204 });
    const listed = await client.miniviews.list(collectionId).toArray({ limit: 100 });
    expect(listed.map((m) => m.ID)).not.toContain(mv);
  });
});

// ---------------------------------------------------------------- coverage of the 36 endpoints

describe('views, rules, conditions, miniviews, minirules: endpoint coverage', () => {
  const GROUPS = new Set(['views', 'rules', 'rule-conditions', 'miniviews', 'minirules', 'minirule-conditions']);
  const shape = (pattern: string) => pattern.replace(/\{\w+\}/g, '{}');
  let fake: FakeCopernica;
  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    fake = await createFakeCopernica({ seed: 4, profiles: 20 });
  });
  afterAll(async () => {
    await fake.close();
    nock.disableNetConnect();
  });

  it('every endpoint of the six groups is reached by an SDK method and answered with success', async () => {
    const spec = specEndpoints().filter((e) => GROUPS.has(e.group));
    expect(spec).toHaveLength(36);

    const c = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
    const dbs = await c.request<{ data: { ID: string }[] }>({ method: 'GET', path: '/databases' });
    const db = Number(dbs.data.data[0]!.ID);
    const cols = await c.request<{ data: { ID: string }[] }>({ method: 'GET', path: `/database/${db}/collections` });
    const col = Number(cols.data.data[0]!.ID);
    fake.clearRequests();

    await c.views.list(db);
    const view = (await c.views.create(db, { name: 'cov' })).id!;
    await c.views.get(view);
    await c.views.update(view, { description: 'd' });
    await c.profiles.listInView(view);
    await c.profiles.idsInView(view);
    const child = (await c.views.createInView(view, { name: 'cov-child' })).id!;
    await c.views.listInView(view);
    const rule = (await c.rules.create(view, { name: 'r' })).id!;
    await c.rules.list(view);
    await c.rules.getInView(view, rule);
    await c.rules.get(rule);
    await c.rules.update(rule, { disabled: false });
    await c.rules.conditions.create(rule, { type: 'Field', field: 'country', comparison: 'equals', value: 'netherlands' });
    await c.rules.conditions.list(rule);
    await c.rules.conditions.update(rule, 'Field', { type: 'Field', value: 'germany' });
    await c.rules.delete(rule);
    await c.views.delete(child);
    await c.views.delete(view);

    await c.miniviews.list(col);
    const mv = (await c.miniviews.create(col, { name: 'cov' })).id!;
    await c.miniviews.get(mv);
    await c.miniviews.update(mv, { description: 'd' });
    await c.subprofiles.listInMiniview(mv);
    await c.subprofiles.idsInMiniview(mv);
    const mr = (await c.minirules.create(mv, { name: 'page-form' })).id!;
    const mr2 = (await c.minirules.create(mv, { name: 'index-form', pathForm: 'index' })).id!;
    await c.minirules.list(mv);
    await c.minirules.getInMiniview(mv, mr);
    await c.minirules.getInMiniview(mv, mr, { pathForm: 'index' });
    await c.minirules.get(mr);
    await c.minirules.update(mr, { inverted: false });
    await c.minirules.conditions.create(mr, { type: 'Field', field: 'status', comparison: 'equals', value: 'paid' });
    await c.minirules.conditions.list(mr);
    await c.minirules.conditions.update(mr, 'Field', { type: 'Field', value: 'new' });
    await c.minirules.delete(mr2);
    await c.minirules.delete(mr);
    await c.miniviews.delete(mv);

    const answered = new Set(
      fake.requests.filter((r) => r.route !== null && r.status >= 200 && r.status < 400).map((r) => `${r.method} ${shape(r.route!)}`),
    );
    const missing = spec.map((e) => `${e.method} ${shape(e.path)}`).filter((k) => !answered.has(k));
    expect(missing).toEqual([]);
  });
});
