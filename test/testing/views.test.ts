import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { call, errorOf, get } from './helpers.js';

let fake: FakeCopernica;
let everyone: any[];
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 5, profiles: 100 });
  everyone = (await get(fake, '/database/1/profiles?limit=100')).json.data;
});
afterAll(() => fake.close());

const idsOf = (list: any[]) => list.map((p) => p.ID);
async function viewByName(name: string): Promise<any> {
  const top = (await get(fake, '/database/1/views')).json.data;
  const hit = top.find((v: any) => v.name === name);
  if (hit) return hit;
  for (const v of top) {
    const kids = (await get(fake, `/view/${v.ID}/views`)).json.data;
    const k = kids.find((x: any) => x.name === name);
    if (k) return k;
  }
  throw new Error(name);
}
async function members(viewId: string): Promise<string[]> {
  return idsOf((await get(fake, `/view/${viewId}/profiles`)).json.data);
}
async function newView(name: string, rules: Record<string, unknown>[]): Promise<string> {
  const v = await call(fake, 'POST', '/database/1/views', { body: { name } });
  const id = v.headers.get('x-created')!;
  for (const r of rules) expect((await call(fake, 'POST', `/view/${id}/rules`, { body: r })).status).toBe(201);
  return id;
}

describe('views select by their rules', () => {
  test('a Field rule (equals)', async () => {
    const v = await viewByName('dutch');
    const want = idsOf(everyone.filter((p) => p.fields.country === 'netherlands'));
    expect(want.length).toBeGreaterThan(0);
    expect(await members(v.ID)).toEqual(want);
    expect((await get(fake, `/view/${v.ID}/profileids`)).json).toEqual(want);
  });

  test('a nested view selects within its parent', async () => {
    const v = await viewByName('dutch-seniors');
    expect(v['parent-type']).toBe('view');
    const want = idsOf(everyone.filter((p) => p.fields.country === 'netherlands' && Number(p.fields.age) > 60));
    expect(want.length).toBeGreaterThan(0);
    expect(await members(v.ID)).toEqual(want);
  });

  test('rules are ORed (here: a Field rule or an Interest rule)', async () => {
    const v = await viewByName('young-or-tennis');
    const want = idsOf(everyone.filter((p) => Number(p.fields.age) < 25 || p.interests.includes('tennis')));
    expect(await members(v.ID)).toEqual(want);
    expect(want.length).toBeLessThan(everyone.length);
  });

  test('an inverted rule negates; a view without rules has everyone', async () => {
    const nd = await viewByName('not-dutch');
    expect(await members(nd.ID)).toEqual(idsOf(everyone.filter((p) => p.fields.country !== 'netherlands')));
    const all = await viewByName('everyone');
    expect((await get(fake, `/view/${all.ID}/profiles?limit=1`)).json.total).toBe(100);
  });

  test('conditions in one rule are ANDed; disabled rules are skipped', async () => {
    const id = await newView('and-test', [
      {
        name: 'both',
        conditions: [
          { type: 'Field', field: 'country', comparison: 'equals', value: 'germany' },
          { type: 'field', field: 'age', comparison: 'more', value: '40', 'numeric-comparison': true },
        ],
      },
      { name: 'off', disabled: true, conditions: [{ type: 'Field', field: 'country', comparison: 'equals', value: 'france' }] },
    ]);
    const want = idsOf(everyone.filter((p) => p.fields.country === 'germany' && Number(p.fields.age) > 40));
    expect(want.length).toBeGreaterThan(0);
    expect(await members(id)).toEqual(want);
  });

  test('comparisons: contains, not contains, less, is_email, regexp, other-field', async () => {
    const cases: [Record<string, unknown>, (p: any) => boolean][] = [
      [{ field: 'email', comparison: 'contains', value: '.NL' }, (p) => p.fields.email.includes('.nl')],
      [{ field: 'email', comparison: 'not contains', value: '.nl' }, (p) => !p.fields.email.includes('.nl')],
      [{ field: 'age', comparison: 'less', value: '30' }, (p) => Number(p.fields.age) < 30],
      [{ field: 'email', comparison: 'is_email' }, () => true],
      [{ field: 'firstname', comparison: 'regexp', value: '^[a-f]' }, (p) => /^[a-f]/i.test(p.fields.firstname)],
      [
        { field: 'age', comparison: 'more', 'other-field': 'score', 'numeric-comparison': true },
        (p) => Number(p.fields.age) > Number(p.fields.score),
      ],
    ];
    for (const [i, [cond, pred]] of cases.entries()) {
      const id = await newView(`cmp-${i}`, [{ name: 'r', conditions: [{ type: 'Field', ...cond }] }]);
      expect(await members(id), JSON.stringify(cond)).toEqual(idsOf(everyone.filter(pred)));
    }
  });

  test('view profiles accept fields[] filters and paging too', async () => {
    const v = await viewByName('dutch');
    const r = await get(fake, `/view/${v.ID}/profiles?fields[]=${encodeURIComponent('age>=50')}&limit=2`);
    const want = everyone.filter((p) => p.fields.country === 'netherlands' && Number(p.fields.age) >= 50);
    expect(r.json.total).toBe(want.length);
    expect(r.json.count).toBe(Math.min(2, want.length));
  });

  test('a changed profile moves in and out of a view', async () => {
    const v = await viewByName('dutch');
    const outsider = everyone.find((p) => p.fields.country !== 'netherlands');
    await call(fake, 'PUT', `/profile/${outsider.ID}/fields`, { body: { country: 'netherlands' } });
    expect(await members(v.ID)).toContain(outsider.ID);
    await call(fake, 'PUT', `/profile/${outsider.ID}/fields`, { body: { country: 'germany' } });
    expect(await members(v.ID)).not.toContain(outsider.ID);
  });
});

