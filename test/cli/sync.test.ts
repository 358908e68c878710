/** `copernica profiles sync` and `profiles changes`, spawned against the fake over real HTTP. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/index.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { createCliHarness, type CliHarness } from './harness.js';

let fake: FakeCopernica;
let cli: CliHarness;
let client: Copernica;
let database: number;

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 4, profiles: 0 });
  const token = fake.accounts[0]!.token;
  client = new Copernica({ accessToken: token, baseUrl: fake.apiUrl, maxRetries: 0 });
  database = (await client.databases.list()).data.find((d) => d.name === 'customers')!.ID;
  await client.databases.fields.create(database, { name: 'customerId', type: 'text' });
  cli = await createCliHarness({});
  cli.baseEnv = { COPERNICA_ACCESS_TOKEN: token, COPERNICA_BASE_URL: fake.apiUrl, COPERNICA_CONFIG: join(cli.tempDir(), 'config.json') };
});

afterAll(async () => {
  try {
    for (const r of cli.outputs()) {
      expect(r.stdout).not.toContain(fake.accounts[0]!.token);
      expect(r.stderr).not.toContain(fake.accounts[0]!.token);
    }
  } finally {
    await cli?.dispose();
    await fake?.close();
  }
});

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('copernica profiles sync', { timeout: 30_000 }, () => {
  it('creates from a CSV, writes an NDJSON outcome log, and a second run leaves everything unchanged', async () => {
    const dir = cli.tempDir();
    const csv = join(dir, 'customers.csv');
    writeFileSync(
      csv,
      ['customerId,firstname,country,age', 'C1,Anna,netherlands,30', 'C2,Bram,Germany,041', 'C3,Chris,narnia,22', ''].join('\n'),
    );
    const log = join(dir, 'outcomes.ndjson');
    const r = await cli.run(['profiles', 'sync', csv, '--database', 'customers', '--key', 'customerId', '--log', log]);
    expect(r.stdout, r.stderr).toMatch(/^3 records: 2 created, 0 updated, 0 unchanged, 0 skipped, 1 failed in [\d.]+ s\n$/);
    expect(r.stderr).toContain('record 2 (customerId "C3"): ValidationError:');
    expect(r.stderr).toContain('1 of 3 records failed');
    expect(r.code).toBe(1);
    const outcomes = lines(readFileSync(log, 'utf8')).map((l) => JSON.parse(l));
    expect(outcomes.map((o) => [o.index, o.key, o.status])).toEqual([
      [0, 'C1', 'created'],
      [1, 'C2', 'created'],
      [2, 'C3', 'failed'],
    ]);
    expect(outcomes[2].error).toMatchObject({ name: 'ValidationError', code: 'validation_error' });

    writeFileSync(csv, ['customerId,firstname,country,age', 'C1,Anna,netherlands,30', 'C2,Bram,germany,41', ''].join('\n'));
    const again = await cli.run(['profiles', 'sync', csv, '--database', 'customers', '--key', 'customerId', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ done: 2, unchanged: 2, created: 0, updated: 0 });
  });

  it('--dry-run, --no-create and --preserve on an NDJSON file', async () => {
    const dir = cli.tempDir();
    const file = join(dir, 'people.ndjson');
    writeFileSync(
      file,
      [JSON.stringify({ customerId: 'C1', firstname: 'Other', age: 31 }), JSON.stringify({ customerId: 'C9', firstname: 'New' }), ''].join(
        '\n',
      ),
    );
    const dry = await cli.run(['profiles', 'sync', file, '--database', 'customers', '--key', 'customerId', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, updated: 1, created: 1 });
    const r = await cli.run([
      'profiles',
      'sync',
      file,
      '--database',
      'customers',
      '--key',
      'customerId',
      '--no-create',
      '--preserve',
      'firstname',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ updated: 1, skipped: 1, created: 0 });
    const c1 = (await client.profiles.list(database, { where: 'customerId==C1' })).data[0]!;
    expect(c1.fields).toMatchObject({ firstname: 'Anna', age: '31' });
    expect((await client.profiles.list(database, { where: 'customerId==C9' })).data).toEqual([]);
  });

  it('refuses a file of unknown format and a bad --concurrency (exit 2)', async () => {
    const dir = cli.tempDir();
    const file = join(dir, 'x.txt');
    writeFileSync(file, 'a');
    const r = await cli.run(['profiles', 'sync', file, '--database', 'customers', '--key', 'customerId']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot tell the format');
    const c = await cli.run([
      'profiles',
      'sync',
      join(dir, 'y.csv'),
      '--database',
      'customers',
      '--key',
      'customerId',
      '--concurrency',
      '0',
    ]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--concurrency must be a positive integer');
  });
});

describe('copernica profiles changes', { timeout: 30_000 }, () => {
  it('prints changed profiles as NDJSON and keeps the cursor in a file: the next run prints only what changed', async () => {
    const cursor = join(cli.tempDir(), 'cursor.txt');
    const first = await cli.run(['profiles', 'changes', '--database', 'customers', '--cursor-file', cursor]);
    expect(first.code).toBe(0);
    const all = lines(first.stdout).map((l) => JSON.parse(l));
    // ID order; the two were created concurrently, so either may hold the lower ID.
    expect(all.map((p) => p.ID)).toEqual(all.map((p) => p.ID).sort((a, b) => a - b));
    expect(all.map((p) => p.fields.customerId).sort()).toEqual(['C1', 'C2']);
    expect(readFileSync(cursor, 'utf8')).toMatch(/^cpc1\./);
    const c2 = all.find((p) => p.fields.customerId === 'C2').ID as number;
    await client.profiles.fields.update(c2, { firstname: 'Changed' });
    const second = await cli.run(['profiles', 'changes', '--database', 'customers', '--cursor-file', cursor]);
    expect(lines(second.stdout).map((l) => JSON.parse(l).ID)).toEqual([c2]);
    const third = await cli.run(['profiles', 'changes', '--database', 'customers', '--since', readFileSync(cursor, 'utf8').trim()]);
    expect(third.stdout).toBe('');
    expect(third.stderr).toMatch(/^cursor: cpc1\.\S+\n$/);
  });
});
