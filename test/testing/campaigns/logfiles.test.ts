import { describe, expect, it } from 'vitest';
import {
  LOGFILE_COLUMNS,
  LOGFILE_TYPES,
  LogfileStream,
  configureCampaigns,
  generateLogfile,
  sendMailing,
} from '../../../src/testing/campaigns/index.js';
import { setup, parseCsv, parseXmlRecords } from './harness.js';

type Ev = Record<string, unknown> & { event: string; time: string };
type Rec = Record<string, string | number>;

const AT = '2017-03-08T09:00:00Z';
const RATES = { open: 0.8, click: 0.5, bounce: 0.2, unsubscribe: 0.3, abuse: 0.3 };

function world() {
  const t = setup();
  configureCampaigns(t.account, { now: () => new Date('2017-03-20T12:00:00Z') });
  return t;
}

/** One file in all four forms, parsed back to records of strings. */
async function allFormats(get: ReturnType<typeof setup>['get'], name: string) {
  const csv = parseCsv(await get<string>(`/logfiles/${name}`));
  const withHeader = parseCsv(await get<string>(`/logfiles/${name}/header`));
  const json = await get<Rec[]>(`/logfiles/${name}/json`);
  const xml = parseXmlRecords(await get<string>(`/logfiles/${name}/xml`));
  return { csv, withHeader, json, xml };
}

describe('logfiles from mailings', () => {
  it('lists dates and names, and serves cdm-click as CSV, CSV with header, JSON and XML that agree with the click events', async () => {
    const { account, get } = world();
    const s = sendMailing(account, { target: { database: 1 }, at: AT, seed: 42, tags: ['spring', 'sale'], rates: RATES });
    const dates = await get<string[]>('/logfiles');
    expect(dates[0]).toBe('2017-03-08');
    expect(dates).toEqual([...dates].sort());
    const names = await get<string[]>('/logfiles/2017-03-08');
    expect(names).toContain('cdm-attempts.2017-03-08.log');
    expect(names).toContain('cdm-delivery.2017-03-08.log');
    expect(names.every((n) => /^cdm-[a-z]+\.2017-03-08\.log$/.test(n))).toBe(true);
    expect(await get<string[]>('/logfiles/2001-01-01')).toEqual([]);

    const columns = LOGFILE_COLUMNS['cdm-click'];
    const clickRows: Rec[] = [];
    for (const date of dates) {
      const name = `cdm-click.${date}.log`;
      if (!(await get<string[]>(`/logfiles/${date}`)).includes(name)) continue;
      const { csv, withHeader, json, xml } = await allFormats(get, name);
      expect(withHeader[0]).toEqual(columns);
      expect(withHeader.slice(1)).toEqual(csv);
      expect(json).toHaveLength(csv.length);
      expect(xml).toHaveLength(csv.length);
      json.forEach((rec, i) => {
        expect(Object.keys(rec)).toEqual(columns); // file order
        expect(csv[i]).toEqual(columns.map((c) => String(rec[c])));
        expect(xml[i]).toEqual(Object.fromEntries(columns.map((c) => [c, String(rec[c])])));
        expect(typeof rec.profile).toBe('number');
        expect(typeof rec.linkinfo).toBe('number');
        expect(typeof rec.id).toBe('string');
        expect(String(rec.time).slice(0, 10)).toBe(date); // files are named by the records' date
      });
      clickRows.push(...json);
    }
    const events = (await get<Ev[]>(`/message/${s.messageId}/events`)).filter((e) => e.event === 'click');
    expect(s.counts.clicks).toBeGreaterThan(0); // else the checks in the loop above ran on nothing
    expect(clickRows).toHaveLength(s.counts.clicks);
    expect(clickRows.map((r) => `${r.time}|${r.email}|${r.profile}|${r.id}|${r.tags}`).sort()).toEqual(
      events.map((e) => `${e.time}|${e.email}|${e.profile}|${e.message}|${e.tags}`).sort(),
    );
    expect(clickRows.every((r) => r.tags === 'spring;sale' && r.senderdomain === 'example.com')).toBe(true);
  });

  it('writes every event kind to its cdm-* file with the documented columns', async () => {
    const { account, get } = world();
    const s = sendMailing(account, { target: { database: 1 }, at: AT, seed: 42, rates: RATES });
    const counts: Record<string, number> = {};
    for (const date of await get<string[]>('/logfiles')) {
      for (const name of await get<string[]>(`/logfiles/${date}`)) {
        const type = name.split('.')[0] as keyof typeof LOGFILE_COLUMNS;
        const rows = await get<Rec[]>(`/logfiles/${name}/json`);
        for (const r of rows) expect(Object.keys(r)).toEqual(LOGFILE_COLUMNS[type]);
        counts[type] = (counts[type] ?? 0) + rows.length;
      }
    }
    expect(counts['cdm-attempts']).toBe(10);
    expect(counts['cdm-delivery']).toBe(s.counts.deliveries);
    expect(counts['cdm-error'] ?? 0).toBe(s.counts.bounces);
    expect(counts['cdm-impression']).toBe(s.counts.opens);
    expect(counts['cdm-click']).toBe(s.counts.clicks);
    expect(counts['cdm-unsubscribe'] ?? 0).toBe(s.counts.unsubscribes);
    expect(counts['cdm-abuse'] ?? 0).toBe(s.counts.abuses);
    expect(Object.keys(counts).every((t) => t.startsWith('cdm-'))).toBe(true);
  });

  it('quotes CSV fields with commas, quotes and line breaks (RFC 4180) and escapes XML', async () => {
    const { account, get } = world();
    const s = sendMailing(account, { target: { database: 1 }, at: AT, seed: 42, rates: { abuse: 1, bounce: 0 } });
    expect(s.counts.abuses).toBe(10);
    const dates = await get<string[]>('/logfiles');
    const name = (await Promise.all(dates.map((d) => get<string[]>(`/logfiles/${d}`)))).flat().find((n) => n.startsWith('cdm-abuse'));
    expect(name).toMatch(/^cdm-abuse\.\d{4}-\d\d-\d\d\.log$/);
    const raw = await get<string>(`/logfiles/${name}`);
    expect(raw).toContain('"Feedback-Type: abuse\r\nUser-Agent: ""ExampleISP FBL, v1.0""');
    const { csv, json, xml } = await allFormats(get, name as string);
    expect(csv[0]?.[2]).toBe(json[0]?.mail);
    expect(xml[0]?.mail).toBe(json[0]?.mail);
    expect(String(json[0]?.mail)).toContain('\r\n');
  });

  it('writes publisher mailings to pom-* files with groupid and document', async () => {
    const { account, get } = world();
    const s = sendMailing(account, { target: { database: 1 }, at: AT, seed: 8, kind: 'publisher', rates: { bounce: 0 } });
    const names = await get<string[]>('/logfiles/2017-03-08');
    expect(names).toContain('pom-attempts.2017-03-08.log');
    expect(names).toContain('pom-deliveries.2017-03-08.log');
    const attempts = await get<Rec[]>('/logfiles/pom-attempts.2017-03-08.log/json');
    expect(attempts).toHaveLength(10);
    expect(attempts[0]).toMatchObject({
      id: s.messageId,
      mailingid: s.mailingId,
      documentid: s.documentId,
      templateid: s.templateId,
      collectionid: 0,
      subprofileid: 0,
    });
    expect(typeof attempts[0]?.groupid).toBe('number');
  });

  it('answers 400 for unknown files and bad dates', async () => {
    const { call } = world();
    expect((await call('GET', '/logfiles/cdm-click.2017-03-08.log')).status).toBe(400);
    expect((await call('GET', '/logfiles/nonsense.log/json')).status).toBe(400);
    expect((await call('GET', '/logfiles/2017-02-30')).status).toBe(400);
  });
});

