import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica, type MailingSummary } from 'copernica-rest/testing';
import { main } from '../../examples/yesterday-clicks.js';

let fake: FakeCopernica;
let mailing: MailingSummary;
const SENT = '2024-03-10';

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 7, profiles: 40 });
  mailing = fake.sendMailing({ target: { database: 'customers' }, at: `${SENT} 08:00:00`, rates: { open: 0.9, click: 0.6, bounce: 0 } });
});

afterAll(() => fake.close());

const day = (offset: number) => new Date(Date.parse(`${SENT}T12:00:00Z`) + offset * 86_400_000);

describe('examples/yesterday-clicks', () => {
  it("reads yesterday's cdm-click file into typed rows that match the mailing", async () => {
    expect(mailing.counts.clicks).toBeGreaterThan(5);
    const first = await main({ now: day(1), accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl });
    expect(first.date).toBe(SENT);
    expect(first.file).toBe(`cdm-click.${SENT}.log`);
    expect(first.rows.length).toBeGreaterThan(0);
    const row = first.rows[0]!;
    expect(Object.keys(row)).toEqual([
      'id',
      'senderdomain',
      'time',
      'linkinfo',
      'ip',
      'header',
      'email',
      'tags',
      'countrycode',
      'countryname',
      'regioncode',
      'city',
      'profile',
      'subprofile',
      'template',
    ]);
    for (const r of first.rows) {
      expect(r.id).toBe(mailing.messageId);
      expect(r.template).toBe(mailing.templateId);
      expect(r.time?.startsWith(SENT)).toBe(true);
      expect(r.time! >= mailing.sentAt).toBe(true);
      expect(typeof r.profile).toBe('number');
      expect(typeof r.linkinfo).toBe('number');
      expect(r.subprofile).toBe(0);
      expect(r.email).toMatch(/@/);
    }
  });

  it('over the days after the mailing, the rows add up to the clicks the mailing made', async () => {
    let total = 0;
    for (let offset = 1; offset <= 8; offset++) {
      const { date, rows } = await main({ now: day(offset), accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl });
      for (const r of rows) expect(r.time?.slice(0, 10)).toBe(date);
      total += rows.length;
    }
    expect(total).toBe(mailing.counts.clicks);
  });

  it('gives no rows for a day without a click logfile', async () => {
    const none = await main({ now: day(-3), accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl });
    expect(none).toEqual({ date: '2024-03-06', file: null, rows: [] });
  });

  it("against a fake started as `copernica fake` starts it (recent mailings), today's run finds yesterday's clicks", async () => {
    const standalone = await createFakeCopernica({ seed: 1, profiles: 50, mailings: 3 });
    try {
      const { date, file, rows } = await main({ accessToken: standalone.accounts[0]!.token, baseUrl: standalone.apiUrl });
      expect(file).toBe(`cdm-click.${date}.log`);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.time?.slice(0, 10)).toBe(date);
        expect(Date.parse(`${r.time!.replace(' ', 'T')}Z`)).toBeLessThanOrEqual(Date.now());
      }
    } finally {
      await standalone.close();
    }
  });
});
