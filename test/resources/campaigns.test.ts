import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { createFakeCopernica, type FakeCopernica, type MailingSummary } from '../../src/testing/index.js';
import { seen as seenRequest } from '../helpers/nock.js';
import { expectEachRefused } from '../helpers/refusals.js';

const HOST = 'https://api.copernica.com';
const client = () => new Copernica({ accessToken: 'tok', maxRetries: 0 });

/** One GET answered with `body` (JSON, or text with a content type); records the exact path. */
function expectGet(body: unknown, contentType = 'application/json') {
  const seen: string[] = [];
  const scope = nock(HOST)
    .get(() => true)
    .reply(function (this: unknown, uri: unknown) {
      seen.push(seenRequest(uri, this).path);
      return [200, body as nock.Body, { 'content-type': contentType }];
    });
  return { seen, scope };
}

describe('unit (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('documents.get reads the emailing document, lower-case id normalised to ID, IDs as numbers', async () => {
    const { seen, scope } = expectGet({
      id: '2201',
      template_id: '1234',
      name: 'Feb',
      from_address: 'news@example.com',
      subject: 'Deals',
      source: '<html></html>',
    });
    const doc = await client().campaigns.documents.get(2201);
    expect(seen).toEqual(['/v1/emailingdocument/2201?access_token=tok']);
    expect(scope.isDone()).toBe(true);
    expect(doc).toEqual({
      ID: 2201,
      template_id: 1234,
      name: 'Feb',
      from_address: 'news@example.com',
      subject: 'Deals',
      source: '<html></html>',
    });
  });

  it('messages.get and publisher.messages.get keep undocumented fields and give ID', async () => {
    const a = expectGet({ id: 'dkJDF343Df', subject: 'Hi', mailing: '4401' });
    const info = await client().campaigns.messages.get('dkJDF343Df');
    expect(a.seen).toEqual(['/v1/message/dkJDF343Df?access_token=tok']);
    expect(info).toEqual({ ID: 'dkJDF343Df', subject: 'Hi', mailing: '4401' });
    const b = expectGet({ ID: 'Q7fJ2xkP0a' });
    const old = await client().campaigns.publisher.messages.get('Q7fJ2xkP0a');
    expect(b.seen).toEqual(['/v1/old/message/Q7fJ2xkP0a?access_token=tok']);
    expect(old.ID).toBe('Q7fJ2xkP0a');
    expect(a.scope.isDone() && b.scope.isDone()).toBe(true);
  });

  it('messages.body returns text in the page form /body/{type}, or the index form without a type', async () => {
    const html = expectGet('<html><body>Hi</body></html>', 'text/html');
    expect(await client().campaigns.messages.body('dkJDF343Df', 'html')).toBe('<html><body>Hi</body></html>');
    expect(html.seen).toEqual(['/v1/message/dkJDF343Df/body/html?access_token=tok']);
    const mime = expectGet('MIME-Version: 1.0\r\nSubject: Hi\r\n\r\nHi', 'message/rfc822');
    expect(await client().campaigns.messages.body('dkJDF343Df')).toContain('MIME-Version: 1.0');
    expect(mime.seen).toEqual(['/v1/message/dkJDF343Df/body?access_token=tok']);
    expect(html.scope.isDone() && mime.scope.isDone()).toBe(true);
  });

  it('impressions.list sends filters and paging (access_token last) and types the items', async () => {
    const { seen, scope } = expectGet({
      start: 0,
      limit: 2,
      count: 1,
      total: 1,
      data: [
        {
          ID: '770001',
          timestamp: '2024-03-10 09:55:59',
          ip: '203.0.113.9',
          'user-agent': 'UA',
          referer: '',
          emailing: '4401',
          destination: '88006',
          profile: '6',
          subprofile: null,
        },
      ],
    });
    const page = await client().impressions.list({ emailing: 4401, profile: '6', limit: 2 });
    expect(seen).toEqual(['/v1/impressions?emailing=4401&profile=6&start=0&limit=2&total=true&access_token=tok']);
    expect(scope.isDone()).toBe(true);
    expect(page.total).toBe(1);
    expect(page.data[0]).toEqual({
      ID: 770001,
      timestamp: '2024-03-10 09:55:59',
      ip: '203.0.113.9',
      'user-agent': 'UA',
      referer: '',
      emailing: 4401,
      destination: 88006,
      profile: 6,
      subprofile: null,
    });
  });

  it('rejects bad input before any request', async () => {
    const scope = nock(HOST)
      .get(() => true)
      .reply(200, {});
    const c = client();
    const bad: (() => unknown)[] = [
      () => c.campaigns.documents.get('22a' as never),
      () => c.campaigns.messages.get('../identity'),
      () => c.campaigns.messages.body('abc', 'pdf' as never),
      () => c.impressions.list({ emailing: 'x' as never }),
      () => c.impressions.list({ mailing: 1 } as never),
      () => c.impressions.list({ limit: 500 }),
    ];
    await expectEachRefused(bad);
    expect(scope.isDone()).toBe(false);
  });
});

