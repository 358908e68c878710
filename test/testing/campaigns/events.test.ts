import { describe, expect, it } from 'vitest';
import { configureCampaigns, sendMailing } from '../../../src/testing/campaigns/index.js';
import { setup } from './harness.js';

type Ev = Record<string, unknown> & { event: string; time: string };

const AT = '2017-03-08 09:00:00'; // read as UTC
const RATES = { open: 0.8, click: 0.5, bounce: 0.1, unsubscribe: 0.2, abuse: 0.2 };

function world() {
  const t = setup();
  configureCampaigns(t.account, { now: () => new Date('2017-03-20T12:00:00Z') });
  return t;
}

const clicksOf = (evs: Ev[]) =>
  evs
    .filter((e) => e.event === 'click')
    .map((e) => `${e.time}|${e.email}|${e.url}`)
    .sort();

describe('sendMailing', () => {
  it('gives every recipient an attempt and a delivery or failure, and counts what it made', async () => {
    const { account, get } = world();
    const s = sendMailing(account, { target: { database: 1 }, at: AT, seed: 42, tags: ['spring', 'sale'], rates: RATES });
    expect(s.recipients).toBe(10); // profile 111 has no address
    expect(await get<Ev[]>('/profile/111/events?start=2017-03-01')).toEqual([]);
    expect(s.messageId).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(s.counts.deliveries + s.counts.bounces).toBe(10);
    expect(s.counts.clicks).toBeGreaterThan(0);
    expect(s.counts.opens).toBeGreaterThan(0);

    const evs = await get<Ev[]>(`/message/${s.messageId}/events`);
    const count = (name: string) => evs.filter((e) => e.event === name).length;
    expect(count('attempt')).toBe(10);
    expect(count('delivery')).toBe(s.counts.deliveries);
    expect(count('failure')).toBe(s.counts.bounces);
    expect(count('open')).toBe(s.counts.opens);
    expect(count('click')).toBe(s.counts.clicks);
    expect(count('unsubscribe')).toBe(s.counts.unsubscribes);
    expect(count('abuse')).toBe(s.counts.abuses);
    // every event happens at or after the send time, timestamps in the documented form
    for (const e of evs) {
      expect(e.time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(e.time >= '2017-03-08 09:00:00').toBe(true);
      expect(e.message).toBe(s.messageId);
    }
    // sorted by time
    expect(evs.map((e) => e.time)).toEqual([...evs.map((e) => e.time)].sort());
    // clicks carry URLs of links in the message body
    const html = await get<string>(`/message/${s.messageId}/body/html`);
    for (const e of evs.filter((x) => x.event === 'click')) expect(html).toContain(String(e.url));
  });

  it('is deterministic for a seed', () => {
    const a = sendMailing(world().account, { target: { database: 1 }, at: AT, seed: 7 });
    const b = sendMailing(world().account, { target: { database: 1 }, at: AT, seed: 7 });
    expect(b).toEqual(a);
  });

  it('shows the same clicks in profile, email, message, template and tags events', async () => {
    const { account, get } = world();
    const s = sendMailing(account, { target: { database: 1 }, at: AT, seed: 42, tags: ['spring', 'sale'], rates: RATES });
    sendMailing(account, { target: { view: 7 }, at: AT, seed: 3, tags: ['other'], rates: RATES }); // noise
    const byMessage = await get<Ev[]>(`/message/${s.messageId}/events`);
    const all = clicksOf(byMessage);
    expect(all.length).toBe(s.counts.clicks);

    const q = '?start=2017-03-08';
    expect(clicksOf(await get<Ev[]>(`/template/${s.templateId}/events${q}`))).toEqual(all);
    expect(clicksOf(await get<Ev[]>(`/tags/spring;sale/events${q}`))).toEqual(all);
    expect(clicksOf(await get<Ev[]>(`/tags/${encodeURIComponent('sale;spring')}/events${q}`))).toEqual(all);
    // per profile and per address, stitched together
    const perProfile: string[] = [];
    const perEmail: string[] = [];
    for (const p of account.profiles) {
      perProfile.push(
        ...clicksOf((await get<Ev[]>(`/profile/${p.profile}/events${q}&tags=spring`)).filter((e) => e.message === s.messageId)),
      );
    }
    for (const email of new Set(account.profiles.map((p) => p.email.toLowerCase()).filter(Boolean))) {
      perEmail.push(
        ...clicksOf((await get<Ev[]>(`/email/${encodeURIComponent(email)}/events${q}`)).filter((e) => e.message === s.messageId)),
      );
    }
    expect(perProfile.sort()).toEqual(all);
    expect(perEmail.sort()).toEqual(all);
  });

  it('filters on all tags of the path and of the tags parameter', async () => {
    const { account, get } = world();
    const a = sendMailing(account, { target: { database: 1 }, at: AT, seed: 1, tags: ['spring', 'sale'] });
    const b = sendMailing(account, { target: { database: 1 }, at: AT, seed: 2, tags: ['spring'] });
    const msgs = (evs: Ev[]) => [...new Set(evs.map((e) => e.message))].sort();
    expect(msgs(await get<Ev[]>('/tags/spring/events?start=2017-03-01'))).toEqual([a.messageId, b.messageId].sort());
    expect(msgs(await get<Ev[]>('/tags/spring;sale/events?start=2017-03-01'))).toEqual([a.messageId]);
    expect(msgs(await get<Ev[]>('/profile/101/events?start=2017-03-01&tags=sale;spring'))).toEqual([a.messageId]);
    expect(await get<Ev[]>('/tags/winter/events?start=2017-03-01')).toEqual([]);
  });

  it('decodes e-mail addresses in the path and matches them case-insensitively', async () => {
    const { account, get, call } = world();
    sendMailing(account, { target: { database: 1 }, at: AT, seed: 5 });
    const evs = await get<Ev[]>(`/email/${encodeURIComponent('User1@Example.com')}/events?start=2017-03-08`);
    // profiles 101 and 110 share the address
    expect(new Set(evs.map((e) => e.profile))).toEqual(new Set(['101', '110']));
    expect(evs.filter((e) => e.event === 'attempt')).toHaveLength(2);
    expect((await call('GET', '/email/not-an-address/events')).status).toBe(400);
  });

  it('applies the documented date windows and cuts a longer one to one month from start', async () => {
    const { account, get, call } = world();
    sendMailing(account, { target: { database: 1 }, at: '2017-01-10T08:00:00Z', seed: 11 });
    sendMailing(account, { target: { database: 1 }, at: '2017-03-08T08:00:00Z', seed: 12 });
    const months = (evs: Ev[]) => [...new Set(evs.map((e) => e.time.slice(0, 7)))].sort();
    // default: the last month before "now" (2017-03-20) → only the March mailing
    expect(months(await get<Ev[]>('/profile/101/events'))).toEqual(['2017-03']);
    // start only: start .. start + 1 month
    expect(months(await get<Ev[]>('/profile/101/events?start=2017-01-01'))).toEqual(['2017-01']);
    // end only: end - 1 month .. end (exclusive)
    const endOnly = await get<Ev[]>('/profile/101/events?end=2017-01-11');
    expect(endOnly.length).toBeGreaterThan(0); // an empty answer would pass the check below
    expect(endOnly.every((e) => e.time < '2017-01-11')).toBe(true);
    expect(endOnly.some((e) => e.event === 'attempt')).toBe(true);
    // both, more than a month apart: cut to one month from start (January only)
    expect(months(await get<Ev[]>('/profile/101/events?start=2017-01-01&end=2017-04-01'))).toEqual(['2017-01']);
    // exactly one month is allowed
    expect((await call('GET', '/profile/101/events?start=2017-01-31&end=2017-02-28')).status).toBe(200);
    // bad input
    expect((await call('GET', '/profile/101/events?start=2017-13-01')).status).toBe(400);
    expect((await call('GET', '/profile/101/events?start=2017-03-02&end=2017-03-01')).status).toBe(400);
    expect((await call('GET', '/profile/999/events')).json).toEqual({ error: { message: 'No entity with supplied ID' } });
  });

  it("refuses windows longer than a month with 400 when windowMode is 'reject'", async () => {
    const { account, call } = world();
    configureCampaigns(account, { windowMode: 'reject' });
    const r = await call('GET', '/profile/101/events?start=2017-01-01&end=2017-02-02');
    expect(r.status).toBe(400);
    expect((r.json as { error: { message: string } }).error.message).toMatch(/at most one month/);
    expect((await call('GET', '/profile/101/events?start=2017-01-01&end=2017-02-01')).status).toBe(200);
  });

  it('message events default to sending until one month later', async () => {
    const { account, get } = world();
    const s = sendMailing(account, { target: { database: 1 }, at: '2016-11-05T10:00:00Z', seed: 4 });
    const evs = await get<Ev[]>(`/message/${s.messageId}/events`);
    expect(evs.filter((e) => e.event === 'attempt')).toHaveLength(10);
    expect(await get<Ev[]>('/profile/101/events')).toEqual([]); // outside "last month"
  });

  it('keeps subprofile mailings apart and serves publisher mailings under /old', async () => {
    const { account, get, call } = world();
    const sub = sendMailing(account, { target: { collection: 5 }, at: AT, seed: 9, rates: { bounce: 0 } });
    const pub = sendMailing(account, { target: { miniview: 9 }, at: AT, seed: 10, kind: 'publisher', template: 77, rates: { bounce: 0 } });
    const subEv = await get<Ev[]>('/subprofile/501/events?start=2017-03-08');
    expect(
      subEv
        .filter((e) => e.event === 'delivery')
        .map((e) => e.message)
        .sort(),
    ).toEqual([sub.messageId, pub.messageId].sort());
    expect(subEv.every((e) => e.subprofile === '501' && e.profile === '101')).toBe(true);

    const oldMsg = await get<Ev[]>(`/old/message/${pub.messageId}/events`);
    expect(oldMsg.filter((e) => e.event === 'attempt')).toHaveLength(2);
    expect(await get<Ev[]>('/old/template/77/events?start=2017-03-08')).toEqual(oldMsg.filter((e) => e.time < '2017-04-08'));
    expect(await get<Ev[]>(`/old/document/${pub.documentId}/events?start=2017-03-08`)).toEqual(oldMsg);
    // a publisher message is not a Marketing Suite message
    expect((await call('GET', `/message/${pub.messageId}/events`)).status).toBe(400);
    expect((await call('GET', `/old/message/${sub.messageId}`)).status).toBe(400);
    expect(await get<Ev[]>('/template/77/events?start=2017-03-08')).toEqual([]);
  });
});

describe('messages and emailing documents', () => {
  it('serves the body in html, text and mime (any case) and the document with snake_case keys', async () => {
    const { account, get, call } = world();
    const s = sendMailing(account, { target: { database: 1 }, at: AT, subject: 'Our March deals', tags: ['a'] });
    const html = await call('GET', `/message/${s.messageId}/body/HTML`);
    expect(html.contentType).toMatch(/^text\/html/);
    expect(html.body).toContain('<h1>Our March deals</h1>');
    expect(await get<string>(`/message/${s.messageId}/body/Text`)).toContain('Our March deals');
    const mime = await get<string>(`/message/${s.messageId}/body/mime`);
    expect(mime).toMatch(/^MIME-Version: 1\.0\r\n/);
    expect(mime).toContain('Subject: Our March deals');
    expect(await get<string>(`/message/${s.messageId}/body`)).toBe(mime);
    expect((await call('GET', `/message/${s.messageId}/body/pdf`)).status).toBe(400);

    expect(await get(`/message/${s.messageId}`)).toMatchObject({
      id: s.messageId,
      template: String(s.templateId),
      sent: '2017-03-08 09:00:00',
      tags: 'a',
    });
    expect(await get(`/emailingdocument/${s.documentId}`)).toEqual({
      id: String(s.documentId),
      template_id: String(s.templateId),
      name: 'Our March deals',
      from_address: 'news@example.com',
      subject: 'Our March deals',
      source: html.body,
    });
    expect((await call('GET', '/emailingdocument/99999')).status).toBe(400);
    expect((await call('GET', '/message/nope')).status).toBe(400);
  });
});
