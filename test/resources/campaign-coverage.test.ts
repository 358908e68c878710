/**
 * Coverage of the 27 campaign endpoints (groups events, emailingdocuments, messages, logfiles,
 * impressions, datarequests of endpoints.json): every SDK method runs once against the fake, and
 * the fake's request log (`route` = matched pattern) shows which endpoints were answered.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { specEndpoints } from '../helpers/spec.js';

const GROUPS = new Set(['events', 'emailingdocuments', 'messages', 'logfiles', 'impressions', 'datarequests']);

/** `/logfiles/{date}` → `/logfiles/{}`: placeholder names differ between the spec and the fake. */
const shape = (pattern: string) => pattern.replace(/\{\w+\}/g, '{}');

let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 9, profiles: 10 });
});
afterAll(() => fake?.close());

it('every campaign endpoint is reached by an SDK method', async () => {
  const spec = specEndpoints().filter((e) => GROUPS.has(e.group));
  expect(spec).toHaveLength(27);

  const c = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
  const ms = fake.sendMailing({
    target: { database: 1 },
    at: '2024-03-10 09:00:00',
    tags: ['summer'],
    rates: { open: 1, click: 0.5 },
    seed: 1,
  });
  const pub = fake.sendMailing({ target: { collection: 1 }, at: '2024-03-10 10:00:00', kind: 'publisher', rates: { open: 1 }, seed: 2 });
  const first = (await c.events.byMessage(ms.messageId).toArray({ limit: 1 }))[0]!;
  const subEvent = (await c.events.byOldMessage(pub.messageId).toArray({ limit: 1 }))[0]!;
  const window = { start: '2024-03-01', end: '2024-04-01' };
  fake.clearRequests();

  await c.events.byProfile(first.profile!, window).toArray({ limit: 1 });
  await c.events.bySubprofile(subEvent.subprofile!, window).toArray({ limit: 1 });
  await c.events.byEmail(first.email!, window).toArray({ limit: 1 });
  await c.events.byMessage(ms.messageId).toArray({ limit: 1 });
  await c.events.byTemplate(ms.templateId, window).toArray({ limit: 1 });
  await c.events.byOldTemplate(pub.templateId, window).toArray({ limit: 1 });
  await c.events.byOldMessage(pub.messageId).toArray({ limit: 1 });
  await c.events.byOldDocument(pub.documentId!, window).toArray({ limit: 1 });
  await c.events.byTags(['summer'], window).toArray({ limit: 1 });
  await c.campaigns.documents.get(ms.documentId!);
  await c.campaigns.messages.body(ms.messageId);
  await c.campaigns.messages.body(ms.messageId, 'html');
  await c.campaigns.messages.get(ms.messageId);
  await c.campaigns.publisher.messages.get(pub.messageId);
  await c.logfiles.dates();
  const [name] = await c.logfiles.names('2024-03-10');
  await c.logfiles.records(name!).toArray({ limit: 1 });
  await c.logfiles.header(name!);
  await c.logfiles.records(name!, { format: 'json' }).toArray({ limit: 1 });
  const xml = await c.logfiles.download(name!, { format: 'xml' });
  xml.once('error', () => undefined); // undici reports a destroyed body as an abort
  xml.destroy();
  await c.impressions.list({ emailing: ms.mailingId, limit: 1 });
  const dr = await c.dataRequests.create({ profile: first.profile! });
  await c.dataRequests.create({ subprofile: subEvent.subprofile! });
  await c.dataRequests.create({ email: first.email! });
  await c.dataRequests.waitUntilReady(dr.id!, { interval: 20 });
  await c.dataRequests.data(dr.id!);
  await c.dataRequests.get(dr.id!);
  await new Promise((r) => setTimeout(r, 50)); // let the destroyed XML download be logged

  // Which spec endpoints did successful requests hit? `/logfiles/{date}` and `/logfiles/{filename}`
  // share one route; the value's shape tells them apart.
  const hit = new Set<string>();
  for (const r of fake.requests) {
    if (!r.route || r.status >= 300) continue;
    let key = `${r.method} ${shape(r.route)}`;
    if (key === 'GET /logfiles/{}')
      key = /\/logfiles\/\d{4}-\d{2}-\d{2}$/.test(r.path.split('?')[0]!) ? 'GET /logfiles/{date}' : 'GET /logfiles/{filename}';
    hit.add(key);
  }
  const covered = spec.filter((e) => {
    const exact = `${e.method} ${e.path}`;
    return exact.startsWith('GET /logfiles/{') && !exact.includes('}/') ? hit.has(exact) : hit.has(`${e.method} ${shape(e.path)}`);
  });
  const missing = spec.filter((e) => !covered.includes(e)).map((e) => `${e.method} ${e.path}`);
  console.log(`${covered.length}/27 campaign endpoints covered${missing.length ? `; missing: ${missing.join(', ')}` : ''}`);
  expect(missing).toEqual([]);
  expect(covered.length).toBe(27);
});
