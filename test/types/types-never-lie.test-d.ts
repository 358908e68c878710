/**
 * Issue 14, "Types that never lie": every `@ts-expect-error` line below is something a user could
 * write by mistake that must not compile. If one of them starts compiling, tsc fails the build with
 * "Unused '@ts-expect-error' directive". The `expectTypeOf` lines pin what the good calls give.
 *
 * Type-level only: `tsc --noEmit` (`npm run typecheck`, tsconfig includes test/) checks this file;
 * vitest does not run it, and nothing here is ever called.
 */
import { expectTypeOf } from 'vitest';
import {
  isLogfileName,
  where,
  type Copernica,
  type CreateResult,
  type Database,
  type Filter,
  type Id,
  type LogfileRow,
  type LogfileRowOf,
  type Profile,
  type ProfileUpdateManyResult,
  type Subprofile,
  type UntypedLogfileRow,
  type WriteResult,
} from 'copernica-rest';

declare const client: Copernica;

interface Customer {
  email: string;
  country: string;
  age: string;
}
type Order = { ordernumber: string; status: 'new' | 'paid' };

export async function fieldMapsCarryWhatTheWireCarries(): Promise<void> {
  // Copernica sends every field value as a string ("60"): a map that says otherwise is refused.
  // @ts-expect-error a number-typed field map
  client.profiles.list<{ age: number }>(12);
  // @ts-expect-error a number-typed field map on get
  await client.profiles.get<{ age: number }>(1);
  // @ts-expect-error a boolean-typed field map on create
  await client.profiles.create<{ newsletter: boolean }>(12, { fields: {} });
  // @ts-expect-error a number-typed field map on a subprofile list
  client.subprofiles.list<{ amount: number }>(33);
  // @ts-expect-error a Date-typed field map on a view's profiles
  client.profiles.listInView<{ born: Date }>(55);

  // Interfaces and type aliases both work; select fields may be string-literal unions.
  const p = await client.profiles.get<Customer>(1);
  expectTypeOf(p).toEqualTypeOf<Profile<Customer>>();
  const s = await client.subprofiles.get<Order>(9001);
  expectTypeOf(s).toEqualTypeOf<Subprofile<Order>>();
  // Without a map: any field name, every value a string.
  const untyped = await client.profiles.get(1);
  expectTypeOf(untyped).toEqualTypeOf<Profile<Record<string, string>>>();

  // Values to write may be numbers (sent as they are, stored as text); names follow the map.
  await client.profiles.create<Customer>(12, { fields: { email: 'a@example.com', age: 34 } });
  // @ts-expect-error a misspelt field name in a typed write
  await client.profiles.create<Customer>(12, { fields: { emial: 'a@example.com' } });
  // The map is never inferred from the values: an untyped create takes any name.
  await client.profiles.create(12, { fields: { anything: 1, age: 34 } });
}

export async function idsAreNotNames(): Promise<void> {
  expectTypeOf<Id>().toEqualTypeOf<number | `${number}`>();
  // @ts-expect-error a database name where only an ID is accepted
  client.profiles.list('customers');
  // @ts-expect-error a name on databases.get (numeric ID only)
  await client.databases.get('customers');
  // @ts-expect-error a name on profiles.get
  await client.profiles.get('ada');
  // IDs as numbers or digit strings compile; names compile where Copernica takes them.
  client.profiles.list(12);
  client.profiles.list('12');
  client.databases.fields.list('customers');
  await client.databases.unsubscribe.get('customers');
  // An ID from a string you do not control: convert it (a bad one is a ValidationError at run time).
  const fromUrl: string = '12';
  await client.profiles.get(Number(fromUrl));
}

export async function entitiesRefuseTypos(): Promise<void> {
  const db = await client.databases.get(12);
  expectTypeOf(db).toEqualTypeOf<Database>();
  // @ts-expect-error a typo in a property name
  void db.feilds;
  const profile = await client.profiles.get(1);
  // @ts-expect-error a typo in a property name of a profile
  void profile.feilds;
  const view = await client.views.get(55);
  // @ts-expect-error a typo in a view property
  void view.parentId;
  // Properties the types do not know yet are kept at run time; this is how to read them (README).
  const raw: Record<string, unknown> = { ...db };
  expectTypeOf(raw.someNewProperty).toEqualTypeOf<unknown>();
}

export async function logfileNamesGiveTypedRows(): Promise<void> {
  const names = await client.logfiles.names('2024-03-01');
  // The common path: narrow a name from names() with isLogfileName, get that type's rows.
  const clicks = names.find((n) => isLogfileName(n, 'cdm-click'));
  if (clicks) {
    for await (const row of client.logfiles.records(clicks)) {
      expectTypeOf(row).toEqualTypeOf<LogfileRowOf<'cdm-click'>>();
      expectTypeOf(row.linkinfo).toEqualTypeOf<number | null>();
      expectTypeOf(row.email).toEqualTypeOf<string>();
      // @ts-expect-error a click row has no `attempts` column
      void row.attempts;
    }
  }
  for (const name of names) {
    if (isLogfileName(name, 'cdm-delivery')) {
      for await (const row of client.logfiles.records(name)) expectTypeOf(row.attempts).toEqualTypeOf<number | null>();
    }
  }
  // A name typed only as string gives the union of every row type (unknown types included).
  for await (const row of client.logfiles.records(names[0] ?? '')) expectTypeOf(row).toEqualTypeOf<LogfileRow | UntypedLogfileRow>();
  // A union of known types gives the union of their rows, not one row with every column.
  expectTypeOf<LogfileRowOf<'cdm-click' | 'cdm-abuse'>>().toEqualTypeOf<LogfileRowOf<'cdm-click'> | LogfileRowOf<'cdm-abuse'>>();
}

