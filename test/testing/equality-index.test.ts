/**
 * The fake's equality index (`fields[]=name==value`, src/testing/query.ts EqualityIndexes) gives
 * exactly what the scan gave: a property test over generated databases, writes, field edits and
 * queries, with the scan written out here as the reference; and a lookup no longer reads the
 * whole database once the index is built (H8's diagnosis of the sync benchmark: 2.8 ms per lookup
 * at 10,000 profiles).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fieldFromBody, type FieldDef, type FieldType } from '../../src/testing/fields.js';
import { compileFilters, parsePaging, selectAll, selectPage } from '../../src/testing/query.js';
import { seedDatabase } from '../../src/testing/seed.js';
import { Store, type Account, type Collection, type Database, type RecordContainer } from '../../src/testing/store.js';
import { lowerBound, upperBound } from '../../src/testing/util.js';

/** The scan, as selectAll did it before the index: ID bounds, then every condition on every candidate. */
function scan(c: RecordContainer, candidates: readonly number[], exprs: string[]): number[] {
  const cf = compileFilters(c, exprs);
  const i0 = cf.lo === -Infinity ? 0 : lowerBound(candidates, cf.lo);
  const i1 = cf.hi === Infinity ? candidates.length : upperBound(candidates, cf.hi);
  return candidates.slice(i0, i1).filter((id) => cf.preds.every((p) => p(id)));
}

// Values chosen to collide under the comparison rules: case, white space, numeric forms, dates.
const POOL = [
  '',
  ' ',
  '5',
  '05',
  ' 5',
  '5 ',
  '5.0',
  '-0',
  '0',
  '1e3',
  '12abc',
  'abc',
  'ABC',
  'Abc ',
  'ß',
  'SS',
  'İ',
  'netherlands',
  'Netherlands',
  'germany',
  '2020-01-01',
  ' 2020-01-01',
  '2020-01-01 00:00:00',
  '2020-1-1',
  'now',
];
const TYPES: FieldType[] = ['text', 'email', 'integer', 'float', 'select', 'date', 'empty_date', 'datetime', 'foreign_key', 'big'];

type Op =
  | { kind: 'create'; body: [number, string][] }
  | { kind: 'update'; pick: number; body: [number, string][] }
  | { kind: 'remove'; pick: number }
  | { kind: 'editField'; field: number; type: FieldType; value: string }
  | { kind: 'addField'; type: FieldType; value: string }
  | { kind: 'deleteField'; field: number }
  | { kind: 'subCreate'; pick: number; body: [number, string][] }
  | { kind: 'subUpdate'; pick: number; body: [number, string][] }
  | { kind: 'subRemove'; pick: number }
  | {
      kind: 'query';
      conds: { field: number; upper: boolean; value: string | { from: number; perturb: number } }[];
      extra: number;
      page: { start: number; limit: number; desc: boolean; total: boolean };
    }
  | { kind: 'subQuery'; pick: number; field: number; value: string | { from: number; perturb: number } };

const value = fc.oneof(fc.constantFrom(...POOL), fc.string({ maxLength: 4 }));
const body = fc.array(fc.tuple(fc.nat(40), value), { maxLength: 4 });
const queryValue = fc.oneof(value, fc.record({ from: fc.nat(1000), perturb: fc.nat(4) }));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), body }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('update' as const), pick: fc.nat(1000), body }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(1000) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('editField' as const),
      field: fc.nat(40),
      type: fc.constantFrom(...TYPES),
      value: fc.constantFrom('', '5', 'x', 'netherlands\ngermany', '2020-01-01'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('addField' as const),
      type: fc.constantFrom(...TYPES),
      value: fc.constantFrom('', '5', 'abc', 'netherlands\nNetherlands\ngermany', '2020-01-01'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteField' as const), field: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('subCreate' as const), pick: fc.nat(1000), body }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('subUpdate' as const), pick: fc.nat(1000), body }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('subRemove' as const), pick: fc.nat(1000) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('query' as const),
      conds: fc.array(fc.record({ field: fc.nat(40), upper: fc.boolean(), value: queryValue }), { minLength: 1, maxLength: 2 }),
      extra: fc.nat(3),
      page: fc.record({ start: fc.nat(3), limit: fc.integer({ min: 1, max: 5 }), desc: fc.boolean(), total: fc.boolean() }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('subQuery' as const), pick: fc.nat(1000), field: fc.nat(10), value: queryValue }) },
);

