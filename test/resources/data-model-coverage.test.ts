/**
 * Coverage of the 80 data-model endpoints (issue 4): groups databases, database-fields, interests,
 * collections, collection-fields, unsubscribe, profiles, profile-data, subprofiles, views, rules,
 * rule-conditions, miniviews, minirules, minirule-conditions of endpoints.json.
 *
 * Every public method of the data-model namespaces runs once against the fake, in the order a user
 * would call them (build a database with fields and a collection, import profiles and subprofiles,
 * select them with a view, a rule and a Field condition, a miniview with a minirule, read back,
 * update, delete). The fake's request log (`route` = matched pattern) then shows which endpoints
 * were answered. An endpoint that no SDK method reaches fails the test unless it is in ALLOWED: the
 * index's spelling of a path that the SDK sends in the page's form (spec/API.md §4.1).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Copernica, where } from '../../src/index.js';
import { APIResource } from '../../src/core/resource.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { specEndpoints } from '../helpers/spec.js';

const GROUPS = new Set([
  'databases',
  'database-fields',
  'interests',
  'collections',
  'collection-fields',
  'unsubscribe',
  'profiles',
  'profile-data',
  'subprofiles',
  'views',
  'rules',
  'rule-conditions',
  'miniviews',
  'minirules',
  'minirule-conditions',
]);
const NAMESPACES = ['databases', 'collections', 'profiles', 'subprofiles', 'views', 'rules', 'miniviews', 'minirules'] as const;

/**
 * Index spellings (spec/API.md §4.1) that no SDK method sends, because the SDK sends the page's form.
 * Each entry is dropped from the count of "reached" and checked to be really unreached: if an SDK
 * method starts sending one, the test fails until the entry is removed.
 */
const ALLOWED: Record<string, string> = {
  'GET /profile/{profileId}/subprofiles':
    'spec/API.md §4.1 item 1: index form without a collection; subprofiles.listInProfile() sends the page form GET /profile/{id}/subprofiles/{collectionId}',
  'POST /profile/{profileId}/subprofiles':
    'spec/API.md §4.1 item 2: index form without a collection; subprofiles.create() sends the page form POST /profile/{id}/subprofiles/{collectionId}',
  'PUT /profile/{profileId}/subprofiles':
    'spec/API.md §4.1 item 3: index path documented nowhere; subprofiles.fields.update() sends the page form PUT /subprofile/{id}/fields',
};

/** `/database/{databaseId}/field/{fieldId}` → `/database/{}/field/{}`: placeholder names differ between the spec and the fake. */
const shape = (pattern: string) => pattern.replace(/\{[^}]*\}/g, '{}');
const key = (method: string, pattern: string) => `${method} ${shape(pattern)}`;

/** Records which public methods are called through it (`profiles.interests.add`, …), recursing into sub-namespaces. */
function tracked<T extends object>(target: T, name: string, called: Set<string>): T {
  // The proxy's own target is an empty object inheriting from the real one: the client's namespaces
  // are read-only, non-configurable properties, which a proxy of the client itself may not replace.
  const obj = target;
  return new Proxy(Object.create(target) as T, {
    get(_shim, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof prop !== 'string' || prop.startsWith('_')) return value;
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          called.add(`${name}.${prop}`);
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      }
      return value instanceof APIResource ? tracked(value, `${name}.${prop}`, called) : value;
    },
  });
}

/** Every public method of a namespace and its sub-namespaces (prototype methods not starting with `_`). */
function publicMethods(ns: object, name: string): string[] {
  const out: string[] = [];
  for (
    let proto = Object.getPrototypeOf(ns) as object | null;
    proto && proto !== APIResource.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const m of Object.getOwnPropertyNames(proto)) {
      if (m !== 'constructor' && !m.startsWith('_') && typeof (proto as Record<string, unknown>)[m] === 'function')
        out.push(`${name}.${m}`);
    }
  }
  for (const [prop, value] of Object.entries(ns)) {
    if (!prop.startsWith('_') && value instanceof APIResource) out.push(...publicMethods(value, `${name}.${prop}`));
  }
  return out;
}

let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 3, profiles: 40 });
});
afterAll(() => fake?.close());

