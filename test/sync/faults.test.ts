import { describe, expect, it } from 'vitest';
import { customers, storeOf, syncWorld, type Customer, type Order } from './helpers.js';

type Rec = Customer & { orders?: Order[] };

/** 40 customers, every third with two orders; `changed` alters some of them for a second run. */
function source(changed: boolean): Rec[] {
  return customers(40).map((c, i) => ({
    ...c,
    ...(changed && i % 4 === 0 ? { firstname: `Changed${i}` } : {}),
    ...(i % 3 === 0
      ? {
          orders: [
            { ordernumber: `O${i}-1`, amount: '1.5', status: changed && i % 2 === 0 ? 'paid' : 'new' },
            { ordernumber: `O${i}-2`, amount: '2', status: 'new' },
          ],
        }
      : {}),
  }));
}

async function snapshot(w: Awaited<ReturnType<typeof syncWorld>>) {
  const profiles = await storeOf(w.client, w.database);
  const orders: string[] = [];
  for await (const s of w.client.subprofiles.list(w.orders))
    orders.push(`${s.profile}:${s.fields?.ordernumber}:${s.fields?.status}:${s.fields?.amount}`);
  // Profile IDs differ between two fakes; compare by customer key.
  const byId = new Map<number, string>();
  for await (const p of w.client.profiles.list(w.database)) byId.set(p.ID, String(p.fields?.customerId));
  return {
    profiles: Object.fromEntries([...profiles].sort()),
    orders: orders.map((o) => o.replace(/^\d+/, (id) => byId.get(Number(id))!)).sort(),
  };
}

async function runTwice(w: Awaited<ReturnType<typeof syncWorld>>) {
  const opts = {
    key: 'customerId' as const,
    concurrency: 6,
    subprofiles: { orders: { collection: w.orders, key: 'ordernumber' as const } },
  };
  const a = await w.client.profiles.sync<Customer, { orders: Order }>(w.database, source(false), opts).summary();
  const b = await w.client.profiles.sync<Customer, { orders: Order }>(w.database, source(true), opts).summary();
  return [a, b];
}

describe('a faulted sync', () => {
  it('ends with the same store as a clean one (503s, resets before headers, stalled bodies)', async () => {
    const clean = await syncWorld();
    const [c1] = await runTwice(clean);
    expect(c1).toMatchObject({ created: 40, failed: 0 });
    const expected = await snapshot(clean);
    await clean.close();

    const faulty = await syncWorld({}, { maxRetries: 3, timeout: 2000 });
    faulty.fake.inject({ kind: 'status', status: 503, probability: 0.15 });
    faulty.fake.inject({ kind: 'reset-before-headers', probability: 0.1 });
    faulty.fake.inject({ route: 'GET /database/{databaseId}/profiles', kind: 'stall-body', times: 2 });
    const [f1, f2] = await runTwice(faulty);
    const faults = faulty.fake.requests.filter((r) => r.status === 503).length;
    expect(faults).toBeGreaterThan(5);
    expect(f1).toMatchObject({ created: 40, failed: 0 });
    expect(f2!.failed).toBe(0);
    faulty.fake.clearFaults();
    expect(await snapshot(faulty)).toEqual(expected);
    expect(expected.orders).toHaveLength(28);
    await faulty.close();
  }, 60_000);

  it('survives transient failures of the field-definition reads it starts with (read again, as a record is)', async () => {
    const w = await syncWorld(); // maxRetries 0: every 503 reaches the sync
    try {
      w.fake.inject({ route: 'GET /database/{databaseId}/fields', kind: 'status', status: 503, times: 2 });
      w.fake.inject({ route: 'GET /collection/{collectionId}/fields', kind: 'status', status: 503, times: 1 });
      const opts = { key: 'customerId' as const, subprofiles: { orders: { collection: w.orders, key: 'ordernumber' as const } } };
      const summary = await w.client.profiles.sync<Customer, { orders: Order }>(w.database, source(false).slice(0, 6), opts).summary();
      expect(summary).toMatchObject({ created: 6, failed: 0 });
      expect(w.fake.requests.filter((r) => r.status === 503)).toHaveLength(3);
      // With no tries left, the run fails with the server's error, before any write.
      w.fake.inject({ route: 'GET /database/{databaseId}/fields', kind: 'status', status: 503, times: 2 });
      const writes = w.fake.requests.filter((r) => r.method !== 'GET').length;
      await expect(
        w.client.profiles.sync<Customer>(w.database, source(false), { key: 'customerId', retries: 1 }).summary(),
      ).rejects.toMatchObject({ status: 503 });
      expect(w.fake.requests.filter((r) => r.method !== 'GET').length).toBe(writes);
    } finally {
      await w.close();
    }
  });
});