const at = <T>(list: readonly T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);

function perturb(v: string, how: number): string {
  return [v, v.toUpperCase(), ` ${v}`, `${v} `, v.toLowerCase()][how % 5] as string;
}

function fieldBody(fields: readonly FieldDef[], pairs: [number, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [n, v] of pairs) {
    const f = at(fields, n);
    if (f) out[n % 2 ? f.name.toUpperCase() : f.name] = v;
  }
  return out;
}

function run(seed: number, profiles: number, ops: Op[]): { queries: number; indexed: number } {
  const store = new Store();
  const account: Account = store.addAccount('a');
  const db: Database = seedDatabase(store, account, 'customers', '', { seed, profiles }, 1483228800);
  const orders = db.collections[0] as Collection;
  let queries = 0;
  let indexed = 0;
  const check = (c: RecordContainer, candidates: readonly number[], exprs: string[], page?: Op & { kind: 'query' }) => {
    const expected = scan(c, candidates, exprs);
    expect(selectAll(c, candidates, exprs).ids, exprs.join(' & ')).toEqual(expected);
    if (page) {
      const { start, limit, desc, total } = page.page;
      const pairs: [string, string][] = [
        ...exprs.map((e): [string, string] => ['fields[]', e]),
        ['start', String(start)],
        ['limit', String(limit)],
        ['total', String(total)],
      ];
      if (desc) pairs.push(['order', 'desc']);
      const q = new URLSearchParams(pairs);
      const got = selectPage(c, candidates, q, parsePaging(q), () => 0.5);
      const ordered = desc ? [...expected].reverse() : expected;
      expect(got.ids, `page of ${exprs.join(' & ')}`).toEqual(ordered.slice(start, start + limit));
      if (total) expect(got.total).toBe(expected.length);
    }
    queries++;
  };
  const queryText = (c: RecordContainer, f: FieldDef, v: string | { from: number; perturb: number }, upper = false): string => {
    const text =
      typeof v === 'string' ? v : perturb(at(c.ids, v.from) === undefined ? '' : c.value(at(c.ids, v.from) as number, f), v.perturb);
    return `${upper ? f.name.toUpperCase() : f.name}==${text}`;
  };
  for (const o of ops) {
    switch (o.kind) {
      case 'create':
        account.createProfile(db, fieldBody(db.fields.list, o.body));
        break;
      case 'update': {
        const id = at(db.ids, o.pick);
        if (id !== undefined) account.updateProfile(db, id, fieldBody(db.fields.list, o.body));
        break;
      }
      case 'remove': {
        const id = at(db.ids, o.pick);
        if (id !== undefined) account.removeProfile(db, id);
        break;
      }
      case 'editField': {
        // As PUT /database/{id}/field/{id} does it (src/testing/routes/databases.ts editField).
        const f = at(db.fields.list, o.field);
        if (f) Object.assign(f, fieldFromBody(f.id, { type: o.type, value: o.value }, f));
        break;
      }
      case 'addField':
        db.fields.add(fieldFromBody(store.next('field'), { name: `f${store.next('field')}`, type: o.type, value: o.value }));
        break;
      case 'deleteField': {
        const f = at(db.fields.list, o.field);
        if (f && db.fields.list.length > 1) db.fields.remove(f);
        break;
      }
      case 'subCreate': {
        const pid = at(db.ids, o.pick);
        if (pid !== undefined) account.createSubprofile(orders, pid, fieldBody(orders.fields.list, o.body));
        break;
      }
      case 'subUpdate': {
        const sid = at(orders.ids, o.pick);
        if (sid !== undefined) account.updateSubprofile(orders, sid, fieldBody(orders.fields.list, o.body));
        break;
      }
      case 'subRemove': {
        const sid = at(orders.ids, o.pick);
        if (sid !== undefined) account.removeSubprofile(orders, sid);
        break;
      }
      case 'query': {
        const exprs = o.conds.flatMap((c) => {
          const f = at(db.fields.list, c.field);
          return f ? [queryText(db, f, c.value, c.upper)] : [];
        });
        const first = db.ids[0];
        if (o.extra === 1 && first !== undefined) exprs.push(`id>${first + 3}`);
        if (o.extra === 2) exprs.push('firstname!=anna');
        check(db, db.ids, exprs, o);
        indexed = Math.max(indexed, db.eq.size);
        break;
      }
      case 'subQuery': {
        const f = at(orders.fields.list, o.field);
        const pid = at(db.ids, o.pick);
        if (!f || pid === undefined) break;
        const expr = queryText(orders, f, o.value);
        check(orders, orders.ids, [expr]);
        // One profile's subprofiles (the bulk subprofile PUT's candidates): a subset of the collection.
        check(
          orders,
          orders.ids.filter((sid) => orders.recs.get(sid)?.profile === pid),
          [expr],
        );
        break;
      }
    }
  }
  return { queries, indexed };
}

