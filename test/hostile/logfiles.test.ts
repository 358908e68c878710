/**
 * Hostile logfiles (issue 11: "`logfiles.records()` has no per-record limit: one 300 MB record
 * peaked at 0.5–1.1 GB in CSV, JSON and XML"). A server sends one oversized record in every format
 * and shape (a long unquoted cell, a quoted cell spanning lines, a line of separators only, a long
 * JSON string, a long XML text node, split into network-sized chunks); `records()` must stop with an
 * InvalidResponseError naming the record (and for CSV the line) once `maxRecordSize` is passed, after
 * yielding the records before it. A larger `maxRecordSize` reads the same file. Column names
 * `__proto__` set no prototype. Memory figures are not asserted here (see the report's script).
 * Prints its counts at the end.
 */
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { isInvalidResponseError, isValidationError } from '../../src/core/errors.js';
import { scriptedServer, type ScriptedServer } from '../helpers/server.js';

const counts = { cases: 0, bytes: 0, refusedBeforeSending: 0 };
/** The bodies still to serve, in order (a real loopback server: the downloads are cut off mid-body). */
const bodies: string[] = [];
let server: ScriptedServer;
const client = () => new Copernica({ accessToken: 'tok-logfiles-0123456789', baseUrl: server.url, maxRetries: 0 });

beforeAll(async () => {
  nock.enableNetConnect();
  server = await scriptedServer([
    (_req, res) => {
      const bytes = Buffer.from(bodies.shift() ?? '', 'utf8');
      counts.bytes += bytes.length;
      res.writeHead(200, { 'content-type': 'text/plain' });
      // 64 kB writes, as a socket delivers them; stops when the client hangs up.
      let i = 0;
      const next = () => {
        while (i < bytes.length && !res.destroyed) {
          const ok = res.write(bytes.subarray(i, (i += 65_536)));
          if (!ok) return void res.once('drain', next);
        }
        res.end();
      };
      next();
    },
  ]);
});
afterAll(async () => {
  await server?.close();
  console.log(
    `hostile logfiles: ${counts.cases} cases, ${(counts.bytes / 1024 / 1024).toFixed(1)} MB of hostile records served, ${counts.refusedBeforeSending} bad options refused before sending`,
  );
});

function serve(body: string): { isDone(): boolean } {
  bodies.push(body);
  return { isDone: () => !bodies.includes(body) };
}

async function collect(iterable: AsyncIterable<Record<string, unknown>>): Promise<{ rows: Record<string, unknown>[]; error: unknown }> {
  const rows: Record<string, unknown>[] = [];
  try {
    for await (const row of iterable) rows.push(row);
    return { rows, error: undefined };
  } catch (error) {
    return { rows, error };
  }
}

const MiB = 1024 * 1024;
const BIG = 'x'.repeat(3 * MiB); // over the default 1 MiB
/** A file of an unknown type: CSV is read with its header row, rows are strings by column name. */
const NAME = 'custom.2024-03-10.log';

const shapes: { name: string; format: 'csv' | 'json' | 'xml'; body: (big: string) => string; where: RegExp }[] = [
  {
    name: 'CSV, one long unquoted cell',
    format: 'csv',
    body: (big) => `id,text\r\n1,small\r\n2,${big}\r\n3,after\r\n`,
    where: /the record at line 3 is larger/,
  },
  {
    name: 'CSV, a quoted cell spanning lines',
    format: 'csv',
    body: (big) => `id,text\n1,small\n2,"${big.replace(/x{100}/g, (m) => `${m}\n`)}"\n3,after\n`,
    where: /the record at line \d+ is larger/,
  },
  {
    name: 'CSV, a line of separators only (empty cells)',
    format: 'csv',
    body: (big) => `id,text\n1,small\n2${big.replace(/x/g, ',')}\n3,after\n`,
    where: /the record at line 3 is larger/,
  },
  {
    name: 'JSON, one long string',
    format: 'json',
    body: (big) => `[{"id":"1","text":"small"},{"id":"2","text":"${big}"},{"id":"3","text":"after"}]`,
    where: /record 2\b/,
  },
  {
    name: 'JSON, one long run of nested arrays',
    format: 'json',
    body: (big) => `[{"id":"1","text":"small"},{"id":"2","text":[${big.replace(/x/g, '1,').slice(0, -1)}]}]`,
    where: /record 2\b/,
  },
  {
    name: 'XML, one long text node',
    format: 'xml',
    body: (big) =>
      `<records><record><id>1</id><text>small</text></record><record><id>2</id><text>${big}</text></record><record><id>3</id><text>after</text></record></records>`,
    where: /record 2\b/,
  },
  {
    name: 'XML, a long CDATA section',
    format: 'xml',
    body: (big) =>
      `<records><record><id>1</id><text>small</text></record><record><id>2</id><text><![CDATA[${big}]]></text></record></records>`,
    where: /record 2\b/,
  },
];

