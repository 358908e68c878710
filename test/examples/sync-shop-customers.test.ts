import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from 'copernica-rest';
import { createFakeCopernica, type FakeCopernica } from 'copernica-rest/testing';
import { main, type ShopCustomer } from '../../examples/sync-shop-customers.js';

let fake: FakeCopernica;
let client: Copernica;
let database: number;
let orders: number;
let dir: string;

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 3, profiles: 0 });
  client = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
  const db = (await client.databases.list()).data.find((d) => d.name === 'customers')!;
  database = db.ID;
  orders = (db.collections ?? []).find((c) => c.name === 'orders')!.ID;
  await client.databases.fields.create(database, { name: 'customerId', type: 'text' });
  dir = mkdtempSync(join(tmpdir(), 'sync-shop-'));
});

afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const customers = (annaCountry: string): ShopCustomer[] => [
  {
    customerId: 'C1',
    firstname: 'Anna',
    lastname: 'Jansen',
    email: 'anna@example.com',
    country: annaCountry,
    orders: [{ ordernumber: 'A-1', amount: '19.95', status: 'paid' }],
  },
  { customerId: 'C2', firstname: 'Bram', lastname: 'Smit', email: 'bram@example.com', country: 'germany' },
  { customerId: 'C3', firstname: 'Chris', lastname: 'Bos', email: 'chris@example.com', country: 'narnia' },
];

describe('examples/sync-shop-customers', () => {
  it('creates customers with their orders, reports the bad one, and a second run only updates what changed', async () => {
    const file = join(dir, 'customers.ndjson');
    writeFileSync(
      file,
      customers('netherlands')
        .map((c) => JSON.stringify(c))
        .join('\n') + '\n',
    );
    const opts = {
      database,
      orders,
      accessToken: fake.accounts[0]!.token,
      baseUrl: fake.apiUrl,
      checkpointFile: join(dir, 'cp.json'),
      cursorFile: join(dir, 'cursor.txt'),
    };

    const first = await main({ ...opts, customers: file });
    expect(first.summary).toMatchObject({ created: 2, failed: 1, subprofiles: { created: 1 } });
    expect(first.failures).toEqual([{ index: 2, customerId: 'C3', reason: expect.stringMatching(/country: must be one of/) }]);
    expect(first.changed.map((p) => p.fields?.customerId).sort()).toEqual(['C1', 'C2']);
    expect(JSON.parse(readFileSync(opts.checkpointFile, 'utf8'))).toMatchObject({ position: 3, complete: true });

    const anna = (await client.profiles.list(database, { where: 'customerId==C1' })).data[0]!;
    expect(anna.fields).toMatchObject({ firstname: 'Anna', email: 'anna@example.com', country: 'netherlands' });
    const annaOrders: string[] = [];
    for await (const s of client.subprofiles.list(orders)) if (s.profile === anna.ID) annaOrders.push(String(s.fields?.ordernumber));
    expect(annaOrders).toEqual(['A-1']);

    // The customer changed her address in Copernica: `preserve: ['email']` keeps it.
    await client.profiles.fields.update(anna.ID, { email: 'anna.new@example.com' });
    const second = await main({ ...opts, customers: customers('belgium').slice(0, 2) });
    expect(second.summary).toMatchObject({ created: 0, updated: 1, unchanged: 1, failed: 0, subprofiles: { unchanged: 1 } });
    expect(second.changed.map((p) => p.fields?.customerId)).toEqual(['C1']);
    expect((await client.profiles.get(anna.ID)).fields).toMatchObject({ email: 'anna.new@example.com', country: 'belgium' });
    expect(await client.profiles.ids(database)).toHaveLength(2);
  });
});
