import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica, type MailingSummary } from '../../../src/testing/index.js';
import { parseCsv, parseXmlRecords } from './harness.js';

type Ev = Record<string, unknown> & { event: string; time: string };

let fake: FakeCopernica;
let token: string;
let ms: MailingSummary;

const api = (path: string, init?: RequestInit) =>
  fetch(`${fake.apiUrl}${path}${path.includes('?') ? '&' : '?'}access_token=${token}`, { redirect: 'manual', ...init });

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 3, profiles: 40 });
  token = fake.accounts[0]!.token;
  ms = fake.sendMailing({
    target: { database: 1 },
    at: '2024-03-10 09:00:00',
    tags: ['summer', 'sale'],
    seed: 5,
    rates: { open: 0.7, click: 0.4 },
  });
});
afterAll(async () => {
  await fake?.close();
});

describe('campaign endpoints over HTTP', () => {
  it('serve the mailing in events, logfiles (CSV, JSON, XML) and impressions consistently', async () => {
    expect(ms.recipients).toBeGreaterThan(0);
    expect(ms.counts.clicks).toBeGreaterThan(0);
    const evs = (await (await api(`/message/${ms.messageId}/events`)).json()) as Ev[];
    const clicks = evs.filter((e) => e.event === 'click');
    expect(clicks).toHaveLength(ms.counts.clicks);

    // tags: literal ';' and encoded %3B
    const literal = (await (await api('/tags/summer;sale/events?start=2024-03-10')).json()) as Ev[];
    const encoded = (await (await api('/tags/summer%3Bsale/events?start=2024-03-10')).json()) as Ev[];
    expect(literal).toEqual(encoded);
    expect(literal.filter((e) => e.event === 'click')).toEqual(clicks);

    // e-mail path, percent-encoded
    const email = String(clicks[0]!.email);
    const byEmail = (await (await api(`/email/${encodeURIComponent(email)}/events?start=2024-03-10`)).json()) as Ev[];
    expect(byEmail.filter((e) => e.event === 'click' && e.message === ms.messageId)).toEqual(clicks.filter((e) => e.email === email));

    // logfiles
    const fromFiles: Record<string, string | number>[] = [];
    const dates = (await (await api('/logfiles')).json()) as string[];
    for (const date of dates) {
      const names = (await (await api(`/logfiles/${date}`)).json()) as string[];
      const name = `cdm-click.${date}.log`;
      if (!names.includes(name)) continue;
      const csvRes = await api(`/logfiles/${name}`);
      expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv/);
      const csv = parseCsv(await csvRes.text());
      const json = (await (await api(`/logfiles/${name}/json`)).json()) as Record<string, string | number>[];
      const xml = parseXmlRecords(await (await api(`/logfiles/${name}/xml`)).text());
      expect(csv.map((r) => r.join('|'))).toEqual(json.map((r) => Object.values(r).join('|')));
      expect(xml).toEqual(json.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]))));
      fromFiles.push(...json.filter((r) => r.id === ms.messageId));
    }
    expect(fromFiles.map((r) => `${r.time}|${r.email}`).sort()).toEqual(clicks.map((e) => `${e.time}|${e.email}`).sort());

    const imp = (await (await api(`/impressions?emailing=${ms.mailingId}&limit=100`)).json()) as { total: number };
    expect(imp.total).toBe(ms.counts.opens);
  });

  it('stream a generated logfile and run a data request to completion', async () => {
    const name = fake.generateLogfile({ type: 'pom-clicks', date: '2024-06-01', rows: 40_000, seed: 2 });
    const res = await api(`/logfiles/${name}/json`);
    expect(res.status).toBe(200);
    const rows = (await res.json()) as unknown[];
    expect(rows).toHaveLength(40_000);

    const email = await firstEmail();
    const post = await api(`/email/${encodeURIComponent(email)}/datarequest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ report: 'dpo@example.com' }),
    });
    expect(post.status).toBe(201);
    const id = post.headers.get('x-created')!;
    expect(((await (await api(`/datarequest/${id}/status`)).json()) as { status: string }).status).toBe('pending');
    expect((await api(`/datarequest/${id}/data`)).status).toBe(404);
    expect(((await (await api(`/datarequest/${id}/status`)).json()) as { status: string }).status).toBe('available');
    const file = (await (await api(`/datarequest/${id}/data`)).json()) as { info: { type: string }; data: unknown[][] };
    expect(file.info.type).toBe('email');
    expect(file.data.some((r) => r[0] === 'delivery' || r[0] === 'failure')).toBe(true);
  });
});

async function firstEmail(): Promise<string> {
  const evs = (await (await api(`/message/${ms.messageId}/events`)).json()) as Ev[];
  return String(evs[0]!.email);
}
