/**
 * Views: the wire format (nock) and behaviour against the fake Copernica server (real HTTP):
 * which profiles a view's rules select.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { InvalidResponseError, ValidationError } from '../../src/core/errors.js';
import { where } from '../../src/core/filter.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';

const BASE = 'https://api.copernica.com';
const TOKEN = 'tok-123';
const Q = `access_token=${TOKEN}`;

interface Seen {
  uri: string;
  body: unknown;
}

/** One expected request: exact path and query (token last), recording the JSON body; replies as given. */
function expectCall(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  uri: string,
  status: number,
  reply?: nock.Body,
  headers?: Record<string, string>,
): Seen[] {
  const seen: Seen[] = [];
  const bodyMatch = (body: unknown) => {
    seen.push({ uri, body: body === '' ? undefined : body });
    return true;
  };
  const scope = nock(BASE);
  (method === 'GET' || method === 'DELETE'
    ? scope.intercept((u) => u === uri, method)
    : scope.intercept((u) => u === uri, method, bodyMatch)
  ).reply(status, reply ?? '', headers);
  return seen;
}

describe('views: wire format', () => {
  let client: Copernica;
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => {
    client = new Copernica({ accessToken: TOKEN, maxRetries: 0 });
  });
  afterEach(() => nock.cleanAll());

  it('list: paging query, token last; normalises IDs, booleans, lastbuilt and parent-type', async () => {
    expectCall('GET', `/v1/database/12/views?start=0&limit=100&total=true&${Q}`, 200, {
      start: 0,
      limit: 100,
      count: 2,
      total: 2,
      data: [
        {
          ID: '55',
          name: 'dutch',
          description: 'NL',
          'parent-type': 'database',
          'parent-id': '12',
          'has-children': '1',
          'has-referred': false,
          'has-rules': 1,
          database: '12',
          lastbuilt: '2017-02-01 03:00:00',
        },
        {
          ID: '56',
          name: 'old',
          description: '',
          'parent-type': 'selection',
          'parent-id': '55',
          'has-children': 0,
          'has-referred': '0',
          'has-rules': false,
          database: '12',
          lastbuilt: '0000-00-00 00:00:00',
        },
      ],
    });
    const page = await client.views.list(12);
    expect(nock.isDone()).toBe(true);
    expect(page.total).toBe(2);
    expect(page.data[0]).toEqual({
      ID: 55,
      name: 'dutch',
      description: 'NL',
      'parent-type': 'database',
      'parent-id': 12,
      'has-children': true,
      'has-referred': false,
      'has-rules': true,
      database: 12,
      'last-built': '2017-02-01 03:00:00',
    });
    expect(page.data[1]).toMatchObject({ ID: 56, 'parent-type': 'view', 'parent-id': 55, 'has-children': false, 'last-built': null });
  });

  it('list: a database name is sent encoded', async () => {
    expectCall('GET', `/v1/database/my%20db/views?start=0&limit=10&total=true&${Q}`, 200, {
      start: 0,
      limit: 10,
      count: 0,
      total: 0,
      data: [],
    });
    const page = await client.views.list('my db', { limit: 10 });
    expect(page.data).toEqual([]);
    expect(nock.isDone()).toBe(true);
  });

  it('get: reads last-built; unknown properties pass through unless strict', async () => {
    const view = {
      ID: '55',
      name: 'dutch',
      description: 'NL',
      'parent-type': 'database',
      'parent-id': '12',
      'has-children': false,
      'has-referred': false,
      'has-rules': true,
      database: '12',
      'last-built': '2017-02-01 03:00:00',
      extra: 'x',
    };
    expectCall('GET', `/v1/view/55?${Q}`, 200, view);
    const got = await client.views.get(55);
    expect(got['last-built']).toBe('2017-02-01 03:00:00');
    expect(({ ...got } as Record<string, unknown>).extra).toBe('x');
    expectCall('GET', `/v1/view/55?${Q}`, 200, view);
    await expect(client.withOptions({ strict: true }).views.get(55)).rejects.toBeInstanceOf(InvalidResponseError);
    expect(nock.isDone()).toBe(true);
  });

  it('create: JSON body, new ID from X-Created', async () => {
    const seen = expectCall('POST', `/v1/database/12/views?${Q}`, 201, undefined, {
      'X-Created': '57',
      'X-location': `https://api.copernica.com/v1/view/57`,
    });
    const res = await client.views.create(12, { name: 'dutch', description: 'Customers in NL' });
    expect(res).toMatchObject({ status: 201, id: 57 });
    expect(seen[0]?.body).toEqual({ name: 'dutch', description: 'Customers in NL' });
    expect(nock.isDone()).toBe(true);
  });

  it('create and update: bad input is a ValidationError before any request', async () => {
    await expect(client.views.create(12, { description: 'no name' } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(client.views.create(12, { name: 'x', has_rules: true } as never)).rejects.toThrow(/has_rules/);
    await expect(client.views.create(12, { name: 'x', 'parent-type': 'selection' } as never)).rejects.toThrow(ValidationError);
    await expect(client.views.update(55, {})).rejects.toThrow(/at least one/);
    await expect(client.views.create('../12' as never, { name: 'x' })).rejects.toThrow(ValidationError);
    // nothing was intercepted and nothing left the process (net connect is disabled)
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('update: PUT body; a 303 is a success', async () => {
    const seen = expectCall('PUT', `/v1/view/55?${Q}`, 303, undefined, {
      Location: `https://api.copernica.com/v1/view/55?access_token=${TOKEN}`,
    });
    const res = await client.views.update(55, { name: 'renamed', 'parent-type': 'view', 'parent-id': '54' });
    expect(seen[0]?.body).toEqual({ name: 'renamed', 'parent-type': 'view', 'parent-id': 54 });
    expect(res.status).toBe(303);
    expect(res.id).toBe(55);
    expect(res.location).not.toContain(TOKEN);
    expect(nock.isDone()).toBe(true);
  });

  it('delete: 200 removed, 204 nothing to remove', async () => {
    expectCall('DELETE', `/v1/view/55?${Q}`, 200, undefined, { 'X-deleted': 'view 55' });
    expect(await client.views.delete(55)).toEqual({ removed: true, status: 200, deleted: 'view 55' });
    expectCall('DELETE', `/v1/view/55?${Q}`, 204);
    expect(await client.views.delete(55)).toMatchObject({ removed: false, status: 204 });
    expect(nock.isDone()).toBe(true);
  });

  it('profiles.listInView: fields[] filters, orderby/order and paging in the query, token last', async () => {
    const uri = `/v1/view/55/profiles?fields%5B%5D=country%3D%3Dnetherlands&fields%5B%5D=age%3E16&orderby=modified&order=desc&start=0&limit=50&total=true&${Q}`;
    expectCall('GET', uri, 200, {
      start: 0,
      limit: 50,
      count: 1,
      total: 1,
      data: [
        {
          ID: '4567',
          database: '12',
          secret: 'abc',
          created: '2017-01-12 09:15:00',
          modified: '0000-00-00 00:00:00',
          fields: { country: 'netherlands', age: 40 },
          interests: ['tennis'],
        },
      ],
    });
    const page = await client.profiles.listInView<{ country: string; age: string }>(55, {
      where: [where.eq('country', 'netherlands'), 'age>16'],
      orderBy: 'modified',
      order: 'desc',
      limit: 50,
    });
    expect(nock.isDone()).toBe(true);
    expect(page.data).toEqual([
      {
        ID: 4567,
        database: 12,
        secret: 'abc',
        created: '2017-01-12 09:15:00',
        modified: null,
        fields: { country: 'netherlands', age: '40' },
        interests: ['tennis'],
        removed: null,
      },
    ]);
    const country: string = page.data[0]!.fields!.country;
    expect(country).toBe('netherlands');
  });

  it('profiles.listInView: bad filters and sort options fail before any request', async () => {
    await expect(client.profiles.listInView(55, { where: 'country=nl' })).rejects.toThrow(/==/);
    await expect(client.profiles.listInView(55, { order: 'up' as never })).rejects.toThrow(ValidationError);
    await expect(client.profiles.listInView(55, { sort: 'id' } as never)).rejects.toThrow(/sort/);
    await expect(client.profiles.listInView(55, { limit: 500 })).rejects.toThrow(ValidationError);
  });

  it('profiles.idsInView: bare array of strings becomes numbers', async () => {
    expectCall('GET', `/v1/view/55/profileids?${Q}`, 200, ['4567', '4570']);
    expect(await client.profiles.idsInView(55)).toEqual([4567, 4570]);
    expect(nock.isDone()).toBe(true);
  });

  it('listInView and createInView: nested views under /view/{id}/views', async () => {
    expectCall('GET', `/v1/view/55/views?start=0&limit=100&total=true&${Q}`, 200, {
      start: 0,
      limit: 100,
      count: 1,
      total: 1,
      data: [
        {
          ID: '58',
          name: 'seniors',
          description: '',
          'parent-type': 'view',
          'parent-id': '55',
          'has-children': false,
          'has-referred': false,
          'has-rules': true,
          database: '12',
        },
      ],
    });
    const page = await client.views.listInView(55);
    expect(page.data[0]).toMatchObject({ ID: 58, 'parent-id': 55, 'last-built': null });
    const seen = expectCall('POST', `/v1/view/55/views?${Q}`, 201, undefined, { 'X-location': 'https://api.copernica.com/v1/view/59' });
    expect((await client.views.createInView(55, { name: 'older' })).id).toBe(59);
    expect(seen[0]?.body).toEqual({ name: 'older' });
    await expect(client.views.createInView(55, { name: 'x', 'parent-id': 3 } as never)).rejects.toThrow(ValidationError);
    expect(nock.isDone()).toBe(true);
  });

  it('child view create sends the documented has-* flags (issue 12: documented parameters the SDK could not send)', async () => {
    const seen = expectCall('POST', `/v1/view/55/views?${Q}`, 201, undefined, { 'X-location': 'https://api.copernica.com/v1/view/60' });
    const res = await client.views.createInView(55, {
      name: 'flagged',
      description: 'd',
      'has-children': false,
      'has-referred': true,
      'has-rules': false,
    });
    expect(res.id).toBe(60);
    expect(seen[0]?.body).toEqual({ name: 'flagged', description: 'd', 'has-children': false, 'has-referred': true, 'has-rules': false });
    await expect(client.views.createInView(55, { name: 'x', 'has-rules': 'yes' } as never)).rejects.toThrow(/has-rules/);
    await expect(client.views.createInView(55, { name: 'x', 'parent-type': 'view' } as never)).rejects.toThrow(ValidationError);
    expect(nock.isDone()).toBe(true);
  });
});

// ---------------------------------------------------------------- integration (fake server)

interface RawProfile {
  ID: string;
  fields: Record<string, string>;
}

describe('views: against the fake server', () => {
  let fake: FakeCopernica;
  let client: Copernica;
  let databaseId: number;
  let everyone: RawProfile[];

  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    fake = await createFakeCopernica({ seed: 1, profiles: 60 });
    client = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
    const dbs = await client.request<{ data: { ID: string; name: string }[] }>({ method: 'GET', path: '/databases' });
    databaseId = Number(dbs.data.data.find((d) => d.name === 'customers')!.ID);
    const all = await client.request<{ data: RawProfile[] }>({
      method: 'GET',
      path: `/database/${databaseId}/profiles`,
      query: { limit: 100 },
    });
    everyone = all.data.data;
  });
  afterAll(async () => {
    await fake.close();
    nock.disableNetConnect();
  });

  const idsWhere = (pred: (p: RawProfile) => boolean) =>
    everyone
      .filter(pred)
      .map((p) => Number(p.ID))
      .sort((a, b) => a - b);
  const memberIds = async (viewId: number) =>
    (await client.profiles.listInView(viewId).toArray({ limit: 1000 })).map((p) => p.ID).sort((a, b) => a - b);

  it('a Field rule selects what it says; profiles.idsInView agrees; the view reads back', async () => {
    const { id: viewId, status } = await client.views.create(databaseId, { name: 'nl-it', description: 'Dutch' });
    expect(status).toBe(201);
    expect(viewId).toBeTypeOf('number');
    const rule = await client.rules.create(viewId!, {
      name: 'nl',
      conditions: [{ type: 'Field', field: 'country', comparison: 'equals', value: 'netherlands' }],
    });
    expect(rule.id).toBeTypeOf('number');

    const expected = idsWhere((p) => p.fields.country === 'netherlands');
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(everyone.length);
    expect(await memberIds(viewId!)).toEqual(expected);
    expect((await client.profiles.idsInView(viewId!)).sort((a, b) => a - b)).toEqual(expected);
    // small pages, offset and key iteration alike
    expect((await client.profiles.listInView(viewId!, { limit: 7 }).toArray({ limit: 1000 })).map((p) => p.ID)).toEqual(expected);
    expect((await client.profiles.listInView(viewId!, { limit: 7, iterate: 'key' }).toArray({ limit: 1000 })).map((p) => p.ID)).toEqual(
      expected,
    );

    const view = await client.views.get(viewId!);
    expect(view).toMatchObject({
      ID: viewId,
      name: 'nl-it',
      description: 'Dutch',
      'parent-type': 'database',
      'parent-id': databaseId,
      database: databaseId,
      'has-rules': true,
    });
    expect(view['last-built']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const listed = await client.views.list(databaseId).toArray({ limit: 100 });
    expect(listed.map((v) => v.ID)).toContain(viewId);
    const strict = client.withOptions({ strict: true });
    expect(await strict.views.get(viewId!)).toEqual(view);
    expect((await strict.profiles.listInView(viewId!).toArray({ limit: 1000 })).map((p) => p.ID)).toEqual(expected);
    expect(fake.requests.some((r) => r.route === '/view/{viewId}/profiles' && r.status === 200)).toBe(true);
  });

  it('an inverted rule selects the rest; a disabled rule is ignored', async () => {
    const { id: viewId } = await client.views.create(databaseId, { name: 'not-nl-it' });
    await client.rules.create(viewId!, {
      name: 'not-nl',
      inverted: true,
      conditions: [{ type: 'Field', field: 'country', comparison: 'equals', value: 'netherlands' }],
    });
    const notDutch = idsWhere((p) => p.fields.country !== 'netherlands');
    expect(await memberIds(viewId!)).toEqual(notDutch);

    // a second, disabled rule that would select everybody changes nothing
    await client.rules.create(viewId!, {
      name: 'everybody',
      disabled: true,
      conditions: [{ type: 'Field', field: 'country', comparison: 'contains', value: '' }],
    });
    expect(await memberIds(viewId!)).toEqual(notDutch);
    const rules = await client.rules.list(viewId!).toArray({ limit: 10 });
    expect(rules.map((r) => [r.name, r.inverted, r.disabled])).toEqual([
      ['not-nl', true, false],
      ['everybody', false, true],
    ]);
  });

  it('two rules are ORed, two conditions in one rule are ANDed', async () => {
    const { id: orView } = await client.views.create(databaseId, { name: 'de-or-be' });
    await client.rules.create(orView!, {
      name: 'de',
      conditions: [{ type: 'Field', field: 'country', comparison: 'equals', value: 'germany' }],
    });
    await client.rules.create(orView!, {
      name: 'be',
      conditions: [{ type: 'Field', field: 'country', comparison: 'equals', value: 'belgium' }],
    });
    const deOrBe = idsWhere((p) => p.fields.country === 'germany' || p.fields.country === 'belgium');
    expect(deOrBe.length).toBeGreaterThan(0);
    expect(await memberIds(orView!)).toEqual(deOrBe);

    const { id: andView } = await client.views.create(databaseId, { name: 'nl-and-old' });
    await client.rules.create(andView!, {
      name: 'nl-over-40',
      conditions: [
        { type: 'Field', field: 'country', comparison: 'equals', value: 'netherlands' },
        { type: 'Field', field: 'age', comparison: 'more', value: 40, 'numeric-comparison': true },
      ],
    });
    const nlOld = idsWhere((p) => p.fields.country === 'netherlands' && Number(p.fields.age) > 40);
    const nl = idsWhere((p) => p.fields.country === 'netherlands');
    expect(nlOld.length).toBeLessThan(nl.length);
    expect(await memberIds(andView!)).toEqual(nlOld);

    // the fields[] filter narrows the view's members further
    const filtered = await client.profiles
      .listInView(orView!, { where: where.eq('country', 'germany'), orderBy: 'id', order: 'desc' })
      .toArray({ limit: 100 });
    expect(filtered.map((p) => p.ID)).toEqual(idsWhere((p) => p.fields.country === 'germany').reverse());
  });

  it('child views: created under a view, listed, and selecting within the parent', async () => {
    const { id: parent } = await client.views.create(databaseId, { name: 'parent-nl' });
    await client.rules.create(parent!, {
      name: 'nl',
      conditions: [{ type: 'Field', field: 'country', comparison: 'equals', value: 'netherlands' }],
    });
    const { id: child } = await client.views.createInView(parent!, { name: 'child-young', description: 'under 30' });
    await client.rules.create(child!, {
      name: 'young',
      conditions: [{ type: 'Field', field: 'age', comparison: 'less', value: '30', 'numeric-comparison': true }],
    });
    const children = await client.views.listInView(parent!);
    expect(children.data.map((v) => [v.ID, v['parent-type'], v['parent-id']])).toEqual([[child, 'view', parent]]);
    expect((await client.views.get(parent!))['has-children']).toBe(true);
    expect(await memberIds(child!)).toEqual(idsWhere((p) => p.fields.country === 'netherlands' && Number(p.fields.age) < 30));
  });

  it('update (PUT) and delete: 200 then 204', async () => {
    const { id: viewId } = await client.views.create(databaseId, { name: 'to-edit' });
    const res = await client.views.update(viewId!, { name: 'edited', description: 'changed' });
    expect([200, 303]).toContain(res.status);
    expect(await client.views.get(viewId!)).toMatchObject({ name: 'edited', description: 'changed' });
    expect(await client.views.delete(viewId!)).toMatchObject({ removed: true, status: 200 });
    expect(await client.views.delete(viewId!)).toMatchObject({ removed: false, status: 204 });
    const listed = await client.views.list(databaseId).toArray({ limit: 100 });
    expect(listed.map((v) => v.ID)).not.toContain(viewId);
  });
});
