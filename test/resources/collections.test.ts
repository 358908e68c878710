/**
 * client.collections (collections, collection fields, unsubscribe): the wire format with nock, then
 * a round trip against the fake Copernica server.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica, type ValidationError, isValidationError, type Collection } from '../../src/index.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { seen } from '../helpers/nock.js';

const TOKEN = 'tok_collections_0123456789abcdef';
const API = 'https://api.copernica.com';
const client = (strict = false) => new Copernica({ accessToken: TOKEN, maxRetries: 0, strict });

/** One expected request; records the path with query (token included) and the decoded JSON body. */
function expectCall(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  pathname: string,
  status: number,
  reply: unknown = '',
  headers: Record<string, string> = {},
) {
  const calls: { path: string; body: unknown }[] = [];
  let body: unknown;
  const matchBody = (b: unknown) => {
    body = b;
    return true;
  };
  const scope = nock(API)
    .intercept(pathname, method, method === 'POST' || method === 'PUT' ? matchBody : undefined)
    .query(true)
    .reply(function (this: unknown, uri: unknown) {
      calls.push({ path: seen(uri, this as { req?: { headers?: Record<string, string> } }).path, body });
      return [status, reply, headers] as const;
    });
  return { scope, calls };
}

async function validationErrorOf(p: () => Promise<unknown>): Promise<ValidationError> {
  try {
    await p();
  } catch (e) {
    if (isValidationError(e)) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('client.collections (wire format)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('get() reads a collection whose fields come as a nested envelope', async () => {
    const { scope, calls } = expectCall('GET', '/v1/collection/33', 200, {
      ID: '33',
      name: 'orders',
      database: '12',
      fields: {
        start: 0,
        limit: 100,
        count: 2,
        total: 2,
        data: [
          { ID: '301', name: 'ordernumber', type: 'text' },
          { ID: '302', name: 'amount', type: 'float', value: 0, length: '' },
        ],
      },
    });
    const c: Collection = await client().collections.get(33);
    expect(scope.isDone()).toBe(true);
    expect(calls[0]!.path).toBe(`/v1/collection/33?access_token=${TOKEN}`);
    expect(c).toEqual({
      ID: 33,
      name: 'orders',
      database: 12,
      fields: [
        { ID: 301, name: 'ordernumber', type: 'text', value: '', choices: [] },
        { ID: 302, name: 'amount', type: 'float', value: '0', length: null, choices: [] },
      ],
    });
  });

  it('get() in strict mode refuses unknown properties, also inside nested fields', async () => {
    const reply = { ID: '33', name: 'orders', database: '12', fields: [{ ID: '301', name: 'n', type: 'text', colour: 'red' }] };
    const loose = expectCall('GET', '/v1/collection/33', 200, reply);
    const c = await client().collections.get(33);
    expect(({ ...c.fields?.[0] } as Record<string, unknown>).colour).toBe('red');
    const strict = expectCall('GET', '/v1/collection/33', 200, reply);
    await expect(client(true).collections.get(33)).rejects.toMatchObject({ code: 'invalid_response' });
    expect(loose.scope.isDone() && strict.scope.isDone()).toBe(true);
  });

  it('get() refuses names and unsafe IDs before sending anything', async () => {
    expect((await validationErrorOf(() => client().collections.get('orders' as never))).message).toContain('collectionId');
    expect((await validationErrorOf(() => client().collections.get(0))).message).toContain('collectionId');
  });

  it('update() renames with PUT; other properties are refused', async () => {
    const { scope, calls } = expectCall('PUT', '/v1/collection/33', 303, '', {
      Location: `https://api.copernica.com/v1/collection/33?access_token=${TOKEN}`,
    });
    const res = await client().collections.update(33, { name: 'purchases' });
    expect(scope.isDone()).toBe(true);
    expect(calls[0]).toEqual({ path: `/v1/collection/33?access_token=${TOKEN}`, body: { name: 'purchases' } });
    expect(res).toMatchObject({ status: 303, id: 33 });
    expect((await validationErrorOf(() => client().collections.update(33, { name: 'x', database: 1 } as never))).message).toContain(
      'database',
    );
    expect((await validationErrorOf(() => client().collections.update(33, { name: ' x' }))).message).toContain('white space');
  });
});

