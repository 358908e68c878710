/** The sync and changes types: a typo in a key, a preserved field or a record must not compile. */
import { describe, expectTypeOf, it } from 'vitest';
import type { Copernica, Profile, SyncOutcome, SyncRun } from 'copernica-rest';

type Customer = { customerId: string; email: string; age: string };
type Order = { ordernumber: string; status: string };
declare const client: Copernica;

describe('sync types', () => {
  it('keys, preserved fields and records follow the field map', () => {
    if (Math.random() > 2) {
      const run = client.profiles.sync<Customer>(1, [{ customerId: 'C1', age: 3 }], { key: 'customerId', preserve: ['email'] });
      expectTypeOf(run).toEqualTypeOf<SyncRun<Customer>>();
      // @ts-expect-error a key that is not a field
      client.profiles.sync<Customer>(1, [], { key: 'customerID' });
      // @ts-expect-error a preserved field that is not a field
      client.profiles.sync<Customer>(1, [], { key: 'email', preserve: ['emial'] });
      // @ts-expect-error a record with a misspelt field
      client.profiles.sync<Customer>(1, [{ customerId: 'C1', emial: 'x' }], { key: 'customerId' });
      // @ts-expect-error the key is required
      client.profiles.sync<Customer>(1, [], {});
      client.profiles.sync<Customer, { orders: Order }>(1, [{ customerId: 'C1', orders: [{ ordernumber: 'A', status: 'paid' }] }], {
        key: 'customerId',
        subprofiles: { orders: { collection: 2, key: 'ordernumber' } },
      });
      client.profiles.sync<Customer, { orders: Order }>(1, [], {
        key: 'customerId',
        // @ts-expect-error a sub-item key that is not a field of the collection
        subprofiles: { orders: { collection: 2, key: 'orderNumber' } },
      });
      // @ts-expect-error a sub-item with a misspelt field
      client.profiles.sync<Customer, { orders: Order }>(1, [{ customerId: 'C1', orders: [{ ordernumbr: 'A' }] }], { key: 'customerId' });
    }
  });

  it('outcomes narrow by status; changes streams typed profiles', () => {
    const o = { status: 'unchanged', changes: [] } as unknown as SyncOutcome<Customer>;
    if (o.status === 'failed') expectTypeOf(o.error.code).toBeString();
    if (o.status === 'skipped') expectTypeOf(o.reason).toEqualTypeOf<'not_found'>();
    expectTypeOf<(typeof o.changes)[number]['field']>().toEqualTypeOf<'customerId' | 'email' | 'age'>();
    if (Math.random() > 2) {
      const changes = client.profiles.changes<Customer>(1, { since: new Date() });
      expectTypeOf(changes).toMatchTypeOf<AsyncIterable<Profile<Customer>>>();
      expectTypeOf(changes.cursor).toBeString();
      // @ts-expect-error an unknown parameter
      client.profiles.changes(1, { sinse: 'x' });
    }
  });
});