describe('one record cannot take the memory: refused past maxRecordSize, naming it', () => {
  for (const shape of shapes) {
    it(`${shape.name}: InvalidResponseError after the records before it`, async () => {
      counts.cases++;
      const scope = serve(shape.body(BIG));
      const { rows, error } = await collect(
        client().logfiles.records(NAME, { format: shape.format }) as AsyncIterable<Record<string, unknown>>,
      );
      expect(isInvalidResponseError(error), String(error)).toBe(true);
      const message = (error as Error).message;
      expect(message, message).toMatch(shape.where);
      expect(message).toContain('maxRecordSize (1048576 characters)');
      expect(message).not.toContain('xxxxxxxx'); // no record text in the message
      expect(message).not.toContain('tok-logfiles');
      expect(rows.map((r) => r.id)).toEqual(['1']);
      expect(scope.isDone()).toBe(true);
    });
  }

  it('a larger maxRecordSize reads the same files whole', async () => {
    for (const shape of shapes.filter((s) => !s.name.includes('nested') && !s.name.includes('separators'))) {
      counts.cases++;
      serve(shape.body(BIG));
      const { rows, error } = await collect(
        client().logfiles.records(NAME, { format: shape.format, maxRecordSize: 4 * MiB }) as AsyncIterable<Record<string, unknown>>,
      );
      expect(error, shape.name).toBeUndefined();
      expect(rows.map((r) => r.id)).toEqual(shape.name.includes('CDATA') ? ['1', '2'] : ['1', '2', '3']);
      expect(String(rows[1]!.text).replace(/\n/g, '').length).toBe(BIG.length);
    }
  });

  it('a smaller maxRecordSize applies to typed files too, the default lets normal rows through', async () => {
    counts.cases++;
    const row = (i: number, mail: string) => `mAg88Rlsa9,2024-03-10 10:00:00,"${mail}",jan@example.com,,example.com,${i},0,1001\r\n`;
    serve(row(1, 'short') + row(2, 'y'.repeat(5000)) + row(3, 'short'));
    const small = await collect(
      client().logfiles.records('cdm-abuse.2024-03-10.log', { maxRecordSize: 2048 }) as AsyncIterable<Record<string, unknown>>,
    );
    expect((small.error as Error).message).toMatch(/the record at line 2 is larger than maxRecordSize \(2048 characters\)/);
    // Rows that arrived in the same network chunk as the oversized one may not be handed out first.
    expect([[], [1]]).toContainEqual(small.rows.map((r) => r.profile));
    serve(row(1, 'short') + row(2, 'y'.repeat(5000)) + row(3, 'short'));
    const normal = await collect(client().logfiles.records('cdm-abuse.2024-03-10.log') as AsyncIterable<Record<string, unknown>>);
    expect(normal.error).toBeUndefined();
    expect(normal.rows.map((r) => r.profile)).toEqual([1, 2, 3]);
  });

  it('bad maxRecordSize values are a ValidationError before any request', async () => {
    const before = server.received.length;
    for (const bad of [0, -1, 1.5, 1023, 2 ** 31, Number.NaN, Infinity, '4096', null]) {
      counts.cases++;
      // records() returns a stream, not a promise: bad options throw at the call, as its other options do.
      let error: unknown;
      try {
        error = (await collect(client().logfiles.records(NAME, { maxRecordSize: bad as number }) as AsyncIterable<Record<string, unknown>>))
          .error;
      } catch (e) {
        error = e;
      }
      expect(isValidationError(error), `${String(bad)}: ${String(error)}`).toBe(true);
      counts.refusedBeforeSending++;
    }
    expect(server.received.length).toBe(before);
    expect(bodies).toEqual([]);
  });
});

describe('column names cannot set a prototype', () => {
  const bodies: [string, 'csv' | 'json' | 'xml', string][] = [
    ['CSV header', 'csv', 'id,__proto__,constructor\n1,x,c\n'],
    ['JSON key', 'json', '[{"id":"1","__proto__":{"isAdmin":true},"constructor":"c"}]'],
    ['XML element', 'xml', '<records><record><id>1</id><__proto__>x</__proto__><constructor>c</constructor></record></records>'],
  ];
  for (const [name, format, body] of bodies) {
    it(`${name}: __proto__ dropped, constructor kept as plain data`, async () => {
      counts.cases++;
      serve(body);
      const { rows, error } = await collect(client().logfiles.records(NAME, { format }) as AsyncIterable<Record<string, unknown>>);
      expect(error, String(error)).toBeUndefined();
      const row = rows[0]!;
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      expect(Object.hasOwn(row, '__proto__')).toBe(false);
      expect(row.isAdmin).toBeUndefined();
      expect(Object.getOwnPropertyDescriptor(row, 'constructor')?.value).toBe('c');
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });
  }
});