describe('client.collections.fields and .unsubscribe (wire format)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('fields.list() pages', async () => {
    const { scope, calls } = expectCall('GET', '/v1/collection/33/fields', 200, {
      start: 10,
      limit: 5,
      count: 1,
      total: 11,
      data: [{ ID: '301', name: 'ordernumber', type: 'text' }],
    });
    const page = await client().collections.fields.list(33, { start: 10, limit: 5 });
    expect(scope.isDone()).toBe(true);
    expect(calls[0]!.path).toBe(`/v1/collection/33/fields?start=10&limit=5&total=true&access_token=${TOKEN}`);
    expect(page).toMatchObject({ start: 10, limit: 5, count: 1, total: 11 });
    expect(page.data[0]).toMatchObject({ ID: 301, name: 'ordernumber' });
  });

  it('fields.create() allows phone and returns the new ID', async () => {
    const { scope, calls } = expectCall('POST', '/v1/collection/33/fields', 201, '', {
      'X-Created': '305',
      'X-location': 'https://api.copernica.com/v1/collection/33/field/305',
    });
    const res = await client().collections.fields.create(33, { name: 'mobile', type: 'phone', displayed: false, textlines: 2 });
    expect(scope.isDone()).toBe(true);
    expect(calls[0]).toEqual({
      path: `/v1/collection/33/fields?access_token=${TOKEN}`,
      body: { name: 'mobile', type: 'phone', displayed: false, textlines: 2 },
    });
    expect(res.id).toBe(305);
    expect(
      (await validationErrorOf(() => client().collections.fields.create(33, { name: 'd', type: 'empty_data' as never }))).message,
    ).toContain('type');
    expect((await validationErrorOf(() => client().collections.fields.create(33, { name: 'd', index: 1 } as never))).message).toContain(
      'index',
    );
  });

  it('fields.update() uses numeric IDs; choices without a type are allowed on update', async () => {
    const { scope, calls } = expectCall('PUT', '/v1/collection/33/field/302', 200, '', {
      'X-location': 'https://api.copernica.com/v1/collection/33/field/302',
    });
    await client().collections.fields.update(33, 302, { choices: ['new', 'paid'] });
    expect(scope.isDone()).toBe(true);
    expect(calls[0]).toEqual({ path: `/v1/collection/33/field/302?access_token=${TOKEN}`, body: { value: 'new\npaid' } });
    expect((await validationErrorOf(() => client().collections.fields.update(33, 'status' as never, { name: 'x' }))).message).toContain(
      'fieldId',
    );
    expect(
      (await validationErrorOf(() => client().collections.fields.update(33, 302, { type: 'text', choices: ['a'] }))).message,
    ).toContain('select');
  });

  it('fields.delete() by name and by ID: 200 removed, 204 nothing to remove', async () => {
    const a = expectCall('DELETE', '/v1/collection/33/field/ordernumber', 200, '', { 'X-deleted': 'field 301' });
    expect(await client().collections.fields.delete(33, 'ordernumber')).toEqual({ removed: true, status: 200, deleted: 'field 301' });
    const b = expectCall('DELETE', '/v1/collection/33/field/301', 204);
    expect(await client().collections.fields.delete(33, '301')).toMatchObject({ removed: false, status: 204 });
    expect(a.scope.isDone() && b.scope.isDone()).toBe(true);
    expect(a.calls[0]!.path).toBe(`/v1/collection/33/field/ordernumber?access_token=${TOKEN}`);
  });

  it('unsubscribe.get() and .update() on the collection path', async () => {
    const get = expectCall('GET', '/v1/collection/33/unsubscribe', 200, { behavior: 'nothing' });
    expect(await client().collections.unsubscribe.get(33)).toEqual({ behavior: 'nothing', fields: {} });
    const put = expectCall('PUT', '/v1/collection/33/unsubscribe', 200);
    await client().collections.unsubscribe.update(33, { behavior: 'update', fields: { status: 'cancelled' } });
    expect(put.calls[0]).toEqual({
      path: `/v1/collection/33/unsubscribe?access_token=${TOKEN}`,
      body: { behavior: 'update', fields: { status: 'cancelled' } },
    });
    expect(get.scope.isDone() && put.scope.isDone()).toBe(true);
    expect((await validationErrorOf(() => client().collections.unsubscribe.get('orders' as never))).message).toContain('collectionId');
    expect(
      (await validationErrorOf(() => client().collections.unsubscribe.update(33, { behavior: 'update', fields: { '': 'x' } }))).message,
    ).toContain('fields');
  });

  it('an unknown behaviour degrades the property in the default mode (warned once) and is refused in strict mode', async () => {
    const warnings: string[] = [];
    const loose = new Copernica({ accessToken: TOKEN, maxRetries: 0, logger: { warn: (m: string) => warnings.push(m) } });
    const get = expectCall('GET', '/v1/collection/33/unsubscribe', 200, { behavior: 'explode', fields: { newsletter: 'no' } });
    const read = await loose.collections.unsubscribe.get(33);
    expect(read.behavior).toBeUndefined();
    expect(read.fields).toEqual({ newsletter: 'no' });
    expect(warnings).toEqual([expect.stringContaining('GET /collection/{id}/unsubscribe had an unusable behavior (expected one of')]);
    expect(warnings[0]).not.toContain('explode');
    expect(get.scope.isDone()).toBe(true);
    const strict = expectCall('GET', '/v1/collection/33/unsubscribe', 200, { behavior: 'explode' });
    await expect(client(true).collections.unsubscribe.get(33)).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('reply.behavior: expected one of "nothing", "remove", "update", got a string'),
    });
    expect(strict.scope.isDone()).toBe(true);
  });
});

