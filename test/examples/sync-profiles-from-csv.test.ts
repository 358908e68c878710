import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica, where } from 'copernica-rest';
import { createFakeCopernica, type FakeCopernica } from 'copernica-rest/testing';
import { main } from '../../examples/sync-profiles-from-csv.js';

let fake: FakeCopernica;
let client: Copernica;
let database: number;
let dir: string;

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 3, profiles: 5 });
  client = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
  database = (await client.databases.list()).data.find((d) => d.name === 'customers')!.ID;
  dir = mkdtempSync(join(tmpdir(), 'sync-csv-'));
});

afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function byEmail(email: string) {
  return (await client.profiles.list(database, { where: where.eq('email', email) })).data;
}

describe('examples/sync-profiles-from-csv', () => {
  it('updates the profile with a matching address, creates the others, and reports skipped rows', async () => {
    const existing = (await client.profiles.list(database, { limit: 1 })).data[0]!;
    const email = existing.fields.email!;
    const csv = [
      'email,firstname,country,age',
      `${email},Renamed,germany,41`,
      'new.person@example.org,New,belgium,29',
      ',Nobody,france,50',
      'typo@example.org,Typo,narnia,33',
      '',
    ].join('\n');
    const file = join(dir, 'contacts.csv');
    writeFileSync(file, csv);

    const summary = await main({ database, csv: file, accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl });

    expect(summary.created).toBe(1);
    expect(summary.updated).toBe(1);
    expect(summary.skipped.map((s) => s.line)).toEqual([4, 5]);
    expect(summary.skipped[0]!.reason).toMatch(/no valid e-mail address/);
    expect(summary.skipped[1]!.reason).toMatch(/country/);

    const updated = await client.profiles.get(existing.ID);
    expect(updated.fields).toMatchObject({ email, firstname: 'Renamed', country: 'germany', age: '41' });
    const created = await byEmail('new.person@example.org');
    expect(created).toHaveLength(1);
    expect(created[0]!.fields).toMatchObject({ firstname: 'New', country: 'belgium', age: '29' });
    expect(await byEmail('typo@example.org')).toEqual([]);
    expect(await client.profiles.ids(database)).toHaveLength(6);
  });

  it('reads the token and base URL from the environment, and a second run only updates', async () => {
    const saved = { token: process.env.COPERNICA_ACCESS_TOKEN, base: process.env.COPERNICA_BASE_URL };
    process.env.COPERNICA_ACCESS_TOKEN = fake.accounts[0]!.token;
    process.env.COPERNICA_BASE_URL = fake.apiUrl;
    try {
      const csv = () => Readable.from(['email,lastname\n', 'env.one@example.org,First\n', 'env.two@example.org,Second\n']);
      expect(await main({ database, csv: csv() })).toEqual({ created: 2, updated: 0, skipped: [] });
      expect(await main({ database, csv: csv() })).toEqual({ created: 0, updated: 2, skipped: [] });
      expect((await byEmail('env.two@example.org')).map((p) => p.fields.lastname)).toEqual(['Second']);
    } finally {
      if (saved.token === undefined) delete process.env.COPERNICA_ACCESS_TOKEN;
      else process.env.COPERNICA_ACCESS_TOKEN = saved.token;
      if (saved.base === undefined) delete process.env.COPERNICA_BASE_URL;
      else process.env.COPERNICA_BASE_URL = saved.base;
    }
    const upserts = fake.requests.filter((r) => r.method === 'PUT' && r.route === '/database/{databaseId}/profiles');
    expect(upserts.at(-1)!.query.getAll('fields[]')).toEqual(['email==env.two@example.org']);
    expect(upserts.at(-1)!.query.get('create')).toBe('true');
  });
});