export async function filtersFollowTheFieldMap(): Promise<void> {
  expectTypeOf(where.eq('country', 'nl')).toEqualTypeOf<Filter<'country'>>();
  expectTypeOf(where.idAfter(3)).toEqualTypeOf<Filter<'id'>>();
  // @ts-expect-error a filter on a field the map does not have
  client.profiles.list<Customer>(12, { where: where.eq('contry', 'nl') });
  // @ts-expect-error a raw expression on a field the map does not have
  client.profiles.list<Customer>(12, { where: 'contry==nl' });
  // @ts-expect-error one bad condition among good ones
  client.profiles.list<Customer>(12, { where: [where.eq('country', 'nl'), where.gt('agee', 18)] });
  // @ts-expect-error updateMany's where follows the map too
  await client.profiles.updateMany<Customer>(12, { where: where.eq('contry', 'nl'), fields: { country: 'nl' } });
  // @ts-expect-error upsert's where follows the map too
  await client.profiles.upsert<Customer>(12, { where: where.eq('mail', 'a@example.com'), fields: { country: 'nl' } });
  // @ts-expect-error subprofile lists follow their map
  client.subprofiles.list<Order>(33, { where: where.eq('state', 'paid') });
  // @ts-expect-error a miniview's subprofiles follow their map
  client.subprofiles.listInMiniview<Order>(81, { where: 'state==paid' });
  // @ts-expect-error a view's profiles follow their map
  client.profiles.listInView<Customer>(55, { where: where.eq('contry', 'nl') });
  // Field names, the special names and raw expressions on them compile.
  client.profiles.list<Customer>(12, {
    where: [
      where.eq('country', 'nl'),
      where.gte('age', 18),
      'email=~%@example.com',
      where.gt('modified', new Date()),
      where.idAfter(10),
      'code==abc',
    ],
  });
  client.subprofiles.list<Order>(33, { where: where.eq('status', 'paid'), orderBy: 'ordernumber' });
  // Untyped lists take any name, and a filter is not used to infer a map.
  client.profiles.list(12, { where: [where.eq('whatever', 1), 'x==y'], orderBy: 'id' });
}

export async function conditionBodiesAreTyped(): Promise<void> {
  // Condition bodies were typed from a union of the reply and body schemas (unknown for many
  // properties); each type's body is its own interface now.
  await client.rules.conditions.create(70, { type: 'Field', field: 'age', comparison: 'more', value: 18, 'numeric-comparison': true });
  // @ts-expect-error numeric-comparison is a boolean
  await client.rules.conditions.create(70, { type: 'Field', field: 'age', 'numeric-comparison': 'yes' });
  // @ts-expect-error before-time is a "YYYY-MM-DD[ HH:MM:SS]" string
  await client.rules.conditions.create(70, { type: 'Date', field: 'born', 'before-time': 20240101 });
  // @ts-expect-error a property of another condition type
  await client.rules.conditions.create(70, { type: 'ReferView', 'refer-view': 55, comparison: 'equals' });
}

export async function createsHaveAnId(): Promise<void> {
  const { id } = await client.profiles.create(12, { fields: { email: 'a@example.com' } });
  expectTypeOf(id).toEqualTypeOf<number>();
  // Every create that always yields an ID says so in its type: no `id!` needed.
  expectTypeOf(client.databases.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.databases.fields.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.databases.interests.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.collections.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.collections.fields.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.views.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.views.createInView).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.rules.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.rules.conditions.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.miniviews.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.minirules.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.minirules.conditions.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.subprofiles.create).returns.resolves.toEqualTypeOf<CreateResult>();
  expectTypeOf(client.dataRequests.create).returns.resolves.toEqualTypeOf<CreateResult>();
  // Updates name no new entity: their id stays optional.
  expectTypeOf<WriteResult['id']>().toEqualTypeOf<number | undefined>();
}

export async function updateManySaysWhatItCannotKnow(): Promise<void> {
  const r = await client.profiles.updateMany(12, { where: where.eq('country', 'nl'), fields: { language: 'dutch' } });
  expectTypeOf(r).toEqualTypeOf<ProfileUpdateManyResult>();
  // Copernica does not report how many profiles a bulk update touched: there is no count to misread.
  expectTypeOf<keyof ProfileUpdateManyResult>().toEqualTypeOf<'status' | 'created' | 'id' | 'location'>();
  expectTypeOf(r.created).toEqualTypeOf<boolean>();
}
