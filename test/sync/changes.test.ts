import { afterEach, describe, expect, it, vi } from 'vitest';
import { isValidationError, type Profile } from 'copernica-rest';
import { syncWorld, type SyncWorld } from './helpers.js';

let w: SyncWorld | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await w?.close();
  w = undefined;
});

async function drain(stream: AsyncIterable<Profile>): Promise<Profile[]> {
  const out: Profile[] = [];
  for await (const p of stream) out.push(p);
  return out;
}

const ids = (list: Profile[]) => list.map((p) => p.ID);

describe('client.profiles.changes', () => {
  it('delivers writes made during the iteration (behind and ahead of the cursor) once, over two runs', async () => {
    w = await syncWorld();
    const { client, database } = w;
    const made: number[] = [];
    for (let i = 0; i < 250; i++) made.push((await client.profiles.create(database, { fields: { customerId: `K${i}` } })).id!);

    const first = client.profiles.changes(database, { limit: 100 });
    const delivered: Profile[] = [];
    let added: number | undefined;
    for await (const p of first) {
      delivered.push(p);
      if (delivered.length === 150) {
        // Behind the cursor (already delivered), ahead of it, and a new profile.
        await client.profiles.fields.update(made[10]!, { firstname: 'behind' });
        await client.profiles.fields.update(made[200]!, { firstname: 'ahead' });
        added = (await client.profiles.create(database, { fields: { customerId: 'NEW' } })).id!;
      }
    }
    expect(new Set(ids(delivered)).size).toBe(delivered.length);
    expect(ids(delivered)).toEqual([...made, added]);
    expect(delivered.find((p) => p.ID === made[200])!.fields?.firstname).toBe('ahead');

    const second = await drain(client.profiles.changes(database, { since: first.cursor }));
    // Only the change made behind the cursor: nothing missed, nothing repeated.
    expect(ids(second)).toEqual([made[10]]);
    expect(second[0]!.fields?.firstname).toBe('behind');
  });

  it('misses nothing and repeats nothing across the October DST switch (local time repeats an hour)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // 2026-10-25 00:30 UTC = 02:30 CEST; the clocks go back at 01:00 UTC (03:00 CEST → 02:00 CET).
    vi.setSystemTime(new Date('2026-10-25T00:30:00Z'));
    w = await syncWorld();
    const { client, database } = w;
    const a = (await client.profiles.create(database, { fields: { customerId: 'A' } })).id!;
    const b = (await client.profiles.create(database, { fields: { customerId: 'B' } })).id!;
    const run1 = client.profiles.changes(database, { since: '2026-10-25 00:00:00', clockSkewMs: 0 });
    expect(ids(await drain(run1))).toEqual([a, b]);

    vi.setSystemTime(new Date('2026-10-25T00:50:00Z')); // 02:50 CEST
    await client.profiles.fields.update(a, { firstname: 'summer' });
    vi.setSystemTime(new Date('2026-10-25T01:10:00Z')); // 02:10 CET: earlier on the wall clock than run 1
    await client.profiles.fields.update(b, { firstname: 'winter' });
    const c = (await client.profiles.create(database, { fields: { customerId: 'C' } })).id!;
    expect((await client.profiles.get(b)).modified).toBe('2026-10-25 02:10:00');

    const run2 = client.profiles.changes(database, { since: run1.cursor, clockSkewMs: 0 });
    const got = await drain(run2);
    expect(ids(got)).toEqual([a, b, c]);
    expect(got.map((p) => p.fields?.firstname)).toEqual(['summer', 'winter', '']);

    vi.setSystemTime(new Date('2026-10-25T01:40:00Z'));
    expect(ids(await drain(client.profiles.changes(database, { since: run2.cursor, clockSkewMs: 0 })))).toEqual([]);
  });

  it('a change within the same second as the delivered state is delivered again (same modified, other values)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-01T10:00:00Z'));
    w = await syncWorld();
    const { client, database } = w;
    const a = (await client.profiles.create(database, { fields: { customerId: 'A' } })).id!;
    const run1 = client.profiles.changes(database);
    expect(ids(await drain(run1))).toContain(a);
    await client.profiles.fields.update(a, { firstname: 'same second' });
    const got = await drain(client.profiles.changes(database, { since: run1.cursor }));
    expect(ids(got)).toEqual([a]);
    expect(got[0]!.fields?.firstname).toBe('same second');
  });

  it('refuses bad since values and damaged cursors before any request; the cursor is known only after a full read', async () => {
    w = await syncWorld();
    const { client, database } = w;
    w.fake.clearRequests();
    for (const since of ['yesterday', '2026-13-01x', 'cpc1.!!!', 'cpc1.' + Buffer.from('{"v":2}').toString('base64url'), 5 as never]) {
      await expect(drain(client.profiles.changes(database, { since }))).rejects.toSatisfy(isValidationError);
    }
    await expect(drain(client.profiles.changes(database, { bogus: 1 } as never))).rejects.toSatisfy(isValidationError);
    await expect(drain(client.profiles.changes('x/..' as never))).rejects.toSatisfy(isValidationError);
    expect(w.fake.requests).toHaveLength(0);
    const other = client.profiles.changes(database);
    expect(() => other.cursor).toThrow(/read to its end/);
    await drain(other);
    await expect(drain(client.profiles.changes(database + 1000, { since: other.cursor }))).rejects.toThrow(/belongs to database/);
  });
});
