import { describe, expect, it } from 'vitest';
import { completeDataRequest, configureCampaigns, sendMailing } from '../../../src/testing/campaigns/index.js';
import { setup } from './harness.js';

type Ev = Record<string, unknown> & { event: string; time: string };
interface Envelope {
  start: number;
  limit: number;
  count: number;
  total?: number;
  data: Record<string, unknown>[];
}

const AT = '2017-03-08T09:00:00Z';

function world() {
  const t = setup();
  let now = new Date('2017-03-20T12:00:00Z').getTime();
  configureCampaigns(t.account, { now: () => new Date(now) });
  return {
    ...t,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('impressions', () => {
  it('turn every open into an impression, paged with start/limit and total=false', async () => {
    const { account, get, call } = world();
    // 12 mailings × 10 profiles, everybody opens: 120 opens in all
    const summaries = Array.from({ length: 12 }, (_, i) =>
      sendMailing(account, { target: { database: 1 }, at: AT, seed: i + 1, rates: { open: 1, bounce: 0 } }),
    );
    const opens = summaries.reduce((n, s) => n + s.counts.opens, 0);
    expect(opens).toBe(120);

    const first = await get<Envelope>('/impressions');
    expect(first).toMatchObject({ start: 0, limit: 100, count: 100, total: 120 });
    const second = await get<Envelope>('/impressions?start=100&limit=500');
    expect(second).toMatchObject({ start: 100, limit: 100, count: 20, total: 120 });
    const ids = [...first.data, ...second.data].map((d) => d.ID);
    expect(new Set(ids).size).toBe(120);

    const noTotal = await get<Envelope>('/impressions?start=5&limit=10&total=false');
    expect(noTotal).not.toHaveProperty('total');
    expect(noTotal).toMatchObject({ start: 5, limit: 10, count: 10 });
    expect(noTotal.data).toEqual(first.data.slice(5, 15));

    // filters
    const s = summaries[3]!;
    const byMailing = await get<Envelope>(`/impressions?emailing=${s.mailingId}`);
    expect(byMailing.total).toBe(10);
    const byProfile = await get<Envelope>('/impressions?profile=103');
    expect(byProfile.total).toBe(12);
    const one = byMailing.data.find((d) => d.profile === '103')!;
    expect(one).toMatchObject({ emailing: String(s.mailingId), subprofile: null, referer: '' });
    expect(Object.keys(one).sort()).toEqual(
      ['ID', 'destination', 'emailing', 'ip', 'profile', 'referer', 'subprofile', 'timestamp', 'user-agent'].sort(),
    );
    expect((await get<Envelope>(`/impressions?destination=${String(one.destination)}`)).data).toEqual([one]);

    // an impression is the open event: same time and address
    const evs = await get<Ev[]>(`/message/${s.messageId}/events`);
    const open = evs.find((e) => e.event === 'open' && e.profile === '103')!;
    expect(one.timestamp).toBe(open.time);
    expect(one.ip).toBe(open.ip);

    // negative paging values: no items, echoed back
    expect(await get<Envelope>('/impressions?start=-1')).toMatchObject({ start: -1, count: 0, data: [] });
    expect((await call('GET', '/impressions?limit=abc')).status).toBe(400);
    expect((await call('GET', '/impressions?profile=x')).status).toBe(400);
  });

  it('filter on subprofile for collection mailings', async () => {
    const { account, get } = world();
    sendMailing(account, { target: { collection: 5 }, at: AT, seed: 2, rates: { open: 1, bounce: 0 } });
    const env = await get<Envelope>('/impressions?subprofile=502');
    expect(env.total).toBe(1);
    expect(env.data[0]).toMatchObject({ subprofile: '502', profile: '102' });
  });
});

describe('data requests', () => {
  it('go from pending to available after two status polls and then hold fields and events', async () => {
    const { account, call, get } = world();
    const s = sendMailing(account, { target: { database: 1 }, at: AT, seed: 42, rates: { open: 1, click: 1, bounce: 0 } });
    configureCampaigns(account, { dataRequestReadyAfterMs: 60_000 });
    const post = await call('POST', '/profile/103/datarequest', { report: 'privacy@example.com' });
    expect(post.status).toBe(201);
    expect(post.body).toBe('');
    const id = post.headers['X-Created']!;
    expect(id).toMatch(/^\d+$/);
    expect(post.headers['X-location']).toBe(`http://fake.test/v1/datarequest/${id}`);

    expect(await call('GET', `/datarequest/${id}/data`)).toMatchObject({ status: 404 });
    expect(await get(`/datarequest/${id}`)).toEqual({ info: { type: 'profile', id: 103 }, data: 'Data not available (yet)' });
    const poll1 = await get<Record<string, unknown>>(`/datarequest/${id}/status`);
    expect(poll1).toMatchObject({ status: 'pending', 'content-type': 'application/json' });
    expect((await call('GET', `/datarequest/${id}/data`)).status).toBe(404);
    const poll2 = await get<Record<string, unknown>>(`/datarequest/${id}/status`);
    expect(poll2.status).toBe('available');

    const file = await get<{ info: unknown; data: unknown[][] }>(`/datarequest/${id}/data`);
    expect(poll2.available).toBe(Buffer.byteLength(JSON.stringify(file)));
    expect(file.info).toEqual({ type: 'profile', id: 103 });
    expect(file.data).toContainEqual(['profile', 103, 'database', 1]);
    expect(file.data).toContainEqual(['field', 'firstname', 'Name 3']);
    expect(file.data.find((r) => r[0] === 'mime')?.[1]).toContain('MIME-Version: 1.0');
    const evs = await get<Ev[]>('/profile/103/events?start=2017-03-08');
    const clicks = evs.filter((e) => e.event === 'click').map((e) => ['click', e.time, e.url, s.messageId]);
    expect(clicks.length).toBeGreaterThan(0);
    expect(file.data.filter((r) => r[0] === 'click')).toEqual(clicks);
    expect(await get(`/datarequest/${id}`)).toEqual(file);
  });

  it('become available after the configured time without polling', async () => {
    const { account, call, get, advance } = world();
    configureCampaigns(account, { dataRequestReadyAfterPolls: 1000 });
    const post = await call('POST', `/email/${encodeURIComponent('user1@example.com')}/datarequest`);
    expect(post.status).toBe(201);
    const r = post.headers['X-Created']!;
    expect((await get<{ status: string }>(`/datarequest/${r}/status`)).status).toBe('pending');
    advance(299);
    expect((await get<{ status: string }>(`/datarequest/${r}/status`)).status).toBe('pending');
    advance(1);
    expect((await get<{ status: string }>(`/datarequest/${r}/status`)).status).toBe('available');
    const file = await get<{ info: unknown; data: unknown[][] }>(`/datarequest/${r}/data`);
    expect(file.info).toEqual({ type: 'email', id: 'user1@example.com' });
    // both profiles with this address (101 and 110, case-insensitive)
    expect(file.data.filter((x) => x[0] === 'profile').map((x) => x[1])).toEqual([101, 110]);
  });

  it('handles subprofiles, unknown IDs and the report in the query', async () => {
    const { account, call, get } = world();
    sendMailing(account, { target: { collection: 5 }, at: AT, seed: 6, rates: { bounce: 0 } });
    const post = await call('POST', '/subprofile/502/datarequest?report=https%3A%2F%2Fexample.com%2Fhook');
    expect(post.status).toBe(201);
    completeDataRequest(account, post.headers['X-Created']!);
    const file = await get<{ info: unknown; data: unknown[][] }>(`/datarequest/${post.headers['X-Created']}/data`);
    expect(file.info).toEqual({ type: 'subprofile', id: 502 });
    expect(file.data[0]).toEqual(['subprofile', 502, 'collection', 5, 'profile', 102]);
    expect(file.data.filter((r) => r[0] === 'delivery')).toHaveLength(1);

    expect((await call('POST', '/profile/999/datarequest')).status).toBe(400);
    expect((await call('POST', '/subprofile/abc/datarequest')).status).toBe(400);
    expect((await call('POST', '/email/nobody/datarequest')).status).toBe(400);
    expect(await get('/datarequest/424242/status')).toEqual({ status: 'not available' });
    expect((await call('GET', '/datarequest/424242/data')).status).toBe(404);
  });
});
