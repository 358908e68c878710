import { Copernica } from 'copernica-rest';
import { createFakeCopernica, type FakeCopernica, type FakeCopernicaOptions } from 'copernica-rest/testing';

export interface SyncWorld {
  fake: FakeCopernica;
  client: Copernica;
  database: number;
  orders: number;
  close(): Promise<void>;
}

/** A fake with an empty `customers` database that has a text field `customerId`. */
export async function syncWorld(
  options: FakeCopernicaOptions = {},
  clientOptions: { maxRetries?: number; timeout?: number } = {},
): Promise<SyncWorld> {
  const fake = await createFakeCopernica({ seed: 7, profiles: 0, ...options });
  const client = new Copernica({
    accessToken: fake.accounts[0]!.token,
    baseUrl: fake.apiUrl,
    maxRetries: clientOptions.maxRetries ?? 0,
    ...(clientOptions.timeout ? { timeout: clientOptions.timeout } : {}),
  });
  const db = (await client.databases.list()).data.find((d) => d.name === 'customers')!;
  await client.databases.fields.create(db.ID, { name: 'customerId', type: 'text' });
  const orders = (db.collections ?? []).find((c) => c.name === 'orders')!.ID;
  return { fake, client, database: db.ID, orders, close: () => fake.close() };
}

/** Every live profile of the database: key → fields. */
export async function storeOf(client: Copernica, database: number): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for await (const p of client.profiles.list(database)) {
    const key = String(p.fields?.customerId);
    if (out.has(key)) throw new Error(`duplicate profile for ${key}`);
    out.set(key, p.fields ?? {});
  }
  return out;
}

export type Customer = {
  customerId: string;
  firstname: string;
  email: string;
  age: string;
  country: string;
  birthdate: string;
  lastvisit: string;
};
export type Order = { ordernumber: string; amount: string; status: string };

export function customers(n: number, from = 1): Customer[] {
  return Array.from({ length: n }, (_, i) => {
    const k = from + i;
    return {
      customerId: `C${k}`,
      firstname: `Name${k}`,
      email: `c${k}@example.com`,
      age: String(20 + (k % 50)),
      country: ['netherlands', 'germany'][k % 2]!,
      birthdate: '1990-01-02',
      lastvisit: '',
    };
  });
}