it('every data-model endpoint is reached by an SDK method (or listed as an index spelling sent in the page form)', async () => {
  const spec = specEndpoints().filter((e) => GROUPS.has(e.group));
  expect(spec).toHaveLength(80);
  const specKeys = new Set(spec.map((e) => key(e.method, e.path)));
  expect(specKeys.size).toBe(80); // no two endpoints collapse to one shape
  for (const k of Object.keys(ALLOWED)) expect(specKeys, `allow-list entry ${k} is not an endpoint`).toContain(shape(k));

  const client = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
  const called = new Set<string>();
  const c = tracked(client, 'client', called);
  fake.clearRequests();

  // ---- a database with fields, an interest and unsubscribe behaviour
  expect((await c.databases.list()).data.length).toBeGreaterThan(0);
  const db = (await c.databases.create({ name: 'coverage-shop', description: 'Coverage test' })).id!;
  expect(db).toBeTypeOf('number');
  await c.databases.fields.create(db, { name: 'email', type: 'email' });
  await c.databases.fields.create(db, { name: 'country', type: 'select', choices: ['nl', 'de', 'be'] });
  await c.databases.fields.create(db, { name: 'age', type: 'integer' });
  const tmpField = (await c.databases.fields.create(db, { name: 'scratch', type: 'text' })).id!;
  expect((await c.databases.fields.list(db)).data.map((f) => f.name)).toEqual(['email', 'country', 'age', 'scratch']);
  await c.databases.fields.update(db, tmpField, { displayed: false, length: 50 });
  expect(await c.databases.fields.delete(db, tmpField)).toMatchObject({ removed: true, status: 200 });
  await c.databases.interests.create(db, { name: 'tennis', group: 'sport' });
  await c.databases.interests.create(db, { name: 'hockey', group: 'sport' });
  expect((await c.databases.interests.list(db)).data.map((i) => i.name)).toEqual(['tennis', 'hockey']);
  await c.databases.unsubscribe.update(db, { behavior: 'update', fields: { country: 'be' } });
  expect(await c.databases.unsubscribe.get(db)).toEqual({ behavior: 'update', fields: { country: 'be' } });
  await c.databases.update(db, { description: 'Coverage test (updated)' });
  expect(await c.databases.get(db)).toMatchObject({ ID: db, name: 'coverage-shop', description: 'Coverage test (updated)' });

  // ---- a collection with fields
  const col = (await c.collections.create(db, { name: 'orders', fields: [{ name: 'ordernumber', type: 'text' }] })).id!;
  expect((await c.collections.list(db)).data.map((x) => x.ID)).toEqual([col]);
  await c.collections.fields.create(col, { name: 'amount', type: 'float' });
  const tmpColField = (await c.collections.fields.create(col, { name: 'note', type: 'text' })).id!;
  await c.collections.fields.update(col, tmpColField, { name: 'remark' });
  expect((await c.collections.fields.list(col)).data.map((f) => f.name)).toEqual(['ordernumber', 'amount', 'remark']);
  expect((await c.collections.fields.delete(col, 'remark')).removed).toBe(true);
  await c.collections.unsubscribe.update(col, { behavior: 'remove' });
  expect((await c.collections.unsubscribe.get(col)).behavior).toBe('remove');
  await c.collections.update(col, { name: 'purchases' });
  expect(await c.collections.get(col)).toMatchObject({ ID: col, name: 'purchases', database: db });

  // ---- profiles, their interests and subprofiles
  const anna = (await c.profiles.create(db, { fields: { email: 'anna@example.com', country: 'nl', age: 34 }, interests: ['tennis'] })).id!;
  const bert = (await c.profiles.create(db, { fields: { email: 'bert@example.com', country: 'de', age: 51 } })).id!;
  const cleo = (await c.profiles.create(db, { fields: { email: 'cleo@example.com', country: 'nl', age: 17 } })).id!;
  await c.profiles.clearFieldCache(db); // no endpoint: forgets the definitions validateFields keeps
  expect((await c.profiles.list(db, { where: where.eq('country', 'nl') })).data.map((p) => p.ID)).toEqual([anna, cleo]);
  expect(await c.profiles.ids(db)).toEqual([anna, bert, cleo]);
  await c.profiles.update(bert, { fields: { age: 52 }, interests: { hockey: true } });
  expect(await c.profiles.get(bert)).toMatchObject({ ID: bert, database: db, fields: { age: '52' }, interests: ['hockey'] });
  await c.profiles.updateMany(db, { where: where.eq('country', 'nl'), fields: { age: 18 } });
  const dave = await c.profiles.upsert(db, { where: where.eq('email', 'dave@example.com'), fields: { country: 'be' } });
  expect(dave).toMatchObject({ created: true });
  expect(dave.id).toEqual(expect.any(Number));
  const changed: number[] = [];
  for await (const p of c.profiles.changes(db)) changed.push(p.ID);
  expect(changed.sort((x, y) => x - y)).toEqual([anna, bert, cleo, dave.id!].sort((x, y) => x - y));
  const synced = await c.profiles.sync(db, [{ email: 'cleo@example.com', country: 'nl' }], { key: 'email' }).summary();
  expect(synced).toMatchObject({ done: 1, unchanged: 1, created: 0, updated: 0, failed: 0 });
  await c.profiles.fields.update(cleo, { age: 19 });
  expect(await c.profiles.fields.get(cleo)).toMatchObject({ email: 'cleo@example.com', country: 'nl', age: '19' });
  await c.profiles.interests.add(cleo, ['tennis', 'hockey']);
  await c.profiles.interests.replace(cleo, ['hockey']);
  expect(await c.profiles.interests.names(cleo)).toEqual(['hockey']);
  const [hockeyId] = await c.profiles.interests.ids(cleo);
  expect((await c.profiles.interests.list(cleo)).data).toMatchObject([{ ID: hockeyId, name: 'hockey', group: 'sport' }]);

  const order1 = (await c.subprofiles.create(anna, col, { ordernumber: 'A-1', amount: 150 })).id!;
  const order2 = (await c.subprofiles.create(bert, col, { ordernumber: 'B-1', amount: 40 })).id!;
  expect((await c.subprofiles.listInProfile(anna, col)).data.map((s) => s.ID)).toEqual([order1]);
  expect((await c.subprofiles.list(col)).data.map((s) => s.ID)).toEqual([order1, order2]);
  expect(await c.subprofiles.ids(col)).toEqual([order1, order2]);
  await c.subprofiles.fields.update(order1, { amount: 175 });
  await c.subprofiles.fields.update(order2, { amount: 45 });
  expect(await c.subprofiles.fields.get(order2)).toMatchObject({ ordernumber: 'B-1', amount: '45' });
  expect(await c.subprofiles.get(order1)).toMatchObject({ ID: order1, profile: anna, collection: col, fields: { amount: '175' } });

  // ---- a view with a rule and a Field condition, a nested view
  const view = (await c.views.create(db, { name: 'dutch', description: 'Dutch profiles' })).id!;
  const rule = (
    await c.rules.create(view, { name: 'nl', conditions: [{ type: 'Field', field: 'country', comparison: 'equals', value: 'nl' }] })
  ).id!;
  await c.rules.conditions.create(rule, { type: 'Field', field: 'age', comparison: 'more', value: 10, 'numeric-comparison': true });
  await c.rules.conditions.update(rule, 'Field', { type: 'Field', value: 'nl' });
  expect((await c.rules.conditions.list(rule)).data.map((x) => x.type)).toEqual(['Field', 'Field']);
  await c.rules.update(rule, { description: 'Country is nl' });
  expect(await c.rules.get(rule)).toMatchObject({ ID: rule, name: 'nl', view, description: 'Country is nl' });
  expect((await c.rules.getInView(view, rule)).ID).toBe(rule);
  expect((await c.rules.list(view)).data.map((r) => r.ID)).toEqual([rule]);
  await c.views.update(view, { description: 'Dutch profiles (updated)' });
  expect(await c.views.get(view)).toMatchObject({ ID: view, name: 'dutch', database: db, 'parent-type': 'database' });
  expect((await c.views.list(db)).data.map((v) => v.ID)).toEqual([view]);
  expect((await c.profiles.listInView(view)).data.map((p) => p.ID)).toEqual([anna, cleo]);
  expect(await c.profiles.idsInView(view)).toEqual([anna, cleo]);
  const child = (await c.views.createInView(view, { name: 'dutch-adults' })).id!;
  expect((await c.views.listInView(view)).data.map((v) => v.ID)).toEqual([child]);

  // ---- a miniview with a minirule (page and index path forms) and its conditions
  const mv = (await c.miniviews.create(col, { name: 'big-orders' })).id!;
  const minirule = (
    await c.minirules.create(mv, {
      name: 'big',
      conditions: [{ type: 'Field', field: 'amount', comparison: 'more', value: 100, 'numeric-comparison': true }],
    })
  ).id!;
  const minirule2 = (await c.minirules.create(mv, { name: 'spare', disabled: true, pathForm: 'index' })).id!;
  await c.minirules.conditions.create(minirule2, { type: 'Field', field: 'ordernumber', comparison: 'contains', value: 'B' });
  await c.minirules.conditions.update(minirule2, 'Field', { type: 'Field', value: 'A' });
  expect((await c.minirules.conditions.list(minirule2)).data.map((x) => x.type)).toEqual(['Field']);
  await c.minirules.update(minirule2, { inverted: true });
  expect(await c.minirules.get(minirule2)).toMatchObject({ ID: minirule2, view: mv, inverted: true, disabled: true });
  expect((await c.minirules.getInMiniview(mv, minirule)).ID).toBe(minirule);
  expect((await c.minirules.getInMiniview(mv, minirule, { pathForm: 'index' })).ID).toBe(minirule);
  expect((await c.minirules.list(mv)).data.map((r) => r.ID)).toEqual([minirule, minirule2]);
  await c.miniviews.update(mv, { description: 'Orders above 100' });
  expect(await c.miniviews.get(mv)).toMatchObject({ ID: mv, name: 'big-orders', collection: col, 'parent-type': 'collection' });
  expect((await c.miniviews.list(col)).data.map((x) => x.ID)).toEqual([mv]);
  expect((await c.subprofiles.listInMiniview(mv)).data.map((s) => s.ID)).toEqual([order1]);
  expect(await c.subprofiles.idsInMiniview(mv)).toEqual([order1]);

  // ---- delete
  expect((await c.minirules.delete(minirule2)).removed).toBe(true);
  expect((await c.miniviews.delete(mv)).removed).toBe(true);
  expect((await c.rules.delete(rule)).removed).toBe(true);
  expect((await c.views.delete(view)).removed).toBe(true);
  expect(await c.profiles.delete(dave.id!)).toMatchObject({ removed: true, status: 200 });

  // ---- which spec endpoints successful requests reached
  const ok = (status: number) => (status >= 200 && status < 300) || status === 303;
  const reached = new Set(fake.requests.filter((r) => r.route && ok(r.status)).map((r) => key(r.method, r.route!)));
  const allowed = new Set(Object.keys(ALLOWED).map(shape));
  const covered = spec.filter((e) => reached.has(key(e.method, e.path)));
  const listed = spec.filter((e) => !reached.has(key(e.method, e.path)) && allowed.has(key(e.method, e.path)));
  const missing = spec
    .filter((e) => !reached.has(key(e.method, e.path)) && !allowed.has(key(e.method, e.path)))
    .map((e) => `${e.method} ${e.path}`);
  const reachedButAllowed = covered.filter((e) => allowed.has(key(e.method, e.path))).map((e) => `${e.method} ${e.path}`);
  const extra = listed.length
    ? ` (+${listed.length} index spellings sent in the page form: ${listed.map((e) => `${e.method} ${e.path}`).join(', ')})`
    : '';
  console.log(`${covered.length}/80 data-model endpoints covered${extra}${missing.length ? `; missing: ${missing.join(', ')}` : ''}`);

  // Every call above expects success: no request may have failed or missed a route.
  const failed = fake.requests
    .filter((r) => !r.route || !ok(r.status))
    .map((r) => `${r.method} ${r.path} → ${r.status} (route ${r.route ?? 'none'})`);
  expect(failed, 'requests without a success status').toEqual([]);
  expect(missing, 'endpoints no SDK method reached').toEqual([]);
  expect(reachedButAllowed, 'allow-listed endpoints an SDK method reaches after all: drop them from ALLOWED').toEqual([]);
  expect(covered.length + listed.length).toBe(80);

  // Every public method of the data-model namespaces ran.
  const methods = NAMESPACES.flatMap((ns) => publicMethods(client[ns], `client.${ns}`));
  expect(methods.length).toBeGreaterThan(70); // the enumeration found the namespaces (79 methods when written)
  expect(
    methods.filter((m) => !called.has(m)),
    'public SDK methods never called',
  ).toEqual([]);
});
