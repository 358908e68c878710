import { Readable } from 'node:stream';
import { parse as parseCsvSync } from 'csv-parse/sync';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { InvalidResponseError } from '../../src/core/errors.js';
import { LOGFILE_COLUMN_ORDER } from '../../src/resources/logfile-types.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { seen as seenRequest } from '../helpers/nock.js';
import { expectEachRefused } from '../helpers/refusals.js';

const HOST = 'https://api.copernica.com';
const client = (strict = false) => new Copernica({ accessToken: 'tok', maxRetries: 0, strict });

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** A body delivered in tiny chunks, splitting multi-byte characters, to test incremental parsing. */
function trickle(body: string, size = 5): Readable {
  const bytes = Buffer.from(body, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

function expectGet(body: string | (() => Readable), contentType = 'text/plain') {
  const seen: string[] = [];
  const scope = nock(HOST)
    .get(() => true)
    .reply(function (this: unknown, uri: unknown) {
      seen.push(seenRequest(uri, this).path);
      return [200, typeof body === 'string' ? body : body(), { 'content-type': contentType }];
    });
  return { seen, scope };
}

const ABUSE_CSV =
  'mAg88Rlsa9,2024-03-10 10:00:00,"Feedback-Type: abuse\r\nUser-Agent: ""ExampleISP FBL, v1.0""",jan@example.com,summer;sale,example.com,12,0,1001\r\n' +
  'mAg88Rlsa9,2024-03-10 11:00:00,plain,zoë@example.com,,example.com,13,,1001\r\n';
const ABUSE_ROWS = [
  {
    id: 'mAg88Rlsa9',
    time: '2024-03-10 10:00:00',
    mail: 'Feedback-Type: abuse\r\nUser-Agent: "ExampleISP FBL, v1.0"',
    email: 'jan@example.com',
    tags: 'summer;sale',
    senderdomain: 'example.com',
    profile: 12,
    subprofile: 0,
    template: 1001,
  },
  {
    id: 'mAg88Rlsa9',
    time: '2024-03-10 11:00:00',
    mail: 'plain',
    email: 'zoë@example.com',
    tags: '',
    senderdomain: 'example.com',
    profile: 13,
    subprofile: null,
    template: 1001,
  },
];

describe('unit (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('list and names are bare string arrays', async () => {
    const a = expectGet('["2024-03-10","2024-03-11"]', 'application/json');
    expect(await client().logfiles.dates()).toEqual(['2024-03-10', '2024-03-11']);
    const b = expectGet('["cdm-click.2024-03-10.log"]', 'application/json');
    expect(await client().logfiles.names(new Date(Date.UTC(2024, 2, 10, 23, 59)))).toEqual(['cdm-click.2024-03-10.log']);
    expect([...a.seen, ...b.seen]).toEqual(['/v1/logfiles?access_token=tok', '/v1/logfiles/2024-03-10?access_token=tok']);
    expect(a.scope.isDone() && b.scope.isDone()).toBe(true);
  });

  it('download returns the bytes as a stream, on the path of each format', async () => {
    const paths: string[] = [];
    for (const [format, suffix] of [
      ['csv', ''],
      ['csv-header', '/header'],
      ['json', '/json'],
      ['xml', '/xml'],
    ] as const) {
      const { seen, scope } = expectGet(`body-${format}`);
      const stream = await client().logfiles.download('cdm-click.2024-03-10.log', { format });
      expect(stream).toBeInstanceOf(Readable);
      expect(await text(stream)).toBe(`body-${format}`);
      expect(scope.isDone()).toBe(true);
      paths.push(...seen);
      expect(seen[0]).toBe(`/v1/logfiles/cdm-click.2024-03-10.log${suffix}?access_token=tok`);
    }
    expect(paths).toHaveLength(4);
  });

  it('records(csv) parses RFC 4180 quoting, multi-line cells and types the columns', async () => {
    const { seen, scope } = expectGet(() => trickle(ABUSE_CSV, 3), 'text/csv');
    const rows = await client().logfiles.records('cdm-abuse.2024-03-10.log').toArray({ limit: 10 });
    expect(seen).toEqual(['/v1/logfiles/cdm-abuse.2024-03-10.log?access_token=tok']);
    expect(scope.isDone()).toBe(true);
    expect(rows).toEqual(ABUSE_ROWS);
  });

  it('records(json) parses objects incrementally across chunk boundaries', async () => {
    const json = `[\n${ABUSE_ROWS.map((r) => JSON.stringify({ ...r, subprofile: r.subprofile ?? '', mail: `${r.mail} {[\\"]}` })).join(',\n')}\n]\n`;
    const { seen, scope } = expectGet(() => trickle(json, 4), 'application/json');
    const rows = await client().logfiles.records('cdm-abuse.2024-03-10.log', { format: 'json' }).toArray({ limit: 10 });
    expect(seen).toEqual(['/v1/logfiles/cdm-abuse.2024-03-10.log/json?access_token=tok']);
    expect(scope.isDone()).toBe(true);
    expect(rows).toEqual(ABUSE_ROWS.map((r) => ({ ...r, mail: `${r.mail} {[\\"]}` })));
  });

  it('records(xml) parses entities and CR references, record by record', async () => {
    const esc = (v: unknown) =>
      String(v ?? '')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/\r/g, '&#13;');
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<records>\n${ABUSE_ROWS.map(
      (r) =>
        `  <record>\n${Object.entries(r)
          .map(([k, v]) => `    <${k}>${esc(v)}</${k}>`)
          .join('\n')}\n  </record>`,
    ).join('\n')}\n</records>\n`;
    const { seen, scope } = expectGet(() => trickle(xml, 6), 'application/xml');
    const rows = await client().logfiles.records('cdm-abuse.2024-03-10.log', { format: 'xml' }).toArray({ limit: 10 });
    expect(seen).toEqual(['/v1/logfiles/cdm-abuse.2024-03-10.log/xml?access_token=tok']);
    expect(scope.isDone()).toBe(true);
    expect(rows).toEqual(ABUSE_ROWS);
  });

  it('header() returns the column names of /header', async () => {
    const { seen, scope } = expectGet('id,time,attempt,email\r\nabc,2024-01-01 00:00:00,0,a@b.nl\r\n', 'text/csv');
    expect(await client().logfiles.header('cdm-retry.2024-01-01.log')).toEqual(['id', 'time', 'attempt', 'email']);
    expect(seen).toEqual(['/v1/logfiles/cdm-retry.2024-01-01.log/header?access_token=tok']);
    expect(scope.isDone()).toBe(true);
  });

  it('a file of an unknown type is read with its header, as strings', async () => {
    const { seen, scope } = expectGet('a,b\r\n1,x\r\n', 'text/csv');
    const rows = await client().logfiles.records('custom-report.2024-01-01.log').toArray({ limit: 5 });
    expect(seen).toEqual(['/v1/logfiles/custom-report.2024-01-01.log/header?access_token=tok']);
    expect(scope.isDone()).toBe(true);
    expect(rows).toEqual([{ a: '1', b: 'x' }]);
  });

  it('each for await over the same records() reads the header of its own download', async () => {
    const stream = client().logfiles.records('custom-report.2024-01-01.log');
    expectGet('a,b\r\n1,x\r\n', 'text/csv');
    expect(await stream.toArray({ limit: 5 })).toEqual([{ a: '1', b: 'x' }]);
    expectGet('a,b\r\n2,y\r\n', 'text/csv');
    expect(await stream.toArray({ limit: 5 })).toEqual([{ a: '2', b: 'y' }]);
  });

  it('extra columns pass through, unless the client is strict', async () => {
    const body = JSON.stringify([{ ...ABUSE_ROWS[0], extra: 'x' }]);
    expectGet(body, 'application/json');
    const [row] = await client().logfiles.records('cdm-abuse.2024-03-10.log', { format: 'json' }).toArray({ limit: 1 });
    expect(row).toMatchObject({ extra: 'x', profile: 12 });
    expectGet(body, 'application/json');
    await expect(
      client(true).logfiles.records('cdm-abuse.2024-03-10.log', { format: 'json' }).toArray({ limit: 1 }),
    ).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it.each([
    ['a short CSV row', 'csv', 'x,2024-01-01 00:00:00\r\n'],
    ['a non-number in a numeric column', 'csv', 'x,2024-01-01 00:00:00,m,e,t,s,twelve,0,1\r\n'],
    ['truncated JSON', 'json', '[{"id":"x"'],
    ['JSON that is not an array', 'json', '{"id":"x"}'],
    ['XML with another root', 'xml', '<rows><record><id>x</id></record></rows>'],
    ['malformed XML', 'xml', '<records><record><id>x</record></records>'],
  ] as const)('%s is an InvalidResponseError', async (_name, format, body) => {
    expectGet(body);
    await expect(client().logfiles.records('cdm-abuse.2024-03-10.log', { format }).toArray({ limit: 5 })).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
  });

  it('bad names, dates and formats are refused before any request', async () => {
    const scope = nock(HOST)
      .get(() => true)
      .reply(200, '[]');
    const c = client();
    const calls: (() => unknown)[] = [
      () => c.logfiles.names('2024-02-30'),
      () => c.logfiles.names('yesterday'),
      () => c.logfiles.download('../identity'),
      () => c.logfiles.download('cdm-click.2024-03-10.log', { format: 'pdf' as never }),
      () => c.logfiles.records('cdm-click.2024-03-10.log/json'),
      () => c.logfiles.header(''),
    ];
    await expectEachRefused(calls);
    expect(scope.isDone()).toBe(false);
  });
});

describe('integration (fake server)', () => {
  let fake: FakeCopernica;
  let c: Copernica;

  beforeAll(async () => {
    fake = await createFakeCopernica({ seed: 3, profiles: 40 });
    c = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
    const rates = { open: 0.6, click: 0.4, bounce: 0.15, unsubscribe: 0.1, abuse: 0.1 };
    fake.sendMailing({ target: { database: 1 }, at: '2024-03-10 09:00:00', tags: ['summer', 'sale'], rates, seed: 21 });
    fake.sendMailing({ target: { collection: 1 }, at: '2024-03-10 15:00:00', kind: 'publisher', rates, seed: 22 });
  });
  afterAll(() => fake?.close());

  it('CSV, JSON and XML give the same typed records, and match download()', async () => {
    const dates = await c.logfiles.dates();
    expect(dates).toContain('2024-03-10');
    const names = await c.logfiles.names('2024-03-10');
    expect(names.some((n) => n.startsWith('cdm-'))).toBe(true);
    expect(names.some((n) => n.startsWith('pom-'))).toBe(true);
    let total = 0;
    for (const name of names) {
      const csv = await c.logfiles.records(name).toArray({ limit: 100_000 });
      const json = await c.logfiles.records(name, { format: 'json' }).toArray({ limit: 100_000 });
      const xml = await c.logfiles.records(name, { format: 'xml' }).toArray({ limit: 100_000 });
      expect(csv.length).toBeGreaterThan(0);
      expect(json).toEqual(csv);
      expect(xml).toEqual(csv);
      total += csv.length;

      const type = name.split('.')[0] as keyof typeof LOGFILE_COLUMN_ORDER;
      expect(Object.keys(csv[0]!)).toEqual([...LOGFILE_COLUMN_ORDER[type]]);
      // download(): the raw JSON equals the typed records; the CSV with header has the same rows.
      expect(JSON.parse(await text(await c.logfiles.download(name, { format: 'json' })))).toEqual(csv);
      const table = parseCsvSync(await text(await c.logfiles.download(name, { format: 'csv-header' }))) as string[][];
      expect(table[0]).toEqual(await c.logfiles.header(name));
      expect(table[0]).toEqual([...LOGFILE_COLUMN_ORDER[type]]);
      expect(table.slice(1).map((r) => r[0])).toEqual(csv.map((r) => r.id));
      expect(table.length - 1).toBe(csv.length);
    }
    expect(total).toBeGreaterThan(100);
  });

  it('a generated logfile streams through records() with typed values, in order', async () => {
    const name = fake.generateLogfile({ type: 'cdm-click', date: '2024-02-01', rows: 20_000, seed: 5 });
    let n = 0;
    let last = '';
    for await (const row of c.logfiles.records(name as `cdm-click.${string}`)) {
      expect(typeof row.linkinfo).toBe('number');
      expect(row.time! >= last).toBe(true);
      last = row.time!;
      n++;
    }
    expect(n).toBe(20_000);
    const firstTen = await c.logfiles.records(name, { format: 'xml' }).toArray({ limit: 10 });
    expect(firstTen).toHaveLength(10);
    expect(await c.logfiles.records(name, { format: 'json' }).toArray({ limit: 10 })).toEqual(firstTen);
  });

  it('leaving early returns at once, even on a ~1 GB file (the download is cancelled, not drained)', async () => {
    const big = fake.generateLogfile({ type: 'cdm-click', date: '2024-02-02', rows: 4_000_000, seed: 6 });
    const started = Date.now();
    for (const format of ['csv', 'json', 'xml'] as const) {
      expect(await c.logfiles.records(big, { format }).toArray({ limit: 1000 })).toHaveLength(1000);
    }
    expect(await c.logfiles.header(big)).toEqual([...LOGFILE_COLUMN_ORDER['cdm-click']]);
    expect(Date.now() - started).toBeLessThan(5_000);
    // the connection is usable afterwards
    expect(await c.logfiles.names('2024-02-02')).toEqual([big]);
  });

  it('an unknown logfile is an API error', async () => {
    await expect(c.logfiles.records('cdm-click.1999-01-01.log').toArray({ limit: 1 })).rejects.toMatchObject({ status: 400 });
  });
});