describe('integration (fake server)', () => {
  let fake: FakeCopernica;
  let c: Copernica;
  let ms: MailingSummary;
  let pub: MailingSummary;
  let sub: MailingSummary;
  const rates = { open: 0.6, click: 0.3, bounce: 0.1, unsubscribe: 0.1, abuse: 0.1 };

  beforeAll(async () => {
    fake = await createFakeCopernica({ seed: 7, profiles: 30 });
    c = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
    ms = fake.sendMailing({ target: { database: 1 }, at: '2024-03-10 09:00:00', tags: ['summer', 'sale'], rates, seed: 11 });
    pub = fake.sendMailing({ target: { database: 1 }, at: '2024-04-20 08:00:00', kind: 'publisher', tags: ['legacy'], rates, seed: 12 });
    sub = fake.sendMailing({ target: { collection: 1 }, at: '2024-05-05 12:00:00', tags: ['orders'], rates, seed: 13 });
  });
  afterAll(() => fake?.close());

  const countBy = (events: { event: string }[]) =>
    events.reduce<Record<string, number>>((acc, e) => ((acc[e.event] = (acc[e.event] ?? 0) + 1), acc), {});

  it('message events agree with what the mailing produced', async () => {
    const events = await c.events.byMessage(ms.messageId).toArray({ limit: 10_000 });
    const counts = countBy(events);
    expect(counts.delivery).toBe(ms.counts.deliveries);
    expect(counts.open).toBe(ms.counts.opens);
    expect(counts.click).toBe(ms.counts.clicks);
    expect(counts.failure).toBe(ms.counts.bounces);
    expect(counts.unsubscribe ?? 0).toBe(ms.counts.unsubscribes);
    expect(counts.abuse ?? 0).toBe(ms.counts.abuses);
    expect(counts.attempt).toBe(ms.recipients);
    const times = events.map((e) => e.time ?? '');
    expect([...times].sort()).toEqual(times);
    const click = events.find((e) => e.event === 'click');
    if (click?.event !== 'click') throw new Error('no click');
    expect(click.url).toMatch(/^https?:\/\//);
    expect(typeof click.link).toBe('number');
    expect(click.mailing).toBe(ms.mailingId);
  });

  it('a long window by template is fetched month by month and sees every mailing once', async () => {
    fake.clearRequests();
    const stream = c.events.byTemplate(ms.templateId, { start: '2024-01-01', end: '2024-06-01' });
    const events = await stream.toArray({ limit: 10_000 });
    const calls = fake.requests.filter((r) => r.route === '/template/{templateId}/events');
    expect(calls).toHaveLength(5);
    expect(events.length).toBe((await c.events.byMessage(ms.messageId).toArray({ limit: 10_000 })).length);
  });

  it('profile, e-mail and tags events find the same mails', async () => {
    const first = (await c.events.byMessage(ms.messageId).toArray({ limit: 1 }))[0]!;
    const byProfile = await c.events.byProfile(first.profile!, { start: '2024-03-01', end: '2024-06-01' }).toArray({ limit: 1000 });
    expect(byProfile.length).toBeGreaterThan(0);
    expect(byProfile.every((e) => e.profile === first.profile)).toBe(true);
    const byEmail = await c.events.byEmail(first.email!, { start: '2024-03-01', end: '2024-06-01' }).toArray({ limit: 1000 });
    expect(byEmail.filter((e) => e.message === ms.messageId).length).toBe(byProfile.filter((e) => e.message === ms.messageId).length);
    const tagged = await c.events.byTags(['summer', 'sale'], { start: '2024-03-01', end: '2024-05-01' }).toArray({ limit: 10_000 });
    expect(new Set(tagged.map((e) => e.message))).toEqual(new Set([ms.messageId]));
    const filtered = await c.events
      .byProfile(first.profile!, { start: '2024-03-01', end: '2024-06-01', tags: 'legacy' })
      .toArray({ limit: 1000 });
    expect(filtered.length).toBeGreaterThan(0); // an empty answer would pass the check below
    expect(filtered.every((e) => e.message === pub.messageId)).toBe(true);
  });

  it('Publisher mailings are read under /old', async () => {
    const byMessage = await c.events.byOldMessage(pub.messageId).toArray({ limit: 10_000 });
    expect(countBy(byMessage).open).toBe(pub.counts.opens);
    const byTemplate = await c.events.byOldTemplate(pub.templateId, { start: '2024-04-01', end: '2024-06-01' }).toArray({ limit: 10_000 });
    expect(byTemplate.length).toBe(byMessage.length);
    const byDocument = await c.events.byOldDocument(pub.documentId!, { start: '2024-04-01', end: '2024-06-01' }).toArray({ limit: 10_000 });
    expect(byDocument.length).toBe(byMessage.length);
    const info = await c.campaigns.publisher.messages.get(pub.messageId);
    expect(info.ID).toBe(pub.messageId);
  });

  it('subprofile events carry the subprofile', async () => {
    const first = (await c.events.byMessage(sub.messageId).toArray({ limit: 1 }))[0]!;
    expect(typeof first.subprofile).toBe('number');
    const events = await c.events.bySubprofile(first.subprofile!, { start: '2024-05-01', end: '2024-07-01' }).toArray({ limit: 1000 });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.subprofile === first.subprofile)).toBe(true);
  });

  it('message info, bodies and the emailing document describe the mailing', async () => {
    const info = await c.campaigns.messages.get(ms.messageId);
    expect(info.ID).toBe(ms.messageId);
    const html = await c.campaigns.messages.body(ms.messageId, 'html');
    const text = await c.campaigns.messages.body(ms.messageId, 'text');
    const mime = await c.campaigns.messages.body(ms.messageId, 'mime');
    expect(html).toMatch(/<html/i);
    expect(text).not.toMatch(/<html/i);
    expect(mime).toMatch(/^MIME-Version: 1\.0/m);
    expect(await c.campaigns.messages.body(ms.messageId)).toBe(mime);
    const doc = await c.campaigns.documents.get(ms.documentId!);
    expect(doc.ID).toBe(ms.documentId);
    expect(doc.template_id).toBe(ms.templateId);
    expect(doc.source).toBe(html);
  });

  it('impressions are the opens: one per open event, every page', async () => {
    const all: number[] = [];
    for await (const imp of c.impressions.list({ emailing: ms.mailingId, limit: 5 })) {
      expect(imp.emailing).toBe(ms.mailingId);
      all.push(imp.ID);
    }
    expect(all).toHaveLength(ms.counts.opens);
    expect(new Set(all).size).toBe(all.length);
    const opens = (await c.events.byMessage(ms.messageId).toArray({ limit: 10_000 })).filter((e) => e.event === 'open');
    const first = await c.impressions.list({ emailing: ms.mailingId, profile: opens[0]!.profile!, limit: 100 });
    expect(first.data.length).toBe(opens.filter((o) => o.profile === opens[0]!.profile).length);
    expect(first.data.map((i) => i.timestamp)).toEqual(opens.filter((o) => o.profile === opens[0]!.profile).map((o) => o.time));
  });

  it('unknown messages are API errors', async () => {
    await expect(c.events.byMessage('NoSuchMsg1').toArray({ limit: 1 })).rejects.toMatchObject({ status: 400 });
  });
});