describe('view and rule endpoints', () => {
  test('key spellings: lastbuilt in lists, last-built on GET view; id/inversed vs ID/inverted', async () => {
    const list = (await get(fake, '/database/1/views')).json.data[0];
    expect(list).toHaveProperty('lastbuilt');
    expect(list).toMatchObject({ 'parent-type': 'database', 'parent-id': '1', database: '1', 'has-rules': true, 'has-children': true });
    const one = (await get(fake, `/view/${list.ID}`)).json;
    expect(one).toHaveProperty('last-built');
    const rules = (await get(fake, `/view/${list.ID}/rules`)).json;
    expect(rules.data[0]).toHaveProperty('id');
    expect(rules.data[0]).toHaveProperty('inversed', false);
    const rid = rules.data[0].id;
    const viaView = (await get(fake, `/view/${list.ID}/rule/${rid}`)).json;
    expect(viaView).toHaveProperty('ID', rid);
    expect(viaView).toHaveProperty('inverted', false);
    const byName = (await get(fake, `/rule/${rules.data[0].name}`)).json;
    expect(byName.id).toBe(rid);
  });

  test('rules: create with inverted, edit with inversed, conditions list/add/edit, delete', async () => {
    const id = await newView('crud', []);
    const r = await call(fake, 'POST', `/view/${id}/rules`, { body: { name: 'r1', inverted: true } });
    const rid = r.headers.get('x-created')!;
    expect((await get(fake, `/rule/${rid}`)).json.inversed).toBe(true);
    await call(fake, 'PUT', `/rule/${rid}`, { body: { inversed: false, description: 'd' } });
    expect((await get(fake, `/rule/${rid}`)).json).toMatchObject({ inversed: false, description: 'd' });
    const c = await call(fake, 'POST', `/rule/${rid}/conditions`, {
      body: { type: 'field', field: 'age', comparison: 'more', value: '80' },
    });
    expect(c.status).toBe(201);
    const conds = (await get(fake, `/rule/${rid}/conditions`)).json;
    expect(conds).toEqual([{ id: c.headers.get('x-created'), type: 'Field', rule: rid, field: 'age', comparison: 'more', value: '80' }]);
    await call(fake, 'PUT', `/rule/${rid}/conditions/Field`, { body: { type: 'Field', value: '85' } });
    expect((await get(fake, `/rule/${rid}/conditions`)).json[0].value).toBe('85');
    expect(await members(id)).toEqual(idsOf(everyone.filter((p) => Number(p.fields.age) > 85)));
    // other condition types are stored and returned
    await call(fake, 'POST', `/rule/${rid}/conditions`, { body: { type: 'Email', 'required-result': 'anyclick' } });
    expect((await get(fake, `/rule/${rid}/conditions`)).json[1]).toMatchObject({ type: 'Email', 'required-result': 'anyclick' });
    expect(errorOf(await call(fake, 'POST', `/rule/${rid}/conditions`, { body: { type: 'Bogus' } }))).toBe('Invalid condition type');
    const del = await call(fake, 'DELETE', `/rule/${rid}`);
    expect(del.headers.get('x-deleted')).toBe(`rule ${rid}`);
    expect(errorOf(await get(fake, `/rule/${rid}`))).toBe('No rule with supplied ID');
    expect((await get(fake, `/view/${id}/profiles?limit=1`)).json.total).toBe(100);
  });

  test('nested views: POST /view/{id}/views, edit, delete the parent removes children', async () => {
    const parent = await newView('parent', []);
    const child = await call(fake, 'POST', `/view/${parent}/views`, { body: { name: 'child', description: 'c' } });
    const cid = child.headers.get('x-created')!;
    expect((await get(fake, `/view/${parent}/views`)).json.data.map((v: any) => v.ID)).toEqual([cid]);
    await call(fake, 'PUT', `/view/${cid}`, { body: { name: 'kid' } });
    expect((await get(fake, `/view/${cid}`)).json).toMatchObject({ name: 'kid', 'parent-type': 'view', 'parent-id': parent });
    expect((await call(fake, 'DELETE', `/view/${parent}`)).status).toBe(200);
    expect(errorOf(await get(fake, `/view/${cid}`))).toBe('No view with supplied ID');
  });
});

