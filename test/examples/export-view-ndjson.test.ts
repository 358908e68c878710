import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from 'copernica-rest/testing';
import { main } from '../../examples/export-view-ndjson.js';

let fake: FakeCopernica;
let token: string;
let view: number;
let dir: string;

/** The fake's own answers, fetched without the SDK. */
async function raw<T>(path: string): Promise<T> {
  const res = await fetch(`${fake.apiUrl}${path}${path.includes('?') ? '&' : '?'}access_token=${token}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 5, profiles: 300 });
  token = fake.accounts[0]!.token;
  const dbs = await raw<{ data: { ID: string; name: string }[] }>('/databases');
  const db = dbs.data.find((d) => d.name === 'customers')!.ID;
  const views = await raw<{ data: { ID: string; name: string }[] }>(`/database/${db}/views`);
  view = Number(views.data.find((v) => v.name === 'not-dutch')!.ID);
  dir = mkdtempSync(join(tmpdir(), 'export-view-'));
});

afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('examples/export-view-ndjson', () => {
  it('writes one JSON line per member of the view, typed, over several pages', async () => {
    const file = join(dir, 'members.ndjson');
    const count = await main({ view, out: file, accessToken: token, baseUrl: fake.apiUrl });
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { ID: number; database: number; fields: Record<string, string> });

    const members = await raw<string[]>(`/view/${view}/profileids`);
    expect(count).toBe(members.length);
    expect(members.length).toBeGreaterThan(100); // more than one page
    expect(members.length).toBeLessThan(300); // the view really selects
    expect(lines.map((l) => l.ID)).toEqual(members.map(Number));
    for (const line of lines) expect(line.fields.country).not.toBe('netherlands');

    const firstPage = await raw<{ data: { ID: string; fields: Record<string, string> }[] }>(`/view/${view}/profiles?limit=100`);
    expect(lines.slice(0, 100).map((l) => l.fields)).toEqual(firstPage.data.map((p) => p.fields));
    expect(typeof lines[0]!.database).toBe('number');
    expect(fake.requests.filter((r) => r.route === '/view/{viewId}/profiles').length).toBeGreaterThanOrEqual(
      Math.ceil(members.length / 100),
    );
  });

  it('writes to a stream it is given (and waits for drain), reading the token from the environment', async () => {
    const saved = { token: process.env.COPERNICA_ACCESS_TOKEN, base: process.env.COPERNICA_BASE_URL };
    process.env.COPERNICA_ACCESS_TOKEN = token;
    process.env.COPERNICA_BASE_URL = fake.apiUrl;
    const chunks: string[] = [];
    const out = new Writable({
      highWaterMark: 64, // tiny buffer: forces the drain path
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        setImmediate(done);
      },
    });
    try {
      const count = await main({ view, out });
      expect(chunks).toHaveLength(count);
      expect(chunks.every((c) => c.endsWith('\n') && !c.slice(0, -1).includes('\n'))).toBe(true);
      expect(out.writableEnded).toBe(false); // a stream it did not open stays open
    } finally {
      if (saved.token === undefined) delete process.env.COPERNICA_ACCESS_TOKEN;
      else process.env.COPERNICA_ACCESS_TOKEN = saved.token;
      if (saved.base === undefined) delete process.env.COPERNICA_BASE_URL;
      else process.env.COPERNICA_BASE_URL = saved.base;
    }
  });
});
