import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { AbortError, NotFoundError, TimeoutError } from '../../src/core/errors.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { seen as seenRequest } from '../helpers/nock.js';
import { expectEachRefused } from '../helpers/refusals.js';

const HOST = 'https://api.copernica.com';
const client = () => new Copernica({ accessToken: 'tok', maxRetries: 0 });

describe('unit (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('create posts to the target path, report in the JSON body, and returns the new ID', async () => {
    const bodies: unknown[] = [];
    const created = (n: number) =>
      [201, '', { 'X-Created': String(n), 'X-location': `https://api.copernica.com/v1/datarequest/${n}` }] as const;
    const scope = nock(HOST)
      .post('/v1/profile/4567/datarequest', (b) => (bodies.push(b), true))
      .query({ access_token: 'tok' })
      .reply(...created(9001))
      .post('/v1/subprofile/88/datarequest', (b) => (bodies.push(b), true))
      .query({ access_token: 'tok' })
      .reply(...created(9002))
      .post('/v1/email/john%2Bx%40example.com/datarequest', (b) => (bodies.push(b), true))
      .query({ access_token: 'tok' })
      .reply(...created(9003));
    const c = client();
    const a = await c.dataRequests.create({ profile: 4567, report: 'privacy@example.com' });
    const b = await c.dataRequests.create({ subprofile: '88' });
    const e = await c.dataRequests.create({ email: 'john+x@example.com', report: 'https://hooks.example.com/export' });
    expect([a.id, b.id, e.id]).toEqual([9001, 9002, 9003]);
    expect(a.status).toBe(201);
    expect(bodies).toEqual([{ report: 'privacy@example.com' }, '', { report: 'https://hooks.example.com/export' }]);
    expect(scope.isDone()).toBe(true);
  });

  it('status, data and get parse their replies', async () => {
    const seen: string[] = [];
    const replies = [
      { status: 'pending', available: '52311', 'content-type': 'application/json' },
      {
        info: { type: 'profile', id: 4567 },
        data: [
          ['mime', 'Subject: x'],
          ['click', '2024-01-01 10:00:00', 'https://x.example'],
        ],
      },
      { info: { type: 'email', id: 'john@example.com' }, data: 'Data not available (yet)' },
    ];
    const scope = nock(HOST)
      .get(() => true)
      .times(3)
      .reply(function (this: unknown, uri: unknown) {
        seen.push(seenRequest(uri, this).path);
        return [200, replies[seen.length - 1] as nock.Body];
      });
    const c = client();
    expect(await c.dataRequests.status(9001)).toEqual({ status: 'pending', available: 52311, 'content-type': 'application/json' });
    const file = await c.dataRequests.data('9001');
    expect(file.info).toEqual({ type: 'profile', id: 4567 });
    expect(file.data[1]).toEqual(['click', '2024-01-01 10:00:00', 'https://x.example']);
    const pending = await c.dataRequests.get('ab12CD');
    expect(pending.ready).toBe(false);
    expect(pending.data).toBe('Data not available (yet)');
    expect(seen).toEqual([
      '/v1/datarequest/9001/status?access_token=tok',
      '/v1/datarequest/9001/data?access_token=tok',
      '/v1/datarequest/ab12CD?access_token=tok',
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('data() while not ready is a NotFoundError (404)', async () => {
    const scope = nock(HOST)
      .get('/v1/datarequest/9001/data')
      .query({ access_token: 'tok' })
      .reply(404, { error: { message: 'Data not available (yet)' } });
    await expect(client().dataRequests.data(9001)).rejects.toBeInstanceOf(NotFoundError);
    expect(scope.isDone()).toBe(true);
  });

  it('waitUntilReady polls with growing pauses until available', async () => {
    const times: number[] = [];
    const states = ['pending', 'pending', 'pending', 'available'];
    const scope = nock(HOST)
      .get('/v1/datarequest/9001/status')
      .query({ access_token: 'tok' })
      .times(4)
      .reply(() => {
        times.push(Date.now());
        return [200, { status: states[times.length - 1], available: times.length * 10 }];
      });
    const st = await client().dataRequests.waitUntilReady(9001, { interval: 40, maxInterval: 1000 });
    expect(st).toMatchObject({ status: 'available', available: 40 });
    expect(scope.isDone()).toBe(true);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Timers never fire early, so lower bounds are safe on a busy machine: 40 → 60 → 90 ms.
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[1]).toBeGreaterThanOrEqual(55);
    expect(gaps[2]).toBeGreaterThanOrEqual(85);
  });

  it('waitUntilReady gives up with TimeoutError, stops on abort, and fails on `not available`', async () => {
    nock(HOST).get('/v1/datarequest/1/status').query(true).times(100).reply(200, { status: 'pending' });
    const t0 = Date.now();
    await expect(client().dataRequests.waitUntilReady(1, { interval: 20, timeout: 150 })).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - t0).toBeLessThan(5_000); // gave up, did not hang

    const ac = new AbortController();
    setTimeout(() => ac.abort(), 60);
    await expect(client().dataRequests.waitUntilReady(1, { interval: 1000, signal: ac.signal })).rejects.toBeInstanceOf(AbortError);

    nock.cleanAll();
    const scope = nock(HOST).get('/v1/datarequest/2/status').query(true).reply(200, { status: 'not available' });
    await expect(client().dataRequests.waitUntilReady(2, { interval: 20 })).rejects.toBeInstanceOf(NotFoundError);
    expect(scope.isDone()).toBe(true);
  });

  it('a status reply without a usable `status` is refused at once (it is what waitUntilReady decides on), naming it', async () => {
    const scope = nock(HOST).get('/v1/datarequest/3/status').query(true).reply(200, { state: 'pending', available: 10 });
    await expect(client().dataRequests.waitUntilReady(3, { interval: 20, timeout: 60_000 })).rejects.toThrow(
      /reply\.status: expected one of "available", "pending", "not available", got nothing \(missing\)/,
    );
    expect(scope.isDone()).toBe(true);
  });

  it('refuses bad input before any request', async () => {
    const scope = nock(HOST)
      .post(() => true)
      .reply(201)
      .get(() => true)
      .reply(200, {});
    const c = client();
    const calls: (() => unknown)[] = [
      () => c.dataRequests.create({} as never),
      () => c.dataRequests.create({ profile: 1, email: 'a@b.nl' } as never),
      () => c.dataRequests.create({ profile: -3 }),
      () => c.dataRequests.create({ email: 'nope' }),
      () => c.dataRequests.create({ profile: 1, report: '' }),
      () => c.dataRequests.status('../x'),
      () => c.dataRequests.waitUntilReady(1, { interval: 0 }),
      () => c.dataRequests.waitUntilReady(1, { every: 5 } as never),
    ];
    await expectEachRefused(calls);
    expect(scope.isDone()).toBe(false);
  });
});

