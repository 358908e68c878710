/**
 * client.databases (databases, fields, interests, collections, unsubscribe): the wire format with
 * nock, then a round trip against the fake Copernica server.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  Copernica,
  type ValidationError,
  isValidationError,
  type Collection,
  type Database,
  type DatabaseField,
  type DatabaseFieldCreateParams,
  type DatabaseInterest,
  type Field,
  type FieldType,
  type UnsubscribeBehavior,
  type UnsubscribeBehaviorUpdate,
} from '../../src/index.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { seen } from '../helpers/nock.js';

const TOKEN = 'tok_databases_0123456789abcdef';
const API = 'https://api.copernica.com';
const client = (strict = false) => new Copernica({ accessToken: TOKEN, maxRetries: 0, strict });

interface Call {
  path: string;
  body: unknown;
}

/** One expected request; records the path with query (token included) and the decoded JSON body. */
function expectCall(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  pathname: string,
  status: number,
  reply: unknown = '',
  headers: Record<string, string> = {},
) {
  const calls: Call[] = [];
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

const fieldReply = (over: Record<string, unknown> = {}) => ({
  ID: '101',
  name: 'email',
  type: 'email',
  value: '',
  displayed: true,
  ordered: false,
  length: '255',
  textlines: '1',
  hidden: false,
  index: true,
  ...over,
});

describe('public types', () => {
  // Checked by the type checker (npx tsc --noEmit covers test/): a wrong export or type fails it.
  it('are exported from the package entry with documented value types', () => {
    expectTypeOf<Database['ID']>().toEqualTypeOf<number>();
    expectTypeOf<Database['created']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<Database['fields']>().toEqualTypeOf<Field[] | undefined>();
    expectTypeOf<Database['interests']>().toEqualTypeOf<DatabaseInterest[] | undefined>();
    expectTypeOf<Database['collections']>().toEqualTypeOf<Collection[] | undefined>();
    expectTypeOf<DatabaseField>().toEqualTypeOf<Field>();
    expectTypeOf<Field['type']>().toEqualTypeOf<FieldType | undefined>();
    expectTypeOf<Field['choices']>().toEqualTypeOf<string[]>();
    expectTypeOf<Field['displayed']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<UnsubscribeBehavior['fields']>().toEqualTypeOf<Record<string, string> | undefined>();
    // Identifying properties stay required (docs/replies.md); everything else may be degraded in loose mode.
    expectTypeOf<Database['name']>().toEqualTypeOf<string>();
    expectTypeOf<Field['name']>().toEqualTypeOf<string>();
    expectTypeOf<{ name: 'x'; type: 'phone' }>().not.toExtend<DatabaseFieldCreateParams>();
    expectTypeOf<{ behavior: 'update' }>().not.toExtend<UnsubscribeBehaviorUpdate>();
  });
});

describe('client.databases (wire format)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('the read-only properties the write pages copied from GET are refused before any request, named (issue 12)', async () => {
    // PUT /database/{id} lists created/fields/interests/collections; POST collections and PUT collection list database/fields.
    for (const key of ['created', 'fields', 'interests', 'collections']) {
      await expect(
        client().databases.update(12, { name: 'x', [key]: key === 'created' ? '2024-01-01 00:00:00' : [] } as never),
      ).rejects.toThrow(new RegExp(key));
    }
    await expect(client().collections.create(12, { name: 'orders', database: 12 } as never)).rejects.toThrow(/database/);
    await expect(client().collections.update(33, { name: 'orders', database: 13 } as never)).rejects.toThrow(/database/);
    await expect(client().collections.update(33, { name: 'orders', fields: [] } as never)).rejects.toThrow(/fields/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('list() asks for the first page, token last, and normalises every variant the pages show', async () => {
    const { scope, calls } = expectCall('GET', '/v1/databases', 200, {
      start: 0,
      limit: 100,
      count: 1,
      total: 1,
      data: [
        {
          id: '12',
          name: 'customers',
          description: 'All customers',
          archived: 0,
          created: '0000-00-00 00:00:00',
          // nested envelope without count (rest-collection-information.md), capitalised keys, typo type
          fields: {
            start: 0,
            limit: 100,
            total: 2,
            data: [fieldReply(), { Id: '102', Name: 'country', Type: 'select', Value: 'netherlands\ngermany\n' }],
          },
          interests: [{ ID: '7', name: 'tennis', group: 'sport' }],
          collection: [{ ID: '33', name: 'orders', database: '12', fields: [{ ID: '301', name: 'when', type: 'empty_data' }] }],
        },
      ],
    });
    const page = await client().databases.list();
    expect(scope.isDone()).toBe(true);
    expect(calls[0]!.path).toBe(`/v1/databases?start=0&limit=100&total=true&access_token=${TOKEN}`);
    expect(page.total).toBe(1);
    const db = page.data[0]!;
    expect(db).toMatchObject({ ID: 12, name: 'customers', description: 'All customers', archived: false, created: null });
    expect(db.fields).toEqual([
      {
        ID: 101,
        name: 'email',
        type: 'email',
        value: '',
        displayed: true,
        ordered: false,
        length: 255,
        textlines: 1,
        hidden: false,
        index: true,
        choices: [],
      },
      { ID: 102, name: 'country', type: 'select', value: 'netherlands\ngermany\n', choices: ['netherlands', 'germany'] },
    ]);
    expect(db.interests).toEqual([{ ID: 7, name: 'tennis', group: 'sport' }]);
    expect(db.collections).toEqual([
      { ID: 33, name: 'orders', database: 12, fields: [{ ID: 301, name: 'when', type: 'empty_date', value: '', choices: [] }] },
    ]);
    expect('collection' in db).toBe(false);
  });

  it('list() passes paging parameters and iterates every page', async () => {
    const first = expectCall('GET', '/v1/databases', 200, { start: 0, limit: 1, count: 1, total: 2, data: [{ ID: '1', name: 'a' }] });
    const second = expectCall('GET', '/v1/databases', 200, { start: 1, limit: 1, count: 1, total: 2, data: [{ ID: '2', name: 'b' }] });
    const names: string[] = [];
    for await (const db of client().databases.list({ limit: 1 })) names.push(db.name);
    expect(names).toEqual(['a', 'b']);
    expect(first.scope.isDone() && second.scope.isDone()).toBe(true);
    expect(first.calls[0]!.path).toBe(`/v1/databases?start=0&limit=1&total=false&access_token=${TOKEN}`);
    expect(second.calls[0]!.path).toBe(`/v1/databases?start=1&limit=1&total=false&access_token=${TOKEN}`);
  });

  it('get() reads one database by numeric ID; unknown properties pass through unless strict', async () => {
    const reply = {
      ID: '12',
      name: 'customers',
      description: '',
      archived: true,
      created: '2016-03-01 10:22:13',
      fields: [],
      interests: [],
      collections: [],
      colour: 'red',
    };
    const { scope, calls } = expectCall('GET', '/v1/database/12', 200, reply);
    const db = await client().databases.get('12');
    expect(scope.isDone()).toBe(true);
    expect(calls[0]!.path).toBe(`/v1/database/12?access_token=${TOKEN}`);
    expect(db).toMatchObject({ ID: 12, archived: true, created: '2016-03-01 10:22:13', fields: [] });
    expect(({ ...db } as Record<string, unknown>).colour).toBe('red');

    const strict = expectCall('GET', '/v1/database/12', 200, reply);
    await expect(client(true).databases.get(12)).rejects.toMatchObject({ code: 'invalid_response' });
    expect(strict.scope.isDone()).toBe(true);
  });

  it('get() refuses a name (the page takes a numeric ID) before sending anything', async () => {
    const e = await validationErrorOf(() => client().databases.get('customers' as never));
    expect(e.message).toContain('databaseId');
  });

  it('create() posts the body as JSON and returns the new ID from X-Created', async () => {
    const { scope, calls } = expectCall('POST', '/v1/databases', 201, '', {
      'X-Created': '55',
      'X-location': 'https://api.copernica.com/v1/database/55',
    });
    const res = await client().databases.create({ name: 'newsletter', description: 'Weekly', archived: false });
    expect(scope.isDone()).toBe(true);
    expect(calls[0]).toEqual({
      path: `/v1/databases?access_token=${TOKEN}`,
      body: { name: 'newsletter', description: 'Weekly', archived: false },
    });
    expect(res).toMatchObject({ status: 201, id: 55 });
  });

  it('create() and update() refuse bad bodies before any request', async () => {
    const c = client();
    expect((await validationErrorOf(() => c.databases.create({ name: '' }))).issues.join()).toContain('database.name');
    expect((await validationErrorOf(() => c.databases.create({ name: 'x', fields: [] } as never))).message).toContain('fields');
    expect((await validationErrorOf(() => c.databases.create({ name: 'x', archived: 'yes' } as never))).message).toContain('archived');
    expect((await validationErrorOf(() => c.databases.update(12, {}))).message).toContain('at least one');
    expect((await validationErrorOf(() => c.databases.update(12, { created: '2020-01-01' } as never))).message).toContain('created');
  });

  it('update() sends PUT and takes a 303 with Location as success', async () => {
    const { scope, calls } = expectCall('PUT', '/v1/database/12', 303, '', {
      Location: `https://api.copernica.com/v1/database/12?access_token=${TOKEN}`,
    });
    const res = await client().databases.update(12, { name: 'clients', archived: true });
    expect(scope.isDone()).toBe(true);
    expect(calls[0]).toEqual({ path: `/v1/database/12?access_token=${TOKEN}`, body: { name: 'clients', archived: true } });
    expect(res.status).toBe(303);
    expect(res.id).toBe(12);
    expect(res.location).not.toContain(TOKEN);
  });
});

describe('client.databases.fields (wire format)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('list() takes a database name, URL-encoded', async () => {
    const { scope, calls } = expectCall('GET', '/v1/database/my%20customers/fields', 200, {
      start: 0,
      limit: 100,
      count: 1,
      total: 1,
      data: [fieldReply()],
    });
    const page = await client().databases.fields.list('my customers');
    expect(scope.isDone()).toBe(true);
    expect(calls[0]!.path).toBe(`/v1/database/my%20customers/fields?start=0&limit=100&total=true&access_token=${TOKEN}`);
    const f: Field = page.data[0]!;
    expect(f).toMatchObject({ ID: 101, type: 'email', length: 255 });
  });

  it('create() sends choices as newline-separated value and returns the field ID', async () => {
    const { scope, calls } = expectCall('POST', '/v1/database/12/fields', 201, '', { 'X-Created': '103' });
    const res = await client().databases.fields.create(12, {
      name: 'country',
      type: 'select',
      choices: ['netherlands', 'germany'],
      displayed: true,
      length: 50,
    });
    expect(scope.isDone()).toBe(true);
    expect(calls[0]).toEqual({
      path: `/v1/database/12/fields?access_token=${TOKEN}`,
      body: { name: 'country', type: 'select', value: 'netherlands\ngermany', displayed: true, length: 50 },
    });
    expect(res.id).toBe(103);
  });

  it('create() validates against the database type list (no phone) and the other rules', async () => {
    const f = client().databases.fields;
    expect((await validationErrorOf(() => f.create(12, { name: 'tel', type: 'phone' as never }))).issues.join()).toContain('field.type');
    expect((await validationErrorOf(() => f.create(12, { name: 'c', choices: ['a'] }))).message).toContain('select');
    expect((await validationErrorOf(() => f.create(12, { name: 'c', type: 'select', choices: ['a'], value: 'a' }))).message).toContain(
      'not both',
    );
    expect((await validationErrorOf(() => f.create(12, { name: 'c', type: 'select', choices: ['a\nb'] }))).message).toContain(
      'line breaks',
    );
    expect((await validationErrorOf(() => f.create(12, { name: 'n', length: 0 }))).message).toContain('length');
    expect((await validationErrorOf(() => f.create(12, { name: 'n', colour: 'red' } as never))).message).toContain('colour');
    expect((await validationErrorOf(() => f.create('customers' as never, { name: 'n' }))).message).toContain('databaseId');
  });

  it('update() takes the database by name and the field by ID only', async () => {
    const { scope, calls } = expectCall('PUT', '/v1/database/customers/field/101', 200, '', {
      'X-location': 'https://api.copernica.com/v1/database/12/field/101',
    });
    const res = await client().databases.fields.update('customers', 101, { hidden: true, type: 'big' });
    expect(scope.isDone()).toBe(true);
    expect(calls[0]).toEqual({ path: `/v1/database/customers/field/101?access_token=${TOKEN}`, body: { hidden: true, type: 'big' } });
    expect(res.id).toBe(101);
    expect((await validationErrorOf(() => client().databases.fields.update(12, 'email' as never, { hidden: true }))).message).toContain(
      'fieldId',
    );
    expect((await validationErrorOf(() => client().databases.fields.update(12, 101, {}))).message).toContain('at least one');
  });

  it('delete() takes the field by name; 200 removed, 204 nothing to remove', async () => {
    const done = expectCall('DELETE', '/v1/database/12/field/firstname', 200, '', { 'X-deleted': 'field 104' });
    expect(await client().databases.fields.delete(12, 'firstname')).toEqual({ removed: true, status: 200, deleted: 'field 104' });
    expect(done.calls[0]!.path).toBe(`/v1/database/12/field/firstname?access_token=${TOKEN}`);
    const none = expectCall('DELETE', '/v1/database/12/field/104', 204);
    expect(await client().databases.fields.delete(12, 104)).toEqual({ removed: false, status: 204, deleted: undefined });
    expect(done.scope.isDone() && none.scope.isDone()).toBe(true);
    expect((await validationErrorOf(() => client().databases.fields.delete('customers' as never, 104))).message).toContain('databaseId');
    expect((await validationErrorOf(() => client().databases.fields.delete(12, '../x'))).message).toContain('fieldId');
  });
});

