import { describe, expect, it } from 'vitest';
import { customers, storeOf, syncWorld, type Customer, type Order } from './helpers.js';

type Rec = Customer & { orders?: Order[] };

/** 40 customers, every third with two orders; `changed` alters some of them for a second run. */
function source(changed: boolean): Rec[] {
  return customers(40).map((c, i) => ({
    ...c,
    ...(changed && i % 4 === 0 ? { firstname: `Changed${i}` } : {}),
    ...(i % 3 === 0 ? { orders: [{ ordernumber: `O${i}-1`, amount: '1.5', status: changed && i % 2 === 0 ? 'paid' : 'new' }, { ordernumber: `O${i}-2`, amount: '2', status: 'new' }] } : {}),
  }));
}

async function snapshot(w: Awaited<ReturnType<typeof syncWorld>>) {
  const profiles = await storeOf(w.client, w.database);
  const orders: string[] = [];
  for await (const s of w.client.subprofiles.list(w.orders)) orders.push(`${s.profile}:${s.fields?.ordernumber}:${s.fields?.status}:${s.fields?.amount}`);
  // Profile IDs differ between two fakes; compare by customer key.
  const byId = new Map<number, string>();
  for await (const p of w.client.profiles.list(w.database)) byId.set(p.ID, String(p.fields?.customerId));
  return { profiles: Object.fromEntries([...profiles].sort()), orders: orders.map((o) => o.replace(/^\d+/, (id) => byId.get(Number(id))!)).sort() };
}

async function runTwice(w: Awaited<ReturnType<typeof syncWorld>>) {
  const opts = { key: 'customerId' as const, concurrency: 6, subprofiles: { orders: { collection: w.orders, key: 'ordernumber' as const } } };
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
});