describe('integration (fake server)', () => {
  let fake: FakeCopernica;
  let c: Copernica;
  beforeAll(async () => {
    fake = await createFakeCopernica({ seed: 5, profiles: 20 });
    c = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
    fake.sendMailing({ target: { database: 1 }, at: '2024-03-10 09:00:00', rates: { open: 1, click: 0.5, bounce: 0 }, seed: 31 });
  });
  afterAll(() => fake?.close());

  it('a profile export: create, pending, wait, data', async () => {
    const { id } = await c.dataRequests.create({ profile: 3, report: 'privacy@example.com' });
    expect(typeof id).toBe('number');
    const before = await c.dataRequests.get(id!);
    expect(before.info).toMatchObject({ type: 'profile', id: 3 });
    if (!before.ready) await expect(c.dataRequests.data(id!)).rejects.toBeInstanceOf(NotFoundError);
    const st = await c.dataRequests.waitUntilReady(id!, { interval: 20 });
    expect(st.status).toBe('available');
    const file = await c.dataRequests.data(id!);
    expect(file.info).toEqual({ type: 'profile', id: 3 });
    expect(file.data.some((row) => row[0] === 'open')).toBe(true);
    const after = await c.dataRequests.get(id!);
    expect(after.ready).toBe(true);
    expect(after.data).toEqual(file.data);
  });

  it('subprofile and e-mail exports', async () => {
    const first = (
      await c.request<{ data: { ID: `${number}` }[] }>({ method: 'GET', path: '/collection/1/subprofiles', query: { limit: 1 } })
    ).data.data[0]!;
    const sub = await c.dataRequests.create({ subprofile: first.ID });
    fake.completeDataRequest(sub.id!);
    expect((await c.dataRequests.data(sub.id!)).info).toEqual({ type: 'subprofile', id: Number(first.ID) });
    const mail = await c.dataRequests.create({ email: 'someone@example.com' });
    expect((await c.dataRequests.waitUntilReady(mail.id!, { interval: 20 })).status).toBe('available');
    expect((await c.dataRequests.data(mail.id!)).info).toEqual({ type: 'email', id: 'someone@example.com' });
  });

  it('an unknown ID is `not available`', async () => {
    expect((await c.dataRequests.status(424242)).status).toBe('not available');
    await expect(c.dataRequests.waitUntilReady(424242, { interval: 20 })).rejects.toBeInstanceOf(NotFoundError);
  });
});
