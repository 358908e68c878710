/**
 * Issue 12 for profiles and subprofiles: a reply value the SDK cannot use degrades that property
 * (reads undefined, raw value in degradedProperties, one warning per endpoint and property), never
 * the call; strict mode refuses it. Served through nock, read through the public methods.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { degradedProperties, MAX_DEGRADED_WARNINGS } from '../../src/core/schema.js';
import { isInvalidResponseError } from '../../src/core/errors.js';

const API = 'https://api.copernica.com';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

interface Warning {
  message: string;
  meta: Record<string, unknown> | undefined;
}

function clients() {
  const warnings: Warning[] = [];
  const logger = { warn: (message: string, meta?: Record<string, unknown>) => void warnings.push({ message, meta }) };
  return {
    warnings,
    loose: new Copernica({ accessToken: 'tok', maxRetries: 0, logger }),
    strict: new Copernica({ accessToken: 'tok', maxRetries: 0, logger, strict: true }),
  };
}

const wireProfile = {
  ID: '12',
  database: '3',
  secret: 'abc',
  created: '2024-01-01 10:00:00',
  modified: '2024-02-01 10:00:00',
  removed: false,
  fields: { email: 'a@b.nl', age: '33' },
  interests: ['tennis'],
};

/** Each kind of odd value a profile reply may carry: the property, the raw value, the warning's `expected` and `received`. */
const ODD: [property: string, raw: unknown, expected: string, received: string][] = [
  ['secret', 12345, 'a string', 'an integer'],
  ['secret', { code: 'x' }, 'a string', 'an object'],
  ['created', 1488357733, 'a timestamp string', 'an integer'],
  ['modified', true, 'a timestamp string', 'a boolean'],
  ['removed', ['2024-01-01'], 'a timestamp string', 'an array'],
  ['fields', 'email=a@b.nl', 'an object of field values', 'a string'],
  ['fields', [{ name: 'email', value: 'a@b.nl' }], 'an object of field values', 'an array'],
  ['interests', 'tennis,hockey', 'an array of interest names', 'a string'],
  ['database', 'customers', 'an ID (integer or digits)', 'a string'],
];