describe('miniviews and minirules', () => {
  test('the seeded miniview selects subprofiles by its minirule; bare array with id keys', async () => {
    const mv = (await get(fake, '/collection/1/miniviews')).json.data[0];
    expect(mv).toMatchObject({ name: 'big-orders', 'parent-type': 'collection', collection: '1' });
    const subs = (await get(fake, `/miniview/${mv.ID}/subprofiles`)).json;
    const all: any[] = [];
    for (let s = 0; ; s += 100) {
      const page = (await get(fake, `/collection/1/subprofiles?start=${s}`)).json;
      all.push(...page.data);
      if (page.count < 100) break;
    }
    const want = all.filter((s) => Number(s.fields.amount) > 100).map((s) => s.ID);
    expect(want.length).toBeGreaterThan(0);
    expect(subs.map((s: any) => s.id)).toEqual(want);
    expect((await get(fake, `/miniview/${mv.ID}/subprofileids`)).json).toEqual(want);
    const filtered = (await get(fake, `/miniview/${mv.ID}/subprofiles?fields[]=${encodeURIComponent('amount>250')}`)).json;
    expect(filtered.map((s: any) => s.id)).toEqual(all.filter((s) => Number(s.fields.amount) > 250).map((s) => s.ID));
  });

  test('both path forms for minirules; spellings; conditions', async () => {
    const m = await call(fake, 'POST', '/collection/1/miniviews', { body: { name: 'paid' } });
    const mid = m.headers.get('x-created')!;
    const a = await call(fake, 'POST', `/miniview/${mid}/minirules`, {
      body: { name: 'is-paid', conditions: [{ type: 'Field', field: 'status', comparison: 'equals', value: 'paid' }] },
    });
    const b = await call(fake, 'POST', `/miniview/${mid}/rules`, { body: { name: 'disabled-one', disabled: 1 } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    const rid = a.headers.get('x-created')!;
    expect((await get(fake, `/miniview/${mid}/rule/${rid}`)).json).toMatchObject({ id: rid, inversed: false });
    expect((await get(fake, `/miniview/${mid}/minirule/${rid}`)).json).toMatchObject({ ID: rid, inverted: false });
    expect((await get(fake, `/minirule/is-paid`)).json.conditions[0]).toMatchObject({ id: expect.any(String), type: 'Field' });
    expect((await get(fake, `/miniview/${mid}/rules`)).json.total).toBe(2);
    const subs = (await get(fake, `/miniview/${mid}/subprofiles`)).json;
    expect(subs.length).toBeGreaterThan(0);
    expect(subs.every((s: any) => s.fields.status === 'paid')).toBe(true);
    await call(fake, 'PUT', `/minirule/${rid}/conditions/Field`, { body: { value: 'new' } });
    expect((await get(fake, `/minirule/${rid}/conditions`)).json[0].value).toBe('new');
    await call(fake, 'PUT', `/minirule/${rid}`, { body: { inverted: true } });
    const inv = (await get(fake, `/miniview/${mid}/subprofiles`)).json;
    expect(inv.length).toBeGreaterThan(0); // an empty answer would pass the check below
    expect(inv.every((s: any) => s.fields.status !== 'new')).toBe(true);
    expect((await call(fake, 'DELETE', `/minirule/${rid}`)).headers.get('x-deleted')).toBe(`minirule ${rid}`);
    expect((await call(fake, 'DELETE', `/miniview/${mid}`)).status).toBe(200);
    expect((await call(fake, 'DELETE', `/miniview/${mid}`)).status).toBe(204);
  });
});
