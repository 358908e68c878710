/**
 * Creates yield an ID (issue 14, "Types that never lie"): every create's result types `id` as a
 * number, so a reply without one must fail loudly (an InvalidResponseError that says the entity was
 * probably created) instead of handing back `id: undefined`. Bulk updates say what they can.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica, isInvalidResponseError, type CreateResult } from '../../src/index.js';

const TOKEN = 'tok_create_result_0123456789abcdef';
const API = 'https://api.copernica.com';
const client = () => new Copernica({ accessToken: TOKEN, maxRetries: 0 });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** Every create of the SDK, with the POST path it sends. */
const creates: [string, string, (c: Copernica) => Promise<CreateResult>][] = [
  ['databases.create', '/v1/databases', (c) => c.databases.create({ name: 'shop' })],
  ['databases.fields.create', '/v1/database/12/fields', (c) => c.databases.fields.create(12, { name: 'email', type: 'email' })],
  ['databases.interests.create', '/v1/database/12/interests', (c) => c.databases.interests.create(12, { name: 'tennis' })],
  ['collections.create', '/v1/database/12/collections', (c) => c.collections.create(12, { name: 'orders' })],
  ['collections.fields.create', '/v1/collection/33/fields', (c) => c.collections.fields.create(33, { name: 'status', type: 'text' })],
  ['views.create', '/v1/database/12/views', (c) => c.views.create(12, { name: 'nl' })],
  ['views.createInView', '/v1/view/55/views', (c) => c.views.createInView(55, { name: 'nl-old' })],
  ['rules.create', '/v1/view/55/rules', (c) => c.rules.create(55, { name: 'r' })],
  [
    'rules.conditions.create',
    '/v1/rule/70/conditions',
    (c) => c.rules.conditions.create(70, { type: 'Field', field: 'country', value: 'nl' } as never),
  ],
  ['miniviews.create', '/v1/collection/33/miniviews', (c) => c.miniviews.create(33, { name: 'paid' })],
  ['minirules.create', '/v1/miniview/81/minirules', (c) => c.minirules.create(81, { name: 'big' })],
  [
    'minirules.conditions.create',
    '/v1/minirule/91/conditions',
    (c) => c.minirules.conditions.create(91, { type: 'Field', field: 'status', value: 'paid' } as never),
  ],
  ['profiles.create', '/v1/database/12/profiles', (c) => c.profiles.create(12, { fields: { email: 'a@example.com' } })],
  ['subprofiles.create', '/v1/profile/4567/subprofiles/33', (c) => c.subprofiles.create(4567, 33, { ordernumber: 'A-1' })],
  ['dataRequests.create', '/v1/profile/4567/datarequest', (c) => c.dataRequests.create({ profile: 4567 })],
];

describe('creates: the new ID or a loud failure', () => {
  it.each(creates)('%s gives the ID of X-Created', async (_name, path, call) => {
    const scope = nock(API).post(path).query(true).reply(201, '', { 'X-Created': '4242' });
    const result = await call(client());
    expect(result).toMatchObject({ status: 201, id: 4242 });
    expect(typeof result.id).toBe('number');
    expect(scope.isDone()).toBe(true);
  });

  it.each(creates)('%s falls back to the tail of X-location', async (_name, path, call) => {
    nock(API)
      .post(path)
      .query(true)
      .reply(201, '', { 'X-location': `${API}/v1/thing/77` });
    expect((await call(client())).id).toBe(77);
  });

  it.each(creates)('%s: a reply without an ID is an InvalidResponseError, not id: undefined', async (_name, path, call) => {
    const scope = nock(API).post(path).query(true).reply(201, '');
    const error = await call(client()).then(
      (r) => r,
      (e: unknown) => e,
    );
    expect(isInvalidResponseError(error)).toBe(true);
    expect((error as Error).message).toMatch(/did not carry the new ID.*probably created; look it up before trying again/);
    expect((error as Error).message).not.toContain(TOKEN);
    expect(error).toMatchObject({ status: 201 });
    expect(scope.isDone()).toBe(true);
  });

  it('profiles.create with interests: no ID means no second call (nothing sent to a guessed profile)', async () => {
    const create = nock(API).post('/v1/database/12/profiles').query(true).reply(201, '');
    const error = await client()
      .profiles.create(12, { fields: { email: 'a@example.com' }, interests: ['tennis'] })
      .catch((e: unknown) => e);
    expect(isInvalidResponseError(error)).toBe(true);
    expect(create.isDone()).toBe(true);
    // Net connect is off: a POST /profile/…/interests would have failed with a different error.
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('profiles.create with interests sets them on the new ID', async () => {
    nock(API).post('/v1/database/12/profiles').query(true).reply(201, '', { 'X-Created': '4567' });
    const interests = nock(API).post('/v1/profile/4567/interests').query(true).reply(200, '');
    expect((await client().profiles.create(12, { fields: { email: 'a@example.com' }, interests: ['tennis'] })).id).toBe(4567);
    expect(interests.isDone()).toBe(true);
  });
});

describe('profiles.updateMany: what a bulk update can tell', () => {
  it('an update names no profile and no count', async () => {
    nock(API).put('/v1/database/12/profiles').query(true).reply(200, '');
    const r = await client().profiles.updateMany(12, { where: 'country==nl', fields: { language: 'dutch' } });
    expect(r).toEqual({ status: 200, created: false, id: undefined, location: undefined });
  });

  it('create: true that made a profile says so, with its ID (201 or a 303 carrying X-Created)', async () => {
    nock(API).put('/v1/database/12/profiles').query(true).reply(201, '', { 'X-Created': '900' });
    expect(
      await client().profiles.updateMany(12, { where: 'email==a@example.com', fields: { country: 'nl' }, create: true }),
    ).toMatchObject({ created: true, id: 900 });
    nock(API)
      .put('/v1/database/12/profiles')
      .query(true)
      .reply(303, '', { 'X-Created': '901', Location: `${API}/database/12/profiles` });
    expect(
      await client().profiles.updateMany(12, { where: 'email==b@example.com', fields: { country: 'nl' }, create: true }),
    ).toMatchObject({ created: true, id: 901 });
  });
});