describe('profiles: an odd reply value degrades that property, not the call', () => {
  for (const [property, raw, expected, received] of ODD) {
    it(`get: ${property} as ${received}`, async () => {
      const { warnings, loose, strict } = clients();
      nock(API)
        .get('/v1/profile/12')
        .query(true)
        .times(3)
        .reply(200, { ...wireProfile, [property]: raw });
      const p = (await loose.profiles.get(12)) as unknown as Record<string, unknown>;
      expect(p[property]).toBeUndefined();
      expect(degradedProperties(p)).toEqual({ [property]: raw });
      // The rest of the profile as usual.
      expect(p.ID).toBe(12);
      if (property !== 'fields') expect(p.fields).toEqual({ email: 'a@b.nl', age: '33' });
      if (property !== 'secret') expect(p.secret).toBe('abc');
      if (property !== 'removed') expect(p.removed).toBeNull();
      // Told once, with the types and never the value, however often it arrives.
      await loose.profiles.get(12);
      expect(warnings).toEqual([
        {
          message: `copernica-rest: the reply to GET /profile/{id} had an unusable ${property} (expected ${expected}, got ${received}); it reads undefined`,
          meta: { endpoint: 'GET /profile/{id}', property, expected, received },
        },
      ]);
      // Strict refuses it, naming the property.
      const error = await strict.profiles.get(12).catch((e: unknown) => e);
      expect(isInvalidResponseError(error)).toBe(true);
      expect((error as Error).message).toContain(`reply.${property}: expected`);
    });
  }

  it('a field value that is an object, an array or a boolean is left out of fields alone; numbers and null convert', async () => {
    const { warnings, loose, strict } = clients();
    const fields = { email: 'a@b.nl', age: 60, score: 1.5, city: null, address: { street: 'Dam 1' }, tags: ['a'], optin: true };
    nock(API)
      .get('/v1/profile/12')
      .query(true)
      .times(2)
      .reply(200, { ...wireProfile, fields });
    const p = await loose.profiles.get(12);
    expect(p.fields).toEqual({ email: 'a@b.nl', age: '60', score: '1.5', city: '' });
    expect(degradedProperties(p.fields ?? {})).toEqual({ address: { street: 'Dam 1' }, tags: ['a'], optin: true });
    expect(degradedProperties(p)).toBeUndefined();
    expect(warnings.map((w) => w.meta?.property)).toEqual(['fields.address', 'fields.tags', 'fields.optin']);
    expect(JSON.stringify(warnings)).not.toContain('Dam 1');
    const error = await strict.profiles.get(12).catch((e: unknown) => e);
    expect((error as Error).message).toContain('expected a string for field "address"');
  });

  it('a page with one odd record yields every record, and each odd property is warned about once across pages', async () => {
    const { warnings, loose } = clients();
    const page = (start: number) => ({
      start,
      limit: 3,
      count: 3,
      total: 6,
      data: [0, 1, 2].map((i) => {
        const ID = 100 + start + i;
        // The middle record of each page is odd in three ways.
        return i === 1
          ? { ...wireProfile, ID, secret: 7, created: 20240101, fields: { email: 'x@y.nl', note: { a: 1 } } }
          : { ...wireProfile, ID };
      }),
    });
    nock(API)
      .get('/v1/database/3/profiles')
      .query((q) => q.start === '0' || q.fields === undefined)
      .reply(200, page(0))
      .get('/v1/database/3/profiles')
      .query(true)
      .reply(200, page(3));
    const seen: { ID: number; secret: string | undefined; email: string | undefined }[] = [];
    for await (const p of loose.profiles.list(3, { limit: 3, iterate: 'offset' }))
      seen.push({ ID: p.ID, secret: p.secret, email: p.fields?.email });
    expect(seen).toEqual([
      { ID: 100, secret: 'abc', email: 'a@b.nl' },
      { ID: 101, secret: undefined, email: 'x@y.nl' },
      { ID: 102, secret: 'abc', email: 'a@b.nl' },
      { ID: 103, secret: 'abc', email: 'a@b.nl' },
      { ID: 104, secret: undefined, email: 'x@y.nl' },
      { ID: 105, secret: 'abc', email: 'a@b.nl' },
    ]);
    expect(warnings.map((w) => `${w.meta?.endpoint} ${w.meta?.property}`)).toEqual([
      'GET /database/{id}/profiles fields.note',
      'GET /database/{id}/profiles secret',
      'GET /database/{id}/profiles created',
    ]);
  });

  it('strict refuses a page with one odd record, naming the record and the property', async () => {
    const { strict } = clients();
    nock(API)
      .get('/v1/database/3/profiles')
      .query(true)
      .reply(200, { start: 0, limit: 100, count: 2, total: 2, data: [wireProfile, { ...wireProfile, ID: 13, created: 5 }] });
    const error = await strict.profiles.list(3, { iterate: 'offset' }).catch((e: unknown) => e);
    expect(isInvalidResponseError(error)).toBe(true);
    expect((error as Error).message).toContain('reply.data.1.created: expected a timestamp string, got an integer');
  });

  it('a record without a usable ID is still refused in the default mode (it identifies the record)', async () => {
    const { loose } = clients();
    nock(API)
      .get('/v1/profile/12')
      .query(true)
      .reply(200, { ...wireProfile, ID: 'twelve' });
    const error = await loose.profiles.get(12).catch((e: unknown) => e);
    expect(isInvalidResponseError(error)).toBe(true);
    expect((error as Error).message).toContain('reply.ID: expected an ID (integer or digits), got a string');
  });

  it("PHP's empty [] for fields reads as no field values, in both modes, with no warning", async () => {
    const { warnings, loose, strict } = clients();
    nock(API)
      .get('/v1/profile/12')
      .query(true)
      .times(2)
      .reply(200, { ...wireProfile, fields: [] });
    nock(API).get('/v1/profile/12/fields').query(true).reply(200, []);
    expect((await loose.profiles.get(12)).fields).toEqual({});
    expect((await strict.profiles.get(12)).fields).toEqual({});
    expect(await loose.profiles.fields.get(12)).toEqual({});
    expect(warnings).toEqual([]);
  });

  it('fields.get: an odd field value is left out alone (default) or refused (strict)', async () => {
    const { warnings, loose, strict } = clients();
    nock(API)
      .get('/v1/profile/12/fields')
      .query(true)
      .times(2)
      .reply(200, { email: 'a@b.nl', age: 33, list: ['x'] });
    const values = await loose.profiles.fields.get(12);
    expect(values).toEqual({ email: 'a@b.nl', age: '33' });
    expect(degradedProperties(values)).toEqual({ list: ['x'] });
    expect(warnings.map((w) => w.message)).toEqual([
      'copernica-rest: the reply to GET /profile/{id}/fields had an unusable fields.list (expected a field value (a string), got an array); it reads undefined',
    ]);
    const error = await strict.profiles.fields.get(12).catch((e: unknown) => e);
    expect(isInvalidResponseError(error)).toBe(true);
  });
});