describe('client.collections against the fake Copernica', () => {
  let fake: FakeCopernica;
  let api: Copernica;
  beforeAll(async () => {
    fake = await createFakeCopernica({ seed: 1, profiles: 5 });
    api = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('builds a collection with fields, reads it back, updates, deletes a field and sets unsubscribe', async () => {
    const { id: db } = await api.databases.create({ name: 'sdk-collections' });
    const { id: col } = await api.collections.create(db!, { name: 'orders' });
    const c = col!;

    const number = await api.collections.fields.create(c, { name: 'ordernumber', type: 'text', length: 20 });
    await api.collections.fields.create(c, { name: 'amount', type: 'float' });
    const status = await api.collections.fields.create(c, { name: 'status', type: 'select', choices: ['new', 'paid'] });
    await api.collections.fields.create(c, { name: 'phone', type: 'phone' });
    await api.collections.fields.create(c, { name: 'shipped', type: 'empty_datetime' });

    const got = await api.collections.get(c);
    expect(got).toMatchObject({ ID: c, name: 'orders', database: db });
    expect(got.fields!.map((f) => [f.name, f.type])).toEqual([
      ['ordernumber', 'text'],
      ['amount', 'float'],
      ['status', 'select'],
      ['phone', 'phone'],
      ['shipped', 'empty_datetime'],
    ]);
    expect(got.fields![0]).toMatchObject({ ID: number.id, length: 20 });
    expect(got.fields![2]!.choices).toEqual(['new', 'paid']);

    const listed = await api.collections.fields.list(c);
    expect(listed.total).toBe(5);
    expect(listed.data.map((f) => f.ID)).toEqual(got.fields!.map((f) => f.ID));

    // rename the collection and change a field
    await api.collections.update(c, { name: 'purchases' });
    await api.collections.fields.update(c, status.id!, { choices: ['new', 'paid', 'shipped'] });
    const after = await api.collections.get(c);
    expect(after.name).toBe('purchases');
    expect(after.fields!.find((f) => f.ID === status.id)!.choices).toEqual(['new', 'paid', 'shipped']);
    // the database's own view of its collections agrees (database by name)
    expect((await api.collections.list('sdk-collections')).data.map((x) => x.name)).toEqual(['purchases']);

    // delete a field by name: 200, then 204
    expect(await api.collections.fields.delete(c, 'phone')).toMatchObject({ removed: true, status: 200 });
    expect(await api.collections.fields.delete(c, 'phone')).toEqual({ removed: false, status: 204, deleted: undefined });
    expect((await api.collections.fields.list(c)).data.map((f) => f.name)).toEqual(['ordernumber', 'amount', 'status', 'shipped']);

    // unsubscribe round trip
    await api.collections.unsubscribe.update(c, { behavior: 'update', fields: { status: 'new' } });
    expect(await api.collections.unsubscribe.get(c)).toEqual({ behavior: 'update', fields: { status: 'new' } });
    await api.collections.unsubscribe.update(c, { behavior: 'nothing' });
    expect(await api.collections.unsubscribe.get(c)).toEqual({ behavior: 'nothing', fields: {} });

    const routes = fake.requests.map((r) => `${r.method} ${r.route}`);
    for (const route of [
      'GET /collection/{collectionId}',
      'PUT /collection/{collectionId}',
      'GET /collection/{collectionId}/fields',
      'POST /collection/{collectionId}/fields',
      'PUT /collection/{collectionId}/field/{fieldId}',
      'DELETE /collection/{collectionId}/field/{fieldId}',
      'GET /collection/{collectionId}/unsubscribe',
      'PUT /collection/{collectionId}/unsubscribe',
    ]) {
      expect(routes).toContain(route);
    }
  });

  it('an unknown collection is a NotFoundError', async () => {
    await expect(api.collections.get(987654)).rejects.toMatchObject({ code: 'not_found' });
  });
});
