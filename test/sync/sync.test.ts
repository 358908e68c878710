import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCheckpoint, isValidationError, MemoryCheckpoint, type FieldMap, type SyncOutcome } from 'copernica-rest';
import { customers, storeOf, syncWorld, type Customer, type Order, type SyncWorld } from './helpers.js';

let w: SyncWorld;
beforeEach(async () => {
  w = await syncWorld();
});
afterEach(async () => {
  await w.close();
});

async function collect<F extends FieldMap<F>>(run: AsyncIterable<SyncOutcome<F>>): Promise<SyncOutcome<F>[]> {
  const out: SyncOutcome<F>[] = [];
  for await (const o of run) out.push(o);
  return out;
}

function writes(w: SyncWorld) {
  return w.fake.requests.filter((r) => r.method !== 'GET').length;
}

describe('client.profiles.sync', () => {
  it('creates, then on a re-run reports unchanged and writes nothing', async () => {
    const first = await collect(w.client.profiles.sync<Customer>(w.database, customers(20), { key: 'customerId' }));
    expect(first.map((o) => o.status)).toEqual(Array(20).fill('created'));
    expect(first.map((o) => o.index)).toEqual([...Array(20).keys()]);
    expect(first.every((o) => typeof o.id === 'number')).toBe(true);
    const stored = await storeOf(w.client, w.database);
    expect(stored.size).toBe(20);
    expect(stored.get('C3')).toMatchObject({ firstname: 'Name3', email: 'c3@example.com', age: '23', country: 'germany' });

    w.fake.clearRequests();
    const summary = await w.client.profiles.sync<Customer>(w.database, customers(20), { key: 'customerId' }).summary();
    expect(summary).toMatchObject({ done: 20, created: 0, updated: 0, unchanged: 20, failed: 0, skipped: 0 });
    expect(writes(w)).toBe(0);
  });

  it('treats values Copernica stores identically as unchanged (select case, integer format, empty dates, trimmed text)', async () => {
    await w.client.profiles.sync<Customer>(w.database, customers(1), { key: 'customerId' }).summary();
    w.fake.clearRequests();
    const same = [
      {
        customerId: ' C1 ',
        firstname: 'Name1  ',
        email: 'c1@example.com',
        age: '021',
        country: 'Germany',
        birthdate: '1990-1-2',
        lastvisit: '0000-00-00',
      },
    ];
    const [o] = await collect(w.client.profiles.sync<Customer>(w.database, same, { key: 'customerId' }));
    expect(o).toMatchObject({ status: 'unchanged', key: 'C1', changes: [] });
    expect(writes(w)).toBe(0);
  });

  it('updates only the changed fields and says which', async () => {
    await w.client.profiles.sync<Customer>(w.database, customers(3), { key: 'customerId' }).summary();
    w.fake.clearRequests();
    const next = customers(3);
    next[1]!.firstname = 'Renamed';
    next[1]!.age = 99 as unknown as string;
    const out = await collect(w.client.profiles.sync<Customer>(w.database, next, { key: 'customerId' }));
    expect(out.map((o) => o.status)).toEqual(['unchanged', 'updated', 'unchanged']);
    expect(out[1]!.changes).toEqual([
      { field: 'firstname', from: 'Name2', to: 'Renamed' },
      { field: 'age', from: '22', to: '99' },
    ]);
    const puts = w.fake.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.body).toEqual({ firstname: 'Renamed', age: '99' });
    expect((await storeOf(w.client, w.database)).get('C2')).toMatchObject({ firstname: 'Renamed', age: '99', email: 'c2@example.com' });
  });

  it('preserve never overwrites a non-empty value but fills an empty one', async () => {
    const start = customers(2);
    start[1]!.firstname = '';
    await w.client.profiles.sync<Customer>(w.database, start, { key: 'customerId' }).summary();
    const next = customers(2).map((c) => ({ ...c, firstname: 'FromShop', age: '77' }));
    const out = await collect(w.client.profiles.sync<Customer>(w.database, next, { key: 'customerId', preserve: ['firstname'] }));
    expect(out[0]!.changes.map((c) => c.field)).toEqual(['age']);
    expect(out[1]!.changes.map((c) => c.field)).toEqual(['firstname', 'age']);
    const stored = await storeOf(w.client, w.database);
    expect(stored.get('C1')).toMatchObject({ firstname: 'Name1', age: '77' });
    expect(stored.get('C2')).toMatchObject({ firstname: 'FromShop', age: '77' });
  });

  it('create: false skips unknown customers and creates nothing', async () => {
    await w.client.profiles.sync<Customer>(w.database, customers(1), { key: 'customerId' }).summary();
    const out = await collect(w.client.profiles.sync<Customer>(w.database, customers(3), { key: 'customerId', create: false }));
    expect(out.map((o) => o.status)).toEqual(['unchanged', 'skipped', 'skipped']);
    expect(out[1]).toMatchObject({ reason: 'not_found', key: 'C2' });
    expect((await storeOf(w.client, w.database)).size).toBe(1);
  });

  it('dryRun reports what would change and writes nothing', async () => {
    await w.client.profiles.sync<Customer>(w.database, customers(1), { key: 'customerId' }).summary();
    w.fake.clearRequests();
    const next = customers(2);
    next[0]!.firstname = 'Changed';
    const out = await collect(w.client.profiles.sync<Customer>(w.database, next, { key: 'customerId', dryRun: true }));
    expect(out.map((o) => [o.status, o.dryRun])).toEqual([
      ['updated', true],
      ['created', true],
    ]);
    expect(out[0]!.changes).toEqual([{ field: 'firstname', from: 'Name1', to: 'Changed' }]);
    expect(writes(w)).toBe(0);
    expect((await storeOf(w.client, w.database)).get('C1')!.firstname).toBe('Name1');
  });

  it('reports a key seen twice in one run (case-insensitively, as the == filter matches) and writes it once', async () => {
    const src = [...customers(2), { ...customers(1)[0]!, customerId: 'c1', firstname: 'Second' }];
    const out = await collect(w.client.profiles.sync<Customer>(w.database, src, { key: 'customerId', concurrency: 4 }));
    expect(out.map((o) => o.status)).toEqual(['created', 'created', 'failed']);
    const failed = out[2]!;
    expect(failed.status === 'failed' && isValidationError(failed.error) && failed.error.message).toMatch(
      /duplicate key "c1" \(record 0 has it too\)/,
    );
    const stored = await storeOf(w.client, w.database);
    expect(stored.size).toBe(2);
    expect(stored.get('C1')!.firstname).toBe('Name1');
  });

  it('fails a bad record with a typed error and sends nothing for it; other records go on', async () => {
    const src = [
      { customerId: 'C1', age: 'twelve' },
      { customerId: 'C2', country: 'narnia' },
      { customerId: 'C3', nosuchfield: 'x' },
      { customerId: '', firstname: 'nokey' },
      { customerId: 'C5', firstname: 'ok' },
    ] as unknown as Customer[];
    w.fake.clearRequests();
    const out = await collect(w.client.profiles.sync<Customer>(w.database, src, { key: 'customerId' }));
    expect(out.map((o) => o.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'created']);
    const messages = out.slice(0, 4).map((o) => (o.status === 'failed' && isValidationError(o.error) ? o.error.issues.join(' ') : ''));
    expect(messages[0]).toMatch(/age: must be a whole number/);
    expect(messages[1]).toMatch(/country: must be one of/);
    expect(messages[2]).toMatch(/no field "nosuchfield"/);
    expect(messages[3]).toMatch(/key field must have a non-empty value/);
    // One lookup and one upsert: for C5 only.
    expect(w.fake.requests.filter((r) => r.path.includes('/profiles')).length).toBe(2);
  });

  it('refuses bad options before any request', async () => {
    w.fake.clearRequests();
    const bad: unknown[] = [
      { key: '' },
      { key: 'customerId', concurrency: 0 },
      { key: 'customerId', concurrency: 1.5 },
      { key: 'customerId', bogus: true },
      { key: 'customerId', checkpoint: {} },
    ];
    for (const o of bad) {
      await expect(w.client.profiles.sync(w.database, [], o as never).summary()).rejects.toSatisfy(isValidationError);
    }
    await expect(w.client.profiles.sync(0, [], { key: 'customerId' }).summary()).rejects.toSatisfy(isValidationError);
    await expect(w.client.profiles.sync(w.database, 5 as never, { key: 'customerId' }).summary()).rejects.toSatisfy(isValidationError);
    expect(w.fake.requests).toHaveLength(0);
    // Unknown key field: refused after reading the field definitions, before any profile request.
    await expect(w.client.profiles.sync(w.database, customers(1), { key: 'customerID2' }).summary()).rejects.toThrow(
      /no field "customerID2"/,
    );
    expect(w.fake.requests.every((r) => r.method === 'GET' && r.path.endsWith('/fields'))).toBe(true);
  });

  it('never creates a second profile for a key that exists twice: it refuses to pick', async () => {
    await w.client.profiles.create(w.database, { fields: { customerId: 'D1' } });
    await w.client.profiles.create(w.database, { fields: { customerId: 'd1' } });
    const [o] = await collect(w.client.profiles.sync(w.database, [{ customerId: 'D1', firstname: 'x' }], { key: 'customerId' }));
    expect(o!.status).toBe('failed');
    expect(o!.status === 'failed' && o!.error.message).toMatch(/2 profiles match "D1"/);
  });

  it('syncs sub-items matched by their own key within the profile', async () => {
    type Rec = Customer & { orders?: Order[] };
    const rec = (orders: Order[]): Rec => ({ ...customers(1)[0]!, orders });
    const opts = { key: 'customerId' as const, subprofiles: { orders: { collection: w.orders, key: 'ordernumber' as const } } };
    const first = await collect(
      w.client.profiles.sync<Customer, { orders: Order }>(
        w.database,
        [
          rec([
            { ordernumber: 'A-1', amount: '10', status: 'new' },
            { ordernumber: 'A-2', amount: '5.5', status: 'paid' },
          ]),
        ],
        opts,
      ),
    );
    expect(first[0]!.status).toBe('created');
    expect(first[0]!.subprofiles.map((s) => [s.key, s.status])).toEqual([
      ['A-1', 'created'],
      ['A-2', 'created'],
    ]);
    const id = first[0]!.id!;

    const second = await collect(
      w.client.profiles.sync<Customer, { orders: Order }>(
        w.database,
        [
          rec([
            { ordernumber: 'A-1 ', amount: '10.0', status: 'New' },
            { ordernumber: 'A-2', amount: '5.5', status: 'shipped' },
            { ordernumber: 'A-3', amount: '1', status: 'new' },
          ]),
        ],
        opts,
      ),
    );
    expect(second[0]!.status).toBe('updated');
    expect(second[0]!.changes).toEqual([]);
    expect(second[0]!.subprofiles.map((s) => [s.key, s.status])).toEqual([
      ['A-1', 'unchanged'],
      ['A-2', 'updated'],
      ['A-3', 'created'],
    ]);
    expect(second[0]!.subprofiles[1]!.changes).toEqual([{ field: 'status', from: 'paid', to: 'shipped' }]);
    const subs: string[][] = [];
    for await (const s of w.client.subprofiles.list(w.orders))
      if (s.profile === id) subs.push([String(s.fields?.ordernumber), String(s.fields?.status)]);
    subs.sort();
    expect(subs).toEqual([
      ['A-1', 'new'],
      ['A-2', 'shipped'],
      ['A-3', 'new'],
    ]);
  });

  it('outcomes come in source order with concurrency, and the checkpoint is the handed-over prefix', async () => {
    const cp = new MemoryCheckpoint();
    const progress: number[] = [];
    const out = await collect(
      w.client.profiles.sync<Customer>(w.database, customers(50), {
        key: 'customerId',
        concurrency: 8,
        checkpoint: cp,
        checkpointEvery: 7,
        onProgress: (p) => progress.push(p.done),
      }),
    );
    expect(out.map((o) => o.index)).toEqual([...Array(50).keys()]);
    expect(progress).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(cp.state).toMatchObject({ position: 50, complete: true, key: 'customerId', database: w.database });
  });

  it('a run killed halfway (the source throws) resumes from its checkpoint: every record once, no duplicate profile', async () => {
    const cp = new MemoryCheckpoint();
    const all = customers(60);
    async function* dying() {
      for (const [i, c] of all.entries()) {
        if (i === 37) throw new Error('export crashed');
        yield c;
      }
    }
    const seen: number[] = [];
    const first = w.client.profiles.sync<Customer>(w.database, dying(), { key: 'customerId', concurrency: 8, checkpoint: cp });
    await expect(
      (async () => {
        for await (const o of first) seen.push(o.index);
      })(),
    ).rejects.toThrow('export crashed');
    expect(cp.state).toMatchObject({ position: seen.length, complete: false });
    expect(seen).toEqual([...Array(37).keys()]);

    const second = await collect(w.client.profiles.sync<Customer>(w.database, all, { key: 'customerId', concurrency: 8, checkpoint: cp }));
    expect([...seen, ...second.map((o) => o.index)]).toEqual([...Array(60).keys()]);
    expect(second.every((o) => o.status === 'created')).toBe(true);
    const stored = await storeOf(w.client, w.database);
    expect([...stored.keys()].sort()).toEqual(all.map((c) => c.customerId).sort());
    expect(cp.state).toMatchObject({ position: 60, complete: true });
  });

  it('a run aborted halfway resumes from its checkpoint: every record once, no duplicate profile', async () => {
    const cp = new MemoryCheckpoint();
    const all = customers(80);
    const ac = new AbortController();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const o of w.client.profiles.sync<Customer>(
          w.database,
          all,
          { key: 'customerId', concurrency: 6, checkpoint: cp },
          { signal: ac.signal },
        )) {
          seen.push(o.index);
          if (seen.length === 30) ac.abort();
        }
      })(),
    ).rejects.toSatisfy((e: unknown) => (e as Error).name === 'AbortError');
    expect(seen).toEqual([...Array(seen.length).keys()]);
    expect(cp.state!.position).toBe(seen.length);

    const second = await collect(w.client.profiles.sync<Customer>(w.database, all, { key: 'customerId', concurrency: 6, checkpoint: cp }));
    expect([...seen, ...second.map((o) => o.index)]).toEqual([...Array(80).keys()]);
    // Records that finished after the checkpoint's prefix are redone idempotently: unchanged, not duplicated.
    expect(second.every((o) => o.status === 'created' || o.status === 'unchanged')).toBe(true);
    const stored = await storeOf(w.client, w.database);
    expect(stored.size).toBe(80);
  });

  it('hostile key values stay one encoded condition of one record; control characters are refused unsent', async () => {
    const keys = ['A&create=false', 'B#x', 'C==D', 'E%26fields[]=id>0', '../F?'];
    const out = await collect(
      w.client.profiles.sync(w.database, [...keys.map((customerId) => ({ customerId })), { customerId: 'G\u0000' }], { key: 'customerId' }),
    );
    expect(out.map((o) => o.status)).toEqual(['created', 'created', 'created', 'created', 'created', 'failed']);
    const stored = await storeOf(w.client, w.database);
    expect([...stored.keys()].sort()).toEqual([...keys].sort());
    const again = await w.client.profiles
      .sync(
        w.database,
        keys.map((customerId) => ({ customerId })),
        { key: 'customerId' },
      )
      .summary();
    expect(again).toMatchObject({ unchanged: 5, created: 0 });
  });

  it('FileCheckpoint: resumes from the file, and refuses a damaged one before any request', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sync-cp-')), 'cp.json');
    writeFileSync(file, JSON.stringify({ version: 1, database: w.database, key: 'customerId', position: 2, complete: false, savedAt: '' }));
    const out = await collect(
      w.client.profiles.sync(w.database, customers(4), { key: 'customerId', checkpoint: new FileCheckpoint(file) }),
    );
    expect(out.map((o) => o.index)).toEqual([2, 3]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ position: 4, complete: true });
    writeFileSync(file, '{"version":1,"position":');
    w.fake.clearRequests();
    await expect(
      w.client.profiles.sync(w.database, customers(1), { key: 'customerId', checkpoint: new FileCheckpoint(file) }).summary(),
    ).rejects.toSatisfy(isValidationError);
    expect(w.fake.requests).toHaveLength(0);
  });

  it('refuses a checkpoint of another database or key', async () => {
    const cp = new MemoryCheckpoint({
      version: 1,
      database: w.database + 1000,
      key: 'customerId',
      position: 3,
      complete: false,
      savedAt: '',
    });
    await expect(w.client.profiles.sync(w.database, customers(1), { key: 'customerId', checkpoint: cp }).summary()).rejects.toThrow(
      /belongs to database/,
    );
  });
});