describe('client.databases.interests, .collections, .unsubscribe (wire format)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('interests: list by name, create with group', async () => {
    const list = expectCall('GET', '/v1/database/customers/interests', 200, [
      { ID: '7', name: 'tennis', group: 'sport' },
      { id: '8', name: 'golf' },
    ]);
    const page = await client().databases.interests.list('customers');
    expect(page.data).toEqual([
      { ID: 7, name: 'tennis', group: 'sport' },
      { ID: 8, name: 'golf', group: '' },
    ]);
    expect(list.calls[0]!.path).toBe(`/v1/database/customers/interests?start=0&limit=100&total=true&access_token=${TOKEN}`);
    const create = expectCall('POST', '/v1/database/12/interests', 201, '', { 'X-Created': '9' });
    const res = await client().databases.interests.create(12, { name: 'hockey', group: 'sport' });
    expect(create.calls[0]!.body).toEqual({ name: 'hockey', group: 'sport' });
    expect(res.id).toBe(9);
    expect(list.scope.isDone() && create.scope.isDone()).toBe(true);
    expect((await validationErrorOf(() => client().databases.interests.create(12, { group: 'sport' } as never))).message).toContain('name');
  });

  it('collections: list by name, create with fields (phone allowed)', async () => {
    const list = expectCall('GET', '/v1/database/customers/collections', 200, {
      start: 0,
      limit: 100,
      count: 1,
      total: 1,
      data: [{ ID: '33', name: 'orders', database: '12', fields: [{ ID: '301', name: 'ordernumber', type: 'text' }] }],
    });
    const page = await client().collections.list('customers');
    expect(page.data[0]).toEqual({
      ID: 33,
      name: 'orders',
      database: 12,
      fields: [{ ID: 301, name: 'ordernumber', type: 'text', value: '', choices: [] }],
    });
    const create = expectCall('POST', '/v1/database/12/collections', 201, '', {
      'X-location': 'https://api.copernica.com/v1/collection/34',
    });
    const res = await client().collections.create(12, {
      name: 'calls',
      fields: [
        { name: 'number', type: 'phone' },
        { name: 'status', type: 'select', choices: ['open', 'closed'] },
      ],
    });
    expect(create.calls[0]).toEqual({
      path: `/v1/database/12/collections?access_token=${TOKEN}`,
      body: {
        name: 'calls',
        fields: [
          { name: 'number', type: 'phone' },
          { name: 'status', type: 'select', value: 'open\nclosed' },
        ],
      },
    });
    expect(res.id).toBe(34);
    expect(list.scope.isDone() && create.scope.isDone()).toBe(true);
    expect((await validationErrorOf(() => client().collections.create(12, { name: 'x', database: 12 } as never))).message).toContain(
      'database',
    );
  });

  it('unsubscribe: get by name reads both spellings; update sends the discriminated body', async () => {
    const get = expectCall('GET', '/v1/database/customers/unsubscribe', 200, { behaviour: 'Remove', fields: [] });
    expect(await client().databases.unsubscribe.get('customers')).toEqual({ behavior: 'remove', fields: {} });
    const get2 = expectCall('GET', '/v1/database/12/unsubscribe', 200, { behavior: 'update', fields: { newsletter: 'no', score: 0 } });
    expect(await client().databases.unsubscribe.get(12)).toEqual({ behavior: 'update', fields: { newsletter: 'no', score: '0' } });

    const put = expectCall('PUT', '/v1/database/12/unsubscribe', 200, '', {
      'X-location': 'https://api.copernica.com/v1/database/12/unsubscribe',
    });
    await client().databases.unsubscribe.update(12, { behavior: 'update', fields: { newsletter: 'no', score: 0 } });
    expect(put.calls[0]).toEqual({
      path: `/v1/database/12/unsubscribe?access_token=${TOKEN}`,
      body: { behavior: 'update', fields: { newsletter: 'no', score: '0' } },
    });
    const put2 = expectCall('PUT', '/v1/database/12/unsubscribe', 200);
    await client().databases.unsubscribe.update(12, { behavior: 'nothing' });
    expect(put2.calls[0]!.body).toEqual({ behavior: 'nothing' });
    expect(get.scope.isDone() && get2.scope.isDone() && put.scope.isDone() && put2.scope.isDone()).toBe(true);

    const u = client().databases.unsubscribe;
    expect((await validationErrorOf(() => u.update(12, { behavior: 'update' } as never))).message).toContain('fields');
    expect((await validationErrorOf(() => u.update(12, { behavior: 'update', fields: {} }))).message).toContain('at least one');
    expect((await validationErrorOf(() => u.update(12, { behavior: 'remove', fields: { a: 'b' } } as never))).message).toContain('fields');
    expect((await validationErrorOf(() => u.update(12, { behavior: 'delete' } as never))).message).toContain('behavior');
    expect((await validationErrorOf(() => u.update('customers' as never, { behavior: 'remove' }))).message).toContain('databaseId');
  });
});