describe('subprofiles: an odd reply value degrades that property, not the call', () => {
  const wireSub = {
    ID: '9001',
    profile: '12',
    collection: '33',
    secret: 's',
    created: '2024-01-01 10:00:00',
    modified: '0000-00-00',
    fields: { ordernumber: 'A-1', amount: 19.95 },
  };

  it('list: odd refs, dates and field values degrade; every record is yielded', async () => {
    const { warnings, loose, strict } = clients();
    const data = [
      wireSub,
      { ...wireSub, ID: 9002, profile: null, modified: 0, fields: { ordernumber: 'A-2', paid: false } },
      { ...wireSub, ID: 9003 },
    ];
    nock(API).get('/v1/collection/33/subprofiles').query(true).times(2).reply(200, { start: 0, limit: 100, count: 3, total: 3, data });
    const page = await loose.subprofiles.list(33, { iterate: 'offset' });
    expect(page.data.map((s) => s.ID)).toEqual([9001, 9002, 9003]);
    const odd = page.data[1];
    expect(odd).toMatchObject({ ID: 9002, profile: undefined, collection: 33, modified: undefined, fields: { ordernumber: 'A-2' } });
    expect(degradedProperties(odd ?? {})).toEqual({ profile: null, modified: 0 });
    expect(degradedProperties(odd?.fields ?? {})).toEqual({ paid: false });
    expect(page.data[0]).toEqual({
      ID: 9001,
      profile: 12,
      collection: 33,
      secret: 's',
      created: '2024-01-01 10:00:00',
      modified: null,
      removed: null,
      fields: { ordernumber: 'A-1', amount: '19.95' },
    });
    expect(warnings.map((w) => w.message)).toEqual([
      'copernica-rest: the reply to GET /collection/{id}/subprofiles had an unusable fields.paid (expected a field value (a string), got a boolean); it reads undefined',
      'copernica-rest: the reply to GET /collection/{id}/subprofiles had an unusable profile (expected an ID (integer or digits), got null); it reads undefined',
      'copernica-rest: the reply to GET /collection/{id}/subprofiles had an unusable modified (expected a timestamp string, got an integer); it reads undefined',
    ]);
    const error = await strict.subprofiles.list(33, { iterate: 'offset' }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('reply.data.1.profile: expected an ID (integer or digits), got null');
  });

  it('get and listInProfile (lower-case id): an odd secret and fields degrade', async () => {
    const { warnings, loose } = clients();
    const { ID: _id, ...rest } = wireSub;
    nock(API)
      .get('/v1/subprofile/9001')
      .query(true)
      .reply(200, { ...rest, id: '9001', secret: 99 })
      .get('/v1/profile/12/subprofiles/33')
      .query(true)
      .reply(200, [{ ...rest, id: 9001, fields: 'broken' }]);
    const s = await loose.subprofiles.get(9001);
    expect(s).toMatchObject({ ID: 9001, secret: undefined, fields: { ordernumber: 'A-1' } });
    const list = await loose.subprofiles.listInProfile(12, 33);
    expect(list.data).toHaveLength(1);
    expect(list.data[0]?.fields).toBeUndefined();
    expect(degradedProperties(list.data[0] ?? {})).toEqual({ fields: 'broken' });
    expect(warnings.map((w) => `${w.meta?.endpoint} ${w.meta?.property}`)).toEqual([
      'GET /subprofile/{id} secret',
      'GET /profile/{id}/subprofiles/{id} fields',
    ]);
  });
});

describe('sync never writes over a stored value it could not read', () => {
  const definitions = [
    {
      ID: 1,
      name: 'customerId',
      type: 'text',
      value: '',
      displayed: true,
      ordered: false,
      length: 50,
      textlines: 1,
      hidden: false,
      index: true,
    },
    {
      ID: 2,
      name: 'status',
      type: 'text',
      value: '',
      displayed: true,
      ordered: false,
      length: 50,
      textlines: 1,
      hidden: false,
      index: false,
    },
  ];

  /** One sync of one record against a stored profile whose `fields` reply is `stored`; the requests that were made. */
  async function syncAgainst(stored: unknown) {
    const { warnings, loose } = clients();
    const requests: string[] = [];
    nock(API)
      .persist()
      .get('/v1/database/5/fields')
      .query(true)
      .reply(200, { start: 0, limit: 1000, count: 2, total: 2, data: definitions })
      .get('/v1/database/5/profiles')
      .query(true)
      .reply(200, { start: 0, limit: 2, count: 1, total: 1, data: [{ ...wireProfile, ID: 77, database: 5, fields: stored }] })
      .put(/.*/)
      .query(true)
      .reply((uri: unknown) => {
        // nock hands over a string or a fetch Request.
        requests.push(`PUT ${typeof uri === 'string' ? uri.split('?')[0] : new URL((uri as { url: string }).url).pathname}`);
        return [303, '', { Location: `${API}/v1/profile/77` }];
      });
    const outcomes = [];
    for await (const o of loose.profiles.sync(5, [{ customerId: 'C1', status: 'gold' }], { key: 'customerId', preserve: ['status'] }))
      outcomes.push(o);
    return { outcomes, requests, warnings };
  }

  it('a preserved field whose stored value is unusable: the record fails, nothing is written', async () => {
    const { outcomes, requests, warnings } = await syncAgainst({ customerId: 'C1', status: { level: 'silver' } });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.status).toBe('failed');
    expect(outcomes[0]?.status === 'failed' && outcomes[0].error.message).toBe(
      `The reply's field "status" of profile 77 could not be used (see the logger's warning): not compared, nothing written over it`,
    );
    expect(requests).toEqual([]);
    expect(warnings.map((w) => w.meta?.property)).toEqual(['fields.status']);
  });

  it('fields unusable as a whole: the record fails, nothing is written', async () => {
    const { outcomes, requests } = await syncAgainst('broken');
    expect(outcomes[0]?.status).toBe('failed');
    expect(requests).toEqual([]);
  });

  it('an unusable value of a field the sync does not write is no obstacle', async () => {
    const { outcomes, requests } = await syncAgainst({ customerId: 'C1', status: '', other: ['x'] });
    expect(outcomes[0]?.status).toBe('updated');
    expect(requests).toEqual(['PUT /v1/profile/77/fields']);
  });
});