describe('equality index of the fake', () => {
  test('gives what the scan gives, over generated databases, writes, field edits and queries', () => {
    let queries = 0;
    let indexed = 0;
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.integer({ min: 0, max: 40 }),
        fc.array(op, { minLength: 1, maxLength: 80, size: 'medium' }),
        (seed, profiles, ops) => {
          const r = run(seed, profiles, ops);
          queries += r.queries;
          indexed = Math.max(indexed, r.indexed);
        },
      ),
      { numRuns: 300 },
    );
    // The property exercised the index, not only the scan.
    expect(queries).toBeGreaterThan(1000);
    expect(indexed).toBeGreaterThan(1);
  });

  test('a key lookup reads a handful of records once the index is built, not the whole database', () => {
    const store = new Store();
    const account = store.addAccount('a');
    const db = seedDatabase(store, account, 'customers', '', { seed: 3, profiles: 10_000 }, 1483228800);
    const key = db.fields.add(fieldFromBody(store.next('field'), { name: 'customerId', type: 'text' }));
    for (let i = 0; i < 100; i++) account.createProfile(db, { customerId: `C${i}` });
    let reads = 0;
    const value = db.value.bind(db);
    db.value = (id, f) => {
      reads++;
      return value(id, f);
    };
    expect(selectAll(db, db.ids, ['customerId==C7']).ids).toHaveLength(1); // builds the index: one read per profile
    reads = 0;
    const target = selectAll(db, db.ids, ['customerId==c42']).ids;
    expect(target).toHaveLength(1);
    expect(selectAll(db, db.ids, ['customerId==C100000']).ids).toEqual([]);
    const q = new URLSearchParams([
      ['fields[]', 'customerId==C42'],
      ['limit', '2'],
      ['total', 'false'],
    ]);
    expect(selectPage(db, db.ids, q, parsePaging(q), Math.random).ids).toEqual(target);
    expect(reads).toBeLessThan(10);
    // Writes keep it current: a changed key, a removed profile.
    account.updateProfile(db, target[0] as number, { customerId: 'C42-moved' });
    expect(selectAll(db, db.ids, ['customerId==C42']).ids).toEqual([]);
    expect(selectAll(db, db.ids, ['customerId==c42-MOVED']).ids).toEqual(target);
    account.removeProfile(db, target[0] as number);
    expect(selectAll(db, db.ids, ['customerId==C42-moved']).ids).toEqual([]);
    expect(reads).toBeLessThan(20);
    void key;
  });
});