describe('client.databases against the fake Copernica', () => {
  let fake: FakeCopernica;
  let api: Copernica;
  beforeAll(async () => {
    fake = await createFakeCopernica({ seed: 1, profiles: 5 });
    api = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('builds a database with fields, interests and a collection, reads it back, updates and deletes', async () => {
    const name = 'sdk-test-db';
    const { id: dbId } = await api.databases.create({ name, description: 'made by the SDK test' });
    expect(dbId).toBeTypeOf('number');
    const db = dbId!;

    const email = await api.databases.fields.create(db, { name: 'email', type: 'email' });
    const country = await api.databases.fields.create(db, { name: 'country', type: 'select', choices: ['netherlands', 'germany'] });
    const age = await api.databases.fields.create(db, { name: 'age', type: 'integer', value: '18', index: true });
    await api.databases.fields.create(db, { name: 'birthday', type: 'empty_date' });
    await api.databases.fields.create(db, { name: 'notes', type: 'big', hidden: true });
    expect([email.id, country.id, age.id].every((x) => typeof x === 'number')).toBe(true);

    await api.databases.interests.create(db, { name: 'tennis', group: 'sport' });
    await api.databases.interests.create(db, { name: 'reading' });
    const { id: collectionId } = await api.collections.create(db, { name: 'orders', fields: [{ name: 'ordernumber', type: 'text' }] });
    expect(collectionId).toBeTypeOf('number');

    // read back, by ID and by name
    const got = await api.databases.get(db);
    expect(got).toMatchObject({ ID: db, name, description: 'made by the SDK test', archived: false });
    expect(got.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(got.fields!.map((f) => [f.name, f.type])).toEqual([
      ['email', 'email'],
      ['country', 'select'],
      ['age', 'integer'],
      ['birthday', 'empty_date'],
      ['notes', 'big'],
    ]);
    expect(got.fields!.find((f) => f.name === 'country')!.choices).toEqual(['netherlands', 'germany']);
    expect(got.fields!.find((f) => f.name === 'age')).toMatchObject({ ID: age.id, value: '18', index: true });
    expect(got.fields!.find((f) => f.name === 'notes')!.hidden).toBe(true);
    expect(got.interests!.map((i) => [i.name, i.group])).toEqual([
      ['tennis', 'sport'],
      ['reading', ''],
    ]);
    expect(got.collections).toHaveLength(1);
    expect(got.collections![0]).toMatchObject({ ID: collectionId, name: 'orders', database: db });
    expect(got.collections![0]!.fields!.map((f) => f.name)).toEqual(['ordernumber']);

    const byName = await api.databases.fields.list(name);
    expect(byName.total).toBe(5);
    expect(byName.data.map((f) => f.ID)).toEqual(got.fields!.map((f) => f.ID));
    expect((await api.databases.interests.list(name)).data.map((i) => i.name)).toEqual(['tennis', 'reading']);
    expect((await api.collections.list(name)).data.map((c) => c.ID)).toEqual([collectionId]);

    const all = await api.databases.list().toArray({ limit: 1000 });
    expect(all.find((d) => d.ID === db)?.name).toBe(name);

    // update the database and a field (database by name)
    const put = await api.databases.update(db, { description: 'changed', archived: true });
    expect([200, 303]).toContain(put.status);
    await api.databases.fields.update(name, age.id!, { name: 'years', value: '21' });
    const after = await api.databases.get(db);
    expect(after).toMatchObject({ description: 'changed', archived: true });
    expect(after.fields!.find((f) => f.ID === age.id)).toMatchObject({ name: 'years', type: 'integer', value: '21' });

    // delete a field by name: 200, then 204
    const first = await api.databases.fields.delete(db, 'notes');
    expect(first).toMatchObject({ removed: true, status: 200 });
    const again = await api.databases.fields.delete(db, 'notes');
    expect(again).toEqual({ removed: false, status: 204, deleted: undefined });
    expect((await api.databases.fields.list(db)).data.map((f) => f.name)).toEqual(['email', 'country', 'years', 'birthday']);

    // unsubscribe round trip (read by name)
    await api.databases.unsubscribe.update(db, { behavior: 'update', fields: { country: 'germany' } });
    expect(await api.databases.unsubscribe.get(name)).toEqual({ behavior: 'update', fields: { country: 'germany' } });
    await api.databases.unsubscribe.update(db, { behavior: 'remove' });
    expect(await api.databases.unsubscribe.get(db)).toEqual({ behavior: 'remove', fields: {} });

    const routes = fake.requests.map((r) => `${r.method} ${r.route}`);
    for (const route of [
      'POST /databases',
      'GET /databases',
      'GET /database/{databaseId}',
      'PUT /database/{databaseId}',
      'GET /database/{databaseId}/fields',
      'POST /database/{databaseId}/fields',
      'PUT /database/{databaseId}/field/{fieldId}',
      'DELETE /database/{databaseId}/field/{fieldId}',
      'GET /database/{databaseId}/interests',
      'POST /database/{databaseId}/interests',
      'GET /database/{databaseId}/collections',
      'POST /database/{databaseId}/collections',
      'GET /database/{databaseId}/unsubscribe',
      'PUT /database/{databaseId}/unsubscribe',
    ]) {
      expect(routes).toContain(route);
    }
  });

  it('the fake answers errors the SDK maps: unknown database is a NotFoundError', async () => {
    await expect(api.databases.get(987654)).rejects.toMatchObject({ code: 'not_found' });
    await expect(api.databases.fields.list('no-such-database')).rejects.toMatchObject({ code: 'not_found' });
  });
});