describe('a hostile reply cannot flood the log', () => {
  it('warnings stop after MAX_DEGRADED_WARNINGS different properties per logger (one last warning says so); the values still degrade', async () => {
    const { warnings, loose } = clients();
    const oddFields = (from: number) => Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${from + i}`, { n: i }]));
    nock(API)
      .get('/v1/database/3/profiles')
      .query(true)
      .reply(200, {
        start: 0,
        limit: 100,
        count: 3,
        total: 3,
        data: [0, 600, 1200].map((from, i) => ({ ...wireProfile, ID: i + 1, fields: { email: 'a@b.nl', ...oddFields(from) } })),
      });
    const page = await loose.profiles.list(3, { iterate: 'offset' });
    expect(page.data.map((p) => p.fields)).toEqual([{ email: 'a@b.nl' }, { email: 'a@b.nl' }, { email: 'a@b.nl' }]);
    expect(Object.keys(degradedProperties(page.data[2]?.fields ?? {}) ?? {})).toHaveLength(600);
    expect(warnings).toHaveLength(MAX_DEGRADED_WARNINGS + 1);
    expect(warnings.at(-1)?.message).toBe(
      `copernica-rest: more than ${MAX_DEGRADED_WARNINGS} different unusable reply properties; no further warnings (degradedProperties() still has each raw value)`,
    );
  });
});