describe('generated logfiles', () => {
  it('are deterministic and agree across CSV, JSON and XML for every type', async () => {
    const { account, get } = world();
    for (const type of LOGFILE_TYPES) {
      const name = generateLogfile(account, { type, date: '2017-04-01', rows: 25, seed: 3 });
      expect(name).toBe(`${type}.2017-04-01.log`);
      const { csv, withHeader, json, xml } = await allFormats(get, name);
      expect(withHeader[0]).toEqual(LOGFILE_COLUMNS[type]);
      expect(json).toHaveLength(25);
      json.forEach((rec, i) => {
        expect(csv[i]).toEqual(LOGFILE_COLUMNS[type].map((c) => String(rec[c])));
        expect(xml[i]).toEqual(Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, String(v)])));
        expect(String(rec.time).startsWith('2017-04-01 ')).toBe(true);
      });
    }
    expect(await get<string[]>('/logfiles')).toEqual(['2017-04-01']);
    expect(await get<string[]>('/logfiles/2017-04-01')).toHaveLength(16);
    const again = world();
    generateLogfile(again.account, { type: 'cdm-click', date: '2017-04-01', rows: 25, seed: 3 });
    expect(await again.get('/logfiles/cdm-click.2017-04-01.log')).toBe(await get('/logfiles/cdm-click.2017-04-01.log'));
  });

  it('stream a 50 MB file lazily with backpressure', async () => {
    const { account, routes } = world();
    const rows = 220_000; // ≈ 260 bytes per cdm-click CSV row
    const name = generateLogfile(account, { type: 'cdm-click', date: '2017-05-01', rows, seed: 1 });
    const m = routes.match('GET', `/logfiles/${name}`);
    const res = await m!.route.handler({
      method: 'GET',
      path: `/logfiles/${name}`,
      params: m!.params,
      query: new URLSearchParams(),
      body: undefined,
      account,
      apiUrl: 'http://fake.test/v1',
    });
    const stream = res.stream as LogfileStream;
    expect(stream).toBeInstanceOf(LogfileStream);
    expect(stream.rowsProduced).toBe(0); // nothing rendered before anyone reads

    // a paused consumer: the stream renders about one buffer ahead and then waits
    await new Promise<void>((resolve) => stream.once('readable', () => resolve()));
    const first = stream.read() as Buffer;
    expect(first.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    const ahead = stream.rowsProduced;
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThan(2_000); // ~2 × 64 KiB of rows, not 220,000
    await new Promise((r) => setTimeout(r, 50));
    expect(stream.rowsProduced).toBe(ahead); // still waiting for the reader

    // read the rest; memory does not grow with the file
    let bytes = first.length;
    let reads = 1;
    const heapBefore = process.memoryUsage().heapUsed;
    let maxHeap = heapBefore;
    for await (const chunk of stream) {
      bytes += (chunk as Buffer).length;
      reads++;
      if (reads === 10) expect(stream.rowsProduced).toBeLessThan(rows / 50);
      if (reads % 50 === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
    }
    expect(stream.rowsProduced).toBe(rows);
    expect(bytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(reads).toBeGreaterThan(500);
    // memory does not grow with the file (50 MB streamed, far less retained)
    expect(maxHeap - heapBefore).toBeLessThan(30 * 1024 * 1024);
  });
});
